"""A staff member's own account: two-factor enrolment (QR code drawn here, secret shown as
text) and password change."""

from __future__ import annotations

import base64
import io
from typing import Any

import segno
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from complaints.services import accounts
from complaints.staff import bp
from complaints.staff.forms import EnrolForm, PasswordChangeForm
from complaints.staff.guard import home_url, sign_in


def _qr_svg(uri: str) -> str:
    """An SVG QR code as a data URI: made on the server, nothing fetched from elsewhere."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=2,
                                     title="Two-factor sign-in QR code")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@bp.get("/account")
def account() -> Any:
    return render_template("staff/account.html", password_form=PasswordChangeForm())


@bp.route("/account/two-factor", methods=["GET", "POST"])
def enrol_two_factor() -> Any:
    if current_user.totp_enabled:
        flash(_("Two-factor sign-in is already set up. An administrator can reset it."), "info")
        return redirect(url_for("staff.account"))
    form = EnrolForm()
    secret = accounts.pending_totp_secret(current_user)
    error = None
    if request.method == "POST":
        if accounts.enable_totp(current_user, secret, form.code.data or ""):
            sign_in(current_user)  # the session version changed: start a fresh session
            flash(_("Two-factor sign-in is set up."), "success")
            return redirect(home_url(current_user))
        error = _("That code did not match. Check your device's clock and try the newest "
                  "code.")
    uri = accounts.provisioning_uri(current_user, secret)
    return render_template("staff/enrol.html", form=form, secret=secret, qr=_qr_svg(uri),
                           error=error), (400 if error else 200)


@bp.post("/account/password")
def change_password() -> Any:
    form = PasswordChangeForm()
    if not accounts.verify_password(current_user, form.current.data or ""):
        flash(_("Your current password is not right."), "error")
        return redirect(url_for("staff.account"))
    try:
        accounts.change_password(current_user, form.new.data or "", current_user.actor)
    except accounts.AccountError as exc:
        flash(str(exc), "error")
        return redirect(url_for("staff.account"))
    sign_in(current_user)
    flash(_("Your password was changed."), "success")
    return redirect(url_for("staff.account"))
