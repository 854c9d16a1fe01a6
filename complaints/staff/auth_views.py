"""Sign-in in two steps (password, then a two-factor code), and sign-out by POST.

Failures always get the same message, whatever was wrong; attempts are limited per address, and
failed attempts per account."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from complaints.extensions import db, limiter
from complaints.models import StaffUser
from complaints.services import accounts, audit
from complaints.staff import bp
from complaints.staff.forms import CodeForm, LoginForm
from complaints.staff.guard import home_url, sign_in, sign_out

PENDING_SECONDS = 300


def _signin_limit() -> str:
    return str(current_app.config["RATELIMIT_SIGNIN"])


def _account_limit() -> str:
    return str(current_app.config["RATELIMIT_SIGNIN_ACCOUNT"])


def _account_key() -> str:
    """Counts attempts per account, whatever address they come from."""
    email = (request.form.get("email") or "").strip().lower()[:254]
    pending = session.get("pending_sign_in") or {}
    return "signin-account:" + (email or f"id:{pending.get('user', '')}")


def _safe_next(target: str | None, user: StaffUser) -> str:
    """Only a path on this site under /staff/, never another host; else the person's start."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/staff/"):
            return target
    return home_url(user)


def _failed(response: Response) -> bool:
    """Only a refused attempt counts toward the per-account limit: someone who signs in and out
    all day is never locked out, while guessing still is."""
    return response.status_code == 401


def _failure() -> str:
    return _("The email, password or code is not right, or the account is not active.")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def login() -> Any:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        return render_template("staff/login.html", form=form, error=None)
    user = accounts.by_email(form.email.data or "")
    if not accounts.verify_password(user, form.password.data or "") or user is None \
            or not user.active:
        audit.record("sign_in_failed", "public", None, step="password",
                     account=user.id if user else None)
        db.session.commit()
        form.password.data = ""
        return render_template("staff/login.html", form=form, error=_failure()), 401
    if user.totp_enabled:
        next_url = form.next.data
        session.clear()
        session["pending_sign_in"] = {"user": user.id, "version": user.session_version,
                                      "at": datetime.now(UTC).timestamp(), "next": next_url}
        return redirect(url_for("staff.login_code"))
    sign_in(user)
    return redirect(_safe_next(form.next.data, user))


def _pending_user() -> StaffUser | None:
    pending = session.get("pending_sign_in")
    if not isinstance(pending, dict):
        return None
    if datetime.now(UTC).timestamp() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user = db.session.get(StaffUser, int(pending.get("user", 0)))
    if user is None or not user.active or user.session_version != pending.get("version"):
        return None
    return user


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def login_code() -> Any:
    user = _pending_user()
    if user is None:
        session.pop("pending_sign_in", None)
        return redirect(url_for("staff.login"))
    form = CodeForm()
    if request.method == "GET":
        return render_template("staff/login_code.html", form=form, error=None)
    if not accounts.verify_totp(user, form.code.data or ""):
        audit.record("sign_in_failed", "public", None, step="two_factor", account=user.id)
        db.session.commit()
        return render_template("staff/login_code.html", form=form, error=_failure()), 401
    next_url = session.get("pending_sign_in", {}).get("next")
    sign_in(user)
    return redirect(_safe_next(next_url, user))


@bp.post("/logout")
def logout() -> Response:
    sign_out()
    return redirect(url_for("staff.login"))
