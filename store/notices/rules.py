"""The rule table: who is told when a request nears or passes a deadline, or bounces between agencies.

A rule measures either the open stage (`stages`: the statuses it times, against `working_days`) or the whole
request (against its own working-day deadline, `due_at`), and fires when the share `share` of that deadline has
passed; or it counts the request's moves between OPDs (`bounces`). It tells its first `tier` and, while nobody
acknowledges, climbs a tier every `escalate_minutes` (None: it does not climb).

The table is `data/notice_rules.csv` (or the file `NOTICE_RULES` names), one row per rule and province, `*` for
the provinces without rows of their own. Its defaults follow SP4N-LAPOR!'s tiers (forwarding within 3 working
days, the agency's answer within 5) and the usual SLA notices at 50% and 75% of the deadline and on its breach.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from store.contract.events import STATUSES

STAGES = STATUSES[:4]  # the stages a request waits in
TIERS = ("opd", "kominfo", "command_centre")  # the agency, the regency's Kominfo, the province's command centre


@dataclass(frozen=True)
class Rule:
    name: str
    tier: str
    share: float = 1.0
    stages: tuple[str, ...] = ()  # the open stage timed; empty: the whole request against its deadline
    working_days: float | None = None  # the stage's deadline (a stage rule's)
    bounces: int | None = None  # moves between OPDs (a bounce rule's)
    escalate_minutes: int | None = None

    @property
    def kind(self) -> str:
        if self.bounces is not None:
            return "bounces"
        return "stage" if self.stages else "request"


@cache
def rules_of(province: str, path: Path) -> tuple[Rule, ...]:
    """The province's rules from the rule table (`NOTICE_RULES`): its own rows, else the rows of `*`. ValueError,
    naming the row, for a row that does not make a rule. Read once per process (`/ops` asks on every refresh): a
    changed table takes effect at a restart, as the notices worker reads it then too."""
    with path.open(encoding="utf-8", newline="") as rows:
        table = list(csv.DictReader(rows))
    own = [row for row in table if row["province"] == province] or [row for row in table if row["province"] == "*"]
    return tuple(_rule(row, number) for number, row in enumerate(own, start=2))


def _rule(row: dict[str, str], line: int) -> Rule:
    try:
        rule = Rule(
            name=row["rule"],
            tier=row["tier"],
            share=float(row["share"] or 1),
            stages=tuple(row["stages"].split()),
            working_days=float(row["working_days"]) if row["working_days"] else None,
            bounces=int(row["bounces"]) if row["bounces"] else None,
            escalate_minutes=int(row["escalate_minutes"]) if row["escalate_minutes"] else None,
        )
    except (KeyError, ValueError) as exc:
        raise ValueError(f"notice rules, line {line}: {exc}") from None
    if rule.tier not in TIERS:
        raise ValueError(f"notice rules, line {line}: tier must be one of {', '.join(TIERS)}")
    if any(stage not in STAGES for stage in rule.stages) or (rule.stages and not rule.working_days):
        raise ValueError(f"notice rules, line {line}: stages are of {', '.join(STAGES)}, with their working_days")
    if not 0 < rule.share <= 1:
        raise ValueError(f"notice rules, line {line}: share must be above 0 and at most 1")
    return rule


def breach_rules(rules: tuple[Rule, ...]) -> set[str]:
    """The names of the rules that fire when a deadline has passed (not when a share of it has)."""
    return {rule.name for rule in rules if rule.kind != "bounces" and rule.share >= 1}


def next_tier(tier: str) -> str | None:
    """The tier above `tier`, or None at the top."""
    index = TIERS.index(tier)
    return TIERS[index + 1] if index + 1 < len(TIERS) else None
