"""The JSON door: /api/v1 for partners and assistive clients, and /healthz for operators."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from complaints.api import messages, staff, stats, views  # noqa: E402,F401
