"""The triage queue (standing and saved views, filters as chips, counts, pages) and bulk
actions."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import abort, flash, redirect, render_template, request, url_for
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
from complaints.services import access, case_exports, cases, correspondence, saved_views
from complaints.services import queue as queue_service
from complaints.services.search import search_terms
from complaints.staff import bp
from complaints.templating import translate_label as tr

BULK_LIMIT = 500


def _staff_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(StaffUser.id, StaffUser.name).where(StaffUser.id.in_(ids)))
    return {ident: name for ident, name in rows}


def queue_url(args: dict[str, str]) -> str:
    """The queue with these filters."""
    return url_for("staff.queue") + ("?" + urlencode(args) if args else "")


@dataclass(frozen=True)
class Chip:
    """An active filter, shown as a removable chip."""

    label: str
    remove_url: str


def _chips(filters: queue_service.QueueFilters, labels: dict[str, dict[str, str]]) -> list[Chip]:
    names = {"status": _("Status"), "section": _("Section"), "priority": _("Priority"),
             "category": _("Category"), "component": _("Component"), "language": _("Language"),
             "channel": _("Channel"), "restricted": _("Restricted"),
             "duplicate": _("Possible duplicate"), "detained": _("Detained"),
             "replied": _("Filer replied"), "overdue": _("Request overdue"),
             "assigned": _("Assigned"), "received_from": _("Received from"),
             "received_to": _("Received to"), "q": _("Search")}
    chips = []
    for name, value in filters.as_args().items():
        if name not in names:
            continue
        shown = labels.get(name, {}).get(value, value)
        chips.append(Chip(f"{names[name]}: {shown}",
                          queue_url(filters.as_args(**{name: ""}))))
    return chips


def _filter_labels() -> dict[str, dict[str, str]]:
    return {
        "status": {"all": _("All, closed too"), **{k: _(v) for k, v in STATUSES.items()}},
        "section": {k: f"{k} – {_(v)}" for k, v in SECTIONS.items()},
        "priority": {k: _(v) for k, v in PRIORITIES.items()},
        "category": {c.code: tr(c.label) for c in CATEGORIES},
        "component": {k: tr(v) for k, v in COMPONENTS.items()},
        "language": {lang.code: lang.english_name for lang in LANGUAGES},
        "channel": {k: _(v) for k, v in CHANNELS.items()},
        "restricted": {"yes": _("Restricted only"), "no": _("Not restricted")},
        "duplicate": {"yes": _("Possible duplicates only")},
        "detained": {"yes": _("Detained now")},
        "replied": {"yes": _("Filer replied")},
        "overdue": {"yes": _("Request for information overdue")},
        "assigned": {"me": _("To me"), "none": _("To nobody")},
    }


@dataclass(frozen=True)
class View:
    """One of the standing views at the top of the queue."""

    key: str
    label: str
    filters: queue_service.QueueFilters
    count: queue_service.Count


def _standing_views(user: StaffUser) -> list[View]:
    """Mine; unassigned in my section (or everywhere, for people without one); all open."""
    Filters = queue_service.QueueFilters  # noqa: N806
    mine = Filters(assigned="me")
    section = user.section or ""
    unassigned = Filters(assigned="none", section=section)
    everything = Filters()
    label = (_("Unassigned in %(section)s", section=section) if section
             else _("Unassigned"))
    return [View(key, text, f, queue_service.count(user, f)) for key, text, f in (
        ("mine", _("Mine"), mine), ("unassigned", label, unassigned),
        ("all", _("All open"), everything))]


def _view_query(filters: queue_service.QueueFilters) -> str:
    return urlencode(filters.as_args())


@bp.get("/")
def queue() -> Any:
    if not access.works_cases(current_user):
        abort(403)
    filters = queue_service.QueueFilters.from_args(request.args)
    views = _standing_views(current_user)
    current = next((v for v in views if v.filters == replace(filters, order="attention")),
                   None)
    total = current.count if current else queue_service.count(current_user, filters)
    result = queue_service.page(current_user, filters, after=request.args.get("after", ""),
                                ranked=not total.capped)
    assignees = _staff_names({c.assignee_id for c in result.items if c.assignee_id})
    labels = _filter_labels()
    return render_template(
        "staff/queue.html", filters=filters, page=result, assignees=assignees,
        total=total, views=views, current_view=current.key if current else None,
        unranked=filters.order == "relevance" and result.order == "newest",
        category_labels={c.code: tr(c.label) for c in CATEGORIES},
        saved_views=saved_views.views_of(current_user), view_query=_view_query(filters),
        chips=_chips(filters, labels), labels=labels, sections=SECTIONS, statuses=STATUSES,
        category_options=[(c.code, c.label) for c in CATEGORIES],
        categories_by_code={c.code: c for c in CATEGORIES}, components=COMPONENTS,
        priorities=PRIORITIES, channels=CHANNELS, dispositions=DISPOSITIONS,
        languages_by_code={lang.code: lang for lang in LANGUAGES},
        language_options=[(lang.code, lang.english_name) for lang in LANGUAGES],
        may_bulk=access.may_bulk_edit(current_user),
        may_export=access.may_export_cases(current_user),
        exports=(case_exports.recent(current_user) if access.may_export_cases(current_user)
                 else []),
        new_since=current_user.previous_sign_in_at, today=datetime.now(UTC),
        searching=bool(search_terms(filters.q)), bulk_limit=BULK_LIMIT,
        sees_details=lambda c: access.sees_details(current_user, c),
        correspondence_marks=correspondence.marks([c.id for c in result.items]),
    )


@bp.post("/views")
def save_view() -> Any:
    """Keep the current filters under a name of the person's choosing."""
    if not access.works_cases(current_user):
        abort(403)
    filters = queue_service.QueueFilters.from_args(dict(parse_qsl(
        request.form.get("view", "")[:2000])))
    try:
        view = saved_views.save(current_user, request.form.get("name"), filters)
    except saved_views.ViewError as exc:
        flash(_(str(exc)), "error")
    else:
        flash(_("Saved the view “%(name)s”.", name=view.name), "success")
    return redirect(queue_url(filters.as_args()))


@bp.post("/views/<int:ident>/delete")
def delete_view(ident: int) -> Any:
    if not access.works_cases(current_user):
        abort(403)
    if not saved_views.remove(current_user, ident):
        abort(404)
    flash(_("The view was removed."), "success")
    return redirect(url_for("staff.queue"))


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
