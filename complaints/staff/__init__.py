"""The staff door: sign-in, the triage queue, the case page, staff entry, bulk actions and
accounts. Everything under /staff/ is denied by default; only the sign-in pages are open."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from complaints.staff import (  # noqa: E402,F401
    account_views,
    accounts_views,
    attachment_views,
    auth_views,
    case_views,
    correspondence_views,
    entry_views,
    guard,
    queue_views,
    stats_views,
)
