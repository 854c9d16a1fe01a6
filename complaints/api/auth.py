"""Bearer-token authentication for the staff endpoints of /api/v1.

A staff endpoint is wrapped in `token_required`: it reads `Authorization: Bearer <token>`,
resolves the token with the accounts service (unknown, revoked, and disabled accounts all fail
alike) and makes the account available as `api_user()`. What the account may then do is asked of
services/access.py, e.g. with `allowed(access.works_cases)`.

    @bp.get("/api/v1/stats")
    @token_required
    @allowed(access.may_view_stats)
    def stats(): ...

Every answer of a wrapped view, refusals included, is `Cache-Control: no-store`. Messages are
staff-facing: marked with S_ and English for now.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Response, g, jsonify, request
from flask_babel import gettext

from complaints.domain.taxonomy import S_
from complaints.models import StaffUser
from complaints.services import accounts

F = TypeVar("F", bound=Callable[..., Any])

REALM = "complaints staff API"
MISSING_TOKEN = S_("This endpoint needs a staff API token: send Authorization: Bearer <token>.")
INVALID_TOKEN = S_("The API token is not valid: it is unknown, revoked, or its account is "
                   "disabled.")
FORBIDDEN = S_("Your role may not use this endpoint.")


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer <token>` header (scheme case-insensitive)."""
    scheme, _, credentials = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip() or None


def json_error(status: int, message: str, /, **extra: Any) -> Response:
    """`{"error": status, "message": ...}` (translated), with any extra members."""
    response = jsonify({"error": status, "message": gettext(message), **extra})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store, max-age=0"
    return response


def unauthorized(message: str = MISSING_TOKEN, invalid_token: bool = False) -> Response:
    """401 with the challenge RFC 6750 asks for."""
    response = json_error(401, message)
    challenge = f'Bearer realm="{REALM}"'
    if invalid_token:
        challenge += ', error="invalid_token"'
    response.headers["WWW-Authenticate"] = challenge
    return response


def forbidden(message: str = FORBIDDEN, **extra: Any) -> Response:
    """403 JSON: the account is known but may not do this."""
    return json_error(403, message, **extra)


def token_required(view: F) -> F:
    """Answer 401 unless the request carries a valid token of an active staff account."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g.no_store = True  # security.py adds Cache-Control: no-store to whatever we answer
        token = bearer_token()
        if token is None:
            return unauthorized()
        user = accounts.user_for_token(token)
        if user is None:
            return unauthorized(INVALID_TOKEN, invalid_token=True)
        g.api_user = user
        return view(*args, **kwargs)

    return cast(F, wrapper)


def allowed(check: Callable[[StaffUser], bool], message: str = FORBIDDEN) -> Callable[[F], F]:
    """Answer 403 unless `check(user)` (a question from services/access.py) says yes. Goes
    under `token_required`."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not check(api_user()):
                return forbidden(message)
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


def api_user() -> StaffUser:
    """The staff account of this request's token (only inside a `token_required` view)."""
    user = g.get("api_user")
    if user is None:
        raise RuntimeError("api_user() outside a token_required view")
    return cast(StaffUser, user)
