/* The live pages' Socket.IO connection, in the page's own script rather than through Dash's store (a push is
   applied without a callback round of Dash). It joins the page's room (the server reads `auth.pathname` and
   `auth.lang`: dashboard/push.py), hands every push of the room's view-model to the page's follower (push.js),
   and tells the page and the screen report (screen_report.js) when it connects or drops. One connection per
   page: a page shown in its place closes the last one. */
(function () {
  let open = null; // {path, lang, socket}

  // Connect the page shown now, unless it already is; `onConnection(connected)` hears each change.
  function follow(lang, follower, onConnection) {
    const path = window.location.pathname;
    if (open && open.path === path && open.lang === lang) return open.socket;
    if (open) open.socket.close();
    const socket = window.io({ auth: { pathname: path, lang: lang } });
    socket.on(window.sccContract.view_event, function (push) {
      follower.receive(push);
    });
    const told = function () {
      onConnection(socket.connected);
      window.sccScreens.connection(socket.connected, socket.id);
    };
    socket.on("connect", told);
    socket.on("disconnect", told);
    open = { path: path, lang: lang, socket: socket };
    return socket;
  }

  window.sccLive = { follow: follow };
})();
