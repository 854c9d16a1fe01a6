"""JSON endpoints of CONTRACT.md. Bodies are checked for shape here; the rules are the intake
service's, so the API and the form accept exactly the same complaints."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from complaints import rate_limits
from complaints.api import bp
from complaints.api.openapi import openapi_document
from complaints.attachments import text as attachment_text
from complaints.domain import receipts
from complaints.domain.taxonomy import PUBLIC_STATUS_OF, PUBLIC_STATUSES
from complaints.extensions import db, limiter
from complaints.i18n_setup import select_locale
from complaints.models import Complaint
from complaints.services import access_codes, attachments
from complaints.services.attachments import Received, ToAttach
from complaints.services.intake import file_complaint
from complaints.services.intake_rules import FIELD_BY_NAME, Errors, ValidationFailed, validate


def _filing_limit() -> str:
    return str(current_app.config["RATELIMIT_FILING"])


def _status_limit() -> str:
    return str(current_app.config["RATELIMIT_STATUS"])


def _errors_response(errors: Errors, status: int = 422) -> Response:
    response = jsonify({"errors": {k: [str(m) for m in v] for k, v in errors.items()}})
    response.status_code = status
    return response


def _read_json_object() -> tuple[dict[str, Any] | None, Errors]:
    raw = request.get_data(cache=False)
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, {"body": [_("The request body must be a JSON object.")]}
    if not isinstance(body, dict):
        return None, {"body": [_("The request body must be a JSON object.")]}
    return body, {}


def _public_status(status: str) -> dict[str, Any]:
    code = PUBLIC_STATUS_OF[status]
    return {
        "public_status": code,
        "public_status_text": _(PUBLIC_STATUSES[code]),
        "needs_information": status == "awaiting_information",
    }


def _read_multipart() -> tuple[dict[str, Any] | None, list[Received], Errors]:
    """A multipart filing (CONTRACT.md "Evidence files"): the part `complaint` holds the JSON
    body, every part `files` a file; any other part is refused."""
    errors: Errors = {}
    for name in [*request.form, *request.files]:
        if name not in ("complaint", "files"):
            errors[name[:100]] = [str(attachment_text.UNKNOWN_PART)]
    if "files" in request.form:  # a `files` part that is not a file (no filename)
        errors["files"] = [str(attachment_text.UNKNOWN_PART)]
    raw: bytes | str | None = None
    if "complaint" in request.files:
        raw = request.files["complaint"].read()
    elif "complaint" in request.form:
        raw = request.form["complaint"]
    if len(request.form.getlist("complaint")) + len(request.files.getlist("complaint")) > 1:
        raw = None
    body: Any = None
    if raw is not None:
        try:
            body = json.loads(raw)
        except (UnicodeDecodeError, ValueError, RecursionError):
            body = None
    if not isinstance(body, dict):
        errors["complaint"] = [str(attachment_text.COMPLAINT_PART)]
        body = None
    files = [Received(attachments.display_name(f.filename), f.read())
             for f in request.files.getlist("files")]
    return body, files, errors


@bp.post("/api/v1/complaints")
@limiter.limit(_filing_limit)
def file_complaint_api() -> Response:
    multipart = request.mimetype == "multipart/form-data"
    files: list[Received] = []
    if multipart:
        body, files, errors = _read_multipart()
    else:
        body, errors = _read_json_object()
    if body is None:
        return _errors_response(errors)
    unknown: Errors = {name[:100]: [_("Unknown field.")] for name in body
                       if name not in FIELD_BY_NAME}
    if unknown or errors:
        return _errors_response({**validate(body)[1], **errors, **unknown})
    to_attach = None
    if files:
        invalid = validate(body)[1]
        checked, refused = attachments.check(files, actor="api",
                                             room=attachments.limits().files)
        if invalid or refused:
            return _errors_response({**invalid, **({"files": refused} if refused else {})})
        to_attach = ToAttach(tuple(attachments.store(files, [c for c in checked if c])),
                             actor="api")
    try:
        filed = file_complaint(body, channel="api", default_language=select_locale(),
                               actor="api", attachments=to_attach)
    except ValidationFailed as failed:
        return _errors_response(failed.errors)
    finally:
        if to_attach is not None:  # bytes stored for a filing that did not happen go again
            attachments.forget(attachments.keys_of(to_attach.files))
    complaint = filed.complaint
    answer = {"receipt": complaint.receipt, "access_code": filed.access_code,
              "status": complaint.status, "language": complaint.language,
              **_public_status(complaint.status)}
    if multipart:
        answer["attachments"] = list(filed.attachments)
    response = jsonify(answer)
    response.status_code = 201
    response.headers["Location"] = url_for("api.complaint_status", receipt=complaint.receipt)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/api/v1/complaints/<receipt>/status")
@limiter.limit(_status_limit)
def complaint_status(receipt: str) -> Response:
    normalized = receipts.normalize_receipt(receipt)
    complaint = db.session.scalar(
        select(Complaint).where(Complaint.receipt == normalized)) if normalized else None
    code = request.headers.get("X-Access-Code", "")
    if complaint is None or not access_codes.verify(complaint.access_code_hash, code):
        response = jsonify({"error": 404, "message": _("No complaint matches that receipt "
                                                       "number and access code.")})
        response.status_code = 404
        return response
    response = jsonify({"receipt": complaint.receipt, "updated_at":
                        complaint.updated_at.isoformat(), **_public_status(complaint.status)})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/api/v1/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    """`ok`; `degraded` (200) while the rate-limit storage is unreachable and limits are
    counted per process; `unavailable` (503) while the database does not answer."""
    checks = {"database": "ok", "rate_limits": rate_limits.storage_health(current_app)}
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        checks["database"] = "unavailable"
    if checks["database"] != "ok":
        status, code = "unavailable", 503
    elif checks["rate_limits"] == "fallback":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    response = jsonify({"status": status, "checks": checks})
    response.headers["Cache-Control"] = "no-store"
    return response, code
