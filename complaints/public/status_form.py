"""The status look-up form: receipt number and access code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField


class StatusForm(FlaskForm):
    receipt = StringField(_l("Receipt number"))
    access_code = StringField(_l("Access code"))
