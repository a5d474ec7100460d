"""`GET /lacak`: a citizen's look-up of a request by its tracking number and check code (`store.contract.tracking`).

Plain server-rendered HTML with its style inline and no script: one small answer, readable on a small phone over
2G. A number with the wrong code answers as a number we do not know, so the page tells strangers nothing; each
address may look up `TRACKING_READS_PER_MINUTE` numbers a minute.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import redis
from flask import Blueprint, Response, render_template, request
from sqlalchemy.exc import SQLAlchemyError

from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.services import services
from dashboard.tracking.view import tracked
from store.access.throttle import RateLimit
from store.contract import clock
from store.contract.tracking import TRACKING_PATH, code_matches, split_tracking_number
from store.history.models import ServiceRequest

MAX_TYPED = 160  # characters of a typed number or code read at most

tracking = Blueprint("tracking", __name__, template_folder="templates")


@tracking.get(TRACKING_PATH)
def track() -> Response:
    lang = request.args.get("lang", DEFAULT_LANG)
    lang = lang if lang in LANGS else DEFAULT_LANG
    number = request.args.get("nomor", "").strip()[:MAX_TYPED]
    code = request.args.get("kode", "").strip()[:MAX_TYPED]
    app = services()
    key = app.settings.tracking_key
    if key is None:  # not set up here: no number can be looked up, now or later
        return _page(404, lang, message=t("track_unavailable", lang))
    if not number and not code:
        return _page(200, lang)
    try:
        wait = RateLimit(app.live.redis, app.keys, "tracking", app.settings.tracking_reads_per_minute, 60).hit(
            request.remote_addr or "unknown"
        )
    except redis.RedisError:
        return _page(503, lang, number=number, code=code, message=t("track_busy", lang))
    if wait:
        answer = _page(429, lang, number=number, code=code, message=t("track_too_many", lang))
        answer.headers["Retry-After"] = str(max(1, round(wait)))
        return answer
    parts = split_tracking_number(number)
    references = {code: live.reference for code, live in app.lives.items()}
    province = parts[0].partition(".")[0] if parts else None
    if parts is None or province not in references or not code_matches(key.get_secret_value(), *parts, code):
        return _page(404, lang, number=number, message=t("track_not_found", lang))
    try:
        with app.sessions() as session:
            row = session.get(ServiceRequest, parts)
            shown = row and tracked(row, number, references[province], app.settings.open311_titles, lang, clock.now())
    except SQLAlchemyError:
        return _page(503, lang, number=number, code=code, message=t("track_busy", lang))
    if shown is None:  # a number we handed out whose first event the archive has not written yet
        return _page(200, lang, number=number, code=code, message=t("track_not_yet", lang))
    return _page(200, lang, number=number, code=code, request=shown)


def _page(status: int, lang: str, **context: Any) -> Response:
    other = "en" if lang == "id" else "id"
    values = {"number": "", "code": "", "message": "", "request": None, **context}
    kept = {name: values[name] for name in ("number", "code") if values[name]}
    query = {"lang": other, **{"nomor" if name == "number" else "kode": value for name, value in kept.items()}}
    html = render_template(
        "tracking/page.html",
        lang=lang,
        t=lambda key, **v: t(key, lang, **v),
        path=TRACKING_PATH,
        other=other,
        other_href=f"{TRACKING_PATH}?{urlencode(query)}",
        other_name=t("nav_language", lang),
        **values,
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the code is in the address
    return response
