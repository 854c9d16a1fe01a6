"""Writing to the filer from the case page (preview first, then send), marking their answers
read, and the printed letters for filers without email: the list, the print view and the
record that one was printed."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from complaints import i18n, office
from complaints.domain import letters
from complaints.extensions import db
from complaints.i18n_setup import public_stylesheet
from complaints.mail import public_url
from complaints.models import Complaint, Message
from complaints.services import access, cases, correspondence
from complaints.staff import bp
from complaints.staff.case_views import _load, _render, _version, _view
from complaints.staff.forms import MessageForm


def _draft(form: MessageForm) -> correspondence.Draft:
    template = form.template.data or None
    return correspondence.Draft(
        template=template, note=form.note.data if template else None,
        body=None if template else form.body.data,
        language=None if template else form.language.data or None)


def _case_url(complaint: Complaint) -> str:
    view = _view()
    target = url_for("staff.case", receipt=complaint.receipt)
    return target + ("?view=" + view if view else "") + "#correspondence-heading"


@bp.post("/complaints/<receipt>/messages")
def case_message(receipt: str) -> Any:
    """"Preview" shows the message as the filer will read it and in English; "Send" (offered
    with the preview) sends it."""
    complaint = _load(receipt)
    if not access.sees_details(current_user, complaint):
        abort(403)
    form = MessageForm()
    try:
        if request.form.get("action") == "send":
            correspondence.send(current_user, complaint, _draft(form),
                                expected_version=_version(form))
        else:
            filer, english = correspondence.preview(current_user, complaint, _draft(form))
            return _render(complaint, forms={"message": form},
                           preview={"filer": filer, "english": english,
                                    "filer_language": i18n.language(filer.language)})
    except cases.CaseError as exc:
        db.session.rollback()
        complaint = _load(receipt)
        if isinstance(exc, cases.StaleVersion):
            form.version.data = str(complaint.version)
        return _render(complaint, status=exc.status_code, error=_(exc.reason),
                       forms={"message": form})
    flash(_("Message sent."), "success")
    return redirect(_case_url(complaint))


@bp.post("/complaints/<receipt>/messages/read")
def case_replies_read(receipt: str) -> Any:
    complaint = _load(receipt)
    if not access.sees_details(current_user, complaint):
        abort(403)
    correspondence.mark_replies_read(current_user, complaint)
    flash(_("Marked as read."), "success")
    return redirect(_case_url(complaint))


def _require_case_role() -> None:
    if not access.works_cases(current_user):
        abort(403)


@bp.get("/letters")
def letters_to_print() -> Any:
    _require_case_role()
    rows = correspondence.letters_to_print(current_user)
    return render_template("staff/letters.html", rows=rows,
                           template_labels={t.code: _(t.label) for t in letters.TEMPLATES},
                           language_of=i18n.language)


def _letter(ident: str) -> tuple[Message, Complaint]:
    _require_case_role()
    message = db.session.get(Message, int(ident)) if ident.isdigit() and len(ident) < 10 \
        else None
    if message is None or message.direction != "office":
        abort(404)
    complaint = db.session.get(Complaint, message.complaint_id)
    if complaint is None or not access.sees_complaint(current_user, complaint):
        abort(403)
    cases.record_view(current_user, complaint, door="letter")
    if not access.sees_details(current_user, complaint):
        abort(403)
    return message, complaint


@bp.get("/letters/<ident>/print")
def letter_print(ident: str) -> Any:
    """The letter as it is posted: letterhead, the filer's address block, the text, in the
    letter's language and direction."""
    message, complaint = _letter(ident)
    lang = i18n.language(message.language)
    address_lines = [line.strip() for line in (complaint.address or "").splitlines()
                     if line.strip()]
    recipient = (complaint.filer_name if complaint.filing_for_other and complaint.filer_name
                 else complaint.name)
    toolbar = Markup(render_template(  # noqa: S704 (an autoescaped template)
        "staff/_letter_toolbar.html", message=message, complaint=complaint,
        address_lines=address_lines))
    with force_locale(lang.code):
        return render_template(
            "staff/letter_print.html", message=message, complaint=complaint, lang=lang,
            office=office.from_config(current_app.config), toolbar=toolbar,
            subject=correspondence.subject(complaint, lang.code), recipient_name=recipient,
            address_lines=address_lines,
            status_url=public_url("public.status", locale=i18n.language(
                complaint.language).url_code),
            letter_stylesheet=public_stylesheet(lang))


@bp.post("/letters/<ident>/printed")
def letter_printed(ident: str) -> Any:
    message, _complaint = _letter(ident)
    correspondence.record_print(current_user, message)
    flash(_("Recorded as printed."), "success")
    return redirect(url_for("staff.letters_to_print"))
