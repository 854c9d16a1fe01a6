"""Finding earlier complaints that a new one may repeat (same email or A-number, or a
near-identical narrative within 90 days), in one query.

The query has one shape for each combination of what the filing gives (email, A-number,
narrative signature); each shape is built once, with bound parameters, so a filing only binds
its values (building SQL expressions costs more than running them)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    literal,
    null,
    or_,
    select,
    union_all,
)

from complaints.domain import duplicates as rules
from complaints.extensions import db
from complaints.models import Complaint, NarrativeSignature

MAX_MATCHES_PER_REASON = 10
MAX_NARRATIVE_CANDIDATES = 50


def find_possible_duplicates(
    *, email_key: str | None, a_number: str | None, narrative: str, signature: list[int],
    received_at: datetime,
) -> list[tuple[int, str]]:
    """(complaint id, reason) for each earlier complaint this one may repeat: the newest ten
    by email, then by A-number, then by near-identical narrative."""
    statement = _statement(bool(email_key), bool(a_number), len(signature))
    if statement is None:
        return []
    parameters: dict[str, Any] = {"email_key": email_key, "a_number": a_number,
                                  "since": received_at - timedelta(days=rules.WINDOW_DAYS)}
    parameters.update({f"band{band}": value for band, value in enumerate(signature)})
    rows = db.session.execute(statement, parameters).all()
    found: list[tuple[int, str]] = []
    for reason in ("email", "a_number", "narrative"):
        newest_first = sorted((r for r in rows if r.reason == reason),
                              key=lambda r: (r.received_at, r.id), reverse=True)
        if reason == "narrative" and newest_first:
            alike = rules.near_identical_filter(narrative)
            newest_first = [r for r in newest_first if alike(r.narrative)]
        found.extend((r.id, reason) for r in newest_first[:MAX_MATCHES_PER_REASON])
    return found


@cache
def _statement(by_email: bool, by_a_number: bool, bands: int
               ) -> Select[Any] | CompoundSelect[Any] | None:
    parts: list[Any] = []
    for wanted, column, reason in ((by_email, Complaint.email_key, "email"),
                                   (by_a_number, Complaint.a_number, "a_number")):
        if wanted:
            parts.append(
                select(Complaint.id, literal(reason).label("reason"),
                       cast(null(), Text).label("narrative"), Complaint.received_at)
                .where(column == bindparam(reason if reason == "a_number" else "email_key"))
                .order_by(Complaint.received_at.desc()).limit(MAX_MATCHES_PER_REASON))
    if bands:
        band_match = or_(*(and_(NarrativeSignature.band == band,
                                NarrativeSignature.value == bindparam(f"band{band}"))
                           for band in range(bands)))
        parts.append(
            select(Complaint.id, literal("narrative").label("reason"), Complaint.narrative,
                   Complaint.received_at)
            .where(Complaint.id.in_(select(NarrativeSignature.complaint_id).where(band_match)))
            .where(Complaint.received_at >= bindparam("since"))
            .order_by(Complaint.received_at.desc()).limit(MAX_NARRATIVE_CANDIDATES))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return union_all(*(select(*part.subquery().c) for part in parts))
