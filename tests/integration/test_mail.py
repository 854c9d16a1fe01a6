"""The outbox: acknowledgements are queued in the filing transaction and delivered by send-mail
over real SMTP, once each, retried when the server is down."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from complaints.extensions import db
from complaints.mail import deliver_outbox
from complaints.models import AuditEvent, OutboxMessage


class Recorder:
    """An SMTP handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, recorder
    controller.stop()


@pytest.fixture
def mail_app(app, smtp_server):
    controller, _ = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    yield app
    app.config.update(MAIL_SERVER="", MAIL_PORT=25)


def test_acknowledgement_is_delivered_once(mail_app, smtp_server, file_via_api, runner) -> None:
    _, recorder = smtp_server
    filed = file_via_api(email="ana@example.org")
    file_via_api()  # no address: nothing to send
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert len(recorder.messages) == 1
    message = recorder.messages[0]
    assert message["To"] == "ana@example.org"
    assert filed["receipt"] in message["Subject"]
    assert filed["access_code"] not in message.as_string()
    assert "http://complaints.test/en/status" in message.get_payload()[0].get_payload(decode=True
                                                                                      ).decode()
    again = runner.invoke(args=["send-mail"])
    assert "sent 0" in again.output
    assert len(recorder.messages) == 1
    with mail_app.app_context():
        assert db.session.scalar(select(OutboxMessage.state)) == "sent"
        kinds = set(db.session.scalars(select(AuditEvent.kind)))
        assert {"mail_queued", "mail_sent"} <= kinds


def test_two_senders_at_once_send_each_message_once(mail_app, smtp_server, file_via_api) -> None:
    _, recorder = smtp_server
    for i in range(12):
        file_via_api(email=f"person{i}@example.org")
    errors: list[BaseException] = []

    def sender() -> None:
        try:
            with mail_app.app_context():
                deliver_outbox()
                db.session.remove()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    recipients = sorted(m["To"] for m in recorder.messages)
    assert recipients == sorted(f"person{i}@example.org" for i in range(12))


def test_server_down_means_retry_later(app, file_via_api) -> None:
    file_via_api(email="later@example.org")
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    try:
        with app.app_context():
            report = deliver_outbox()
            assert (report.sent, report.deferred) == (0, 1)
            message = db.session.scalar(select(OutboxMessage))
            assert message.state == "pending"
            assert message.attempts == 1
            assert message.next_attempt_at > message.created_at
            assert message.last_error
            # Not due yet: a second run right away does not retry.
            assert deliver_outbox().deferred == 0
    finally:
        app.config.update(MAIL_SERVER="", MAIL_PORT=25, MAIL_TIMEOUT=20)


def test_without_a_mail_server_mail_waits(runner, file_via_api) -> None:
    file_via_api(email="wait@example.org")
    result = runner.invoke(args=["send-mail"])
    assert "still waiting 1" in result.output
    assert "MAIL_SERVER" in result.output
