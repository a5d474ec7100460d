"""A request's story as a page: what it is, where it stands against its deadline, its moves between agencies
and any rework, and every stage with its working days (`store.history.story`). Pure: data in, components out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import html

from dashboard.i18n import category_name, t
from dashboard.i18n.formats import date_time_text, fmt_number
from dashboard.kit.links import request_href
from dashboard.kit.tables import table
from store.contract.reference import Reference


def status_text(status: str, lang: str) -> str:
    return t(f"status_{status}", lang)


def facts(story: Mapping[str, Any], reference: Reference, lang: str) -> html.Dl:
    """What the request is and where it stands."""
    rows = [
        ("request_status", status_text(story["status"], lang)),
        ("regency_category", category_name(reference, story["category"], lang)),
        ("regency_opd", story["opd"]),
        ("request_received", date_time_text(story["received_at"])),
        ("regency_due", date_time_text(story["due_at"])),
        ("request_resolved", date_time_text(story["resolved_at"])),
        ("request_taken", t("request_days", lang, days=fmt_number(story["working_days_taken"], lang, 1))),
    ]
    items = [part for key, value in rows for part in (html.Dt(t(key, lang)), html.Dd(value))]
    return html.Dl(items, className="request-facts")


def standing(story: Mapping[str, Any], lang: str) -> html.P:
    """Within the deadline, or late by how many working days (in words, not colour alone)."""
    days = fmt_number(story["working_days_late"], lang, 1)
    if story["status"] == "resolved":
        key = "request_within" if story["within_deadline"] else "request_late_resolved"
    else:
        key = "request_late_open" if story["overdue"] else "request_on_time_open"
    return html.P(
        t(key, lang, days=days), className="request-standing state-red" if "late" in key else "request-standing"
    )


def moves_and_rework(story: Mapping[str, Any], lang: str) -> list[Any]:
    """Its moves between OPDs and its returns after "resolved", when it has any."""
    parts: list[Any] = []
    if story["moves"]:
        parts += [
            html.H2(t("request_moves", lang)),
            html.Ul(
                [
                    html.Li(
                        t("request_moved", lang, **{"from": m["from"], "to": m["to"], "at": date_time_text(m["at"])})
                    )
                    for m in story["moves"]
                ]
            ),
        ]
    if story["reopened"]:
        parts += [
            html.H2(t("request_reopened", lang)),
            html.Ul(
                [
                    html.Li(
                        t(
                            "request_reopened_to",
                            lang,
                            status=status_text(r["status"], lang),
                            at=date_time_text(r["at"]),
                        )
                    )
                    for r in story["reopened"]
                ]
            ),
        ]
    return parts


def stages_table(stages: Sequence[Mapping[str, Any]], lang: str) -> html.Table | html.P:
    """Every stage in order: when it began, its status and OPD, and its working days (running for the last while
    the request is open)."""
    headers = [t(key, lang) for key in ("request_when", "request_stage", "regency_opd", "request_stage_days")]
    cells = [
        [
            date_time_text(s["start"]),
            status_text(s["status"], lang),
            s["opd"],
            "–" if s["working_days"] is None else fmt_number(s["working_days"], lang, 2),
        ]
        for s in stages
    ]
    return table(headers, cells, t("request_no_changes", lang))


def choices(regencies: Sequence[str], request_id: str, reference: Reference, lang: str) -> html.Ul:
    """The regencies holding a request of that number, each a link to its own."""
    return html.Ul(
        [
            html.Li(
                html.A(
                    reference.regencies[code].name if code in reference.regencies else code,
                    href=request_href(code, request_id, lang),
                )
            )
            for code in regencies
        ]
    )
