"""The staff endpoints of /api/v1 (CONTRACT.md): the queue, a complaint's whole record, moves
through the workflow and assignment, for holders of a staff API token.

This module only reads requests and writes answers. Who may see and do what is asked of
services/access.py, changes go through services/cases.py and listing through services/queue.py:
the same core as the dashboard, so the API cannot allow what the dashboard refuses.

Choices where the contract is silent (the OpenAPI document says them too):
- every answer, refusals included, is JSON and `Cache-Control: no-store`;
- analysts and admins get 403 on every endpoint here, whatever the complaint;
- the list shows every status unless `status` is given (`open` and `all` also work); besides the
  contract's filters it takes `component`, `language`, `channel`, `restricted` (yes/no) and
  `assigned` (me/none); unknown parameters, repeated ones, empty ones and values that are not
  allowed give 422 instead of being dropped as the dashboard does; `q` is
  free text (its first 200 characters count); items also carry `received_at`, the date the
  newest-first order uses;
- a complaint outside the person's scope (an investigator's other sections) is 403, as on the
  dashboard; an unknown receipt is 404;
- a restricted complaint without the grant is 403 with its receipt and status only; every request
  that reaches a restricted complaint is audited (`viewed_restricted`, door "api"), whether or not
  its details were shown; list entries of restricted complaints hide their category, and
  filtering by `q`, `category` or `component` leaves them out, unless the person holds the grant;
- refusals by the services keep their status (403, 409, 422); a 422 from a service comes as
  `{"error", "message", "errors": {"body": [message]}}`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, jsonify, request
from flask_babel import gettext
from sqlalchemy import select

from complaints.api import bp
from complaints.api.auth import allowed, api_user, forbidden, json_error, token_required
from complaints.api.openapi import LIST_FILTER_CHOICES
from complaints.api.views import _errors_response, _read_json_object
from complaints.domain.taxonomy import DISPOSITION_CODES, S_, STATUS_CODES
from complaints.extensions import db
from complaints.models import AuditEvent, Complaint, ComplaintNote, StaffUser
from complaints.services import access, attachments, cases, queue
from complaints.services.intake_rules import FIELDS, Errors, storable

LIST_PARAMS = (*LIST_FILTER_CHOICES, "q", "limit", "after")
CURSOR_MAX = 200

NOT_FOUND = S_("No complaint has that receipt number.")
OUT_OF_SCOPE = S_("This complaint is outside your section.")
RESTRICTED = S_("This complaint is restricted: you need restricted access to see or change it. "
                "Your request was recorded.")
UNKNOWN_PARAMETER = S_("Unknown parameter.")
REPEATED_PARAMETER = S_("Give this parameter once.")
EMPTY_PARAMETER = S_("Give a value, or leave this parameter out.")
NOT_ALLOWED = S_("Use one of: %(choices)s.")
BAD_LIMIT = S_("Give a whole number from 1 to %(max)s.")
BAD_CURSOR = S_("This is not a cursor from a previous answer's \"next\".")
UNKNOWN_FIELD = S_("Unknown field.")
REQUIRED = S_("Required.")
BAD_TEXT = S_("Must be text without invalid characters.")
MUST_BE_STRING = S_("Must be a string.")
MUST_BE_STRING_OR_NULL = S_("Must be a string or null.")
MUST_BE_INTEGER_OR_NULL = S_("Must be a whole number or null.")
MUST_BE_ASSIGNEE = S_("Must be a staff member's email, a staff id, or null.")
NOTHING_TO_CHANGE = S_("Give a section, an assignee, or both.")

# The JSON types each body member may have.
STRING, OPTIONAL_STRING, OPTIONAL_INTEGER, ASSIGNEE = "s", "s?", "i?", "a"
TYPE_MESSAGES = {STRING: MUST_BE_STRING, OPTIONAL_STRING: MUST_BE_STRING_OR_NULL,
                 OPTIONAL_INTEGER: MUST_BE_INTEGER_OR_NULL, ASSIGNEE: MUST_BE_ASSIGNEE}
TRANSITION_BODY = {"to": STRING, "note": OPTIONAL_STRING, "disposition": OPTIONAL_STRING,
                   "duplicate_of": OPTIONAL_STRING, "version": OPTIONAL_INTEGER}
ASSIGNMENT_BODY = {"section": STRING, "assignee": ASSIGNEE, "version": OPTIONAL_INTEGER}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _errors(errors: Errors) -> Response:
    response = _errors_response(errors)
    response.headers["Cache-Control"] = "no-store, max-age=0"
    return response


# -- the queue -----------------------------------------------------------------------------

def _summary(user: StaffUser, complaint: Complaint) -> dict[str, Any]:
    details = access.sees_details(user, complaint)
    return {
        "receipt": complaint.receipt,
        "status": complaint.status,
        "section": complaint.section,
        "priority": complaint.priority,
        "primary_category": complaint.primary_category if details else None,
        "language": complaint.language,
        "restricted": complaint.restricted,
        "created_at": complaint.created_at.isoformat(),
        "received_at": complaint.received_at.isoformat(),
    }


def _list_arguments() -> tuple[queue.QueueFilters, str, int, Errors]:
    """The queue filters, cursor and page size of the query string, and what was wrong in it.

    Filter values are checked by the queue's own reading of them (QueueFilters.from_args):
    a value it would drop is an error here.
    """
    args = request.args
    errors: Errors = {}
    for name in args:
        if name not in LIST_PARAMS:
            errors[name[:100]] = [gettext(UNKNOWN_PARAMETER)]
        elif len(args.getlist(name)) > 1:
            errors[name] = [gettext(REPEATED_PARAMETER)]
        elif not args[name]:
            errors[name] = [gettext(EMPTY_PARAMETER)]
    values = {name: args.get(name, "") for name in LIST_PARAMS}
    given = {name: values[name] for name in LIST_FILTER_CHOICES if values[name]}
    filters = queue.QueueFilters.from_args(
        {"status": "all", **given, "q": values["q"], "order": "newest"})
    for name, value in given.items():
        if getattr(filters, name) != value and name not in errors:
            errors[name] = [gettext(NOT_ALLOWED, choices=", ".join(LIST_FILTER_CHOICES[name]))]
    limit = queue.PAGE_SIZE
    if values["limit"]:
        raw = values["limit"]
        if raw.isascii() and raw.isdigit() and len(raw) <= 6 \
                and 1 <= int(raw) <= queue.MAX_PAGE_SIZE:
            limit = int(raw)
        else:
            errors.setdefault("limit", [gettext(BAD_LIMIT, max=queue.MAX_PAGE_SIZE)])
    after = values["after"]
    # The queue skips a cursor it cannot read; the API says so instead.
    if after and (len(after) > CURSOR_MAX or not queue.is_valid_cursor(after, filters.order)):
        errors.setdefault("after", [gettext(BAD_CURSOR)])
    return filters, after, limit, errors


@bp.get("/api/v1/complaints")
@token_required
@allowed(access.works_cases)
def staff_list_complaints() -> Response:
    user = api_user()
    filters, after, limit, errors = _list_arguments()
    if errors:
        return _errors(errors)
    result = queue.page(user, filters, after=after, limit=limit)
    return jsonify({"items": [_summary(user, c) for c in result.items],
                    "next": result.next_cursor})


# -- one complaint -------------------------------------------------------------------------

def _intake_value(complaint: Complaint, name: str) -> Any:
    if name == "categories":  # the intake's "categories" are the other (secondary) ones
        return complaint.secondary_categories
    value = getattr(complaint, name)
    return value.isoformat() if isinstance(value, date) else value


def _record(complaint: Complaint) -> dict[str, Any]:
    """The whole record: every intake field under its contract name, workflow, routing with the
    reason for each decision, notes and the audit trail."""
    assignee = db.session.get(StaffUser, complaint.assignee_id) if complaint.assignee_id \
        else None
    original = db.session.get(Complaint, complaint.duplicate_of_id) \
        if complaint.duplicate_of_id else None
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.complaint_id == complaint.id)
                                .order_by(AuditEvent.at, AuditEvent.id))
    notes = db.session.execute(
        select(ComplaintNote, StaffUser.email)
        .join(StaffUser, StaffUser.id == ComplaintNote.author_id)
        .where(ComplaintNote.complaint_id == complaint.id)
        .order_by(ComplaintNote.created_at, ComplaintNote.id))
    record = {spec.name: _intake_value(complaint, spec.name) for spec in FIELDS}
    record.update({
        "receipt": complaint.receipt,
        "channel": complaint.channel,
        "language": complaint.language,
        "status": complaint.status,
        "disposition": complaint.disposition,
        "duplicate_of": original.receipt if original else None,
        "section": complaint.section,
        "priority": complaint.priority,
        "restricted": complaint.restricted,
        "possible_duplicate": complaint.possible_duplicate,
        "flags": list(complaint.flags or []),
        "assignee": assignee.email if assignee else None,
        "received_at": _iso(complaint.received_at),
        "created_at": _iso(complaint.created_at),
        "updated_at": _iso(complaint.updated_at),
        "first_triaged_at": _iso(complaint.first_triaged_at),
        "closed_at": _iso(complaint.closed_at),
        "version": complaint.version,
        "routing": {
            "section": complaint.section,
            "priority": complaint.priority,
            "restricted": complaint.restricted,
            "flags": list(complaint.flags or []),
            "reasons": list(complaint.routing_reasons or []),
        },
        "notes": [{"created_at": _iso(note.created_at), "author": email, "body": note.body}
                  for note, email in notes],
        "attachments": [{"id": f.id, "name": f.name, "type": f.stored_type, "size": f.size,
                         "detected_type": f.detected_type, "sha256": f.sha256,
                         "scan": f.scan_result, "created_at": _iso(f.created_at)}
                        for f in attachments.of_complaint(complaint.id)],
        "events": [event.as_dict() for event in events],
    })
    return record


def _load(receipt: str) -> Complaint | Response:
    """The complaint if this person may see its details, else the refusal to answer. Every
    request reaching a restricted complaint is audited, whether or not it is refused."""
    user = api_user()
    complaint = cases.find(receipt)
    if complaint is None:
        return json_error(404, NOT_FOUND)
    cases.record_view(user, complaint, door="api")
    if not access.sees_complaint(user, complaint):
        return forbidden(OUT_OF_SCOPE)
    if not access.sees_details(user, complaint):
        return forbidden(RESTRICTED, receipt=complaint.receipt, status=complaint.status,
                         restricted=True)
    return complaint


@bp.get("/api/v1/complaints/<receipt>")
@token_required
@allowed(access.works_cases)
def staff_complaint(receipt: str) -> Response:
    complaint = _load(receipt)
    if isinstance(complaint, Response):
        return complaint
    return jsonify(_record(complaint))


# -- changes -------------------------------------------------------------------------------

def _type_error(value: Any, kind: str) -> str | None:
    if value is None and kind != STRING:
        return None
    if isinstance(value, str):
        return None if kind != OPTIONAL_INTEGER else TYPE_MESSAGES[kind]
    is_integer = isinstance(value, int) and not isinstance(value, bool)
    if is_integer and kind in (OPTIONAL_INTEGER, ASSIGNEE):
        return None
    return TYPE_MESSAGES[kind]


def _read_body(shape: dict[str, str]) -> tuple[dict[str, Any] | None, Errors]:
    """A JSON object with only the members of `shape`, each of its type."""
    body, errors = _read_json_object()
    if body is None:
        return None, errors
    for name, value in body.items():
        if name not in shape:
            errors[name[:100]] = [gettext(UNKNOWN_FIELD)]
        elif (message := _type_error(value, shape[name])) is not None:
            errors[name] = [gettext(message)]
        elif isinstance(value, str) and not storable(value):
            errors[name] = [gettext(BAD_TEXT)]
    return (None if errors else body), errors


def _refused(exc: cases.CaseError) -> Response:
    db.session.rollback()
    if exc.status_code == 422:
        return json_error(422, exc.reason, errors={"body": [gettext(exc.reason)]})
    return json_error(exc.status_code, exc.reason)


@bp.post("/api/v1/complaints/<receipt>/transitions")
@token_required
@allowed(access.works_cases)
def staff_transition(receipt: str) -> Response:
    complaint = _load(receipt)
    if isinstance(complaint, Response):
        return complaint
    body, errors = _read_body(TRANSITION_BODY)
    if body is not None:
        if "to" not in body:
            errors["to"] = [gettext(REQUIRED)]
        elif body["to"] not in STATUS_CODES:
            errors["to"] = [gettext(NOT_ALLOWED, choices=", ".join(STATUS_CODES))]
        if body.get("disposition") and body["disposition"] not in DISPOSITION_CODES:
            errors["disposition"] = [gettext(NOT_ALLOWED, choices=", ".join(DISPOSITION_CODES))]
    if body is None or errors:
        return _errors(errors)
    move = cases.MoveRequest(to=body["to"], note=body.get("note"),
                             disposition=body.get("disposition") or None,
                             duplicate_of=(body.get("duplicate_of") or "").strip() or None)
    try:
        complaint = cases.transition(api_user(), complaint, move,
                                     expected_version=body.get("version"))
    except cases.CaseError as exc:
        return _refused(exc)
    return jsonify(_record(complaint))


@bp.post("/api/v1/complaints/<receipt>/assignment")
@token_required
@allowed(access.works_cases)
def staff_assignment(receipt: str) -> Response:
    complaint = _load(receipt)
    if isinstance(complaint, Response):
        return complaint
    body, errors = _read_body(ASSIGNMENT_BODY)
    if body is not None and "section" not in body and "assignee" not in body:
        errors["body"] = [gettext(NOTHING_TO_CHANGE)]
    if body is None or errors:
        return _errors(errors)
    changes: dict[str, Any] = {}
    if "section" in body:
        changes["section"] = body["section"]
    if "assignee" in body:  # present: set it (null unassigns); absent: leave it
        changes.update(assignee=body["assignee"], set_assignee=True)
    try:
        complaint = cases.assign(api_user(), complaint, expected_version=body.get("version"),
                                 **changes)
    except cases.CaseError as exc:
        return _refused(exc)
    return jsonify(_record(complaint))


# -- files ---------------------------------------------------------------------------------

NO_SUCH_FILE = S_("No file has that id.")
FILE_REFUSED = S_("You may not see the complaint this file belongs to. Your request was "
                  "recorded.")


@bp.get("/api/v1/attachments/<int:attachment_id>")
@token_required
@allowed(access.works_cases)
def staff_attachment(attachment_id: int) -> Response:
    """One file, as a download, audited (refusals too), for those who may read its complaint."""
    found = attachments.for_download(api_user(), attachment_id, door="api")
    if found == 404:
        return json_error(404, NO_SUCH_FILE)
    if isinstance(found, int):
        return forbidden(FILE_REFUSED)
    return attachments.download_response(found)
