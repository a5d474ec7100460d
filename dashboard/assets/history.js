/* Dash records every change of a callback input that does not come from a callback's answer (each Interval
   tick, each Socket.IO event) in its undo history, and copies the whole list on each new entry. Only the hidden
   undo/redo buttons and error recovery read it (plotly/dash#727), so on a page left open for days it would
   grow without end: about five entries a second on the wall. Keep the last few. */
(function () {
  const KEEP = 10;
  const EVERY_MS = 2000;
  setInterval(function () {
    (window.dash_stores || []).forEach(function (store) {
      const past = store.getState().history.past;
      if (past.length > KEEP) {
        past.splice(0, past.length - KEEP); // in place, as Dash's own history recording does
      }
    });
  }, EVERY_MS);
})();
