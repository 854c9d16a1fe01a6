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
from complaints.domain import receipts
from complaints.domain.taxonomy import PUBLIC_STATUS_OF, PUBLIC_STATUSES
from complaints.extensions import db, limiter
from complaints.i18n_setup import select_locale
from complaints.models import Complaint
from complaints.services import access_codes
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


@bp.post("/api/v1/complaints")
@limiter.limit(_filing_limit)
def file_complaint_api() -> Response:
    body, errors = _read_json_object()
    if body is None:
        return _errors_response(errors)
    unknown: Errors = {name[:100]: [_("Unknown field.")] for name in body
                       if name not in FIELD_BY_NAME}
    if unknown:
        errors = validate(body)[1]
        return _errors_response({**errors, **unknown})
    try:
        filed = file_complaint(body, channel="api", default_language=select_locale(),
                               actor="api")
    except ValidationFailed as failed:
        return _errors_response(failed.errors)
    complaint = filed.complaint
    response = jsonify({"receipt": complaint.receipt, "access_code": filed.access_code,
                        "status": complaint.status, "language": complaint.language,
                        **_public_status(complaint.status)})
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
