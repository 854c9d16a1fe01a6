"""Filing a complaint: validate, route, store, record and queue the acknowledgement, in one
transaction. Every door (public form, API, staff entry) calls `file_complaint`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from complaints import mail
from complaints.domain import duplicates as duplicate_rules
from complaints.domain import receipts
from complaints.domain.routing import Facts, route
from complaints.domain.taxonomy import CHANNEL_CODES, PRIORITY_RANK, S_
from complaints.extensions import db
from complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintComponent,
    NarrativeSignature,
    PossibleDuplicate,
)
from complaints.models.types import utcnow
from complaints.services import audit
from complaints.services.duplicates import find_possible_duplicates
from complaints.services.intake_rules import ValidationFailed, today_anywhere, validate

RECEIPT_ATTEMPTS = 5
# The form's one-time key against double submission (secrets.token_urlsafe); the column holds 64.
SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_\-]{16,64}")

# Intake fields copied straight onto the complaint row.
_COPIED = (
    "primary_category", "narrative", "incident_month", "incident_day", "name", "email", "phone",
    "address", "date_of_birth", "a_number", "city", "state", "country", "facility", "officials",
    "witnesses", "steps_taken", "currently_detained", "detention_location", "interpreter_needed",
    "at_risk_now", "minor_involved", "us_citizen_held", "private_employer", "filing_for_other",
    "filer_name", "filer_organization", "filer_relationship", "consent_attested", "share_identity",
    "privacy_acknowledged",
)


@dataclass(frozen=True)
class Filed:
    """The outcome of a filing. `access_code` is None when the submission was a repeat."""

    complaint: Complaint
    access_code: str | None
    repeated: bool = False


def file_complaint(
    raw: Mapping[str, Any], *, channel: str, default_language: str, actor: str,
    received_at: datetime | None = None, submission_key: str | None = None,
) -> Filed:
    """Validate and store a complaint; raise ValidationFailed (nothing stored) on bad input."""
    if channel not in CHANNEL_CODES:
        raise ValueError(f"unknown channel {channel!r}")
    clean, errors = validate(raw)
    if received_at is not None and received_at.date() > today_anywhere():
        errors["received_at"] = [S_("Enter the date it was received, not in the future, as "
                                    "YYYY-MM-DD.")]
    if errors:
        raise ValidationFailed(errors)
    if submission_key is not None and not SUBMISSION_KEY.fullmatch(submission_key):
        submission_key = None  # not one our form made: file without repeat protection
    if submission_key:
        earlier = _by_submission_key(submission_key)
        if earlier is not None:
            return Filed(earlier, None, repeated=True)
    for attempt in range(RECEIPT_ATTEMPTS):
        try:
            return _store(clean, channel=channel, default_language=default_language, actor=actor,
                          received_at=received_at or utcnow(), submission_key=submission_key)
        except IntegrityError:
            db.session.rollback()
            if submission_key:
                earlier = _by_submission_key(submission_key)
                if earlier is not None:
                    return Filed(earlier, None, repeated=True)
            if attempt == RECEIPT_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _by_submission_key(key: str) -> Complaint | None:
    return db.session.scalar(select(Complaint).where(Complaint.submission_key == key))


def _store(clean: dict[str, Any], *, channel: str, default_language: str, actor: str,
           received_at: datetime, submission_key: str | None) -> Filed:
    facts = Facts(
        primary_category=clean["primary_category"],
        categories=frozenset(clean["categories"]),
        components=frozenset(clean["components"]),
        at_risk_now=clean["at_risk_now"],
        us_citizen_held=clean["us_citizen_held"],
        minor_involved=clean["minor_involved"],
        currently_detained=clean["currently_detained"],
        interpreter_needed=clean["interpreter_needed"],
        private_employer=clean["private_employer"],
    )
    routing = route(facts)
    access_code = receipts.new_access_code()
    complaint = Complaint(
        receipt=receipts.new_receipt(),
        access_code_hash=receipts.hash_access_code(access_code),
        submission_key=submission_key,
        received_at=received_at,
        channel=channel,
        language=clean["language"] or default_language,
        email_key=duplicate_rules.email_key(clean["email"]),
        section=routing.section,
        priority=routing.priority,
        priority_rank=PRIORITY_RANK[routing.priority],
        restricted=routing.restricted,
        flags=list(routing.flags),
        routing_reasons=[r.as_dict() for r in routing.reasons],
        status="received",
        **{name: clean[name] for name in _COPIED},
    )
    complaint.category_rows = [ComplaintCategory(category=clean["primary_category"],
                                                 is_primary=True)]
    complaint.category_rows += [ComplaintCategory(category=c) for c in clean["categories"]]
    complaint.component_rows = [ComplaintComponent(component=c) for c in clean["components"]]

    signature = duplicate_rules.signature(clean["narrative"])
    matches = find_possible_duplicates(
        email_key=complaint.email_key, a_number=complaint.a_number,
        narrative=clean["narrative"], signature=signature, received_at=received_at,
    )
    db.session.add(complaint)
    db.session.flush()  # assigns complaint.id; a receipt collision raises IntegrityError here

    db.session.add_all(NarrativeSignature(complaint_id=complaint.id, band=band, value=value)
                       for band, value in enumerate(signature))
    audit.record("filed", actor, complaint, to_status="received", channel=channel,
                 language=complaint.language)
    audit.record("routed", "system", complaint, section=routing.section,
                 priority=routing.priority, restricted=routing.restricted,
                 flags=list(routing.flags), reasons=complaint.routing_reasons)
    if matches:
        complaint.possible_duplicate = True
        complaint.flags = [*complaint.flags, "possible_duplicate"]
        for other_id, reason in matches:
            db.session.add(PossibleDuplicate(complaint_id=complaint.id, other_id=other_id,
                                             reason=reason))
        audit.record("possible_duplicate", "system", complaint,
                     matches=[{"complaint_id": i, "reason": r} for i, r in matches])
    if complaint.email:
        message = mail.enqueue_acknowledgement(complaint)
        audit.record("mail_queued", "system", complaint, outbox_id=message.id,
                     message_kind=message.kind)
    db.session.commit()
    return Filed(complaint, access_code)
