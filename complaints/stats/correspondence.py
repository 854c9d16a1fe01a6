"""Statistics of the correspondence with filers: messages sent by letter template, requests for
information, and the median days until the filer answered one. No personal data, no text.

Periods are by the date a message was sent, in the office's time zone. Requests for information
are far fewer than complaints, so the answer times of a period are read as one list and their
median taken here, the same way on every database.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import aliased

from complaints.domain.letters import TEMPLATE_CODES
from complaints.extensions import db
from complaints.models import Message

FREE_TEXT = "free_text"
REQUEST = "request_information"


@dataclass(frozen=True)
class CorrespondenceStats:
    """`sent` maps each template code (and "free_text") to the office messages sent with it,
    every template listed; `requests`, `answered` and `median_days_to_answer` are about the
    requests for information sent in the period."""

    sent: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    answered: int = 0
    median_days_to_answer: float | None = None
    replies: int = 0
    date_from: date | None = None
    date_to: date | None = None

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())


def _bounds(date_from: date | None, date_to: date | None) -> list[ColumnElement[bool]]:
    zone = ZoneInfo(str(current_app.config.get("TIMEZONE") or "UTC"))

    def start(day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)

    where: list[ColumnElement[bool]] = []
    if date_from is not None:
        where.append(Message.created_at >= start(date_from))
    if date_to is not None and date_to < date.max:
        where.append(Message.created_at < start(date_to + timedelta(days=1)))
    return where


def correspondence_stats(date_from: date | None = None,
                         date_to: date | None = None) -> CorrespondenceStats:
    where = _bounds(date_from, date_to)
    counts = {code or FREE_TEXT: int(n) for code, n in db.session.execute(
        select(Message.template, func.count()).where(Message.direction == "office", *where)
        .group_by(Message.template))}
    sent = {code: counts.get(code, 0) for code in (*TEMPLATE_CODES, FREE_TEXT)}
    replies = int(db.session.scalar(select(func.count()).select_from(Message).where(
        Message.direction == "filer", *where)) or 0)
    answer = aliased(Message)
    first_answer = (select(func.min(answer.created_at))
                    .where(answer.complaint_id == Message.complaint_id,
                           answer.direction == "filer", answer.created_at > Message.created_at)
                    .scalar_subquery())
    rows = db.session.execute(select(Message.created_at, first_answer.label("answered_at"))
                              .where(Message.template == REQUEST, *where)).all()
    days = [_days(asked, answered) for asked, answered in rows if answered is not None]
    return CorrespondenceStats(
        sent=sent, requests=len(rows), answered=len(days),
        median_days_to_answer=round(statistics.median(days), 1) if days else None,
        replies=replies, date_from=date_from, date_to=date_to)


def _days(start: Any, end: Any) -> float:
    def aware(value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    return (aware(end) - aware(start)).total_seconds() / 86400
