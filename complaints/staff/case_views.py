"""The case page: every field, routing with its reasons, duplicates, the timeline, notes, and
the changes this person may make. A refused change shows the page again with what was typed."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from complaints.domain.taxonomy import (
    CATEGORY_BY_CODE,
    CHANNELS,
    COMPONENTS,
    DISPOSITIONS,
    FLAGS,
    PRIORITIES,
    RELATIONSHIPS,
    SECTIONS,
    STATUSES,
    US_STATES,
)
from complaints.domain.workflow import moves_for
from complaints.extensions import db
from complaints.i18n import language
from complaints.models import AuditEvent, Complaint, ComplaintNote, PossibleDuplicate, StaffUser
from complaints.services import access, attachments, cases
from complaints.services import queue as queue_service
from complaints.staff import bp
from complaints.staff.conversation import correspondence_context
from complaints.staff.forms import AssignForm, NoteForm, OverrideForm, RestrictForm, TransitionForm
from complaints.staff.narrative_language import text_language
from complaints.staff.timeline import entries as timeline_entries

VIEW_MAX = 2000


def _load(receipt: str) -> Complaint:
    complaint = cases.find(receipt)
    if complaint is None:
        abort(404)
    if not access.sees_complaint(current_user, complaint):
        abort(403)
    return complaint


def _view() -> str:
    """The queue view the person came from (its query string), carried from page to page."""
    raw = request.values.get("view", "")
    if not isinstance(raw, str) or len(raw) > VIEW_MAX:
        return ""
    filters = queue_service.QueueFilters.from_args(dict(parse_qsl(raw)))
    return urlencode(filters.as_args())


def _view_filters(view: str) -> queue_service.QueueFilters:
    return queue_service.QueueFilters.from_args(dict(parse_qsl(view)))


def _next_in_view(complaint: Complaint, view: str) -> Complaint | None:
    if not request.values.get("view"):
        return None
    return queue_service.next_in_view(current_user, _view_filters(view), complaint)


def _timeline_receipts(events: list[AuditEvent]) -> dict[int, str]:
    ids = {m.get("complaint_id") for e in events if e.kind == "possible_duplicate"
           for m in (e.data or {}).get("matches") or [] if isinstance(m, dict)}
    ids = {i for i in ids if isinstance(i, int)}
    if not ids:
        return {}
    rows = db.session.execute(select(Complaint.id, Complaint.receipt).where(Complaint.id.in_(ids)))
    return {ident: receipt for ident, receipt in rows}


def _version(form: Any) -> int | None:
    raw = form.version.data
    return int(raw) if isinstance(raw, str) and raw.isdigit() else None


def _duplicates(complaint: Complaint) -> list[tuple[Complaint, str]]:
    rows = db.session.execute(
        select(Complaint, PossibleDuplicate.reason)
        .join(PossibleDuplicate, or_(
            (PossibleDuplicate.complaint_id == complaint.id)
            & (PossibleDuplicate.other_id == Complaint.id),
            (PossibleDuplicate.other_id == complaint.id)
            & (PossibleDuplicate.complaint_id == Complaint.id)))
        .order_by(Complaint.received_at)
    )
    return [(other, reason) for other, reason in rows]


def _staff_choices(complaint: Complaint) -> list[tuple[str, str]]:
    people = db.session.scalars(
        select(StaffUser).where(StaffUser.active.is_(True),
                                StaffUser.role.in_(tuple(access.CASE_ROLES)))
        .order_by(StaffUser.name))
    choices = [("", _("Nobody"))]
    for person in people:
        if person.role == "investigator" and person.section != complaint.section:
            continue
        if complaint.restricted and not person.restricted_access:
            continue
        choices.append((str(person.id), f"{person.name} ({person.role})"))
    return choices


def _render(complaint: Complaint, status: int = 200, error: str | None = None,
            forms: dict[str, Any] | None = None, print_view: bool = False,
            preview: Any = None) -> Any:
    forms = forms or {}
    transition = forms.get("transition") or TransitionForm(formdata=None)
    assign = forms.get("assign") or AssignForm(formdata=None, section=complaint.section,
                                                assignee=str(complaint.assignee_id or ""))
    override = forms.get("override") or OverrideForm(formdata=None, section=complaint.section,
                                                      priority=complaint.priority)
    restrict = forms.get("restrict") or RestrictForm(formdata=None)
    note = forms.get("note") or NoteForm(formdata=None)
    for form in (transition, assign, override, restrict):
        if not form.version.data:
            form.version.data = str(complaint.version)
    targets = moves_for(access.actor(current_user), complaint.status, complaint.section)
    transition.to.choices = [(t, STATUSES[t]) for t in targets]
    transition.disposition.choices = [("", "—")] + list(DISPOSITIONS.items())
    assign.section.choices = list(SECTIONS.items())
    assign.assignee.choices = _staff_choices(complaint)
    override.section.choices = list(SECTIONS.items())
    override.priority.choices = list(PRIORITIES.items())
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.complaint_id == complaint.id)
                                .order_by(AuditEvent.at, AuditEvent.id)).all()
    notes = db.session.scalars(select(ComplaintNote).where(
        ComplaintNote.complaint_id == complaint.id).order_by(ComplaintNote.created_at)).all()
    people = {p.id: p for p in db.session.scalars(select(StaffUser))}
    original = db.session.get(Complaint, complaint.duplicate_of_id) \
        if complaint.duplicate_of_id else None
    view = _view()
    body = render_template(
        "staff/case_print.html" if print_view else "staff/case.html",
        complaint=complaint, error=error, notes=notes, people=people,
        timeline=timeline_entries(events, people, _timeline_receipts(list(events))),
        view=view, next_complaint=None if print_view else _next_in_view(complaint, view),
        text_language=text_language(complaint.narrative, complaint.language),
        assigned_to_me=complaint.assignee_id == current_user.id,
        duplicates=_duplicates(complaint), original=original,
        language=language(complaint.language), categories=CATEGORY_BY_CODE,
        components=COMPONENTS, statuses=STATUSES, channels=CHANNELS, dispositions=DISPOSITIONS,
        flags=FLAGS,
        priorities=PRIORITIES, sections=SECTIONS, states=US_STATES, relationships=RELATIONSHIPS,
        transition=transition, assign=assign, override=override, restrict=restrict, note=note,
        may_change_section=access.may_change_section(current_user),
        may_override=access.may_override_routing(current_user),
        may_unrestrict=access.may_unrestrict(current_user),
        secondary_labels=[CATEGORY_BY_CODE[c].label for c in complaint.secondary_categories],
        component_labels=[COMPONENTS[c] for c in complaint.components],
        **correspondence_context(complaint, forms.get("message"), preview),
        files=[attachments.staff_row(f) for f in attachments.of_complaint(complaint.id)],
    )
    return body, status


@bp.get("/complaints/<receipt>")
def case(receipt: str) -> Any:
    complaint = _load(receipt)
    cases.record_view(current_user, complaint)
    if not access.sees_details(current_user, complaint):
        return render_template("staff/case_restricted.html", complaint=complaint,
                               statuses=STATUSES)
    return _render(complaint)


@bp.get("/complaints/<receipt>/print")
def case_print(receipt: str) -> Any:
    complaint = _load(receipt)
    cases.record_view(current_user, complaint, door="print")
    if not access.sees_details(current_user, complaint):
        abort(403)
    return _render(complaint, print_view=True)


def _apply(receipt: str, name: str, form: Any, action: Any) -> Any:
    """Run a change; on success go back to the page, on refusal show it with the input kept."""
    complaint = _load(receipt)
    if not access.sees_details(current_user, complaint):
        abort(403)
    try:
        action(complaint)
    except cases.CaseError as exc:
        db.session.rollback()
        complaint = _load(receipt)
        if isinstance(exc, cases.StaleVersion) and hasattr(form, "version"):
            # The page shown now has the other change: sending the form again may go through.
            form.version.data = str(complaint.version)
        return _render(complaint, status=exc.status_code, error=_(exc.reason),
                       forms={name: form})
    flash(_("Saved."), "success")
    view = _view()
    target = url_for("staff.case", receipt=complaint.receipt)
    return redirect(target + ("?" + urlencode({"view": view}) if view else ""))


@bp.post("/complaints/<receipt>/transition")
def case_transition(receipt: str) -> Any:
    form = TransitionForm()
    return _apply(receipt, "transition", form, lambda c: cases.transition(
        current_user, c, cases.MoveRequest(
            to=form.to.data or "", note=form.note.data, disposition=form.disposition.data or None,
            duplicate_of=(form.duplicate_of.data or "").strip() or None),
        expected_version=_version(form)))


@bp.post("/complaints/<receipt>/assign")
def case_assign(receipt: str) -> Any:
    form = AssignForm()
    return _apply(receipt, "assign", form, lambda c: cases.assign(
        current_user, c, section=form.section.data or None, assignee=form.assignee.data,
        set_assignee=True, expected_version=_version(form)))


@bp.post("/complaints/<receipt>/assign-me")
def case_assign_me(receipt: str) -> Any:
    """Take a complaint: the person assigns it to themselves, in its current section."""
    form = AssignForm()
    return _apply(receipt, "assign", form, lambda c: cases.assign(
        current_user, c, assignee=current_user.id, set_assignee=True,
        expected_version=_version(form)))


@bp.post("/complaints/<receipt>/override")
def case_override(receipt: str) -> Any:
    form = OverrideForm()
    return _apply(receipt, "override", form, lambda c: cases.override_routing(
        current_user, c, section=form.section.data or None, priority=form.priority.data or None,
        reason=form.reason.data, expected_version=_version(form)))


@bp.post("/complaints/<receipt>/restrict")
def case_restrict(receipt: str) -> Any:
    form = RestrictForm()
    return _apply(receipt, "restrict", form, lambda c: cases.set_restricted(
        current_user, c, form.restricted.data == "yes", form.reason.data,
        expected_version=_version(form)))


@bp.post("/complaints/<receipt>/notes")
def case_note(receipt: str) -> Any:
    form = NoteForm()
    return _apply(receipt, "note", form, lambda c: cases.add_note(current_user, c,
                                                                  form.body.data))
