"""Finding earlier complaints that a new one may repeat (same email or A-number, or a
near-identical narrative within 90 days), in one query."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, Text, cast, literal, null, or_, select, union_all

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
    parts: list[Select[int, str, str, datetime]] = []
    for column, value, reason in ((Complaint.email_key, email_key, "email"),
                                  (Complaint.a_number, a_number, "a_number")):
        if value:
            parts.append(
                select(Complaint.id, literal(reason).label("reason"),
                       cast(null(), Text).label("narrative"), Complaint.received_at)
                .where(column == value)
                .order_by(Complaint.received_at.desc()).limit(MAX_MATCHES_PER_REASON))
    if signature:
        since = received_at - timedelta(days=rules.WINDOW_DAYS)
        band_match = or_(*(
            (NarrativeSignature.band == band) & (NarrativeSignature.value == value)
            for band, value in enumerate(signature)
        ))
        parts.append(
            select(Complaint.id, literal("narrative").label("reason"), Complaint.narrative,
                   Complaint.received_at)
            .where(Complaint.id.in_(select(NarrativeSignature.complaint_id).where(band_match)))
            .where(Complaint.received_at >= since)
            .order_by(Complaint.received_at.desc()).limit(MAX_NARRATIVE_CANDIDATES))
    if not parts:
        return []
    statement = parts[0] if len(parts) == 1 else union_all(
        *(select(*part.subquery().c) for part in parts))
    rows = db.session.execute(statement).all()
    found: list[tuple[int, str]] = []
    for reason in ("email", "a_number", "narrative"):
        newest_first = sorted((r for r in rows if r.reason == reason),
                              key=lambda r: (r.received_at, r.id), reverse=True)
        if reason == "narrative":
            newest_first = [r for r in newest_first
                            if rules.is_near_identical(r.narrative, narrative)]
        found.extend((r.id, reason) for r in newest_first[:MAX_MATCHES_PER_REASON])
    return found
