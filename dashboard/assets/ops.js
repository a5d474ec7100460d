/* Clientside callbacks of the operator's pages. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  ops: {
    print: function () {
      window.print();
      return window.dash_clientside.no_update;
    },
  },
});
