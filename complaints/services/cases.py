"""Case work on complaints: moves through the workflow, assignment, routing overrides,
restriction and notes. Each change is checked, applied and audited in one transaction, and
refused whole if the complaint changed since the person loaded it (optimistic locking)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from complaints.domain import receipts
from complaints.domain.taxonomy import (
    PRIORITY_CODES,
    PRIORITY_RANK,
    RESTRICTED_CATEGORIES,
    S_,
    SECTION_CODES,
)
from complaints.domain.workflow import Move, allowed_targets, check_move, is_reopen
from complaints.extensions import db
from complaints.models import Complaint, ComplaintNote, StaffUser
from complaints.models.types import utcnow
from complaints.services import access, audit

NOTE_MAX = 5000


class CaseError(Exception):
    """A change was refused; `reason` says why in words staff understand."""

    status_code = 409

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AccessDenied(CaseError):
    status_code = 403


class Refused(CaseError):
    status_code = 409


class Invalid(CaseError):
    status_code = 422


class StaleVersion(CaseError):
    status_code = 409

    def __init__(self) -> None:
        super().__init__(S_("Someone else changed this complaint after you opened it. Nothing "
                            "was saved: review their change, then try again."))


@dataclass(frozen=True)
class MoveRequest:
    to: str
    note: str | None = None
    disposition: str | None = None
    duplicate_of: str | None = None


def find(receipt: str) -> Complaint | None:
    normalized = receipts.normalize_receipt(receipt)
    if normalized is None:
        return None
    return db.session.scalar(select(Complaint).where(Complaint.receipt == normalized))


def _require_details(user: StaffUser, complaint: Complaint) -> None:
    if not access.sees_details(user, complaint):
        raise AccessDenied(S_("You may not change this complaint."))


def _check_version(complaint: Complaint, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != complaint.version:
        raise StaleVersion()


def commit_case_change() -> None:
    """Commit a change to a complaint; a concurrent edit of the same version is refused as
    StaleVersion (used by every service that changes a complaint)."""
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise StaleVersion() from exc


def _clean_text(value: str | None, limit: int = NOTE_MAX) -> str | None:
    if value is None:
        return None
    text = value.replace("\x00", "").strip()
    if len(text) > limit:
        raise Invalid(S_("That text is too long."))
    return text or None


def transition(user: StaffUser, complaint: Complaint, request: MoveRequest,
               expected_version: int | None = None, commit: bool = True) -> Complaint:
    """Move a complaint to another status if the workflow and the person's role allow it.
    `commit=False` leaves the change in the caller's transaction (the caller commits)."""
    _require_details(user, complaint)
    _check_version(complaint, expected_version)
    note = _clean_text(request.note)
    original = find(request.duplicate_of) if request.duplicate_of else None
    if request.duplicate_of and (original is None or original.id == complaint.id):
        raise Invalid(S_("The original complaint was not found."))
    verdict = check_move(access.actor(user), Move(
        complaint.status, complaint.section, request.to, disposition=request.disposition or None,
        duplicate_of=original.receipt if original else None, reason=note))
    if not verdict:
        raise Refused(verdict.reason)
    now = utcnow()
    previous = complaint.status
    complaint.status = request.to
    if previous == "received" and complaint.first_triaged_at is None:
        complaint.first_triaged_at = now
    if request.to == "closed":
        complaint.closed_at = now
        complaint.disposition = request.disposition
        complaint.duplicate_of_id = original.id if original else None
    elif is_reopen(previous, request.to):
        complaint.closed_at = None
        complaint.disposition = None
        complaint.duplicate_of_id = None
    audit.record("transition", user.actor, complaint, from_status=previous,
                 to_status=request.to, note=note, disposition=request.disposition or None,
                 duplicate_of=original.receipt if original else None)
    if commit:
        commit_case_change()
    return complaint


def filer_answered(complaint: Complaint, actor: str) -> bool:
    """The filer answered a request for information: a complaint awaiting it goes back to
    intake review, recorded as the filer's move, in the caller's transaction. False (nothing
    changed) when the complaint was not awaiting information."""
    if complaint.status != "awaiting_information" \
            or "intake_review" not in allowed_targets(complaint.status):
        return False
    complaint.status = "intake_review"
    audit.record("transition", actor, complaint, from_status="awaiting_information",
                 to_status="intake_review", reason="filer_answered")
    return True


def _assignable(ident: Any) -> StaffUser | None:
    if ident is None or ident == "":
        return None
    if isinstance(ident, int) and not isinstance(ident, bool):
        # An id no database integer can hold matches nobody (and must not reach the database).
        return db.session.get(StaffUser, ident) if 0 < ident < 2**31 else None
    if isinstance(ident, str):
        if ident.isascii() and ident.isdigit():
            return _assignable(int(ident)) if len(ident) <= 10 else None
        if "\x00" in ident:  # no email has one, and PostgreSQL refuses it in a query
            return None
        return db.session.scalar(select(StaffUser).where(StaffUser.email == ident.strip().lower()))
    raise Invalid(S_("Choose a staff member."))


def assign(user: StaffUser, complaint: Complaint, *, section: str | None = None,
           assignee: Any = None, set_assignee: bool = False,
           expected_version: int | None = None) -> Complaint:
    """Send a complaint to a section's queue and/or to a person.

    A new section clears the assignee unless someone else is named: the complaint goes back to
    that section's queue.
    """
    _require_details(user, complaint)
    _check_version(complaint, expected_version)
    changes: dict[str, Any] = {}
    moving = section is not None and section != complaint.section
    if moving and set_assignee and assignee not in (None, ""):
        current = _assignable(assignee)
        if current is not None and current.id == complaint.assignee_id:
            set_assignee = False  # the person who had it, with a new section: back to the queue
    if moving:
        if section not in SECTION_CODES:
            raise Invalid(S_("That section does not exist."))
        if not access.may_change_section(user):
            raise AccessDenied(S_("Your role may not change the section."))
        changes["section"] = {"from": complaint.section, "to": section}
        complaint.section = section
        if not set_assignee and complaint.assignee_id is not None:
            changes["assignee"] = {"from": complaint.assignee_id, "to": None}
            complaint.assignee_id = None
    if set_assignee:
        person = _assignable(assignee)
        if assignee not in (None, "") and person is None:
            raise Invalid(S_("That staff member was not found."))
        if person is not None:
            if not person.active or not access.works_cases(person):
                raise Invalid(S_("That person cannot be assigned complaints."))
            if person.role == "investigator" and person.section != complaint.section:
                raise Invalid(S_("That investigator works in another section."))
            if complaint.restricted and not person.restricted_access:
                raise Invalid(S_("That person may not see restricted complaints."))
        new_id = person.id if person else None
        if new_id != complaint.assignee_id:
            changes["assignee"] = {"from": complaint.assignee_id, "to": new_id}
            complaint.assignee_id = new_id
    if not changes:
        return complaint
    audit.record("assigned", user.actor, complaint, **changes)
    commit_case_change()
    return complaint


def override_routing(user: StaffUser, complaint: Complaint, *, section: str | None,
                     priority: str | None, reason: str | None,
                     expected_version: int | None = None) -> Complaint:
    """Correct the automatic routing; the reason is kept with the routing decisions."""
    _require_details(user, complaint)
    if not access.may_override_routing(user):
        raise AccessDenied(S_("Your role may not override the routing."))
    _check_version(complaint, expected_version)
    why = _clean_text(reason, 1000)
    if not why:
        raise Invalid(S_("Say why you are overriding the routing."))
    if section is not None and section not in SECTION_CODES:
        raise Invalid(S_("That section does not exist."))
    if priority is not None and priority not in PRIORITY_CODES:
        raise Invalid(S_("That priority does not exist."))
    changes: dict[str, Any] = {}
    reasons = list(complaint.routing_reasons or [])
    if section and section != complaint.section:
        changes["section"] = {"from": complaint.section, "to": section}
        complaint.section = section
        complaint.assignee_id = None
        reasons.append({"decision": "section", "value": section, "rule": "staff_override",
                        "reason": why, "by": user.actor})
    if priority and priority != complaint.priority:
        changes["priority"] = {"from": complaint.priority, "to": priority}
        complaint.priority = priority
        complaint.priority_rank = PRIORITY_RANK[priority]
        reasons.append({"decision": "priority", "value": priority, "rule": "staff_override",
                        "reason": why, "by": user.actor})
    if not changes:
        raise Invalid(S_("Choose a different section or priority."))
    complaint.routing_reasons = reasons
    audit.record("routing_overridden", user.actor, complaint, note=why, **changes)
    commit_case_change()
    return complaint


def set_restricted(user: StaffUser, complaint: Complaint, restricted: bool,
                   reason: str | None, expected_version: int | None = None) -> Complaint:
    """Restrict a complaint by hand, or lift a hand-made restriction (supervisors with the
    grant only; complaints restricted by law stay restricted)."""
    _require_details(user, complaint)
    _check_version(complaint, expected_version)
    why = _clean_text(reason, 1000)
    if restricted == complaint.restricted:
        return complaint
    if not restricted:
        if not access.may_unrestrict(user):
            raise AccessDenied(S_("Only supervisors with restricted access may lift a "
                                  "restriction."))
        categories = {row.category for row in complaint.category_rows}
        if categories & RESTRICTED_CATEGORIES:
            raise Refused(S_("This complaint is restricted by law because of its categories."))
        if not why:
            raise Invalid(S_("Say why you are lifting the restriction."))
    complaint.restricted = restricted
    reasons = list(complaint.routing_reasons or [])
    reasons.append({"decision": "restricted", "value": "true" if restricted else "false",
                    "rule": "staff_override", "reason": why or "", "by": user.actor})
    complaint.routing_reasons = reasons
    audit.record("restricted" if restricted else "unrestricted", user.actor, complaint,
                 note=why)
    commit_case_change()
    return complaint


def add_note(user: StaffUser, complaint: Complaint, body: str | None) -> ComplaintNote:
    _require_details(user, complaint)
    text = _clean_text(body)
    if not text:
        raise Invalid(S_("Write the note first."))
    note = ComplaintNote(complaint_id=complaint.id, author_id=user.id, body=text)
    db.session.add(note)
    db.session.flush()
    audit.record("note_added", user.actor, complaint, note_id=note.id)
    db.session.commit()
    return note


def record_view(user: StaffUser, complaint: Complaint, door: str = "dashboard") -> None:
    """Audit a look at a restricted complaint, whether or not its details were shown."""
    if complaint.restricted:
        audit.record("viewed_restricted", user.actor, complaint, door=door,
                     details_shown=access.sees_details(user, complaint))
        db.session.commit()
