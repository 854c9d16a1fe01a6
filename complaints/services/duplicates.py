"""Finding earlier complaints that a new one may repeat (same email or A-number, or a
near-identical narrative within 90 days)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select

from complaints.domain import duplicates as rules
from complaints.extensions import db
from complaints.models import Complaint, NarrativeSignature

MAX_MATCHES_PER_REASON = 10


def find_possible_duplicates(
    *, email_key: str | None, a_number: str | None, narrative: str, signature: list[int],
    received_at: datetime,
) -> list[tuple[int, str]]:
    """(complaint id, reason) for each earlier complaint this one may repeat."""
    found: list[tuple[int, str]] = []
    for column, value, reason in ((Complaint.email_key, email_key, "email"),
                                  (Complaint.a_number, a_number, "a_number")):
        if value:
            ids = db.session.scalars(
                select(Complaint.id).where(column == value)
                .order_by(Complaint.received_at.desc()).limit(MAX_MATCHES_PER_REASON)
            ).all()
            found.extend((i, reason) for i in ids)
    if signature:
        since = received_at - timedelta(days=rules.WINDOW_DAYS)
        band_match = or_(*(
            (NarrativeSignature.band == band) & (NarrativeSignature.value == value)
            for band, value in enumerate(signature)
        ))
        candidates = db.session.execute(
            select(Complaint.id, Complaint.narrative)
            .where(Complaint.id.in_(select(NarrativeSignature.complaint_id).where(band_match)))
            .where(Complaint.received_at >= since)
            .order_by(Complaint.received_at.desc()).limit(50)
        ).all()
        near = [cid for cid, text in candidates if rules.is_near_identical(text, narrative)]
        found.extend((cid, "narrative") for cid in near[:MAX_MATCHES_PER_REASON])
    return found
