"""The status look-up form (receipt number and access code) and the filer's message form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from complaints.domain import letters


class StatusForm(FlaskForm):
    receipt = StringField(_l("Receipt number"))
    access_code = StringField(_l("Access code"))


class ReplyForm(FlaskForm):
    """The filer's message to the office, below the messages (the receipt and access code
    travel with it as hidden fields of this one form, never in a cookie)."""

    message = TextAreaField(_l(letters.REPLY_LABEL))  # noqa: INT001 (extracted in letters.py)
