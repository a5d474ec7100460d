/* The wall in the browser: it draws the room's pushed view-model (push.js follows it), keeps the clock and the
   LIVE/STALE/DISCONNECTED badge (which also asks /healthz whether the app still reaches Redis), and runs the
   tour. No server call per push. */
// The socket stays up when the app loses Redis, so the badge also asks the health check every few
// seconds: without Redis the figures cannot move, and the wall must say so rather than look LIVE.
const REDIS_CHECK_MS = 3000;
function watchRedis(now) {
  if (window.wallRedisCheckAt && now - window.wallRedisCheckAt < REDIS_CHECK_MS) {
    return;
  }
  window.wallRedisCheckAt = now;
  fetch("/healthz", { cache: "no-store", credentials: "same-origin" })
    .then(function (response) {
      return response.json();
    })
    .then(function (report) {
      window.wallRedisOk = Boolean(report.redis && report.redis.ok);
    })
    .catch(function () {}); // the app itself unreachable: the socket's state tells that
}

const NO_DATA_FILL = "repeating-linear-gradient(135deg, #5b6170 0 0.6vh, #474c58 0.6vh 1.2vh)"; // render.py
const KPIS_PER_PAGE = 5; // wall_view.py
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
    const codes = Object.keys(part.cells);
    codes.forEach(function (code) {
      const node = byPattern({ type: "wall-hex-link", code: code });
      if (!node) return;
      const cell = part.cells[code];
      const background = cell[0] == null ? NO_DATA_FILL : cell[2];
      if (node.wallFill !== background + cell[3]) {
        node.wallFill = background + cell[3];
        node.style.background = background;
        node.style.color = cell[3];
      }
    });
    recolourChoropleth(model, part, codes);
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
    fill(document.getElementById("wall-alerts-ticker"), ticker, function (source) {
      if (!source.rows.length) return [el("span", "alert state-ok", ["✓ " + texts.alerts_clear])];
      const rows = source.rows.map(function (row) {
        const parts = [severityBadge(row), " ", row.text];
        if (row.acknowledged) parts.push(" ", el("span", "alert-ack", [texts.acknowledged]));
        return el("span", "alert severity-" + row.severity + (row.acknowledged ? " acknowledged" : ""), parts);
      });
      return source.more ? rows.concat([el("span", "alert alert-more", [source.more])]) : rows;
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

// The choropleth is recoloured in place (Plotly.restyle): its boundaries, drawn once, are never sent again.
function recolourChoropleth(model, part, codes) {
  const graph = document.querySelector(".map-graph .js-plotly-plot");
  if (!graph || !window.Plotly || !graph.data || graph.data.length < 2) {
    wall.mapPending = true; // Plotly not loaded yet: the clock tries again each second
    return;
  }
  wall.mapPending = false;
  const empty = codes.filter(function (c) { return part.cells[c][0] == null; });
  const full = codes.filter(function (c) { return part.cells[c][0] != null; });
  const hover = function (c) { return model.names[c] + ": " + part.cells[c][1]; };
  const update = {
    locations: [empty, full],
    z: [empty.map(function () { return 0; }), full.map(function (c) { return part.cells[c][0]; })],
    text: [empty.map(hover), full.map(hover)],
  };
  const key = JSON.stringify(update);
  if (graph.wallShown === key) return;
  graph.wallShown = key;
  window.Plotly.restyle(graph, update, [0, 1]);
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

// The page's state between pushes: the model shown, the metric chosen, the tour's regency in focus.
const wall = {
  follower: null,
  texts: null,
  metric: null,
  focusCode: null,
  connected: false,
  mapPending: false,
  trendPending: null, // the trend to draw when its tour panel is in sight
  shownAt: null, // {as_of, skew}: the figures' time and the server's clock against this PC's
};

function focusCode(model) {
  if (wall.focusCode && model.focus[wall.focusCode]) return wall.focusCode;
  const worst = model.ticker.rows.length ? model.ticker.rows[0].regency : null;
  return worst && model.focus[worst] ? worst : Object.keys(model.focus).sort()[0];
}

// Draw what a push changed: everything for a whole model, else the parts its patch names.
function show(model, patch, push) {
  const texts = wall.texts;
  const lang = texts.lang;
  const changed = function (key) {
    return patch === null || key in patch;
  };
  wall.shownAt = { as_of: model.as_of, skew: push.served_at - Date.now() };
  if (changed("tiles")) draw.tiles(model.tiles);
  const metric = wall.metric || texts.metric;
  if (changed("metrics") || changed("names")) {
    draw.map(model, metric);
    draw.ranking(model, metric, lang);
  }
  if (changed("kpi_pages")) draw.kpis(model.kpi_pages);
  if (changed("trend")) wall.trendPending = model.trend;
  drawPending();
  if (changed("categories")) draw.bars("wall-categories-list", model.categories);
  if (changed("channels")) draw.bars("wall-channels-list", model.channels);
  if (changed("ticker")) draw.ticker(model.ticker, texts);
  if (changed("silent")) draw.silent(model.silent, texts);
  if (changed("tour")) window.dash_clientside.set_props("wall-tour-store", { data: model.tour });
  if (changed("sound")) window.dash_clientside.set_props("wall-sound-store", { data: model.sound });
  if (changed("focus") || changed("ticker")) draw.focus(model.focus[focusCode(model)], model.focus_labels);
  clockTick();
}

// The clock and the LIVE/STALE/DISCONNECTED badge, each second, in the page's own timer: nothing else runs
// on an idle wall. They follow the server's clock (each push carries it): a wall PC whose clock drifted must
// neither show the wrong time nor read fresh figures as stale.
function clockTick() {
  const texts = wall.texts;
  if (!texts) return;
  const now = new Date(Date.now() + (wall.shownAt ? wall.shownAt.skew : 0));
  const clock = now.toLocaleTimeString("en-GB", { timeZone: "Asia/Jakarta", hour12: false }) + " WIB";
  let word = texts.live;
  let state = "live";
  let icon = "●";
  watchRedis(now);
  if (!wall.connected || window.wallRedisOk === false) {
    word = texts.disconnected;
    state = "disconnected";
    icon = "✖";
  } else {
    const age = wall.shownAt ? (now - new Date(wall.shownAt.as_of)) / 1000 : Infinity;
    if (age > texts.stale_after_s) {
      const minutes = isFinite(age) ? Math.max(1, Math.floor(age / 60)) : null;
      word = texts.stale + (minutes ? " " + minutes + " " + texts.minutes : "");
      state = "stale";
      icon = "▲";
    }
  }
  setText(document.getElementById("wall-clock-text"), clock);
  const badge = document.getElementById("wall-status-badge");
  if (badge) {
    setText(badge, icon + " " + word);
    if (badge.className !== "badge badge-" + state) badge.className = "badge badge-" + state;
  }
}

setInterval(function () {
  clockTick();
  if (wall.follower) {
    wall.follower.watch(wall.connected);
    if (wall.mapPending && wall.follower.model) draw.map(wall.follower.model, wall.metric || wall.texts.metric);
  }
}, 1000);

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  wall: {
    // Each push of the room (event "view"): a whole model or a patch, applied here without a server call.
    receive: function (push, texts) {
      wall.texts = texts;
      if (!wall.follower) wall.follower = new window.sccPush.Follower(texts.room, show);
      wall.follower.receive(push);
    },
    connected: function (connected, texts) {
      wall.texts = texts;
      wall.connected = Boolean(connected);
      if (!wall.follower) wall.follower = new window.sccPush.Follower(texts.room, show);
      clockTick();
    },
    // The metric chooser redraws the map and the ranking from the model the page holds (every metric is in it).
    metric: function (metric, texts) {
      wall.texts = texts;
      wall.metric = metric;
      const model = wall.follower && wall.follower.model;
      if (model) {
        draw.map(model, metric);
        draw.ranking(model, metric, texts.lang);
      }
    },
    // The tour moved: the focus panel shows its regency, and the panel now in sight is brought up to date
    // (once the tour's new classes are on the page).
    focus: function (stop) {
      wall.focusCode = stop && stop.code;
      const model = wall.follower && wall.follower.model;
      if (model) draw.focus(model.focus[focusCode(model)], model.focus_labels);
      setTimeout(drawPending, 0);
    },
    // One stop of the tour per interval: the province overview (advancing its panels) alternating with a
    // regency in focus; the order comes from the server (`tour_order`). Someone's touch pauses it.
    tour: function (_n, classes, order, rootClass, stop, hexIds, texts) {
      const noUpdate = window.dash_clientside.no_update;
      window.wallPauseMs = texts.pause_ms;
      const base = (rootClass || "wall").replace(/\s*\b(focus-mode|paused)\b/g, "");
      if (Date.now() < (window.wallPausedUntil || 0)) {
        return [noUpdate, "tour-bar paused", base + " paused", noUpdate, noUpdate];
      }
      const stops = order && order.length ? order : ["province"];
      const index = ((stop && stop.index) || 0) + 1;
      const current = stops[index % stops.length];
      const atProvince = current === "province";
      const panel = ((stop && stop.panel) || 0) + (atProvince ? 1 : 0);
      const active = panel % classes.length;
      const steps = classes.map(function (_c, i) {
        return i === active ? "tour-step active" : "tour-step";
      });
      const code = atProvince ? (stop && stop.code) || null : current;
      const hexes = hexIds.map(function (id) {
        if (atProvince) return "hex";
        return id.code === current ? "hex focused" : "hex dimmed";
      });
      // Two identical animations: switching restarts the progress bar.
      const bar = index % 2 ? "tour-bar run-b" : "tour-bar run-a";
      return [steps, bar, base + (atProvince ? "" : " focus-mode"), { index: index, panel: panel, code: code }, hexes];
    },
    // A short tone for a new critical, unacknowledged alert (only when ALERT_SOUND is on), made here with
    // WebAudio: no sound file, no network. Alerts present when the page loads are not new.
    sound: function (ids, texts) {
      const noUpdate = window.dash_clientside.no_update;
      const known = window.wallSounded;
      window.wallSounded = new Set(ids || []);
      if (!texts.alert_sound || known === undefined) return noUpdate;
      const fresh = (ids || []).filter(function (id) {
        return !known.has(id);
      });
      if (fresh.length) window.wallTone();
      return fresh.join(" ");
    },
  },
});

window.wallTone = function () {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  const audio = window.wallAudio || (window.wallAudio = new Context());
  audio.resume();
  [0, 0.25].forEach(function (start) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    const at = audio.currentTime + start;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
    osc.connect(gain).connect(audio.destination);
    osc.start(at);
    osc.stop(at + 0.22);
  });
};

// Someone at the wall: rest the tour for a minute (the clientside tour reads this).
["mousemove", "mousedown", "keydown", "touchstart", "wheel"].forEach(function (name) {
  document.addEventListener(
    name,
    function () {
      window.wallPausedUntil = Date.now() + (window.wallPauseMs || 60000);
    },
    { passive: true }
  );
});

// Burn-in protection on kiosk screens: shift the whole page by a few pixels every few minutes.
(function () {
  const offsets = [
    [0, 0],
    [3, 2],
    [-2, 3],
    [-3, -2],
    [2, -3],
  ];
  let step = 0;
  setInterval(function () {
    step = (step + 1) % offsets.length;
    const root = document.documentElement.style;
    root.setProperty("--burn-x", offsets[step][0] + "px");
    root.setProperty("--burn-y", offsets[step][1] + "px");
  }, 180000);
})();
