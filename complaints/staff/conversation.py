"""What the case page shows of the correspondence with the filer: the conversation, the compose
form (with a suggested letter) and, after "Preview", the letter in the filer's language and in
English side by side."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from complaints.domain.letters import TEMPLATES
from complaints.extensions import db
from complaints.i18n import LANGUAGES, language
from complaints.models import Complaint, StaffUser
from complaints.services import correspondence
from complaints.staff.forms import MessageForm

# The letter suggested for a complaint's status (closing: the one for its disposition).
SUGGESTED = {"received": "acknowledgement", "intake_review": "request_information",
             "awaiting_information": "request_information",
             "referred_component": "referred_component", "referred_oig": "referred_oig"}


def suggested_template(complaint: Complaint) -> str:
    if complaint.status == "closed":
        return f"closed_{complaint.disposition}" if complaint.disposition else "closed"
    return SUGGESTED.get(complaint.status, "")


def message_form(complaint: Complaint, form: MessageForm | None = None) -> MessageForm:
    if form is None:
        form = MessageForm(formdata=None, template=suggested_template(complaint),
                           language=complaint.language)
    if not form.version.data:
        form.version.data = str(complaint.version)
    form.template.choices = [("", _("None: my own text below"))] + [
        (t.code, _(t.label)) for t in TEMPLATES]
    form.language.choices = [(lang.code, f"{lang.english_name} ({lang.native_name})")
                             for lang in LANGUAGES]
    return form


def correspondence_context(complaint: Complaint, form: MessageForm | None,
                           preview: Any) -> dict[str, Any]:
    messages = correspondence.conversation(complaint)
    ids = {m.author_id for m in messages if m.author_id} | {
        m.printed_by for m in messages if m.printed_by}
    authors = {p.id: p for p in db.session.scalars(
        select(StaffUser).where(StaffUser.id.in_(ids)))} if ids else {}
    return {
        "conversation": messages,
        "message_authors": authors,
        "message_form": message_form(complaint, form),
        "message_preview": preview,
        "unread_replies": sum(1 for m in messages
                              if m.direction == "filer" and m.read_at is None),
        "template_labels": {t.code: _(t.label) for t in TEMPLATES},
        "language_of": language,
    }
