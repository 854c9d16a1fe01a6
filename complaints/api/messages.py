"""Correspondence with the filer through /api/v1 (CONTRACT.md): one address for both sides.

With `Authorization: Bearer <staff token>` it is the staff's (same roles, grants and audit as the
case page); otherwise it is the filer's, who proves it with `X-Access-Code` and is rate limited
like the status look-up. A wrong code and an unknown receipt give the same 404.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, jsonify, request
from flask_babel import gettext as _

from complaints.api import bp
from complaints.api.auth import api_user, bearer_token, token_required
from complaints.api.staff import NOT_ALLOWED, _errors, _load, _read_body, _refused
from complaints.api.views import _errors_response, _read_json_object
from complaints.domain import receipts
from complaints.domain.letters import TEMPLATE_CODES
from complaints.domain.taxonomy import PUBLIC_STATUS_OF
from complaints.extensions import db, limiter
from complaints.i18n import LOCALE_CODES
from complaints.models import Complaint, Message, StaffUser
from complaints.services import access, cases, correspondence
from complaints.services.intake_rules import ValidationFailed

STAFF_BODY = {"template": "s?", "note": "s?", "body": "s?", "language": "s?"}


def _status_limit() -> str:
    return str(current_app.config["RATELIMIT_STATUS"])


def _is_staff() -> bool:
    return bearer_token() is not None or "Authorization" in request.headers


def _not_found() -> Response:
    response = jsonify({"error": 404, "message": _("No complaint matches that receipt number "
                                                   "and access code.")})
    response.status_code = 404
    return response


def _filer_complaint(receipt: str) -> Complaint | None:
    """The complaint if the request carries its access code (the same None otherwise)."""
    from complaints.services import access_codes

    normalized = receipts.normalize_receipt(receipt)
    complaint = db.session.scalar(
        db.select(Complaint).where(Complaint.receipt == normalized)) if normalized else None
    code = request.headers.get("X-Access-Code", "")
    if complaint is None or not access_codes.verify(complaint.access_code_hash, code):
        return None
    return complaint


def _public_item(message: Message) -> dict[str, Any]:
    return {"id": message.id, "from": message.direction, "body": message.body,
            "language": message.language, "sent_at": message.created_at.isoformat()}


def _staff_item(message: Message, people: dict[int, StaffUser]) -> dict[str, Any]:
    author = people.get(message.author_id) if message.author_id else None
    return {**_public_item(message), "template": message.template, "note": message.note,
            "author": author.email if author else None, "actor": message.actor,
            "delivery": message.delivery,
            "read_at": message.read_at.isoformat() if message.read_at else None,
            "printed_at": message.printed_at.isoformat() if message.printed_at else None}


def _no_store(response: Response, status: int | None = None) -> Response:
    if status is not None:
        response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    g.no_store = True
    return response


@bp.route("/api/v1/complaints/<receipt>/messages", methods=["GET", "POST"])
@limiter.limit(_status_limit, exempt_when=_is_staff)
def complaint_messages(receipt: str) -> Response:
    if _is_staff():
        return _staff_messages(receipt)
    complaint = _filer_complaint(receipt)
    if complaint is None:
        return _no_store(_not_found(), 404)
    if request.method == "GET":
        messages = correspondence.conversation(complaint)
        correspondence.mark_read_by_filer(complaint)
        return _no_store(jsonify({"messages": [_public_item(m) for m in messages]}))
    body, errors = _read_json_object()
    if body is None:
        return _no_store(_errors_response(errors))
    unknown = {name[:100]: [_("Unknown field.")] for name in body if name != "body"}
    if unknown:
        return _no_store(_errors_response(unknown))
    try:
        message = correspondence.reply(complaint, body.get("body"), actor="api")
    except ValidationFailed as failed:
        db.session.rollback()
        return _no_store(_errors_response(failed.errors))
    return _no_store(jsonify({"id": message.id, "language": message.language,
                              "template": None,
                              "status": PUBLIC_STATUS_OF[complaint.status]}), 201)


@token_required
def _staff_messages(receipt: str) -> Response:
    user = api_user()
    if not access.works_cases(user):
        from complaints.api.auth import forbidden

        return forbidden()
    complaint = _load(receipt)
    if isinstance(complaint, Response):
        return complaint
    if request.method == "GET":
        messages = correspondence.conversation(complaint)
        ids = {m.author_id for m in messages if m.author_id}
        people = {p.id: p for p in db.session.scalars(
            db.select(StaffUser).where(StaffUser.id.in_(ids)))} if ids else {}
        return jsonify({"messages": [_staff_item(m, people) for m in messages]})
    body, errors = _read_body(STAFF_BODY)
    if body is not None:
        template = body.get("template")
        if template and template not in TEMPLATE_CODES:
            errors["template"] = [_(NOT_ALLOWED, choices=", ".join(TEMPLATE_CODES))]
        language = body.get("language")
        if language and language not in LOCALE_CODES:
            errors["language"] = [_(NOT_ALLOWED, choices=", ".join(LOCALE_CODES))]
    if body is None or errors:
        return _errors(errors)
    draft = correspondence.Draft(template=body.get("template") or None, note=body.get("note"),
                                 body=body.get("body"), language=body.get("language") or None)
    try:
        message = correspondence.send(user, complaint, draft)
    except cases.CaseError as exc:
        return _refused(exc)
    response = jsonify({"id": message.id, "language": message.language,
                        "template": message.template, "status": complaint.status})
    response.status_code = 201
    return response
