/* The regency page's live part: today's tiles and the KPI standing, drawn from the room's pushed view-model
   (push.js follows it; the model holds them as Dash components). */
(function () {
  let follower = null;
  let connected = false;

  function show(model) {
    const set = window.dash_clientside.set_props;
    set("kabkota-live-div", { children: model.tiles });
    set("kabkota-kpistanding-table", { children: model.kpi_table });
    set("kabkota-asof-text", { children: model.as_of_text });
  }

  function follow(page) {
    if (!follower) follower = new window.sccPush.Follower(page.room, show);
    return follower;
  }

  setInterval(function () {
    if (follower) follower.watch(connected);
  }, 1000);

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    regency: {
      receive: function (push, page) {
        follow(page).receive(push);
      },
      connected: function (isConnected, page) {
        connected = Boolean(isConnected);
        follow(page);
      },
    },
  });
})();
