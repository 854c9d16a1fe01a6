"""Staff downloads of a complaint's files: only for people who may read the complaint (the
restricted grant for restricted ones), always as a download that no browser renders in the
page, and every request recorded in the audit trail, refused ones too."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user

from complaints.services import access
from complaints.services import attachments as service
from complaints.staff import bp


@bp.get("/attachments/<int:attachment_id>")
def attachment_download(attachment_id: int) -> Any:
    if not access.works_cases(current_user):
        abort(403)
    found = service.for_download(current_user, attachment_id, door="dashboard")
    if isinstance(found, int):
        abort(found)
    return service.download_response(found)


@bp.get("/attachments/<int:attachment_id>/preview")
def attachment_preview(attachment_id: int) -> Any:
    """An image, from the re-encoded copy only (the original, if kept, is never shown)."""
    if not access.works_cases(current_user):
        abort(403)
    found = service.for_download(current_user, attachment_id, door="dashboard", preview=True)
    if isinstance(found, int):
        abort(found)
    if not service.is_image(found):
        abort(404)
    return service.download_response(found, inline=True)
