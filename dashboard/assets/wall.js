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
  fetch(window.appPath("/healthz"), { cache: "no-store", credentials: "same-origin" })
    .then(function (response) {
      return response.json();
    })
    .then(function (report) {
      window.wallRedisOk = Boolean(report.redis && report.redis.ok);
    })
    .catch(function () {}); // the app itself unreachable: the socket's state tells that
}

// The page's state between pushes: the model shown, the metric chosen, the tour's regency in focus.
const wall = {
  follower: null,
  texts: null,
  metric: null,
  focusCode: null,
  connected: false,
  trendPending: null, // the trend to draw when its tour panel is in sight
  emptySteps: null, // tour panels with nothing to show on this screen (ranking pages beyond the last)
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
  if (changed("late_tiles")) draw.late(model.late_tiles);
  const metric = wall.metric || texts.metric;
  if (changed("metrics") || changed("names")) {
    draw.map(model, metric);
    draw.ranking(model, metric, lang, texts);
  }
  if (changed("kpis")) draw.kpis(model.kpis);
  if (changed("trend")) wall.trendPending = model.trend;
  drawPending();
  if (changed("categories")) draw.bars("wall-categories-list", model.categories, texts.category_names);
  if (changed("channels")) draw.bars("wall-channels-list", model.channels, texts.channel_names);
  if (changed("notices")) draw.notices(model.notices, texts);
  if (changed("ticker")) draw.ticker(model.ticker, texts);
  if (changed("silent")) draw.silent(model.silent, texts);
  if (changed("tour")) tour.order = model.tour;
  if (changed("sound")) window.dash_clientside.set_props("wall-sound-store", { data: model.sound });
  if (changed("focus") || changed("ticker") || changed("metrics")) draw.focus(model, focusCode(model));
  clockTick();
  fitWall(); // last: it may measure the page, which all the frame's changes are then in
  startTour();
}

// The tour starts with the first model drawn, so its first stop (rank 1) has its whole interval on screen
// however late the figures come.
function startTour() {
  if (tour.timer) return;
  tourStep(true);
  tour.timer = setInterval(tourStep, wall.texts.tour_ms, false);
}

// Pushes are drawn at the next animation frame, all those that came since the last one at once: the page lays
// out once per frame, and only the parts a push changed.
const frame = { model: null, changed: null, push: null, whole: false, asked: false };
function showInFrame(model, patch, push) {
  frame.model = model;
  frame.push = push;
  frame.whole = frame.whole || patch === null;
  frame.changed = Object.assign(frame.changed || {}, patch);
  if (frame.asked) return;
  frame.asked = true;
  window.requestAnimationFrame(function () {
    const changed = frame.whole ? null : frame.changed;
    frame.asked = false;
    frame.whole = false;
    frame.changed = null;
    show(frame.model, changed, frame.push);
  });
}

// The clock and the LIVE/STALE/DISCONNECTED badge, each second, in the page's own timer: nothing else runs
// on an idle wall. They follow the server's clock (each push carries it): a wall PC whose clock drifted must
// neither show the wrong time nor read fresh figures as stale.
// Formatters made once: `toLocaleTimeString` with options builds one on every call.
const CLOCK_FORMAT = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Jakarta", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
const COUNTED_FORMAT = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Jakarta", hour: "2-digit", minute: "2-digit" });
function clockTick() {
  const texts = wall.texts;
  if (!texts) return;
  const now = new Date(Date.now() + (wall.shownAt ? wall.shownAt.skew : 0));
  const clock = CLOCK_FORMAT.format(now) + " WIB";
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
  if (wall.shownAt) {
    const counted = COUNTED_FORMAT.format(new Date(wall.shownAt.as_of));
    setText(document.getElementById("wall-as-of-text"), texts.as_of.replace("{time}", counted + " WIB"));
  }
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
  }
}, 1000);

// The tour, in the page's own timer like the clock: no Dash callback, so an idle wall wakes only for these two.
// One stop per interval: the province overview (advancing its panels) alternating with a regency in focus; the
// order comes from the server (`tour_order`, pushed as the model's `tour`). Someone's touch rests it. It begins
// at the overview's first panel (the ranking's first page, rank 1 on top), on loading and whenever the metric
// is changed.
const PROVINCE_STOP = window.sccContract.province_stop;
const tour = { order: [PROVINCE_STOP], stop: null, timer: null };

function tourStep(restart) {
  const root = document.getElementById(window.sccContract.ids.WALL_ROOT);
  const bar = document.getElementById(window.sccContract.ids.WALL_TOUR_BAR);
  const steps = document.querySelectorAll(".tour-step");
  if (!root || !bar || !steps.length) return;
  const paused = Date.now() < (window.wallPausedUntil || 0);
  if (paused && !restart) {
    bar.className = "tour-bar paused";
    root.classList.add("paused");
    return;
  }
  const stop = restart ? null : tour.stop;
  const index = stop ? stop.index + 1 : 0;
  const current = tour.order[index % tour.order.length];
  const atProvince = current === PROVINCE_STOP;
  let panel = stop ? stop.panel + (atProvince ? 1 : 0) : 0;
  // Past the ranking pages a larger screen does not need (never on a restart: the first page is rank 1, which the
  // page may not have measured yet).
  for (let k = 0; stop && k < steps.length && wall.emptySteps && wall.emptySteps.has(panel % steps.length); k++) panel += 1;
  const active = panel % steps.length;
  steps.forEach(function (step, i) {
    step.classList.toggle("active", i === active);
  });
  // Two identical animations: switching restarts the progress bar.
  bar.className = paused ? "tour-bar paused" : index % 2 ? "tour-bar run-b" : "tour-bar run-a";
  root.classList.toggle("focus-mode", !atProvince);
  root.classList.toggle("paused", paused);
  tour.stop = { index: index, panel: panel, code: atProvince ? (stop && stop.code) || null : current };
  wallMap.focus(atProvince ? null : current);
  // The focus panel shows the stop's regency, and the panel now in sight is brought up to date.
  wall.focusCode = tour.stop.code;
  const model = wall.follower && wall.follower.model;
  if (model) draw.focus(model, focusCode(model));
  drawPending();
  fitWall();
}

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  wall: {
    // The page is shown: follow its room over the page's own Socket.IO connection (live_socket.js).
    start: function (texts) {
      wall.texts = texts;
      if (!wall.follower) wall.follower = new window.sccPush.Follower(texts.room, showInFrame);
      window.sccLive.follow(texts.lang, wall.follower, function (connected) {
        wall.connected = connected;
        clockTick();
      });
      window.wallPauseMs = texts.pause_ms;
      return texts.room;
    },
    // The metric chooser redraws the map and the ranking from the model the page holds (every metric is in it).
    // The tour starts again from the ranking's first page, at once, even while it rests.
    metric: function (metric, texts) {
      wall.texts = texts;
      wall.metric = metric;
      const model = wall.follower && wall.follower.model;
      if (model) {
        draw.map(model, metric);
        draw.ranking(model, metric, texts.lang, texts);
      }
      if (tour.timer) tourStep(true);
    },
    // The map's shapes and labels, drawn once the page has its size (and again when the size changes).
    drawMap: function (spec) {
      wallMap.draw(spec, document.getElementById("wall-map-area"));
      if (wall.follower && wall.follower.model) draw.map(wall.follower.model, wall.metric || wall.texts.metric);
      return "map-area map-" + spec.kind + " drawn";
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

// Someone at the wall: rest the tour for a minute (`tourStep` reads this).
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
