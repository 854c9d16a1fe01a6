"""Filing a complaint: validate, route, store, record and queue the acknowledgement, in one
transaction. Every door (public form, API, staff entry) calls `file_complaint`.

Everything that needs no database (validation, routing, the narrative's signature, the access
code and its hash, rendering the acknowledgement) is done before the transaction starts, so the
transaction is short: look for possible duplicates, then write every row with one INSERT per
table. On SQLite the transaction holds the write lock from its start, so filings queue instead of
failing; on PostgreSQL filings that share an email, an A-number or a narrative band take an
advisory lock first, so two near-identical complaints filed at the same moment still find each
other. A transaction refused because of lock contention is tried again a few times, with a
growing pause; when that is not enough the filing is refused with `IntakeBusy` (nothing stored),
which the doors answer with 503 and Retry-After.
"""

from __future__ import annotations

import hashlib
import random
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from complaints import database, mail
from complaints.domain import duplicates as duplicate_rules
from complaints.domain import receipts
from complaints.domain.routing import Facts, Routing, route
from complaints.domain.search_text import document as search_document
from complaints.domain.taxonomy import CHANNEL_CODES, PRIORITY_RANK, S_
from complaints.extensions import db
from complaints.models import (
    Attachment,
    AuditEvent,
    Complaint,
    ComplaintCategory,
    ComplaintComponent,
    NarrativeSignature,
    OutboxMessage,
    PendingUpload,
    PossibleDuplicate,
    SearchDocument,
)
from complaints.models.types import utcnow
from complaints.services import access_codes, audit
from complaints.services.attachments import ToAttach, UploadsGone, attachment_rows
from complaints.services.duplicates import find_possible_duplicates
from complaints.services.intake_rules import ValidationFailed, today_anywhere, validate
from complaints.stats import rollup

RECEIPT_ATTEMPTS = 5
# Tries of the whole transaction when the database is busy, and the first pause between them.
CONTENTION_ATTEMPTS = 4
FIRST_PAUSE = 0.05
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


class IntakeBusy(Exception):
    """The database stayed too busy to store the filing; nothing was stored."""


@dataclass(frozen=True)
class StoredComplaint:
    """What the doors show of a complaint just stored (load the Complaint to do more)."""

    id: int
    receipt: str
    status: str
    language: str
    received_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Filed:
    """The outcome of a filing. `access_code` is None when the submission was a repeat (then
    `complaint` is the one stored before)."""

    complaint: StoredComplaint | Complaint
    access_code: str | None
    repeated: bool = False
    # The files attached: {"id", "name", "type", "size"} each.
    attachments: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class _Filing:
    """Everything one filing writes, worked out before its transaction."""

    row: dict[str, Any]
    categories: list[tuple[str, bool]]
    components: list[str]
    signature: list[int]
    search_terms: str  # the narrative's searchable words (models/search_document.py)
    routing: Routing
    access_code: str
    actor: str
    acknowledgement: mail.Acknowledgement | None
    rollup_rows: rollup.Rows  # the statistics rollup's counts of this complaint
    attachments: ToAttach = ToAttach()


def file_complaint(
    raw: Mapping[str, Any], *, channel: str, default_language: str, actor: str,
    received_at: datetime | None = None, submission_key: str | None = None,
    attachments: ToAttach | None = None,
) -> Filed:
    """Validate and store a complaint with the files already checked and stored for it
    (services/attachments.py); raise ValidationFailed (nothing stored) on bad input,
    IntakeBusy (nothing stored) when the database stayed busy, or UploadsGone when files held
    for the form expired meanwhile."""
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
    filing = _prepare(clean, channel=channel, language=clean["language"] or default_language,
                      actor=actor, received_at=received_at or utcnow(),
                      submission_key=submission_key)
    if attachments is not None:
        filing = replace(filing, attachments=attachments)
    receipt_attempts = contention_attempts = 0
    while True:
        try:
            return _store(filing)
        except IntegrityError:
            db.session.rollback()
            if submission_key:
                earlier = _by_submission_key(submission_key)
                if earlier is not None:
                    return Filed(earlier, None, repeated=True)
            receipt_attempts += 1
            if receipt_attempts >= RECEIPT_ATTEMPTS:
                raise
            filing = _with_new_receipt(filing)
        except DBAPIError as exc:
            db.session.rollback()
            if not database.is_contention(exc):
                raise
            contention_attempts += 1
            if contention_attempts >= CONTENTION_ATTEMPTS:
                raise IntakeBusy() from exc
            pause = FIRST_PAUSE * 2 ** (contention_attempts - 1)
            time.sleep(pause * (1 + random.random()))  # noqa: S311 (jitter, not a secret)


def _by_submission_key(key: str) -> Complaint | None:
    return db.session.scalar(select(Complaint).where(Complaint.submission_key == key))


def _prepare(clean: dict[str, Any], *, channel: str, language: str, actor: str,
             received_at: datetime, submission_key: str | None) -> _Filing:
    routing = route(Facts(
        primary_category=clean["primary_category"],
        categories=frozenset(clean["categories"]),
        components=frozenset(clean["components"]),
        at_risk_now=clean["at_risk_now"],
        us_citizen_held=clean["us_citizen_held"],
        minor_involved=clean["minor_involved"],
        currently_detained=clean["currently_detained"],
        interpreter_needed=clean["interpreter_needed"],
        private_employer=clean["private_employer"],
    ))
    access_code, code_hash = access_codes.new_code()
    now = utcnow()
    row = {
        "receipt": receipts.new_receipt(),
        "access_code_hash": code_hash,
        "submission_key": submission_key,
        "received_at": received_at,
        "created_at": now,
        "updated_at": now,
        "channel": channel,
        "language": language,
        "email_key": duplicate_rules.email_key(clean["email"]),
        "section": routing.section,
        "priority": routing.priority,
        "priority_rank": PRIORITY_RANK[routing.priority],
        "restricted": routing.restricted,
        "flags": list(routing.flags),
        "routing_reasons": [r.as_dict() for r in routing.reasons],
        "possible_duplicate": False,
        "status": "received",
        "version": 1,
        **{name: clean[name] for name in _COPIED},
    }
    categories = [(clean["primary_category"], True)] + [(c, False) for c in clean["categories"]]
    components = list(clean["components"])
    filing = _Filing(
        row=row, categories=categories, components=components,
        signature=duplicate_rules.signature(clean["narrative"]),
        search_terms=search_document(clean["narrative"], True),
        routing=routing, access_code=access_code, actor=actor, acknowledgement=None,
        rollup_rows=rollup.filing_rows(rollup.filing_facts(
            row, [category for category, _ in categories], components)))
    return _with_acknowledgement(filing)


def _with_acknowledgement(filing: _Filing) -> _Filing:
    row = filing.row
    if not row["email"]:
        return filing
    return replace(filing, acknowledgement=mail.render_acknowledgement(
        receipt=row["receipt"], received_at=row["received_at"], language=row["language"],
        recipient=row["email"]))


def _with_new_receipt(filing: _Filing) -> _Filing:
    """The same filing under another receipt number (the first one was taken)."""
    return _with_acknowledgement(replace(filing, row={**filing.row,
                                                      "receipt": receipts.new_receipt()}))


def _lock_keys(filing: _Filing) -> list[int]:
    """Advisory-lock keys of what a possible duplicate would share with this filing."""
    names = [f"band:{band}:{value}" for band, value in enumerate(filing.signature)]
    if filing.row["email_key"]:
        names.append(f"email:{filing.row['email_key']}")
    if filing.row["a_number"]:
        names.append(f"a_number:{filing.row['a_number']}")
    return sorted(int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(),
                                 signed=True) for name in names)


# Built once: constructing statements costs more than running them.
_INSERT_COMPLAINT = insert(Complaint).returning(Complaint.id)
_INSERT_CATEGORIES = insert(ComplaintCategory)
_INSERT_COMPONENTS = insert(ComplaintComponent)
_INSERT_SIGNATURES = insert(NarrativeSignature)
_INSERT_DUPLICATES = insert(PossibleDuplicate)
_INSERT_OUTBOX = insert(OutboxMessage).returning(OutboxMessage.id)
_INSERT_EVENTS = insert(AuditEvent)
_INSERT_SEARCH_DOCUMENT = insert(SearchDocument)
_INSERT_ATTACHMENTS = insert(Attachment).returning(
    Attachment.id, Attachment.name, Attachment.stored_type, Attachment.size,
    sort_by_parameter_order=True)
_LOCK_KEYS = text("SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:keys AS bigint[])) AS t(k)")


def _store(filing: _Filing) -> Filed:
    with database.writer_turn(db.engine):
        connection = database.begin_write(db.session())
        try:
            return _write(connection, filing)
        except BaseException:
            db.session.rollback()
            raise


def _write(connection: Connection, filing: _Filing) -> Filed:
    submission_key = filing.row["submission_key"]
    if submission_key:
        earlier = _by_submission_key(submission_key)
        if earlier is not None:
            db.session.commit()
            return Filed(earlier, None, repeated=True)
    if connection.dialect.name == "postgresql":
        keys = _lock_keys(filing)
        if keys:  # taken in one order by every filing, so they never deadlock
            connection.execute(_LOCK_KEYS, {"keys": keys})
    row = filing.row
    matches = find_possible_duplicates(
        email_key=row["email_key"], a_number=row["a_number"], narrative=row["narrative"],
        signature=filing.signature, received_at=row["received_at"])
    if matches:
        row = {**row, "possible_duplicate": True, "flags": [*row["flags"], "possible_duplicate"]}
    complaint_id = connection.execute(_INSERT_COMPLAINT, row).scalar_one()
    _write_rows(connection, filing, complaint_id, matches)
    attached = _write_attachments(connection, filing, complaint_id)
    db.session.commit()
    return Filed(StoredComplaint(complaint_id, row["receipt"], row["status"], row["language"],
                                 row["received_at"], row["updated_at"]), filing.access_code,
                 attachments=attached)


def _write_attachments(connection: Connection, filing: _Filing, complaint_id: int
                       ) -> tuple[dict[str, Any], ...]:
    """The complaint's files, and the end of holding them for the form they came with."""
    to_attach = filing.attachments
    if not to_attach.files:
        return ()
    if to_attach.pending_ids:
        taken = connection.execute(delete(PendingUpload).where(
            PendingUpload.id.in_(to_attach.pending_ids)))
        if taken.rowcount != len(to_attach.pending_ids):
            raise UploadsGone()
    rows = connection.execute(_INSERT_ATTACHMENTS, attachment_rows(to_attach, complaint_id))
    attached = tuple({"id": r.id, "name": r.name, "type": r.stored_type, "size": r.size}
                     for r in rows)
    connection.execute(_INSERT_EVENTS, [audit.values(
        "files_attached", to_attach.actor, complaint_id, files=[
            {**item, "sha256": f.sha256, "scan": f.scan_result}
            for item, f in zip(attached, to_attach.files, strict=True)])])
    return attached


def _write_rows(connection: Connection, filing: _Filing, complaint_id: int,
                matches: list[tuple[int, str]]) -> None:
    """Everything but the complaint row, one INSERT per table, and the audit trail."""
    connection.execute(_INSERT_CATEGORIES, [
        {"complaint_id": complaint_id, "category": c, "is_primary": primary}
        for c, primary in filing.categories])
    connection.execute(_INSERT_COMPONENTS, [
        {"complaint_id": complaint_id, "component": c} for c in filing.components])
    # Rows written here bypass the ORM's flush, so the search document is written too.
    connection.execute(_INSERT_SEARCH_DOCUMENT,
                       {"complaint_id": complaint_id, "terms": filing.search_terms})
    if filing.signature:
        connection.execute(_INSERT_SIGNATURES, [
            {"complaint_id": complaint_id, "band": band, "value": value}
            for band, value in enumerate(filing.signature)])
    row, routing = filing.row, filing.routing
    events = [
        audit.values("filed", filing.actor, complaint_id, to_status="received",
                     channel=row["channel"], language=row["language"]),
        audit.values("routed", "system", complaint_id, section=routing.section,
                     priority=routing.priority, restricted=routing.restricted,
                     flags=list(routing.flags), reasons=row["routing_reasons"]),
    ]
    if matches:
        connection.execute(_INSERT_DUPLICATES, [
            {"complaint_id": complaint_id, "other_id": other_id, "reason": reason}
            for other_id, reason in matches])
        events.append(audit.values("possible_duplicate", "system", complaint_id, matches=[
            {"complaint_id": i, "reason": r} for i, r in matches]))
    if filing.acknowledgement is not None:
        outbox_id = connection.execute(
            _INSERT_OUTBOX, filing.acknowledgement.outbox_values(complaint_id)).scalar_one()
        events.append(audit.values("mail_queued", "system", complaint_id, outbox_id=outbox_id,
                                   message_kind=filing.acknowledgement.kind))
    connection.execute(_INSERT_EVENTS, events)
    # Last, so the rollup's shared rows are locked for the shortest time before the commit.
    rollup.write_rows(connection, filing.rollup_rows)
