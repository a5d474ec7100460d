"""The notices' tables: each rule a request has set off (an escalation, acknowledged or still climbing) and the
outbox of its deliveries, one row per recipient and tier, written in the same transaction as what caused it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from store.history.db import Base, UtcDateTime

PENDING, SENT, FAILED = "pending", "sent", "failed"


class Escalation(Base):
    """A rule a request set off: the tier it has reached, when it climbs next, and who acknowledged it."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # `<regency>:<request_id>:<rule>`: once per request
    province: Mapped[str] = mapped_column(String(2))
    regency: Mapped[str] = mapped_column(String(16))
    request_id: Mapped[str] = mapped_column(String(128))
    opd: Mapped[str] = mapped_column(String(100))
    rule: Mapped[str] = mapped_column(String(64))
    tier: Mapped[str] = mapped_column(String(16))
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime)
    climbs_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # None: it does not climb (any more)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index(
            "ix_escalations_climbing",
            "climbs_at",
            sqlite_where=text("climbs_at IS NOT NULL"),
            postgresql_where=text("climbs_at IS NOT NULL"),
        ),
        Index("ix_escalations_province_raised", "province", "raised_at"),
    )


class Notice(Base):
    """One delivery of an escalation's notice to one recipient (the outbox): sent at least once until the
    recipient's server accepts it; its `idempotency_key` travels with every attempt, so a receiver that sees it
    twice knows it is the same notice."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"))
    province: Mapped[str] = mapped_column(String(2))
    tier: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))  # "email" or "webhook"
    recipient: Mapped[str] = mapped_column(String(300))  # an address or a URL
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index(
            "ix_notices_due",
            "next_attempt_at",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_notices_province_created", "province", "created_at"),
    )
