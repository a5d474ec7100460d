// The address of a path of this app in the province the page belongs to: pages of a deployment of several
// provinces live under /p/<code>/ (dashboard/tenancy.py), a single-province install at the root.
(function () {
  const base = (window.location.pathname.match(/^\/p\/[0-9]{2}(?=\/|$)/) || [""])[0];
  window.appPath = function (path) {
    return base + path;
  };
})();
