"""Deny by default: every /staff/ request needs a signed-in, unexpired, active account (and,
where required, two-factor sign-in set up), except the sign-in pages themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from complaints.extensions import db, login_manager
from complaints.models import StaffUser
from complaints.services import access, audit
from complaints.staff import bp

OPEN_ENDPOINTS = frozenset({"staff.login", "staff.login_code"})
# Reachable before two-factor sign-in is set up, so a new account can set it up.
ENROLMENT_ENDPOINTS = frozenset({"staff.account", "staff.enrol_two_factor", "staff.logout"})


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    """Sessions name the account and its session version; a bumped version ends them."""
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db.session.get(StaffUser, int(ident))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def home_url(user: StaffUser) -> str:
    """Where a signed-in person starts: the queue for case work, otherwise a page their role
    may open (the queue would only refuse analysts and admins)."""
    if access.works_cases(user):
        return url_for("staff.queue")
    if access.may_manage_accounts(user):
        return url_for("staff.accounts_list")
    if access.may_view_stats(user):
        return url_for("staff.stats")
    return url_for("staff.account")


def _now() -> float:
    return datetime.now(UTC).timestamp()


def sign_in(user: StaffUser) -> None:
    """Start a fresh session: nothing from before sign-in survives it."""
    user = getattr(user, "_get_current_object", lambda: user)()  # not the current_user proxy
    session.clear()
    login_user(user)
    session.permanent = True
    session["signed_in_at"] = session["seen"] = _now()
    user.previous_sign_in_at = user.last_sign_in_at
    user.last_sign_in_at = datetime.now(UTC)
    audit.record("signed_in", user.actor, None, two_factor=user.totp_enabled)
    db.session.commit()


def sign_out(reason: str = "signed_out") -> None:
    """End the session. Signing out also ends the account's other sessions (and any copy of
    this cookie), because sessions live in the signed cookie, not on the server."""
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        if reason == "signed_out":
            user.session_version += 1
        audit.record(reason, user.actor, None)
        db.session.commit()
    logout_user()
    session.clear()


def _expired() -> bool:
    config = current_app.config
    now = _now()
    signed_in = float(session.get("signed_in_at", 0))
    seen = float(session.get("seen", 0))
    return (now - signed_in > timedelta(hours=config["STAFF_SESSION_HOURS"]).total_seconds()
            or now - seen > timedelta(minutes=config["STAFF_IDLE_MINUTES"]).total_seconds())


@bp.before_request
def require_staff() -> Any:
    g.no_store = True
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("staff.login", next=request.full_path
                                if request.method == "GET" else None))
    if _expired():
        sign_out("session_expired")
        flash(_("Your session ended. Please sign in again."), "info")
        return redirect(url_for("staff.login"))
    session["seen"] = _now()
    if (current_app.config["STAFF_REQUIRE_TWO_FACTOR"] and not current_user.totp_enabled
            and request.endpoint not in ENROLMENT_ENDPOINTS):
        flash(_("Set up two-factor sign-in before you continue."), "warning")
        return redirect(url_for("staff.account"))
    return None


@bp.context_processor
def _staff_context() -> dict[str, Any]:
    return {"staff_endpoints": current_app.view_functions,
            "staff_home": lambda: home_url(current_user)}
