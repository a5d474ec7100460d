/* Drawing the wall from its view-model (dashboard/screen_model.py): plain DOM built from data, texts as text
   nodes (never HTML), each container redrawn only when what it shows changed, and a tour panel out of sight
   only when the tour shows it. wall.js holds the page's state and calls these. */
const NO_DATA_FILL = "repeating-linear-gradient(135deg, #5b6170 0 0.6vh, #474c58 0.6vh 1.2vh)";
const RANKING_PER_PAGE = 5;

// A Dash pattern-matching id as Dash writes it into the page (keys sorted).
function patternId(id) {
  const keys = Object.keys(id).sort();
  return "{" + keys.map(function (k) { return JSON.stringify(k) + ":" + JSON.stringify(id[k]); }).join(",") + "}";
}

function byPattern(id) {
  return document.getElementById(patternId(id));
}

// Elements from plain data: texts are text nodes, never HTML.
function el(tag, className, children, style) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  (children || []).forEach(function (child) {
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  });
  if (style) Object.assign(node.style, style);
  return node;
}

// A link within the app, followed without a reload, as Dash's own links are.
function appLink(href, className, children) {
  const link = el("a", className, children);
  link.href = href;
  link.addEventListener("click", function (event) {
    if (event.button || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    window.history.pushState({}, "", href);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  });
  return link;
}

// Replace a container's children only when what they show changed: nothing is laid out again otherwise. A
// container on a tour panel out of sight is drawn when the tour shows it (`drawPending`), not on every push.
const pending = new Map(); // container -> [source, build]

function inSight(node) {
  const step = node.closest(".tour-step");
  return !step || step.classList.contains("active");
}

function fill(container, source, build) {
  if (!container) return;
  const key = JSON.stringify(source);
  if (container.wallShown === key) {
    pending.delete(container);
    return;
  }
  if (!inSight(container)) {
    pending.set(container, [source, build]);
    return;
  }
  pending.delete(container);
  container.wallShown = key;
  container.replaceChildren.apply(container, build(source));
}

function drawPending() {
  pending.forEach(function (job, container) {
    if (inSight(container)) fill(container, job[0], job[1]);
  });
  const trend = document.getElementById("wall-trend-graph");
  if (wall.trendPending && trend && inSight(trend)) {
    window.dash_clientside.set_props("wall-trend-graph", { figure: trendAt(wall.trendPending, fontPx(wall.texts)) });
    wall.trendPending = null;
  }
}

function setText(node, text) {
  if (node && node.textContent !== text) node.textContent = text;
}

function regencyHref(code, lang) {
  return "/kabkota/" + code + (lang === "en" ? "?lang=en" : "");
}

function severityBadge(row) {
  return el("span", "alert-severity", [row.icon + " " + row.severity_text], { color: row.colour });
}

const draw = {
  tiles: function (tiles) {
    Object.keys(tiles).forEach(function (key) {
      const node = byPattern({ type: "wall-tile-value", key: key });
      if (!node || node.textContent === tiles[key]) return;
      const old = node.textContent;
      node.textContent = tiles[key];
      if (old && old !== "–") {
        // Two identical animations: switching restarts the flash.
        node.className = node.className.indexOf("flash-a") >= 0 ? "tile-value flash-b" : "tile-value flash-a";
      }
    });
  },
  map: function (model, metric) {
    const part = model.metrics[metric];
    wallMap.recolour(part.cells);
    fill(document.getElementById("wall-legend-panel"), part.legend, function (spec) {
      return [
        el("span", "legend-title", [spec.title]),
        el("span", "legend-end", [spec.low]),
        el("span", "legend-ramp", [], { background: spec.gradient }),
        el("span", "legend-end", [spec.high]),
        el("span", "legend-swatch", [], { background: NO_DATA_FILL }),
        el("span", "legend-end", [spec.no_data]),
      ];
    });
  },
  ranking: function (model, metric, lang) {
    const part = model.metrics[metric];
    const ranked = Object.keys(part.cells).sort(function (a, b) {
      return part.cells[a][5] - part.cells[b][5];
    });
    part.titles.forEach(function (title, page) {
      setText(byPattern({ type: "wall-ranking-list", part: "title", index: page }), title);
      const rows = ranked.slice(page * RANKING_PER_PAGE, (page + 1) * RANKING_PER_PAGE).map(function (code) {
        return [code, model.names[code]].concat(part.cells[code]);
      });
      fill(byPattern({ type: "wall-ranking-list", part: "rows", index: page }), rows, function (list) {
        return list.map(function (row) {
          const noData = row[2] == null;
          return appLink(regencyHref(row[0], lang), "rank-row", [
            el("span", "rank-pos", [String(row[7])]),
            el("span", "rank-name", [row[1]]),
            el("span", "rank-bar", [el("span", "rank-fill", [], { width: row[6] + "%", background: row[4] })]),
            el("span", "rank-value" + (noData ? " no-data" : ""), [row[3]]),
          ]);
        });
      });
    });
  },
  kpis: function (pages) {
    pages.forEach(function (rows, page) {
      fill(byPattern({ type: "wall-kpis-list", index: page }), rows, function (list) {
        return list.map(function (row) {
          const state = el("span", "kpi-state state-" + row.state, [row.icon]);
          state.title = row.state_text;
          return el("div", "kpi-row", [el("span", "kpi-name", [row.name]), el("span", "kpi-value", [row.text]), state]);
        });
      });
    });
  },
  bars: function (id, bars) {
    fill(document.getElementById(id), bars, function (list) {
      return list.map(function (bar) {
        const fillBar = el("span", "rank-fill count-fill", [], { width: (100 * bar.fraction).toFixed(1) + "%" });
        return el("div", "count-row", [
          el("span", "rank-name", [bar.name]),
          el("span", "rank-bar", [fillBar]),
          el("span", "rank-value", [bar.text]),
        ]);
      });
    });
  },
  ticker: function (ticker, texts) {
    const panel = document.getElementById("wall-alerts-ticker");
    fill(panel, ticker, function (source) {
      if (!source.rows.length) return [el("span", "alert state-ok", ["✓ " + texts.alerts_clear])];
      const rows = source.rows.map(function (row) {
        const parts = [severityBadge(row), " ", row.text];
        if (row.acknowledged) parts.push(" ", el("span", "alert-ack", [texts.acknowledged]));
        return el("span", "alert severity-" + row.severity + (row.acknowledged ? " acknowledged" : ""), parts);
      });
      return [el("span", "ticker-alerts", rows), el("span", "alert-more")];
    });
    fitTicker(panel, ticker.total, texts);
  },
  silent: function (names, texts) {
    fill(document.getElementById("wall-feed-list"), names, function (list) {
      if (!list.length) return [el("div", "state-ok", ["✓ " + texts.feed_all_ok])];
      return list.map(function (name) {
        return el("div", "silent-name", ["▨ " + name]);
      });
    });
  },
  focus: function (focus, labels) {
    fill(document.getElementById("wall-focus-panel"), focus || null, function (view) {
      if (!view) return [];
      const tiles = labels.map(function (label) {
        return el("div", "tile" + (view.no_data ? " no-data" : ""), [
          el("div", "tile-label", [label[1]]),
          el("div", "tile-value", [view.tiles[label[0]]]),
        ]);
      });
      const alerts = view.alerts.map(function (row) {
        return el("div", "focus-alert", [severityBadge(row), " ", row.text]);
      });
      return [
        el("h2", "focus-name", [view.name]),
        el("div", "focus-feed feed-" + view.feed_state, [view.feed_text]),
        el("div", "focus-tiles", tiles),
        el("div", "focus-alerts", alerts),
      ];
    });
  },
};

// Whole alerts only: from the first that does not fit in the panel on, alerts are hidden and counted with those
// the server left out ("+N peringatan lain"). Called on each ticker change and when the page's size changes.
function fitTicker(panel, total, texts) {
  const box = panel && panel.querySelector(".ticker-alerts");
  if (!box) return;
  const alerts = Array.prototype.slice.call(box.children);
  const more = panel.querySelector(".alert-more");
  alerts.forEach(function (alert) { alert.classList.remove("beyond"); });
  more.textContent = "";
  let shown = alerts.length;
  const fits = function (alert) {
    const outer = box.getBoundingClientRect();
    const inner = alert.getBoundingClientRect();
    return inner.bottom <= outer.bottom + 1 && inner.right <= outer.right + 1;
  };
  for (let pass = 0; pass < 2; pass++) {
    shown = alerts.findIndex(function (alert) { return !fits(alert); });
    if (shown < 0) shown = alerts.length;
    alerts.forEach(function (alert, i) { alert.classList.toggle("beyond", i >= shown); });
    const hidden = total - shown;
    more.textContent = hidden > 0 ? texts.alerts_more.replace("{n}", new Intl.NumberFormat(texts.lang === "en" ? "en" : "id-ID").format(hidden)) : "";
  }
}

// The trend at the page's own legibility minimum (the model's figure is drawn at the default size).
function trendAt(figure, fontPx) {
  const scaled = JSON.parse(JSON.stringify(figure));
  scaled.layout.font.size = fontPx;
  scaled.layout.legend.font.size = fontPx;
  scaled.layout.margin.t = fontPx * 1.6;
  scaled.data.forEach(function (series) {
    series.line.width = Math.max(fontPx / 10, 3);
  });
  return scaled;
}

function fontPx(texts) {
  // A 3x2 wall of 1080p screens (8:3) is two screens high: the minimum is that of one screen.
  const screensHigh = window.innerWidth / window.innerHeight > 7 / 3 ? 2 : 1;
  return Math.round((window.innerHeight * texts.min_font_vh) / 100 / screensHigh);
}

window.addEventListener("resize", function () {
  const model = wall.follower && wall.follower.model;
  if (model) fitTicker(document.getElementById("wall-alerts-ticker"), model.ticker.total, wall.texts);
});
