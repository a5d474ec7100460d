/* The wall's map as SVG, drawn in the page from its store (dashboard/pages/wall/map_view.py): the province's regencies (or
   hexagons), a marker for each one too small to see at the panel's size, and each regency's label placed near
   it so that no text touches another text, a marker or the panel's edge. A regency left unnamed for want of room
   is named while the tour is on it, over the labels in its way. A push only recolours (one attribute per
   changed regency); the shapes and labels are laid out again only when the panel's size changes. */
const SVG_NS = "http://www.w3.org/2000/svg";
const SLICE_MS = 50; // the longest the labels' search holds the page at a time
const SEARCH_MS = 1500; // the longest the search goes on after a layout (the best plan by then stays)

function svgEl(tag, attrs, children) {
  const node = document.createElementNS(SVG_NS, tag);
  Object.keys(attrs || {}).forEach(function (name) {
    node.setAttribute(name, attrs[name]);
  });
  (children || []).forEach(function (child) {
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  });
  return node;
}

// A label's text (and its leader line, if it has one) as SVG elements, marked with its regency's code.
function labelNodes(code, label, plan, extra) {
  const nodes = [];
  const className = extra ? " " + extra : "";
  if (label.line) {
    const line = label.line;
    nodes.push(svgEl("line", { x1: line.x1, y1: line.y1, x2: line.x2, y2: line.y2, class: "leader" + className, "data-code": code }));
  }
  const x = (label.box.x0 + label.box.x1) / 2;
  const lines = label.lines.map(function (text, i) {
    return svgEl("tspan", { x: x, dy: i ? plan.line : 0 }, [text]);
  });
  const top = label.box.y0 + plan.ascent;
  nodes.push(svgEl("text", { x: x, y: top, class: "map-label" + className, "data-code": code, "text-anchor": "middle" }, lines));
  return nodes;
}

const wallMap = {
  spec: null,
  area: null,
  looks: null, // the metric's looks last drawn (wall_draw.js `looksOf`), drawn again after a layout
  focused: null,
  plan: null,
  searching: null, // the layout whose labels are still being searched for
  settled: [], // callbacks waiting for the search to end
  drawnSize: "",
  nodes: {}, // code -> the elements coloured for it: its shape, and its marker if it has one

  draw: function (spec, area) {
    if (!spec || !area) return;
    this.spec = spec;
    this.area = area;
    if (!this.observer) {
      const self = this;
      this.observer = new ResizeObserver(function () {
        window.requestAnimationFrame(function () { self.layout(); });
      });
      this.observer.observe(area);
    }
    this.drawnSize = "";
    this.layout();
  },

  layout: function () {
    const area = this.area;
    const spec = this.spec;
    if (!area || !spec) return;
    const width = area.clientWidth;
    const height = area.clientHeight;
    if (!width || !height || width + "x" + height === this.drawnSize) return;
    const style = window.getComputedStyle(area);
    const font = parseFloat(style.fontSize);
    const context = document.createElement("canvas").getContext("2d");
    context.font = font + "px " + style.fontFamily;
    const metrics = context.measureText("Kg");
    const ascent = metrics.fontBoundingBoxAscent || 0.93 * font;
    const line = ascent + (metrics.fontBoundingBoxDescent || 0.24 * font);
    const measure = function (lines) {
      const widest = Math.max.apply(null, lines.map(function (text) { return context.measureText(text).width; }));
      return { w: widest + 0.1 * font, h: lines.length * line, line: line, ascent: ascent };
    };
    this.drawnSize = width + "x" + height;
    // The first plan drawn at once; the search goes on in slices between the page's other work (a push, the
    // tour, the clock), and each better plan is drawn as it is found. A new layout ends the one before.
    const search = labelSearch(spec, width, height, font, measure);
    const self = this;
    const token = {};
    this.searching = token;
    const started = performance.now();
    let drawn = null; // the plan of this layout on the screen
    const slice = function () {
      if (self.searching !== token) return;
      const until = performance.now() + SLICE_MS;
      let best = drawn;
      let step;
      do {
        step = search.next();
        if (step.value) best = step.value;
      } while (!step.done && performance.now() < until);
      if (best !== drawn) {
        drawn = best;
        best.line = line;
        best.ascent = ascent;
        self.plan = best;
        self.render(best, width, height, font);
        if (self.looks) self.recolour(self.looks);
        self.focus(self.focused);
      }
      if (step.done || performance.now() - started > SEARCH_MS) {
        self.searching = null;
        self.settled.splice(0).forEach(function (callback) { callback(); });
      } else window.setTimeout(slice, 0);
    };
    slice();
  },

  // `callback` once the labels' search for the current size has ended (at once if it has).
  whenSettled: function (callback) {
    if (this.searching) this.settled.push(callback);
    else callback();
  },

  render: function (plan, width, height, font) {
    const spec = this.spec;
    const stripe = Math.max(4, Math.round(font / 4));
    const hatch = svgEl("pattern", {
      id: "wall-no-data",
      patternUnits: "userSpaceOnUse",
      width: 2 * stripe,
      height: 2 * stripe,
      patternTransform: "rotate(45)",
    }, [
      svgEl("rect", { width: 2 * stripe, height: 2 * stripe, fill: "#5b6170" }),
      svgEl("rect", { width: stripe, height: 2 * stripe, fill: "#474c58" }),
    ]);
    const shapes = svgEl("g", { transform: "translate(" + plan.ox + " " + plan.oy + ") scale(" + plan.fit + ")" });
    const leaders = svgEl("g", { class: "map-leaders" });
    const markers = svgEl("g", { class: "map-markers" });
    const labels = svgEl("g", { class: "map-labels", "font-size": font });
    this.nodes = {};
    Object.keys(spec.regencies).forEach(function (code) {
      const region = spec.regencies[code];
      const place = plan.places[code];
      const coloured = [];
      const shape = svgEl("path", { d: region.d, class: "region", "data-code": code, "fill-rule": "evenodd" }, [
        svgEl("title", {}, [region.title]),
      ]);
      shapes.appendChild(shape);
      coloured.push(shape);
      if (place.marker) {
        const marker = svgEl("circle", { cx: place.marker.x, cy: place.marker.y, r: place.marker.r, class: "marker", "data-code": code }, [
          svgEl("title", {}, [region.title]),
        ]);
        markers.appendChild(marker);
        coloured.push(marker);
      }
      if (place.label) {
        labelNodes(code, place.label, plan).forEach(function (node) {
          (node.tagName === "line" ? leaders : labels).appendChild(node);
        });
      }
      this.nodes[code] = coloured;
    }, this);
    const svg = svgEl("svg", { width: width, height: height, class: "map-svg", role: "img" }, [
      svgEl("defs", {}, [hatch]),
      shapes,
      leaders,
      markers,
      labels,
    ]);
    svg.addEventListener("click", function (event) {
      const target = event.target.closest("[data-code]");
      if (!target || event.button || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      window.followAppLink(spec.regencies[target.getAttribute("data-code")].href);
    });
    svg.setAttribute("aria-label", spec.attribution);
    this.area.replaceChildren(svg);
  },

  // Each regency's colour from the metric's looks (wall_draw.js `looksOf`); grey hatching for no data.
  recolour: function (looks) {
    this.looks = looks;
    Object.keys(this.nodes).forEach(function (code) {
      const look = looks[code];
      const colour = !look || look.colour === window.sccContract.no_data_colour ? "url(#wall-no-data)" : look.colour;
      this.nodes[code].forEach(function (node) {
        if (node.getAttribute("fill") !== colour) node.setAttribute("fill", colour);
      });
    }, this);
  },

  // The tour's regency in focus stands out; the others step back. null: all alike.
  focus: function (code) {
    this.focused = code;
    if (!this.area) return;
    const svg = this.area.querySelector("svg");
    if (!svg) return;
    svg.classList.toggle("focusing", Boolean(code));
    svg.querySelectorAll(".focused").forEach(function (node) { node.classList.remove("focused"); });
    svg.querySelectorAll(".focus-label").forEach(function (node) { node.remove(); });
    svg.querySelectorAll(".crowded-out").forEach(function (node) { node.classList.remove("crowded-out"); });
    if (code) {
      this.nameInFocus(svg, code);
      svg.querySelectorAll('[data-code="' + code + '"]').forEach(function (node) { node.classList.add("focused"); });
    }
  },

  // A regency the map had no room to name gets its label near it while in focus; the labels in its way step
  // aside until the tour moves on.
  nameInFocus: function (svg, code) {
    const plan = this.plan;
    const place = plan && plan.places[code];
    if (!place || place.label) return;
    const spots = plan.spotsOf(code);
    const spot = spots.find(function (s) { return plan.clearOfMarkers(s.box); });
    if (!spot) return;
    plan.blockers(spot).forEach(function (other) {
      svg.querySelectorAll('.map-label[data-code="' + other.code + '"], .leader[data-code="' + other.code + '"]').forEach(function (node) {
        node.classList.add("crowded-out");
      });
    });
    labelNodes(code, spot, plan, "focus-label").forEach(function (node) {
      svg.querySelector(node.tagName === "line" ? ".map-leaders" : ".map-labels").appendChild(node);
    });
  },
};
