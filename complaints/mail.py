"""The mail outbox: messages are rendered by the request, queued inside the filing transaction,
and delivered later by `flask send-mail`, never inside a request.

Delivery claims each message with a conditional UPDATE before sending, so two senders running at
once never send the same message; a failed attempt is retried later with growing delays.
"""

from __future__ import annotations

import secrets
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from functools import lru_cache
from typing import Any

from flask import current_app, has_request_context, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from complaints import dates, i18n
from complaints.extensions import db
from complaints.models import Complaint, OutboxMessage
from complaints.models.types import utcnow
from complaints.services import audit

LEASE = timedelta(minutes=10)
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15),
                timedelta(hours=1), timedelta(hours=4), timedelta(hours=12))


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute link for an email: PUBLIC_BASE_URL if set, else the current request's host."""
    base = current_app.config.get("PUBLIC_BASE_URL", "")
    if not base and has_request_context():
        base = request.url_root
    path = url_for(endpoint, **values)
    return base.rstrip("/") + path if base else path


@dataclass(frozen=True)
class Acknowledgement:
    """The filer's acknowledgement, rendered and ready for the outbox."""

    language: str
    recipient: str
    subject: str
    body_text: str
    body_html: str
    message_id: str
    kind: str = "acknowledgement"

    def outbox_values(self, complaint_id: int) -> dict[str, Any]:
        """The outbox row that queues it for `complaint_id`."""
        now = utcnow()
        return {"complaint_id": complaint_id, "kind": self.kind, "language": self.language,
                "recipient": self.recipient, "subject": self.subject,
                "body_text": self.body_text, "body_html": self.body_html,
                "message_id": self.message_id, "state": "pending", "attempts": 0,
                "created_at": now, "next_attempt_at": now}


# The receipt number is the one thing that differs between the acknowledgements of a day in a
# language: they are rendered once with this mark, and each filing's number replaces it.
_RECEIPT_MARK = "CR-RECEIPT-MARK"


def render_acknowledgement(*, receipt: str, received_at: datetime, language: str,
                           recipient: str) -> Acknowledgement:
    """The acknowledgement for a complaint, written in the language it was filed in. Rendered
    before the filing's transaction begins, so the database waits for none of it."""
    lang = i18n.language(language)
    with force_locale(lang.code):
        received_on = dates.long_date(received_at)
    status_url = public_url("public.status", locale=lang.url_code)
    subject, body_text, body_html = _acknowledgement_texts(
        lang.code, received_on, status_url, current_app.config["OFFICE_NAME"])
    sender_domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2] or None
    return Acknowledgement(language=lang.code, recipient=recipient,
                           subject=subject.replace(_RECEIPT_MARK, receipt),
                           body_text=body_text.replace(_RECEIPT_MARK, receipt),
                           body_html=body_html.replace(_RECEIPT_MARK, receipt),
                           message_id=make_msgid("ack", domain=sender_domain))


@lru_cache(maxsize=64)
def _acknowledgement_texts(language: str, received_on: str, status_url: str,
                           office_name: str) -> tuple[str, str, str]:
    """(subject, text body, HTML body) with the receipt mark in place of the number."""
    lang = i18n.language(language)
    with force_locale(lang.code):
        context = {"receipt": _RECEIPT_MARK, "received_on": received_on, "lang": lang,
                   "status_url": status_url, "office_name": office_name}
        return (_("We received your complaint %(receipt)s", receipt=_RECEIPT_MARK),
                render_template("emails/acknowledgement.txt", **context),
                render_template("emails/acknowledgement.html", **context))


def render_message_waiting(*, receipt: str, language: str, recipient: str) -> Acknowledgement:
    """The notice that a message from the office waits on the status page, in the filer's
    language. It never carries the message itself: only that there is one and where to read
    it (a mailbox may be read by someone the filer must not trust)."""
    from complaints.domain import letters

    lang = i18n.language(language)
    status_url = public_url("public.status", locale=lang.url_code)
    office_name = current_app.config["OFFICE_NAME"]
    with force_locale(lang.code):
        context = {"receipt": receipt, "lang": lang, "status_url": status_url,
                   "office_name": office_name, "letters": letters}
        subject = _(letters.NOTIFICATION_SUBJECT, receipt=receipt)
        body_text = render_template("emails/message_waiting.txt", **context)
        body_html = render_template("emails/message_waiting.html", subject=subject, **context)
    sender_domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2] or None
    return Acknowledgement(language=lang.code, recipient=recipient, subject=subject,
                           body_text=body_text, body_html=body_html,
                           message_id=make_msgid("msg", domain=sender_domain),
                           kind="message_waiting")


@dataclass
class DeliveryReport:
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    waiting: int = 0


def _build(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    # After the body: set_content() drops Content-* headers set before it.
    email["Content-Language"] = i18n.language(message.language).html_lang
    return email


def _claim(message_id: int, worker: str, now: datetime) -> bool:
    """Take one message for this worker; False if another sender has it or it is done."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state == "pending",
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .values(claimed_by=worker, claimed_until=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]


def _due_ids(now: datetime, limit: int) -> list[int]:
    return list(db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now,
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    ))


def _open_connection() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"],
                        timeout=config["MAIL_TIMEOUT"])
    if config["MAIL_USE_TLS"]:
        smtp.starttls()
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return smtp


def _record_failure(message: OutboxMessage, error: str, permanent: bool, now: datetime,
                    report: DeliveryReport) -> None:
    message.attempts += 1
    message.last_error = error[:2000]
    message.claimed_by = None
    message.claimed_until = None
    if permanent or message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.state = "failed"
        report.failed += 1
        complaint = db.session.get(Complaint, message.complaint_id) if message.complaint_id \
            else None
        audit.record("mail_failed", "system", complaint, outbox_id=message.id, error=error[:200])
    else:
        delay = RETRY_DELAYS[min(message.attempts - 1, len(RETRY_DELAYS) - 1)]
        message.next_attempt_at = now + delay
        report.deferred += 1
    db.session.commit()


def deliver_outbox(limit: int = 500) -> DeliveryReport:
    """Send what is due. Safe to run repeatedly and by several processes at once."""
    report = DeliveryReport()
    if not current_app.config["MAIL_SERVER"]:
        report.waiting = _pending_count()
        return report
    worker = secrets.token_hex(8)
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    smtp: smtplib.SMTP | None = None
    try:
        for message_id in _due_ids(utcnow(), limit):
            now = utcnow()
            if not _claim(message_id, worker, now):
                continue
            message = db.session.get(OutboxMessage, message_id)
            if message is None:
                continue
            try:
                if smtp is None:
                    smtp = _open_connection()
                smtp.send_message(_build(message, sender))
            except smtplib.SMTPRecipientsRefused as exc:
                _record_failure(message, f"recipient refused: {exc.recipients}", True, now,
                                report)
            except smtplib.SMTPResponseException as exc:
                permanent = 500 <= exc.smtp_code < 600 and exc.smtp_code != 552
                _record_failure(message, f"{exc.smtp_code} {exc.smtp_error!r}", permanent, now,
                                report)
                _close(smtp)
                smtp = None
            except (TimeoutError, OSError, smtplib.SMTPException) as exc:
                _record_failure(message, f"{type(exc).__name__}: {exc}", False, now, report)
                _close(smtp)
                smtp = None
            else:
                message.state = "sent"
                message.sent_at = utcnow()
                message.attempts += 1
                message.claimed_by = None
                message.claimed_until = None
                if message.complaint_id:
                    complaint = db.session.get(Complaint, message.complaint_id)
                    audit.record("mail_sent", "system", complaint, outbox_id=message.id,
                                 message_kind=message.kind)
                db.session.commit()
                report.sent += 1
    finally:
        _close(smtp)
    report.waiting = _pending_count()
    return report


def _pending_count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == "pending")
    ) or 0


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
