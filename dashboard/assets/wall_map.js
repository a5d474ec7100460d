/* The wall's map as SVG, drawn in the page from its store (dashboard/pages/wall/map_view.py): the province's regencies (or
   hexagons), a marker for each one too small to see at the panel's size, and every regency's label placed so
   that no text touches another text, a marker or the panel's edge. A push only recolours (one attribute per
   changed regency); the shapes and labels are laid out again only when the panel's size changes. */
const SVG_NS = "http://www.w3.org/2000/svg";

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

function nearestPoint(box, x, y) {
  return [Math.min(Math.max(x, box.x0), box.x1), Math.min(Math.max(y, box.y0), box.y1)];
}

const wallMap = {
  spec: null,
  area: null,
  cells: null,
  focused: null,
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
    const plan = placeLabels(spec, width, height, font, measure);
    this.drawnSize = width + "x" + height;
    plan.line = line;
    plan.ascent = ascent;
    this.render(plan, width, height, font);
    if (this.cells) this.recolour(this.cells);
    this.focus(this.focused);
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
      const label = place.label;
      if (label) {
        const from = place.marker || place;
        if (label.leader) {
          const to = nearestPoint(label.box, from.x, from.y);
          leaders.appendChild(svgEl("line", { x1: from.x, y1: from.y, x2: to[0], y2: to[1], class: "leader", "data-code": code }));
        }
        const x = (label.box.x0 + label.box.x1) / 2;
        const lines = label.lines.map(function (line, i) {
          return svgEl("tspan", { x: x, dy: i ? plan.line : 0 }, [line]);
        });
        const top = label.box.y0 + plan.ascent;
        labels.appendChild(svgEl("text", { x: x, y: top, class: "map-label", "data-code": code, "text-anchor": "middle" }, lines));
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

  // Each regency's colour from the metric's cells ([value, text, colour, ...]); grey hatching for no data.
  recolour: function (cells) {
    this.cells = cells;
    Object.keys(this.nodes).forEach(function (code) {
      const cell = cells[code];
      const colour = !cell || cell[0] == null ? "url(#wall-no-data)" : cell[2];
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
    if (code) {
      svg.querySelectorAll('[data-code="' + code + '"]').forEach(function (node) { node.classList.add("focused"); });
    }
  },
};
