"""`/notices/ack/<token>`: GET shows the escalation and asks to confirm, POST acknowledges it in the name of the
notice's recipient. A GET never acknowledges: mail scanners and link previews open every link they see."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, request
from flask_wtf.csrf import generate_csrf

from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.i18n.formats import date_time_text
from dashboard.services import services
from store.contract import clock
from store.contract.calendar import iso_wib
from store.contract.tracking import tracking_number
from store.notices.escalate import acknowledge
from store.notices.links import ACK_PATH, acknowledgement_of
from store.notices.models import Escalation
from store.notices.standing import publish_standing
from store.notices.texts import rule_text, tier_text

notices = Blueprint("notices", __name__, template_folder="templates")


@notices.route(f"{ACK_PATH}/<token>", methods=["GET", "POST"])
def acknowledge_page(token: str) -> Response:
    lang = request.args.get("lang", DEFAULT_LANG)
    lang = lang if lang in LANGS else DEFAULT_LANG
    app = services()
    secret = app.settings.secret_key.get_secret_value() if app.settings.secret_key else None
    found = acknowledgement_of(secret, token[:500]) if secret else None
    if found is None:
        return _page(404, lang, message=t("ack_unknown", lang))
    escalation_id, recipient = found
    with app.sessions.begin() as session:
        escalation = session.get(Escalation, escalation_id)
        if escalation is None:
            return _page(404, lang, message=t("ack_unknown", lang))
        done_now = request.method == "POST" and acknowledge(session, escalation_id, recipient, clock.now())
        session.refresh(escalation)
        shown = {
            "number": tracking_number(escalation.regency, escalation.request_id),
            "opd": escalation.opd,
            "rule": rule_text(escalation.rule, lang),
            "tier": tier_text(escalation.tier, lang),
            "raised": date_time_text(iso_wib(escalation.raised_at)),
        }
        acknowledged = escalation.acknowledged_at is not None
        by, at = escalation.acknowledged_by, date_time_text(iso_wib(escalation.acknowledged_at))
        province = escalation.province
    if done_now:  # the wall drops it now, not at the notices worker's next pass
        publish_standing(app.sessions, app.live.redis, app.settings, province, clock.now())
    message = ""
    if acknowledged:
        message = t("ack_done" if done_now else "ack_already", lang, by=by, at=at)
    return _page(200, lang, escalation=shown, acknowledged=acknowledged, message=message, recipient=recipient)


def _page(status: int, lang: str, **context: Any) -> Response:
    values = {"escalation": None, "acknowledged": False, "message": "", "recipient": "", **context}
    html = render_template(
        "notices/page.html", lang=lang, t=lambda key, **v: t(key, lang, **v), csrf=generate_csrf(), **values
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the address
    return response
