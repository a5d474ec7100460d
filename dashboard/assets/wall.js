/* Clientside callbacks of the wall: the clock, the LIVE/STALE/DISCONNECTED badge and the tour, with no
   server round trip. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  wall: {
    viewport: function (texts, _n, current) {
      const fontPx = Math.round((window.innerHeight * texts.min_font_vh) / 100);
      if (current && current.font_px === fontPx) {
        return window.dash_clientside.no_update;
      }
      return { font_px: fontPx, height: window.innerHeight, width: window.innerWidth };
    },
    clock: function (_n, connected, asOf, texts) {
      const now = new Date();
      const clock =
        now.toLocaleTimeString("en-GB", { timeZone: "Asia/Jakarta", hour12: false }) + " WIB";
      let word = texts.live;
      let state = "live";
      let icon = "●";
      if (!connected) {
        word = texts.disconnected;
        state = "disconnected";
        icon = "✖";
      } else {
        const age = asOf ? (now - new Date(asOf)) / 1000 : Infinity;
        if (age > texts.stale_after_s) {
          const minutes = isFinite(age) ? Math.max(1, Math.floor(age / 60)) : null;
          word = texts.stale + (minutes ? " " + minutes + " " + texts.minutes : "");
          state = "stale";
          icon = "▲";
        }
      }
      return [clock, icon + " " + word, "badge badge-" + state];
    },
    tour: function (n, classes) {
      const active = (n || 0) % classes.length;
      const steps = classes.map(function (_c, i) {
        return i === active ? "tour-step active" : "tour-step";
      });
      // Two identical animations: switching restarts the progress bar.
      return [steps, (n || 0) % 2 ? "tour-bar run-b" : "tour-bar run-a"];
    },
  },
});
