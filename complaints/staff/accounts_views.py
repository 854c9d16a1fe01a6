"""Account administration for admins: create, change role or grant, disable, reset two-factor.
Every change is audited by the accounts service."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from complaints.domain.taxonomy import ROLES, SECTIONS
from complaints.extensions import db
from complaints.models import StaffUser
from complaints.services import access, accounts
from complaints.staff import bp
from complaints.staff.forms import AccountForm


def _require_admin() -> None:
    if not access.may_manage_accounts(current_user):
        abort(403)


def _prepare(form: AccountForm) -> AccountForm:
    form.role.choices = list(ROLES.items())
    form.section.choices = [("", "—")] + list(SECTIONS.items())
    return form


def _details(form: AccountForm) -> accounts.StaffDetails:
    return accounts.StaffDetails(form.email.data or "", form.name.data or "",
                                 form.role.data or "", form.section.data or None,
                                 bool(form.restricted_access.data))


@bp.get("/accounts")
def accounts_list() -> Any:
    _require_admin()
    people = db.session.scalars(select(StaffUser).order_by(StaffUser.name)).all()
    return render_template("staff/accounts.html", people=people, form=_prepare(AccountForm()),
                           roles=ROLES, sections=SECTIONS, error=None)


@bp.post("/accounts")
def accounts_create() -> Any:
    _require_admin()
    form = _prepare(AccountForm())
    try:
        user = accounts.create_staff(_details(form), form.password.data or "",
                                     current_user.actor)
    except accounts.AccountError as exc:
        db.session.rollback()
        people = db.session.scalars(select(StaffUser).order_by(StaffUser.name)).all()
        form.password.data = ""
        return render_template("staff/accounts.html", people=people, form=form, roles=ROLES,
                               sections=SECTIONS, error=str(exc)), 422
    flash(_("Account %(email)s created.", email=user.email), "success")
    return redirect(url_for("staff.accounts_list"))


def _person(ident: int) -> StaffUser:
    person = db.session.get(StaffUser, ident)
    if person is None:
        abort(404)
    return person


@bp.route("/accounts/<int:ident>", methods=["GET", "POST"])
def account_edit(ident: int) -> Any:
    _require_admin()
    person = _person(ident)
    if request.method == "GET":
        form = _prepare(AccountForm(formdata=None, obj=person))
        form.section.data = person.section or ""
        return render_template("staff/account_edit.html", person=person, form=form, error=None)
    form = _prepare(AccountForm())
    try:
        accounts.update_staff(person, _details(form), current_user.actor)
    except accounts.AccountError as exc:
        db.session.rollback()
        return render_template("staff/account_edit.html", person=person, form=form,
                               error=str(exc)), 422
    flash(_("Account updated."), "success")
    return redirect(url_for("staff.accounts_list"))


@bp.post("/accounts/<int:ident>/active")
def account_active(ident: int) -> Any:
    _require_admin()
    person = _person(ident)
    if person.id == current_user.id:
        flash(_("You cannot disable your own account."), "error")
    else:
        accounts.set_active(person, request.form.get("active") == "yes", current_user.actor)
        flash(_("Account updated."), "success")
    return redirect(url_for("staff.accounts_list"))


@bp.post("/accounts/<int:ident>/reset-two-factor")
def account_reset_two_factor(ident: int) -> Any:
    _require_admin()
    accounts.reset_two_factor(_person(ident), current_user.actor)
    flash(_("Two-factor sign-in was reset: they set it up again at their next sign-in."),
          "success")
    return redirect(url_for("staff.accounts_list"))
