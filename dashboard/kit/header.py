"""The header of every signed-in desk page: the pages the reader's role may open (the current one marked), the
province, the language switch and signing out. Pages a role may not open are not offered (the rule table still
refuses them: hiding a link is never what keeps a page private)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from dash import html

from dashboard.i18n import t
from dashboard.security.principals import current_principal
from dashboard.security.rules import SIGN_OUT_PATH, rule_for_path
from dashboard.tenancy import app_path
from store.access.models import Role

# The desk pages in the order the header offers them: (path, text key).
PAGES = (
    ("/", "nav_wall"),
    ("/sekarang", "nav_now"),
    ("/cari", "nav_search"),
    ("/tunggu", "nav_waits"),
    ("/briefing", "nav_briefing"),
    ("/serah-terima", "nav_handover"),
    ("/ops", "nav_ops"),
)


def _may_open(path: str) -> bool:
    principal, rule = current_principal(), rule_for_path(path)
    return (
        principal is not None and rule is not None and isinstance(rule.access, Role) and principal.role >= rule.access
    )


def page_header(current: str, query: Mapping[str, str], province_name: str, lang: str) -> html.Nav:
    """The header for the page at `current` (its path) shown with `query` (kept by the language switch)."""
    suffix = "?lang=en" if lang == "en" else ""
    items = [
        html.Li(
            html.Strong(t(key, lang), **{"aria-current": "page"})
            if path == current
            else html.A(t(key, lang), href=app_path(path + suffix))
        )
        for path, key in PAGES
        if _may_open(path)
    ]
    other = "en" if lang == "id" else "id"
    switched = {**{k: v for k, v in query.items() if k != "lang"}, **({"lang": "en"} if other == "en" else {})}
    language = html.A(
        t("nav_language", lang), href=app_path(current + (f"?{urlencode(switched)}" if switched else "")), lang=other
    )
    return html.Nav(
        [
            html.Span(province_name, className="site-province"),
            html.Ul(items, className="site-pages"),
            html.Span([language, " ", html.A(t("nav_sign_out", lang), href=app_path(SIGN_OUT_PATH + suffix))]),
        ],
        className="site-header",
        **{"aria-label": t("nav_label", lang)},
    )
