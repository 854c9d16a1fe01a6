"""The public door: landing page, the complaint form, confirmation and status look-up."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from complaints.public import views  # noqa: E402,F401
