"""Correspondence with the filer, for every door: staff send letters (templates rendered in the
complaint's language) or free text; the filer reads and answers after giving the access code.

Each change is one transaction with its audit events: the message, the workflow move it causes
(a request for information -> awaiting_information; the filer's answer -> intake_review), and the
notification queued in the outbox, which never carries the message's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from babel.lists import format_list
from flask import current_app
from flask_babel import force_locale, get_locale, get_translations, gettext
from sqlalchemy import and_, func, literal_column, select, update

from complaints import dates, i18n, mail
from complaints.domain import letters
from complaints.domain.taxonomy import COMPONENTS, S_
from complaints.extensions import db
from complaints.models import Complaint, Message, OutboxMessage, StaffUser
from complaints.models.message import TO_PRINT, UNREAD_REPLY
from complaints.models.types import utcnow
from complaints.services import access, audit, cases
from complaints.services.intake_rules import (
    NARRATIVE_MAX,
    Errors,
    ValidationFailed,
    clean_text,
    validate_text,
)

NOTE_MAX = cases.NOTE_MAX
REQUEST = "request_information"


@dataclass(frozen=True)
class Letter:
    """A letter rendered in one language: its title and its text as the filer reads it."""

    language: str
    subject: str
    body: str


def _details(complaint: Complaint, sent_at: datetime) -> dict[str, Any]:
    """The case's details a letter may name, written in the current locale."""
    days = int(current_app.config["INFORMATION_REQUEST_DAYS"])
    names = [gettext(COMPONENTS[c]) for c in complaint.components
             if c in COMPONENTS and c != "UNKNOWN"]
    return {
        "receipt": complaint.receipt,
        "received_on": dates.long_date(complaint.received_at),
        "answer_by": dates.long_date(sent_at + timedelta(days=days)),
        "components": format_list(names, locale=get_locale() or "en") if names
        else gettext(COMPONENTS["OTHER_DHS"]),
    }


def render_letter(complaint: Complaint, template_code: str, note: str | None,
                  language: str | None = None, sent_at: datetime | None = None) -> Letter:
    """The letter `template_code` for this complaint, in `language` (default: the
    complaint's), with its details and the note filled in."""
    template = letters.TEMPLATE_BY_CODE[template_code]
    lang = i18n.language(language or complaint.language)
    with force_locale(lang.code):
        if untranslated(template, lang.code):
            raise cases.Refused(S_("This letter is not translated into the filer's language "
                                   "yet, so it cannot be sent. Write your own text instead."))
        details = _details(complaint, sent_at or utcnow())
        paragraphs = [gettext(p, **details) for p in template.paragraphs]
        parts = [gettext(letters.GREETING), paragraphs[0]]
        if note:
            parts.append(gettext(template.note_heading) + "\n" + note)
        parts.extend(paragraphs[1:])
        parts.append(gettext(letters.KEEP_CODES))
        parts.append(gettext(letters.SIGN_OFF) + "\n"
                     + gettext(current_app.config["OFFICE_NAME"]))
        subject = gettext(letters.SUBJECT, receipt=complaint.receipt)
    return Letter(lang.code, subject, "\n\n".join(parts))


def letter_messages(template: letters.Template) -> list[str]:
    """Every public message a letter is made of."""
    return [letters.GREETING, *template.paragraphs, template.note_heading, letters.KEEP_CODES,
            letters.SIGN_OFF, letters.SUBJECT]


def untranslated(template: letters.Template, language: str) -> list[str]:
    """The letter's messages the language's catalog lacks (inside force_locale(language)):
    a letter is never sent half-translated."""
    if language == i18n.DEFAULT_LOCALE:
        return []
    catalog = getattr(get_translations(), "_catalog", {})
    return [m for m in letter_messages(template) if not catalog.get(m)]


def subject(complaint: Complaint, language: str) -> str:
    with force_locale(i18n.language(language).code):
        return gettext(letters.SUBJECT, receipt=complaint.receipt)


# -- staff write ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Draft:
    """What staff asked to send: a template with its note, or free text in a language."""

    template: str | None = None
    note: str | None = None
    body: str | None = None
    language: str | None = None


def _clean_draft(complaint: Complaint, draft: Draft) -> tuple[str | None, str, str | None, str]:
    """(template, language, note, body) checked; raises cases.Invalid with the reason."""
    if draft.template and draft.body:
        raise cases.Invalid(S_("Choose a letter template or write your own text, not both."))
    if draft.template:
        template = letters.TEMPLATE_BY_CODE.get(draft.template)
        if template is None:
            raise cases.Invalid(S_("That letter template does not exist."))
        note = _clean(draft.note, NOTE_MAX)
        if template.note_required and not note:
            raise cases.Invalid(S_("Write the questions you are asking the filer."))
        letter = render_letter(complaint, template.code, note)
        return template.code, letter.language, note, letter.body
    body = _clean(draft.body, NARRATIVE_MAX)
    if not body:
        raise cases.Invalid(S_("Choose a letter template or write a message."))
    if not draft.language:
        raise cases.Invalid(S_("Say which language your message is written in."))
    if draft.language not in i18n.LOCALE_CODES:
        raise cases.Invalid(S_("That language is not one of ours."))
    return None, draft.language, None, body


def _clean(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    text = clean_text(value)
    if len(text) > limit:
        raise cases.Invalid(S_("That text is too long."))
    return text or None


def preview(user: StaffUser, complaint: Complaint, draft: Draft) -> tuple[Letter, Letter]:
    """The message as the filer would read it, and the same in English (for a template; free
    text is shown as written)."""
    if not access.sees_details(user, complaint):
        raise cases.AccessDenied(S_("You may not change this complaint."))
    template, language, note, body = _clean_draft(complaint, draft)
    if template is None:
        letter = Letter(language, subject(complaint, language), body)
        return letter, letter
    return (Letter(language, subject(complaint, language), body),
            render_letter(complaint, template, note, "en"))


def send(user: StaffUser, complaint: Complaint, draft: Draft,
         expected_version: int | None = None) -> Message:
    """Send a message to the filer. A request for information moves the complaint to
    awaiting_information (a complaint nobody has looked at goes through intake review);
    the filer is told by email that a message waits, or the letter is listed for printing."""
    if not access.sees_details(user, complaint):
        raise cases.AccessDenied(S_("You may not change this complaint."))
    if expected_version is not None and expected_version != complaint.version:
        raise cases.StaleVersion()
    template, language, note, body = _clean_draft(complaint, draft)
    spec = letters.TEMPLATE_BY_CODE.get(template) if template else None
    if spec is not None and spec.moves_to and complaint.status != spec.moves_to:
        if complaint.status == "received":
            cases.transition(user, complaint, cases.MoveRequest(to="intake_review"), commit=False)
        cases.transition(user, complaint, cases.MoveRequest(to=spec.moves_to), commit=False)
    now = utcnow()
    message = Message(complaint_id=complaint.id, direction="office", template=template,
                      language=language, body=body, note=note, author_id=user.id,
                      actor=user.actor, created_at=now,
                      delivery="email" if complaint.email else "print")
    db.session.add(message)
    # Writing to the filer deals with what they wrote before.
    db.session.execute(update(Message).where(
        Message.complaint_id == complaint.id, UNREAD_REPLY).values(read_at=now)
        .execution_options(synchronize_session=False))
    db.session.flush()
    audit.record("message_sent", user.actor, complaint, message_id=message.id,
                 template=template, language=language, delivery=message.delivery)
    if complaint.email:
        _queue_notification(complaint, message)
    _touch(complaint, now)
    cases.commit_case_change()
    return message


def _queue_notification(complaint: Complaint, message: Message) -> None:
    notice = mail.render_message_waiting(receipt=complaint.receipt, language=complaint.language,
                                         recipient=complaint.email or "")
    row = OutboxMessage(**notice.outbox_values(complaint.id))
    db.session.add(row)
    db.session.flush()
    audit.record("mail_queued", "system", complaint, outbox_id=row.id,
                 message_kind=notice.kind, message_id=message.id)


def _touch(complaint: Complaint, now: datetime) -> None:
    """The complaint's 'last updated' date (the filer sees it) follows its correspondence."""
    complaint.updated_at = now


# -- the filer -----------------------------------------------------------------------------

def reply(complaint: Complaint, body: Any, actor: str = "public") -> Message:
    """The filer's answer, checked by the intake's text rules (ValidationFailed with errors
    under "body", nothing stored). An answer to a request for information sends the complaint
    back to intake review."""
    text, errors = validate_text("body", body, required=gettext(letters.REPLY_REQUIRED))
    if errors or text is None:
        raise ValidationFailed(errors)
    now = utcnow()
    message = Message(complaint_id=complaint.id, direction="filer", template=None,
                      language=complaint.language, body=text, actor=actor, created_at=now)
    db.session.add(message)
    db.session.flush()
    audit.record("message_received", actor, complaint, message_id=message.id)
    cases.filer_answered(complaint, actor)
    _touch(complaint, now)
    cases.commit_case_change()
    return message


def reply_errors(errors: Errors) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in errors.items()}


def conversation(complaint: Complaint, newest_first: bool = True) -> list[Message]:
    order = (Message.created_at.desc(), Message.id.desc()) if newest_first \
        else (Message.created_at, Message.id)
    return list(db.session.scalars(select(Message).where(Message.complaint_id == complaint.id)
                                   .order_by(*order)))


def mark_read_by_filer(complaint: Complaint) -> None:
    """The filer has seen the office's messages (after giving the access code)."""
    result = db.session.execute(update(Message).where(
        Message.complaint_id == complaint.id, Message.direction == "office",
        Message.read_at.is_(None)).values(read_at=utcnow())
        .execution_options(synchronize_session=False))
    if result.rowcount:  # type: ignore[attr-defined]
        db.session.commit()


# -- staff bookkeeping ---------------------------------------------------------------------

def mark_replies_read(user: StaffUser, complaint: Complaint) -> int:
    """Staff have dealt with the filer's answers: the queue stops showing "filer replied"."""
    if not access.sees_details(user, complaint):
        raise cases.AccessDenied(S_("You may not change this complaint."))
    result = db.session.execute(update(Message).where(
        Message.complaint_id == complaint.id, UNREAD_REPLY).values(read_at=utcnow())
        .execution_options(synchronize_session=False))
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if count:
        audit.record("replies_read", user.actor, complaint, count=count)
        db.session.commit()
    return count


def record_print(user: StaffUser, message: Message) -> None:
    """A printed letter was made for posting: recorded on the message and in the audit trail
    (each print, the first one also marks it done)."""
    complaint = db.session.get(Complaint, message.complaint_id)
    if complaint is None or not access.sees_details(user, complaint):
        raise cases.AccessDenied(S_("You may not change this complaint."))
    if message.printed_at is None:
        message.printed_at = utcnow()
        message.printed_by = user.id
    audit.record("letter_printed", user.actor, complaint, message_id=message.id,
                 language=message.language)
    db.session.commit()


def letters_to_print(user: StaffUser, limit: int = 200) -> list[tuple[Message, Complaint]]:
    """Office messages to filers without email that nobody has printed yet, oldest first,
    among the complaints this person may read."""
    rows = db.session.execute(
        select(Message, Complaint).join(Complaint, Complaint.id == Message.complaint_id)
        .where(TO_PRINT).order_by(Message.created_at, Message.id).limit(limit * 2))
    return [(m, c) for m, c in rows if access.sees_complaint(user, c)][:limit]


def replied_condition() -> Any:
    """Complaints with an answer from the filer that staff have not dealt with yet."""
    return Complaint.id.in_(select(Message.complaint_id).where(UNREAD_REPLY))


def overdue_cutoff() -> datetime:
    return utcnow() - timedelta(days=int(current_app.config["INFORMATION_REQUEST_DAYS"]))


def overdue_condition() -> Any:
    """Complaints still awaiting information whose last request is older than the setting."""
    last_request = (select(Message.complaint_id).where(Message.template == REQUEST)
                    .group_by(Message.complaint_id)
                    .having(func.max(Message.created_at) < overdue_cutoff()))
    return and_(Complaint.status == literal_column("'awaiting_information'"),
                Complaint.id.in_(last_request))


@dataclass(frozen=True)
class Marks:
    """What the queue shows beside a complaint about its correspondence."""

    replied: frozenset[int]
    overdue: frozenset[int]


def marks(complaint_ids: list[int]) -> Marks:
    """For a page of the queue: which complaints have an unread answer, which an overdue
    request (two indexed look-ups for the page's rows)."""
    if not complaint_ids:
        return Marks(frozenset(), frozenset())
    replied = db.session.scalars(select(Message.complaint_id).where(
        UNREAD_REPLY, Message.complaint_id.in_(complaint_ids)).distinct())
    waiting = db.session.scalars(
        select(Message.complaint_id).join(Complaint, Complaint.id == Message.complaint_id)
        .where(Message.template == REQUEST, Message.complaint_id.in_(complaint_ids),
               Complaint.status == "awaiting_information")
        .group_by(Message.complaint_id)
        .having(func.max(Message.created_at) < overdue_cutoff()))
    return Marks(frozenset(replied), frozenset(waiting))
