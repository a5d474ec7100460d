// The address of a path of this app in the province the page belongs to: pages of a deployment of several
// provinces live under /p/<code>/ and the national wall under /nasional/ (dashboard/tenancy.py), a
// single-province install at the root.
(function () {
  const PART = /^\/(p\/[0-9]{2}|nasional)(?=\/|$)/;
  const base = (window.location.pathname.match(PART) || [""])[0];
  window.appPath = function (path) {
    return base + path;
  };
  // Follow a link: within this part of the app without a reload, as Dash's own links are; into another
  // province's part (the national wall's links to a province wall) as a new page, which that part serves.
  window.followAppLink = function (href) {
    const path = new URL(href, window.location.href).pathname;
    if ((path.match(PART) || [""])[0] !== base) {
      window.location.assign(href);
      return;
    }
    window.history.pushState({}, "", href);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  };
})();
