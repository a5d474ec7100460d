/* What a live page tells the operators about its screen (POST /api/v1/screens, listed on /ops): its page and
   language, the screen's and the window's size, the last push it applied (push.js), how long ago the page loaded
   and, where the browser tells (Chromium), the memory its scripts use. The screen's id stays in the browser, so
   a page that reloads is the same screen and its reloads are counted. A report that cannot go out is dropped:
   the app reads the silence. */
(function () {
  const KEY = "scc-screen-id";
  const connection = { connected: false, socket: null };
  const load = randomId();

  function randomId() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes); // also where crypto.randomUUID is not (a wall PC on plain http)
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function screenId() {
    try {
      let id = window.localStorage.getItem(KEY);
      if (!id) {
        id = randomId();
        window.localStorage.setItem(KEY, id);
      }
      return id;
    } catch (e) {
      return load; // storage refused: this page load is its own screen
    }
  }

  function report(followed) {
    const memory = window.performance.memory;
    const ratio = window.devicePixelRatio || 1;
    return {
      screen: screenId(),
      load: load,
      socket: connection.connected ? connection.socket : null,
      page: followed.path,
      lang: followed.room.split(":").pop(),
      resolution: Math.round(screen.width * ratio) + "×" + Math.round(screen.height * ratio),
      viewport: window.innerWidth + "×" + window.innerHeight,
      age_seconds: window.performance.now() / 1000,
      epoch: followed.epoch,
      seq: followed.seq,
      served_at: followed.servedAt ? followed.servedAt / 1000 : null,
      memory_bytes: memory ? memory.usedJSHeapSize : null,
    };
  }

  // Only while a live page is shown: its follower was made for the path the browser is on.
  function send() {
    const followed = window.sccPush && window.sccPush.followed;
    if (!followed || followed.path !== window.location.pathname) return;
    fetch(window.appPath("/api/v1/screens"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(report(followed)),
    }).catch(function () {});
  }

  setInterval(send, window.sccContract.report_ms);

  window.sccScreens = {
    // The page's Socket.IO connection came or went (live_socket.js): report at once.
    connection: function (connected, socketId) {
      connection.connected = Boolean(connected);
      connection.socket = socketId || null;
      send();
    },
    // The page follows another flow of pushes (its first from the live worker, or a restarted worker's): report
    // at once, so that the model it was served on connecting is not read as a screen that stopped applying pushes.
    // Not before its connection is up (a first model fetched over HTTP): that report would read as disconnected,
    // and the connection reports at once when it comes.
    flow: function () {
      if (connection.connected) send();
    },
  };
})();
