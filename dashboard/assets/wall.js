/* Clientside callbacks of the wall: the tick gate, the clock, the LIVE/STALE/DISCONNECTED badge (which also
   asks /healthz whether the app still reaches Redis) and the tour. */
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

// A refresh that never answers (the server raised PreventUpdate, the answer was lost) frees the gate after this.
const REFRESH_TIMEOUT_MS = 10000;
const REFRESH_STORE = "wall-refresh-store"; // dashboard/ids.py WALL_REFRESH_STORE

// An answer of the refresh opens the tick gate, letting through a tick that waited. The pending tick is set from
// outside this answer's chain of callbacks, since Dash drops a callback that a chain would run a second time. Dash
// does not run the settling callback for every answer it applies (two answers at once as a 4K wall opens, for
// one), which would hold every tick back until the gate's timeout: so the clock settles the last answer too, each
// second. An answer is settled once (by its server time), and that is when the page takes the difference
// between the server's clock and its own (see `clock`).
function settleAnswer(asOf) {
  const answer = asOf ? asOf.served_at : null;
  if (answer === window.wallSettledAnswer) {
    return;
  }
  window.wallSettledAnswer = answer;
  if (asOf) {
    window.wallSkewMs = asOf.served_at - Date.now();
  }
  window.wallRefreshSince = 0;
  if (window.wallTickPending) {
    window.wallTickPending = false;
    const now = (window.wallRefreshSince = Date.now());
    setTimeout(function () {
      window.dash_clientside.set_props(REFRESH_STORE, { data: now });
    }, 0);
  }
}

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  wall: {
    // At most one refresh in flight per page: a tick during a refresh only marks one as pending...
    gate: function (_tick) {
      const now = Date.now();
      if (now - (window.wallRefreshSince || 0) < REFRESH_TIMEOUT_MS) {
        window.wallTickPending = true;
        return window.dash_clientside.no_update;
      }
      window.wallRefreshSince = now;
      return now;
    },
    // ...and the refresh's answer (a new `as_of`) lets that one through, so a busy page skips ticks instead
    // of queueing them (`settleAnswer`).
    settle: function (asOf) {
      settleAnswer(asOf);
    },
    viewport: function (texts, _n, current) {
      // A 3x2 wall of 1080p screens (8:3) is two screens high: the minimum is that of one screen.
      const screensHigh = window.innerWidth / window.innerHeight > 7 / 3 ? 2 : 1;
      const fontPx = Math.round((window.innerHeight * texts.min_font_vh) / 100 / screensHigh);
      if (current && current.font_px === fontPx) {
        return window.dash_clientside.no_update;
      }
      return { font_px: fontPx, height: window.innerHeight, width: window.innerWidth };
    },
    // The clock and the figures' age follow the server's clock: a wall PC whose clock drifted must neither show
    // the wrong time nor read fresh figures as stale. Each refresh's answer carries the server's time; the
    // difference is taken when it arrives (`settleAnswer`: this callback and `settle` run at once on it).
    clock: function (_n, connected, asOf, texts) {
      settleAnswer(asOf);
      const now = new Date(Date.now() + (window.wallSkewMs || 0));
      const clock =
        now.toLocaleTimeString("en-GB", { timeZone: "Asia/Jakarta", hour12: false }) + " WIB";
      let word = texts.live;
      let state = "live";
      let icon = "●";
      watchRedis(now);
      if (!connected || window.wallRedisOk === false) {
        word = texts.disconnected;
        state = "disconnected";
        icon = "✖";
      } else {
        const age = asOf ? (now - new Date(asOf.as_of)) / 1000 : Infinity;
        if (age > texts.stale_after_s) {
          const minutes = isFinite(age) ? Math.max(1, Math.floor(age / 60)) : null;
          word = texts.stale + (minutes ? " " + minutes + " " + texts.minutes : "");
          state = "stale";
          icon = "▲";
        }
      }
      // Several answers a second reach this callback: outputs that did not change are not set again.
      const shown = [clock, icon + " " + word, "badge badge-" + state];
      const last = window.wallClockShown || [];
      window.wallClockShown = shown;
      return shown.map(function (value, i) {
        return value === last[i] ? window.dash_clientside.no_update : value;
      });
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
