/* The regency page's live part: today's tiles and the KPI standing, drawn from the room's pushed view-model
   (screen_contract.RegencyModel; push.js follows it, live_socket.js brings it). */
(function () {
  const ID = window.sccContract.ids;
  let follower = null;
  let connected = false;

  function el(tag, className, children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  // A late figure in the late colour with a mark, never colour alone (as kit.tables.late_text on the desk pages).
  function tile(figure) {
    const value = el("div", "handover-value", [figure.late ? el("strong", "late", ["▲ ", figure.text]) : figure.text]);
    value.dataset.key = figure.key;
    return el("div", "handover-total", [value, el("div", "", [figure.label])]);
  }

  function kpiRow(kpi) {
    const state = el("span", "regency-kpi-state regency-kpi-" + (kpi.state || "none"), [kpi.state_text]);
    return el(
      "tr",
      "",
      [kpi.name, kpi.value, state, kpi.thresholds, kpi.median, kpi.rank].map(function (cell) {
        return el("td", "", [cell]);
      })
    );
  }

  function show(model) {
    const tiles = document.getElementById(ID.REGENCY_LIVE);
    tiles.replaceChildren.apply(tiles, model.tiles.map(tile));
    const kpis = document.getElementById(ID.REGENCY_KPI_TABLE);
    kpis.replaceChildren.apply(kpis, model.kpis.map(kpiRow));
    document.getElementById(ID.REGENCY_LIVE_ASOF).textContent = model.as_of_text;
  }

  setInterval(function () {
    if (follower) follower.watch(connected);
  }, 1000);

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    regency: {
      // The page is shown: follow its room.
      start: function (page) {
        if (!follower || follower.room !== page.room) follower = new window.sccPush.Follower(page.room, show);
        window.sccLive.follow(page.lang, follower, function (isConnected) {
          connected = isConnected;
        });
        return page.room;
      },
    },
  });
})();
