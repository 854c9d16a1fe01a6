"""Short-lived proof that a person gave a complaint's access code, for the status page's
message form: the page never holds the code itself (it is shown once, at filing), only a
signed token naming the receipt, bound to the code's stored hash, valid for a short while."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from complaints.domain import receipts
from complaints.extensions import db
from complaints.models import Complaint

MAX_AGE_SECONDS = 30 * 60
_SALT = "status-page-message-form"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt=_SALT)


def _binding(complaint: Complaint) -> str:
    return hashlib.sha256(complaint.access_code_hash.encode()).hexdigest()[:24]


def token_for(complaint: Complaint) -> str:
    return _serializer().dumps({"r": complaint.receipt, "b": _binding(complaint)})


def complaint_for(token: str) -> Complaint | None:
    """The complaint a token from token_for() names, if it is still valid (else None)."""
    if len(token) > 500:
        return None
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), str):
        return None
    receipt = receipts.normalize_receipt(data["r"])
    complaint = db.session.scalar(
        select(Complaint).where(Complaint.receipt == receipt)) if receipt else None
    if complaint is None or data.get("b") != _binding(complaint):
        return None
    return complaint
