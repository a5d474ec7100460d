/* Drawing the wall from its view-model (dashboard/screen_model.py): plain DOM built from data, texts as text
   nodes (never HTML), each container redrawn only when what it shows changed, and a tour panel out of sight
   only when the tour shows it. wall.js holds the page's state and calls these. */
const NO_DATA_FILL = "repeating-linear-gradient(135deg, #5b6170 0 0.6vh, #474c58 0.6vh 1.2vh)";
const RANKING_LEAST = window.sccContract.ranking_least; // rows per ranking page on the smallest panel

// Numbers in a locale at most `digits` decimals, always grouped, as Babel's "#,##0.#" pattern writes them (Intl reads
// the same CLDR data); one formatter per locale and decimals, made once.
const NUMBER_FORMATS = new Map();
function numberFormat(locale, digits) {
  const key = locale + ":" + digits;
  if (!NUMBER_FORMATS.has(key)) {
    NUMBER_FORMATS.set(key, new Intl.NumberFormat(locale, { maximumFractionDigits: digits, useGrouping: "always" }));
  }
  return NUMBER_FORMATS.get(key);
}

// What the wall shows of a metric's cells, derived here from their values by the server's rules
// (`metric_view`, `scale_colour` and `text_colour_on` in dashboard/pages/wall): the number in the room's
// locale at the metric's decimals (`numberFormat`), the colour at its place on the metric's
// scale, a text colour that contrasts with it, the bar's length, and the rank (the highest value first, no data
// last, then by name). Kept per part: a push that leaves a metric alone leaves its part as it was, and its looks
// are not derived again.
const LOOKS = new WeakMap();
// A region's value of a metric: a patch that sets it to null (no data) removes it.
function cellValue(part, code) {
  const value = part.cells[code];
  return value == null ? null : value;
}
function looksOf(part, metric, texts, names) {
  const known = LOOKS.get(part);
  if (known) return known;
  const spec = texts.metrics[metric];
  const number = numberFormat(texts.number_locale, spec.digits);
  const looks = { cells: {}, high: texts.no_data };
  const codes = Object.keys(names);
  codes.forEach(function (code) {
    const value = cellValue(part, code);
    const fraction = value == null ? 0 : value / part.high;
    const colour = value == null ? window.sccContract.no_data_colour : scaleColour(fraction, spec.scale);
    looks.cells[code] = {
      text: value == null ? texts.no_data : number.format(value),
      colour: colour,
      text_colour: textColourOn(colour),
      width: Math.round(1000 * fraction) / 10,
    };
    if (value != null) looks.high = number.format(part.high);
  });
  looks.ranked = codes.sort(function (a, b) {
    const x = cellValue(part, a);
    const y = cellValue(part, b);
    if ((x == null) !== (y == null)) return x == null ? 1 : -1;
    if (x !== y) return y - x;
    return names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0;
  });
  looks.ranked.forEach(function (code, n) {
    looks.cells[code].rank = n + 1;
  });
  LOOKS.set(part, looks);
  return looks;
}

function rgbOf(hex) {
  return [1, 3, 5].map(function (at) {
    return parseInt(hex.slice(at, at + 2), 16);
  });
}

// Python's round(): halves to the even neighbour, so that a colour is the same byte for byte as the server's.
function roundHalfEven(x) {
  const floor = Math.floor(x);
  const rest = x - floor;
  return rest === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(x);
}

function scaleColour(fraction, scale) {
  const position = Math.min(Math.max(fraction, 0), 1) * (scale.length - 1);
  const index = Math.min(Math.floor(position), scale.length - 2);
  const weight = position - index;
  const low = rgbOf(scale[index]);
  const high = rgbOf(scale[index + 1]);
  return "#" + low.map(function (a, i) {
    return roundHalfEven(a + (high[i] - a) * weight).toString(16).padStart(2, "0");
  }).join("");
}

function textColourOn(background) {
  const rgb = rgbOf(background);
  return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 140 ? "#10131a" : "#ffffff";
}

// A focus tile's figure as the server writes a tile (`tile_text` in dashboard/pages/wall): a share with "%", no
// decimals; no figure, an en dash.
const LATE_TILES = new Set(window.sccContract.late_tiles);
function tileText(key, value, texts) {
  if (value == null) return window.sccContract.no_figure;
  const text = numberFormat(texts.number_locale, 0).format(value);
  return key === "within_deadline_pct" ? text + "%" : text;
}

// The largest of today's counts as bars, as the server ranks them (`_counted` in dashboard/pages/wall): the most
// first, then by key; each bar's length against the largest.
function barsOf(counts, names, texts) {
  const top = Object.keys(counts)
    .sort(function (a, b) {
      return counts[b] - counts[a] || (a < b ? -1 : a > b ? 1 : 0);
    })
    .slice(0, window.sccContract.bars_shown);
  const largest = top.length ? counts[top[0]] : 1;
  const number = numberFormat(texts.number_locale, 0);
  return top.map(function (key) {
    return { name: names[key] || key, text: number.format(counts[key]), fraction: counts[key] / largest };
  });
}

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
    window.followAppLink(href);
  });
  return link;
}

// Replace a container's children only when what they show changed: nothing is laid out again otherwise. A
// container on a tour panel out of sight is drawn when the tour shows it (`drawPending`), not on every push.
const pending = new Map(); // container -> [source, build]
const TREND_EVERY_MS = 2000;

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
  container.wallFitted = null; // new children: whatever was fitted before is gone with the old ones
  container.replaceChildren.apply(container, build(source));
}

function drawPending() {
  pending.forEach(function (job, container) {
    if (inSight(container)) fill(container, job[0], job[1]);
  });
  const trend = document.getElementById("wall-trend-graph");
  if (!wall.trendPending || !trend || !inSight(trend)) return;
  // Hourly bars move a little with each push: drawn at most every TREND_EVERY_MS (a chart is laid out whole),
  // the last series waiting for its turn.
  const wait = (trend.wallDrawnAt || 0) + TREND_EVERY_MS - Date.now();
  if (wait > 0) {
    if (!trend.wallTurn) trend.wallTurn = setTimeout(function () {
      trend.wallTurn = null;
      drawPending();
    }, wait);
    return;
  }
  window.dash_clientside.set_props("wall-trend-graph", { figure: trendAt(wall.trendPending, fontPx(wall.texts)) });
  wall.trendPending = null;
  trend.wallDrawnAt = Date.now();
}

function setText(node, text) {
  if (node && node.textContent !== text) node.textContent = text;
}

// A regency's page; on the national wall, where the regions are provinces (two-digit codes), the province's wall.
function regencyHref(code, lang) {
  const query = lang === "en" ? "?lang=en" : "";
  return code.indexOf(".") < 0 ? "/p/" + code + "/" + query : window.appPath("/kabkota/" + code + query);
}

function severityBadge(alertRow) {
  return el("span", "alert-severity", [alertRow.icon + " " + alertRow.severity_text], { color: alertRow.colour });
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
  // Late requests in the late colour, with a mark (never colour alone).
  late: function (keys) {
    document.querySelectorAll(".tiles .tile").forEach(function (tile) {
      const value = tile.querySelector(".tile-value");
      const key = value && JSON.parse(value.id).key;
      tile.classList.toggle("late", keys.indexOf(key) >= 0);
    });
  },
  map: function (model, metric) {
    const part = model.metrics[metric];
    const looks = looksOf(part, metric, wall.texts, model.names);
    wallMap.recolour(looks.cells);
    const spec = wall.texts.metrics[metric];
    const legend = { title: spec.title, scale: spec.scale, high: looks.high, no_data: wall.texts.no_data };
    fill(document.getElementById("wall-legend-panel"), legend, function (shown) {
      return [
        el("span", "legend-title", [shown.title]),
        el("div", "legend-scale", [
          el("span", "legend-ramp", [], { background: "linear-gradient(to top, " + shown.scale.join(", ") + ")" }),
          el("span", "legend-high", [shown.high]),
          el("span", "legend-low", [(0).toLocaleString(wall.texts.number_locale)]),
        ]),
        el("div", "legend-no-data", [el("span", "legend-swatch", [], { background: NO_DATA_FILL }), shown.no_data]),
      ];
    });
  },
  // The ranking in pages of as many rows as a tour panel holds on this screen (`rankingCapacity`); the tour
  // skips the panels a larger screen leaves empty and those with nothing to rank.
  ranking: function (model, metric, lang, texts) {
    const part = model.metrics[metric];
    const derived = looksOf(part, metric, texts, model.names);
    const looks = derived.cells;
    const ranked = derived.ranked;
    const lists = Array.prototype.slice.call(document.querySelectorAll(".rank-list.ranking"));
    const widest = ranked.reduce(function (text, code) {
      return looks[code].text.length > text.length ? looks[code].text : text;
    }, "");
    const titles = function (perPage) {
      lists.forEach(function (_list, page) {
        const first = page * perPage;
        const last = Math.min(first + perPage, ranked.length);
        const title = byPattern({ type: "wall-ranking-list", part: "title", index: page });
        setText(
          title,
          first >= ranked.length
            ? ""
            : texts.ranking_title
                .replace("{first}", looks[ranked[first]].rank)
                .replace("{last}", looks[ranked[last - 1]].rank)
                .replace("{total}", ranked.length)
                .replace("{metric}", texts.metrics[metric].title)
        );
      });
    };
    // The titles first (a longer one leaves less room under it), then the rows the tightest panel holds:
    // measured (which lays the page out) only when the screen, the metric or the widest value changed.
    const measureKey = window.innerWidth + "x" + window.innerHeight + ":" + metric + ":" + widest;
    if (capacity.measured !== measureKey) {
      titles(capacity.rows);
      const tightest = lists.reduce(function (a, b) {
        return b.clientHeight && b.clientHeight < a.clientHeight ? b : a;
      }, lists[0]);
      capacity.rows = rankingCapacity(tightest, model.names, widest);
      if (tightest && tightest.clientHeight) capacity.measured = measureKey;
    }
    const perPage = capacity.rows;
    titles(perPage);
    const pages = Math.ceil(ranked.length / perPage);
    wall.emptySteps = new Set();
    lists.forEach(function (list, page) {
      const rows = ranked.slice(page * perPage, (page + 1) * perPage).map(function (code) {
        return { code: code, name: model.names[code], value: cellValue(part, code), look: looks[code] };
      });
      // Past the last page, or a page of nothing but zeros and "no data" after the first: not worth a stop.
      const worthless = rows.every(function (entry) {
        return !entry.value;
      });
      if (page >= pages || (page > 0 && worthless)) wall.emptySteps.add(page);
      fill(list, rows, function (source) {
        return source.map(function (entry) {
          const look = entry.look;
          const noData = entry.value == null;
          return appLink(regencyHref(entry.code, lang), "rank-row", [
            el("span", "rank-pos", [String(look.rank)]),
            el("span", "rank-name", [entry.name]),
            el("span", "rank-bar", [el("span", "rank-fill", [], { width: look.width + "%", background: look.colour })]),
            el("span", "rank-value" + (noData ? " no-data" : ""), [look.text]),
          ]);
        });
      });
    });
  },
  // The KPIs in pages of as many as a tour panel shows, in the model's order.
  kpis: function (kpis) {
    const rows = Object.keys(kpis).map(function (key) {
      return kpis[key];
    });
    const perPage = window.sccContract.kpis_per_page;
    const pages = [];
    for (let first = 0; first < rows.length; first += perPage) pages.push(rows.slice(first, first + perPage));
    pages.forEach(function (rows, page) {
      fill(byPattern({ type: "wall-kpis-list", index: page }), rows, function (list) {
        return list.map(function (kpi) {
          const state = el("span", "kpi-state state-" + kpi.state, [kpi.icon]);
          state.title = kpi.state_text;
          return el("div", "kpi-row", [el("span", "kpi-name", [kpi.name]), el("span", "kpi-figure", [kpi.text, " ", state])]);
        });
      });
    });
  },
  bars: function (id, counts, names) {
    fill(document.getElementById(id), barsOf(counts, names, wall.texts), function (list) {
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
  // The deadline notices: four counts, then the OPDs with the most escalations awaiting their response (as many
  // whole rows as the panel holds: `fitWall`); a count the notices worker has not renewed says when it was made.
  notices: function (standing, texts) {
    fill(document.getElementById("wall-notices-panel"), standing, function (notices) {
      if (!notices) return [el("div", "state-none", [texts.notices_uncounted])];
      const figures = notices.figures.map(function (noticeFigure) {
        return el("div", "count-row", [
          el("span", "rank-name", [noticeFigure.label]),
          el("span", "rank-value" + (noticeFigure.late ? " late" : ""), [noticeFigure.text]),
        ]);
      });
      const rows = notices.rows.map(function (noticeRow) {
        return el("div", "count-row", [
          el("span", "rank-name", [noticeRow.name]),
          el("span", "rank-value state-" + noticeRow.state, [noticeRow.text]),
        ]);
      });
      const none = el("div", "state-ok", ["✓ " + texts.notices_none]);
      const list = el("div", "rank-list notice-rows", rows.length ? rows.concat([el("div", "notice-more")]) : [none]);
      list.wallRowsTotal = notices.rows_total;
      return [
        el("div", "rank-list notice-figures" + (notices.stale ? " stale" : ""), figures),
        notices.stale ? el("div", "notices-stale", [texts.notices_stale.replace("{time}", notices.as_of_text)]) : null,
        list,
      ].filter(Boolean);
    });
  },
  ticker: function (ticker, texts) {
    const panel = document.getElementById("wall-alerts-ticker");
    fill(panel, ticker, function (source) {
      if (!source.rows.length) return [el("span", "alert state-ok", ["✓ " + texts.alerts_clear])];
      const rows = source.rows.map(function (alertRow) {
        const parts = [severityBadge(alertRow), " ", alertRow.text];
        if (alertRow.acknowledged) parts.push(" ", el("span", "alert-ack", [texts.acknowledged]));
        return el("span", "alert severity-" + alertRow.severity + (alertRow.acknowledged ? " acknowledged" : ""), parts);
      });
      return [el("span", "ticker-alerts", rows.concat([el("span", "alert-more")]))];
    });
  },
  silent: function (names, texts) {
    fill(document.getElementById("wall-feed-list"), names, function (list) {
      if (!list.length) return [el("div", "state-ok", ["✓ " + texts.feed_all_ok])];
      return list.map(function (name) {
        return el("div", "silent-name", ["▨ " + name]);
      });
    });
  },
  // The tour's focus on a region: its name, feed and alerts, and its tiles from the metrics' values.
  focus: function (model, code) {
    const view = model.focus[code] || null;
    const shown = view && {
      view: view,
      tiles: model.focus_labels.map(function (label) {
        const value = cellValue(model.metrics[label[0]], code);
        return { label: label[1], text: tileText(label[0], value, wall.texts), late: LATE_TILES.has(label[0]) && value > 0 };
      }),
    };
    fill(document.getElementById("wall-focus-panel"), shown, function (focus) {
      if (!focus) return [];
      const view = focus.view;
      const tiles = focus.tiles.map(function (tile) {
        return el("div", "tile" + (view.no_data ? " no-data" : "") + (tile.late ? " late" : ""), [
          el("div", "tile-label", [tile.label]),
          el("div", "tile-value", [tile.text]),
        ]);
      });
      const alerts = view.alerts.map(function (alertRow) {
        return el("div", "focus-alert", [severityBadge(alertRow), " ", alertRow.text]);
      });
      return [
        el("h2", "focus-name", [view.name]),
        el("div", "focus-feed feed-" + view.feed_state, [view.feed_text]),
        // Without data, the feed's line says so once: no four tiles repeating it.
        view.no_data ? null : el("div", "focus-tiles", tiles),
        el("div", "focus-alerts", alerts),
      ].filter(Boolean);
    });
  },
};

// How many ranking rows a tour panel holds: the most that fit even when the longest names, taking two lines,
// fall on one page beside the widest value. Measured on probe rows in the first ranking list (a hidden tour
// panel is still laid out), once per screen size and widest value.
const capacity = { key: "", measured: "", rows: RANKING_LEAST };

function rankingCapacity(list, names, widestValue) {
  if (!list || !list.clientHeight) return capacity.rows;
  const key = list.clientWidth + "x" + list.clientHeight + ":" + widestValue;
  if (capacity.key === key) return capacity.rows;
  const probe = el("div", "rank-probe", [], { position: "absolute", visibility: "hidden", left: "0", right: "0" });
  list.appendChild(probe);
  const heights = Object.keys(names).map(function (code) {
    probe.replaceChildren(
      el("span", "rank-row", [
        el("span", "rank-pos", ["88"]),
        el("span", "rank-name", [names[code]]),
        el("span", "rank-bar", []),
        el("span", "rank-value", [widestValue]),
      ])
    );
    return probe.firstChild.getBoundingClientRect().height;
  });
  probe.remove();
  const gap = parseFloat(window.getComputedStyle(list).rowGap) || 0;
  heights.sort(function (a, b) { return b - a; });
  let used = 0;
  let rows = 0;
  while (rows < heights.length && used + heights[rows] + (rows ? gap : 0) <= list.clientHeight) {
    used += heights[rows] + (rows ? gap : 0);
    rows += 1;
  }
  capacity.key = key;
  capacity.rows = Math.max(RANKING_LEAST, rows);
  return capacity.rows;
}

// Hide the items of `box` from the first that does not fit inside it on: whole items only, in their order.
// Returns how many are shown.
function showWhole(box) {
  const items = Array.prototype.slice.call(box.children);
  items.forEach(function (item) { item.classList.remove("beyond"); });
  const outer = box.getBoundingClientRect();
  let shown = items.findIndex(function (item) {
    const inner = item.getBoundingClientRect();
    return inner.bottom > outer.bottom + 1 || inner.right > outer.right + 1;
  });
  if (shown < 0) shown = items.length;
  items.forEach(function (item, i) { item.classList.toggle("beyond", i >= shown); });
  return shown;
}

// The ticker's whole alerts, the most severe first, as many as fit with the count of the others after them
// ("+N peringatan lain", those the server left out included).
function fitTicker(panel, total, texts) {
  const box = panel && panel.querySelector(".ticker-alerts");
  const more = box && box.querySelector(".alert-more");
  if (!more) return;
  const alerts = Array.prototype.slice.call(box.children, 0, -1);
  const number = new Intl.NumberFormat(texts.lang === "en" ? "en" : "id-ID");
  box.classList.remove("count-aside");
  const outer = box.getBoundingClientRect();
  if (!outer.height) return; // not laid out yet (or hidden): the next push fits it
  const inside = function (node) {
    const inner = node.getBoundingClientRect();
    return inner.bottom <= outer.bottom + 1 && inner.right <= outer.right + 1;
  };
  const plural = new Intl.PluralRules(texts.lang === "en" ? "en" : "id-ID");
  let forms = texts.alerts_more; // the counted text's forms by plural category (dashboard.i18n.plural_forms)
  const fits = function (shown) {
    alerts.forEach(function (alert, i) { alert.classList.toggle("beyond", i >= shown); });
    const hidden = total - shown;
    const template = forms[plural.select(hidden)] || forms.other;
    more.textContent = hidden > 0 ? template.replace("{n}", number.format(hidden)) : "";
    return !shown || inside(hidden > 0 ? more : alerts[shown - 1]);
  };
  // From as many as fitted last time (each try lays the panel out): up while they fit, else down until they do.
  let shown = Math.min(panel.wallTickerShown || 1, alerts.length);
  if (fits(shown)) {
    while (shown < alerts.length && fits(shown + 1)) shown += 1;
  } else {
    while (shown > 0 && !fits(shown - 1)) shown -= 1;
    shown = Math.max(shown - 1, 0);
  }
  // The most severe alert always, whole: if it leaves no room for the count's words, the count alone ("+7 lain"),
  // and if not even that follows it, the count beside it.
  if (!shown && alerts.length) {
    forms = texts.alerts_more_short;
    shown = 1;
    if (!fits(shown)) box.classList.add("count-aside");
  }
  fits(shown);
  panel.wallTickerShown = shown;
}

// The OPDs' whole rows, the most awaiting first, as many as fit with the count of the others after them
// ("+N OPD lain", those the server left out included).
function fitNoticeRows(list, texts) {
  const more = list.querySelector(".notice-more");
  if (!more) return; // nothing awaits: one line says so
  const rows = Array.prototype.slice.call(list.children, 0, -1);
  const bottom = list.getBoundingClientRect().bottom + 1;
  const number = new Intl.NumberFormat(texts.number_locale);
  const plural = new Intl.PluralRules(texts.number_locale);
  const fits = function (shown) {
    rows.forEach(function (row, i) { row.classList.toggle("beyond", i >= shown); });
    const hidden = list.wallRowsTotal - shown;
    const template = texts.notices_more[plural.select(hidden)] || texts.notices_more.other;
    more.textContent = hidden > 0 ? template.replace("{n}", number.format(hidden)) : "";
    const last = hidden > 0 ? more : rows[shown - 1];
    return !last || last.getBoundingClientRect().bottom <= bottom;
  };
  let shown = rows.length;
  while (shown > 0 && !fits(shown)) shown -= 1;
  fits(shown);
}

// Fit the ticker's and the focus's alerts to their panels, each only when what it shows or the screen changed
// (fitting lays the page out); `resized`: the screen changed, the ranking's rows per page too.
// The size of each box `fitWall` fits, kept by a ResizeObserver: measuring it on every push would lay the page out
// in the middle of the frame's changes. A box whose size changed is fitted again at the next frame.
const boxSizes = new WeakMap();
const boxWatcher = new ResizeObserver(function (entries) {
  entries.forEach(function (entry) {
    boxSizes.set(entry.target, Math.round(entry.contentRect.width) + "x" + Math.round(entry.contentRect.height));
  });
  window.requestAnimationFrame(function () { fitWall(); });
});
function boxOf(node) {
  if (!boxSizes.has(node)) {
    boxSizes.set(node, null); // not laid out yet: the observer's first report fits it
    boxWatcher.observe(node);
  }
  return boxSizes.get(node);
}

function fitWall(resized) {
  const model = wall.follower && wall.follower.model;
  if (!model) return;
  // The box the alerts have, not the window's: a panel changes size with the tour's focus too.
  const ticker = document.getElementById("wall-alerts-ticker");
  const tickerBox = ticker && boxOf(ticker);
  if (tickerBox && ticker.wallFitted !== ticker.wallShown + tickerBox) {
    fitTicker(ticker, model.ticker.total, wall.texts);
    ticker.wallFitted = ticker.wallShown + tickerBox;
  }
  const focus = document.getElementById("wall-focus-panel");
  const focusAlerts = focus && focus.querySelector(".focus-alerts");
  // Shown (even with no height left for its alerts, which then all wait for a panel with room): it has a width.
  const focusBox = focusAlerts && boxOf(focusAlerts);
  if (focusBox && focusBox.indexOf("0x") !== 0 && focus.wallFitted !== focus.wallShown + focusBox) {
    showWhole(focusAlerts);
    focus.wallFitted = focus.wallShown + focusBox;
  }
  const noticeList = document.querySelector("#wall-notices-panel .notice-rows");
  const noticesBox = noticeList && boxOf(noticeList);
  if (noticesBox && noticesBox.indexOf("0x") !== 0 && noticeList.wallFitted !== noticesBox) {
    fitNoticeRows(noticeList, wall.texts);
    noticeList.wallFitted = noticesBox;
  }
  if (resized) draw.ranking(model, wall.metric || wall.texts.metric, wall.texts.lang, wall.texts);
}

// The trend's series in the page's figure, at the page's own legibility minimum (the figure is sent at a default size).
function trendAt(series, fontPx) {
  const scaled = JSON.parse(JSON.stringify(wall.texts.trend));
  [series.received, series.resolved].forEach(function (values, n) {
    scaled.data[n].x = series.hours;
    scaled.data[n].y = values;
  });
  scaled.layout.font.size = fontPx;
  scaled.layout.legend.font.size = fontPx;
  scaled.layout.margin.t = fontPx * 1.6;
  scaled.data.forEach(function (line) {
    line.line.width = Math.max(fontPx / 10, 3);
  });
  return scaled;
}

function fontPx(texts) {
  // A 3x2 wall of 1080p screens (8:3) is two screens high: the minimum is that of one screen.
  const screensHigh = window.innerWidth / window.innerHeight > 7 / 3 ? 2 : 1;
  return Math.round((window.innerHeight * texts.min_font_vh) / 100 / screensHigh);
}

window.addEventListener("resize", function () {
  fitWall(true);
});
