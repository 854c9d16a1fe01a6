"""Filing in Arabic and in Chinese through the real form; right-to-left layout; the
acknowledgement email in the filer's language; and WCAG 2.1 AA checks with axe-core."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from axe_playwright_python.sync_playwright import Axe
from flask_babel import force_locale, gettext
from playwright.sync_api import Page

from complaints.extensions import db
from complaints.mail import deliver_outbox
from tests.browser.accessibility import WCAG_21_AA
from tests.browser.flows import file_complaint, read_status


class Recorder:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp(server):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    server.app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield recorder
    server.app.config.update(MAIL_SERVER="", MAIL_PORT=25)
    controller.stop()


def translated(app, locale: str, message: str, **values: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return gettext(message, **values)


def deliver(app) -> None:
    with app.app_context():
        deliver_outbox()
        db.session.remove()


@pytest.mark.parametrize(("locale", "narrative", "direction"), [
    ("ar", "لم يكن هناك ماء صالح للشرب في الوحدة ب منذ خمسة أيام.", "rtl"),
    ("zh_Hans", "B区已经五天没有干净的饮用水了，看守不理我们的请求。", "ltr"),
])
def test_filing_in_the_filers_language(page: Page, server, smtp, locale, narrative,
                                       direction) -> None:
    url_locale = locale.replace("_", "-").lower()
    seen_directions: list[str] = []

    def check(p: Page, name: str) -> None:
        seen_directions.append(p.evaluate("getComputedStyle(document.body).direction"))

    receipt, code = file_complaint(page, server.url, url_locale, narrative=narrative,
                                   email=f"{url_locale}@example.org", check=check)
    assert set(seen_directions) == {direction}
    assert page.locator("html").get_attribute("lang") == locale.replace("_", "-")
    status = read_status(page, server.url, receipt, code, url_locale)
    assert status == translated(server.app, locale, "Received")
    assert status != "Received"

    deliver(server.app)
    [message] = [m for m in smtp.messages if m["To"] == f"{url_locale}@example.org"]
    subject = str(make_header(decode_header(message["Subject"])))
    expected = translated(server.app, locale, "We received your complaint %(receipt)s",
                          receipt=receipt)
    assert subject == expected
    assert expected != f"We received your complaint {receipt}"
    assert message["Content-Language"] == locale.replace("_", "-")
    body = message.get_body(("plain",)).get_content()
    assert translated(server.app, locale, "We received your complaint.") in body


@pytest.mark.parametrize("locale", ["en", "es", "ar", "zh-hans"])
def test_public_pages_meet_wcag_21_aa(page: Page, server, locale) -> None:
    axe = Axe()
    failures: dict[str, str] = {}

    def check(p: Page, name: str) -> None:
        results = axe.run(p, options=WCAG_21_AA)
        if results.violations_count:
            failures[name] = results.generate_report()

    receipt, code = file_complaint(page, server.url, locale, check=check)
    read_status(page, server.url, receipt, code, locale, check=check)
    assert set(failures) == set(), "\n".join(f"{k}:\n{v}" for k, v in failures.items())
