"""Staff forms. Validation of complaint changes lives in the services; these only carry input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)


class LoginForm(FlaskForm):
    email = StringField(_l("Email"))
    password = PasswordField(_l("Password"))
    next = HiddenField()


class CodeForm(FlaskForm):
    code = StringField(_l("Six-digit code from your authenticator app"))


class EnrolForm(FlaskForm):
    code = StringField(_l("Six-digit code shown by your authenticator app"))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"))
    new = PasswordField(_l("New password (at least 12 characters)"))


class VersionedForm(FlaskForm):
    """Carries the version of the complaint the person was looking at."""

    version = HiddenField()


class TransitionForm(VersionedForm):
    to = SelectField(_l("Move to"), validate_choice=False)
    disposition = SelectField(_l("Disposition (when closing)"), validate_choice=False)
    duplicate_of = StringField(_l("Original complaint's receipt (for duplicates)"))
    note = TextAreaField(_l("Note (required to reopen)"))


class AssignForm(VersionedForm):
    section = SelectField(_l("Section"), validate_choice=False)
    assignee = SelectField(_l("Assigned to"), validate_choice=False)


class OverrideForm(VersionedForm):
    section = SelectField(_l("Section"), validate_choice=False)
    priority = SelectField(_l("Priority"), validate_choice=False)
    reason = TextAreaField(_l("Why"))


class RestrictForm(VersionedForm):
    restricted = HiddenField()
    reason = TextAreaField(_l("Why"))


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Note"))


class AccountForm(FlaskForm):
    email = StringField(_l("Email"))
    name = StringField(_l("Name"))
    role = SelectField(_l("Role"), validate_choice=False)
    section = SelectField(_l("Section"), validate_choice=False)
    restricted_access = BooleanField(_l("May see restricted complaints"))
    password = PasswordField(_l("First password (at least 12 characters)"))


class MessageForm(VersionedForm):
    """A message to the filer: a letter template and its note, or free text and its
    language."""

    template = SelectField(_l("Letter"), validate_choice=False)
    note = TextAreaField(_l("Questions or note for the letter"))
    body = TextAreaField(_l("Your own text (instead of a letter)"))
    language = SelectField(_l("Language of your text"), validate_choice=False)
