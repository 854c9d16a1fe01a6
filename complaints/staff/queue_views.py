"""The triage queue and bulk actions."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from complaints.domain.taxonomy import (
    CATEGORIES,
    CHANNELS,
    COMPONENTS,
    DISPOSITIONS,
    PRIORITIES,
    SECTIONS,
    STATUSES,
)
from complaints.extensions import db
from complaints.i18n import LANGUAGES
from complaints.models import StaffUser
from complaints.services import access, cases
from complaints.services import queue as queue_service
from complaints.staff import bp

BULK_LIMIT = 500


def _staff_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(StaffUser.id, StaffUser.name).where(StaffUser.id.in_(ids)))
    return {ident: name for ident, name in rows}


@bp.get("/")
def queue() -> Any:
    if not access.works_cases(current_user):
        abort(403)
    filters = queue_service.QueueFilters.from_args(request.args)
    result = queue_service.page(current_user, filters, after=request.args.get("after", ""))
    assignees = _staff_names({c.assignee_id for c in result.items if c.assignee_id})
    return render_template(
        "staff/queue.html", filters=filters, page=result, assignees=assignees,
        counts=queue_service.counts(current_user), sections=SECTIONS, statuses=STATUSES,
        category_options=[(c.code, c.label) for c in CATEGORIES],
        categories_by_code={c.code: c for c in CATEGORIES}, components=COMPONENTS,
        priorities=PRIORITIES, channels=CHANNELS, dispositions=DISPOSITIONS,
        language_options=[(lang.code, lang.english_name) for lang in LANGUAGES],
        may_bulk=access.may_bulk_edit(current_user),
        sees_details=lambda c: access.sees_details(current_user, c),
    )


@bp.post("/bulk")
def bulk() -> Any:
    """Apply one action to the selected complaints, each checked on its own; report the
    outcome of every one."""
    if not access.may_bulk_edit(current_user):
        abort(403)
    receipts = list(dict.fromkeys(r for r in request.form.getlist("receipt") if r))
    action = request.form.get("bulk_action", "")
    if not receipts:
        return render_template("staff/bulk.html", done=[], refused=[],
                               error=_("Select at least one complaint.")), 400
    if len(receipts) > BULK_LIMIT:
        return render_template("staff/bulk.html", done=[], refused=[],
                               error=_("Select at most %(n)s complaints at once.",
                                       n=BULK_LIMIT)), 400
    if action not in ("assign_section", "move"):
        return render_template("staff/bulk.html", done=[], refused=[],
                               error=_("Choose what to do.")), 400
    done: list[str] = []
    refused: list[tuple[str, str]] = []
    for receipt in receipts:
        complaint = cases.find(receipt)
        if complaint is None or not access.sees_complaint(current_user, complaint):
            refused.append((receipt[:20], _("Not found.")))
            continue
        try:
            if action == "assign_section":
                cases.assign(current_user, complaint, section=request.form.get("section") or "")
            else:
                cases.transition(current_user, complaint, cases.MoveRequest(
                    to=request.form.get("to", ""),
                    disposition=request.form.get("disposition") or None,
                    note=request.form.get("note") or None))
            done.append(complaint.receipt)
        except cases.CaseError as exc:
            db.session.rollback()
            refused.append((complaint.receipt, _(exc.reason)))
    return render_template("staff/bulk.html", done=done, refused=refused, error=None)
