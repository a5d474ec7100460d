"""A request's page, "/permohonan/<id>?kab=<regency>": its story from the archive (every status change with its
time and OPD, the working days in each stage against its deadline, moves between agencies, rework). Without
`kab`, a number that two regencies share asks which is meant."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

import dash
from dash import html
from sqlalchemy.exc import SQLAlchemyError

from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.kit.breadcrumbs import breadcrumbs
from dashboard.kit.header import page_header
from dashboard.kit.links import regency_href, search_href, wall_href
from dashboard.kit.titles import tab_title
from dashboard.pages.request.view import choices, facts, moves_and_rework, stages_table, standing
from dashboard.services import services
from store.contract import clock
from store.history.story import regencies_with_request, request_story

dash.register_page(__name__, path_template="/permohonan/<request_id>", title=tab_title("tab_request"), name="request")


def layout(request_id: str = "", kab: str = "", lang: str = DEFAULT_LANG, **_query: Any) -> html.Main:
    lang = lang if lang in LANGS else DEFAULT_LANG
    request_id = unquote(request_id or "")
    reference = services().live.reference
    try:
        with services().sessions() as session:
            regencies = [kab] if kab else regencies_with_request(session, reference.province, request_id)
            story = request_story(session, regencies[0], request_id, clock.now()) if len(regencies) == 1 else None
    except SQLAlchemyError as exc:
        return _page(
            [html.P(t("regency_unavailable", lang, error=type(exc).__name__), className="ops-result")],
            request_id,
            None,
            lang,
        )
    if story is None or story["regency"] not in reference.regencies:
        if len(regencies) > 1:
            body = [html.P(t("request_choose", lang, id=request_id)), choices(regencies, request_id, reference, lang)]
        else:
            body = [html.P(t("request_unknown", lang, id=request_id), className="ops-result")]
        return _page(body, request_id, None, lang)
    body = [
        html.Section(
            [facts(story, reference, lang), standing(story, lang)],
            className="ops-section",
        ),
        html.Section(moves_and_rework(story, lang) or [html.P(t("request_straight", lang))], className="ops-section"),
        html.Section(
            [html.H2(t("request_timeline", lang)), stages_table(story["stages"], lang)], className="ops-section"
        ),
    ]
    return _page(body, request_id, story["regency"], lang, story["title"])


def _page(body: list[Any], request_id: str, regency: str | None, lang: str, title: str | None = None) -> html.Main:
    """The page around `body`: headed by the request's title when it has one (its number beneath), else by its
    number."""
    reference = services().live.reference
    home = wall_href(lang)
    trail = [(t("crumb_wall", lang), home)]
    if regency:
        trail.append((reference.regencies[regency].short_name, regency_href(regency, lang)))
    else:
        trail.append((t("search_title", lang), search_href(lang)))
    trail.append((request_id, None))
    return html.Main(
        [
            page_header(
                f"/permohonan/{quote(request_id, safe='')}",
                {"kab": regency} if regency else {},
                reference.province_name,
                lang,
            ),
            html.Header(
                [
                    breadcrumbs(trail, lang),
                    html.H1(title or t("request_title", lang, id=request_id)),
                    *([html.P(t("request_title", lang, id=request_id), className="request-number")] if title else []),
                ]
            ),
            *body,
        ],
        className="ops-page request-page",
        lang=lang,
    )
