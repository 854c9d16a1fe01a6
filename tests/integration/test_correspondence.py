"""Correspondence with the filer: letters in the complaint's language, requests for information
that drive the workflow, the filer's answers, notifications without content, printed letters,
the queue's marks, and the same rules through the API and the pages (SQLite and PostgreSQL)."""

from __future__ import annotations

import html
import re
from typing import Any

from sqlalchemy import select

from complaints.extensions import db
from complaints.models import AuditEvent, Complaint, Message, OutboxMessage


def text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def stored(app: Any, receipt: str) -> Complaint:
    with app.app_context():
        row = db.session.scalar(select(Complaint).where(Complaint.receipt == receipt))
        assert row is not None
        db.session.expunge(row)
        return row


def kinds(app: Any, receipt: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(
            select(AuditEvent.kind).join(Complaint, Complaint.id == AuditEvent.complaint_id)
            .where(Complaint.receipt == receipt).order_by(AuditEvent.id)))


# -- the API round trip ----------------------------------------------------------------------

def test_request_reply_and_back_to_review_through_the_api(app, client, make_staff,
                                                          file_via_api) -> None:
    filed = file_via_api(language="es", email="filer@example.org")
    receipt, code = filed["receipt"], filed["access_code"]
    token = make_staff("intake").token(app)
    sent = client.post(f"/api/v1/complaints/{receipt}/messages", headers=bearer(token),
                       json={"template": "request_information",
                             "note": "¿En qué fecha ocurrió?"})
    assert sent.status_code == 201, sent.get_json()
    answer = sent.get_json()
    assert answer["status"] == "awaiting_information"
    assert answer["template"] == "request_information"
    assert answer["language"] == "es"
    assert stored(app, receipt).status == "awaiting_information"

    read = client.get(f"/api/v1/complaints/{receipt}/messages",
                      headers={"X-Access-Code": code})
    assert read.status_code == 200
    [letter] = read.get_json()["messages"]
    assert letter["from"] == "office"
    assert letter["language"] == "es"
    assert "Oficina de Derechos Civiles" in letter["body"]
    assert "Necesitamos más información" in letter["body"]
    assert "¿En qué fecha ocurrió?" in letter["body"]
    assert receipt in letter["body"]

    replied = client.post(f"/api/v1/complaints/{receipt}/messages",
                          headers={"X-Access-Code": code},
                          json={"body": "Ocurrió el 3 de enero."})
    assert replied.status_code == 201, replied.get_json()
    assert stored(app, receipt).status == "intake_review"
    listing = client.get(f"/api/v1/complaints/{receipt}/messages",
                         headers={"X-Access-Code": code}).get_json()["messages"]
    assert [m["from"] for m in listing] == ["filer", "office"]  # newest first

    staff_view = client.get(f"/api/v1/complaints/{receipt}/messages",
                            headers=bearer(token)).get_json()["messages"]
    assert staff_view[0]["body"] == "Ocurrió el 3 de enero."
    assert staff_view[1]["note"] == "¿En qué fecha ocurrió?"
    events = kinds(app, receipt)
    assert events.count("transition") == 3  # received -> review -> awaiting -> review
    assert "message_sent" in events
    assert "message_received" in events


def test_wrong_code_and_unknown_receipt_are_the_same_404(client, file_via_api) -> None:
    filed = file_via_api()
    receipt = filed["receipt"]
    answers = [
        client.get(f"/api/v1/complaints/{receipt}/messages", headers={"X-Access-Code": "nope"}),
        client.get(f"/api/v1/complaints/{receipt}/messages"),
        client.get("/api/v1/complaints/CR-AAAA-AAAA/messages",
                   headers={"X-Access-Code": filed["access_code"]}),
        client.post(f"/api/v1/complaints/{receipt}/messages", json={"body": "hello"},
                    headers={"X-Access-Code": "wrong"}),
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.get_data() for a in answers}) == 1


def test_free_text_needs_its_language_and_replies_follow_intake_rules(
        app, client, make_staff, file_via_api) -> None:
    filed = file_via_api()
    receipt, code = filed["receipt"], filed["access_code"]
    token = make_staff("supervisor").token(app)
    url = f"/api/v1/complaints/{receipt}/messages"
    missing = client.post(url, headers=bearer(token), json={"body": "Hello"})
    assert missing.status_code == 422
    assert "language" in missing.get_json()["message"]
    ok = client.post(url, headers=bearer(token), json={"body": "Hello", "language": "en"})
    assert ok.status_code == 201
    assert ok.get_json()["status"] == "received"  # free text moves nothing
    blank = client.post(url, headers={"X-Access-Code": code}, json={"body": "   "})
    assert blank.status_code == 422
    assert blank.get_json()["errors"]["body"] == ["Write your message first."]
    long = client.post(url, headers={"X-Access-Code": code}, json={"body": "x" * 10_001})
    assert long.status_code == 422
    assert "10,000" in long.get_json()["errors"]["body"][0]
    extra = client.post(url, headers={"X-Access-Code": code}, json={"body": "x", "to": "y"})
    assert extra.status_code == 422
    assert "to" in extra.get_json()["errors"]


def test_the_notification_says_only_that_a_message_waits(app, client, make_staff,
                                                         file_via_api) -> None:
    filed = file_via_api(language="fr", email="filer@example.org")
    token = make_staff("intake").token(app)
    secret = "Quel est le nom de l'agent QZX-SECRET?"
    client.post(f"/api/v1/complaints/{filed['receipt']}/messages", headers=bearer(token),
                json={"template": "request_information", "note": secret})
    with app.app_context():
        notices = list(db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "message_waiting")))
    assert len(notices) == 1
    notice = notices[0]
    assert notice.language == "fr"
    assert "QZX-SECRET" not in notice.body_text + (notice.body_html or "") + notice.subject
    assert "message" in notice.subject.lower()
    assert "http://complaints.test/fr/status" in notice.body_text


def test_without_email_the_letter_waits_to_be_printed(app, client, make_staff,
                                                      file_via_api) -> None:
    filed = file_via_api(language="ar", address="12 Main St\nSpringfield")
    token = make_staff("intake").token(app)
    client.post(f"/api/v1/complaints/{filed['receipt']}/messages", headers=bearer(token),
                json={"template": "acknowledgement"})
    with app.app_context():
        message = db.session.scalar(select(Message))
        assert message.delivery == "print"
        assert message.printed_at is None
        assert db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.kind == "message_waiting")) is None


# -- the status page -------------------------------------------------------------------------

def test_the_status_page_shows_messages_only_with_the_code_and_takes_an_answer(
        app, client, make_staff, file_via_api) -> None:
    filed = file_via_api(language="en")
    receipt, code = filed["receipt"], filed["access_code"]
    token = make_staff("intake").token(app)
    client.post(f"/api/v1/complaints/{receipt}/messages", headers=bearer(token),
                json={"template": "request_information",
                      "note": "Which facility were you held in?"})
    assert "Which facility" not in text(client.get("/en/status"))
    wrong = text(client.post("/en/status", data={"receipt": receipt, "access_code": "X" * 16}))
    assert "We could not find that complaint" in wrong
    assert "Which facility" not in wrong

    page = text(client.post("/en/status", data={"receipt": receipt, "access_code": code}))
    assert "Messages" in page
    assert "From us" in page
    assert "Which facility were you held in?" in page
    assert "We need more information" in page
    # The page never shows the code again: its message form carries a signed token.
    assert code not in page
    token = re.search(r'name="reply_token" value="([^"]+)"', page).group(1)

    empty = client.post("/en/status", data={"reply_token": token, "action": "reply",
                                            "message": "  "})
    assert "Write your message first." in text(empty)
    assert stored(app, receipt).status == "awaiting_information"
    forged = text(client.post("/en/status", data={"reply_token": token + "x",
                                                  "receipt": receipt, "action": "reply",
                                                  "message": "The Eloy facility."}))
    assert "Enter the access code" in forged
    assert "The Eloy facility." in forged
    assert "Which facility" not in forged

    sent = text(client.post("/en/status", data={"reply_token": token, "action": "reply",
                                                "message": "The Eloy facility."}))
    assert "We received your message. Thank you." in sent
    assert sent.index("The Eloy facility.") < sent.index("Which facility")  # newest first
    assert "From you" in sent
    assert stored(app, receipt).status == "intake_review"


def test_a_message_typed_before_a_failed_look_up_is_kept(client, file_via_api) -> None:
    filed = file_via_api()
    page = text(client.post("/en/status", data={
        "receipt": filed["receipt"], "access_code": "wrong", "action": "reply",
        "message": "My long answer that must not be lost."}))
    assert "We could not find that complaint" in page
    assert "My long answer that must not be lost." in page


def test_free_text_in_another_language_is_flagged_to_the_filer(
        app, client, make_staff, file_via_api) -> None:
    filed = file_via_api(language="en")
    token = make_staff("intake").token(app)
    client.post(f"/api/v1/complaints/{filed['receipt']}/messages", headers=bearer(token),
                json={"body": "Hola, ¿puede llamarnos?", "language": "es"})
    page = text(client.post("/en/status", data={"receipt": filed["receipt"],
                                                "access_code": filed["access_code"]}))
    assert "This message is in Spanish." in page
    assert 'lang="es"' in page


# -- the staff pages -------------------------------------------------------------------------

def test_staff_preview_in_both_languages_then_send_and_see_the_reply(
        app, client, staff_client, file_via_api) -> None:
    filed = file_via_api(language="zh_Hant", email="filer@example.org")
    receipt = filed["receipt"]
    staff, _member = staff_client("intake")
    page = text(staff.get(f"/staff/complaints/{receipt}"))
    assert "Correspondence with the filer" in page
    assert 'value="acknowledgement" selected' in page  # suggested for a new complaint

    preview = staff.post(f"/staff/complaints/{receipt}/messages", data={
        "action": "preview", "template": "request_information",
        "note": "您被關在哪個拘留中心？", "language": "zh_Hant"})
    assert preview.status_code == 200
    shown = text(preview)
    filer_pane = re.search(r'data-testid="preview-filer">(.*?)</div>', shown, re.S).group(1)
    english_pane = re.search(r'data-testid="preview-english">(.*?)</div>', shown, re.S).group(1)
    assert "您被關在哪個拘留中心？" in filer_pane
    assert "您被關在哪個拘留中心？" in english_pane
    assert "We need more information from you" in english_pane
    assert "We need more information" not in filer_pane
    assert receipt in filer_pane
    assert stored(app, receipt).status == "received"  # a preview changes nothing

    version = re.search(r'class="usa-form message-send".*?name="version" value="(\d+)"', shown,
                        re.S).group(1)
    sent = staff.post(f"/staff/complaints/{receipt}/messages", data={
        "action": "send", "template": "request_information", "version": version,
        "note": "您被關在哪個拘留中心？", "language": "zh_Hant"})
    assert sent.status_code == 302
    assert stored(app, receipt).status == "awaiting_information"

    client.post(f"/api/v1/complaints/{receipt}/messages",
                headers={"X-Access-Code": filed["access_code"]}, json={"body": "在 Eloy。"})
    queue = text(staff.get("/staff/?replied=yes"))
    assert receipt in queue
    assert "filer replied" in queue
    case = text(staff.get(f"/staff/complaints/{receipt}"))
    assert "在 Eloy。" in case
    assert "The filer replied" in case
    assert "The filer answered through the API." in case  # the timeline
    assert "sent the filer the letter “Request for information” in Chinese" in case
    staff.post(f"/staff/complaints/{receipt}/messages/read")
    assert receipt not in text(staff.get("/staff/?replied=yes"))


def test_a_refused_message_keeps_what_was_typed(app, staff_client, file_via_api) -> None:
    filed = file_via_api()
    staff, _member = staff_client("intake")
    refused = staff.post(f"/staff/complaints/{filed['receipt']}/messages", data={
        "action": "preview", "template": "request_information", "note": "",
        "body": "", "language": "en"})
    assert refused.status_code == 422
    assert "Write the questions you are asking the filer." in text(refused)
    free = staff.post(f"/staff/complaints/{filed['receipt']}/messages", data={
        "action": "send", "template": "", "body": "Please call us back.", "language": "xx"})
    assert free.status_code == 422
    assert "Please call us back." in text(free)


def test_letters_for_filers_without_email_are_printed_and_recorded(
        app, staff_client, file_via_api) -> None:
    filed = file_via_api(language="ar", name="Amal", address="12 Main St\nTucson, AZ 85701")
    staff, _member = staff_client("intake")
    receipt = filed["receipt"]
    staff.post(f"/staff/complaints/{receipt}/messages", data={
        "action": "send", "template": "", "body": "نرجو الاتصال بنا.", "language": "ar"})
    listing = text(staff.get("/staff/letters"))
    assert receipt in listing
    ident = re.search(r'/staff/letters/(\d+)/print', listing).group(1)
    letter = staff.get(f"/staff/letters/{ident}/print")
    page = text(letter)
    assert '<html lang="ar" dir="rtl">' in page
    assert "نرجو الاتصال بنا." in page
    assert "Tucson, AZ 85701" in page
    assert "مكتب الحقوق المدنية والحريات المدنية" in page  # the letterhead, in Arabic
    assert 'class="letter-toolbar" lang="en" dir="ltr"' in page
    assert staff.post(f"/staff/letters/{ident}/printed").status_code == 302
    assert receipt not in text(staff.get("/staff/letters"))
    assert "letter_printed" in kinds(app, receipt)


def test_overdue_requests_show_in_the_queue(app, client, staff_client, file_via_api) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    filed = file_via_api()
    staff, _member = staff_client("intake")
    staff.post(f"/staff/complaints/{filed['receipt']}/messages", data={
        "action": "send", "template": "request_information", "note": "When?"})
    assert filed["receipt"] not in text(staff.get("/staff/?overdue=yes"))
    with app.app_context():
        message = db.session.scalar(select(Message))
        db.session.execute(update(Message).values(
            created_at=message.created_at - timedelta(days=31)))
        db.session.commit()
    queue = text(staff.get("/staff/?overdue=yes"))
    assert filed["receipt"] in queue
    assert "request overdue" in queue


def test_restricted_messages_need_the_grant(app, client, staff_client, make_staff,
                                            file_via_api) -> None:
    filed = file_via_api(primary_category="sexual_abuse", categories=[],
                         narrative="An officer assaulted me at night in the unit.")
    receipt = filed["receipt"]
    plain = make_staff("supervisor").token(app)
    granted = make_staff("supervisor", restricted=True).token(app)
    url = f"/api/v1/complaints/{receipt}/messages"
    assert client.get(url, headers=bearer(plain)).status_code == 403
    assert client.post(url, headers=bearer(plain),
                       json={"body": "Hi", "language": "en"}).status_code == 403
    assert client.post(url, headers=bearer(granted),
                       json={"body": "Hi", "language": "en"}).status_code == 201
    assert kinds(app, receipt).count("viewed_restricted") == 3
    for role in ("analyst", "admin"):
        token = make_staff(role).token(app)
        assert client.get(url, headers=bearer(token)).status_code == 403


# -- every letter in every language ----------------------------------------------------------

def test_every_letter_renders_in_all_16_languages_with_the_case_details(
        app, file_via_api) -> None:
    from datetime import UTC, datetime

    from complaints.domain.letters import TEMPLATES
    from complaints.i18n import LANGUAGES
    from complaints.services import correspondence

    filed = file_via_api(components=["ICE", "CBP"])
    sent_at = datetime(2026, 3, 2, 15, tzinfo=UTC)
    with app.test_request_context():
        complaint = db.session.scalar(select(Complaint).where(
            Complaint.receipt == filed["receipt"]))
        for lang in LANGUAGES:
            for template in TEMPLATES:
                letter = correspondence.render_letter(complaint, template.code, "NOTE-TEXT",
                                                      lang.code, sent_at=sent_at)
                assert letter.language == lang.code
                assert filed["receipt"] in letter.body
                assert filed["receipt"] in letter.subject
                assert "NOTE-TEXT" in letter.body
                assert "%(" not in letter.body
                if lang.code != "en":
                    assert "We " not in letter.body, (lang.code, template.code)
            english = correspondence.render_letter(complaint, "request_information", "Q?",
                                                   "en", sent_at=sent_at)
            assert "April 1, 2026" in english.body  # answer by: 30 days later
            referral = correspondence.render_letter(complaint, "referred_component", None, "en")
            assert "U.S. Immigration and Customs Enforcement (ICE) and U.S. Customs" in \
                referral.body


# -- the notification over real SMTP ---------------------------------------------------------

def test_the_notification_email_carries_no_message_text_and_speaks_the_filers_language(
        app, client, make_staff, file_via_api, runner) -> None:
    from tests.integration.test_mail import Controller, Recorder, free_port

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    try:
        filed = file_via_api(language="ru", email="filer@example.org")
        token = make_staff("intake").token(app)
        question = "Как зовут офицера? SECRET-QUESTION-7"
        client.post(f"/api/v1/complaints/{filed['receipt']}/messages", headers=bearer(token),
                    json={"template": "request_information", "note": question})
        result = runner.invoke(args=["send-mail"])
        assert result.exit_code == 0, result.output
    finally:
        controller.stop()
        app.config.update(MAIL_SERVER="", MAIL_PORT=25)
    notices = [m for m in recorder.messages if "ack" not in m["Message-ID"]]
    assert len(notices) == 1
    notice = notices[0]
    whole = notice.as_string()
    parts = [p.get_payload(decode=True).decode() for p in notice.walk()
             if p.get_content_maintype() == "text"]
    assert "SECRET-QUESTION-7" not in whole + "".join(parts)
    assert "Как зовут" not in "".join(parts)
    assert notice["Content-Language"] == "ru"
    assert "новое сообщение" in "".join(parts).lower() or "сообщени" in "".join(parts)
    assert "http://complaints.test/ru/status" in parts[0]
    assert filed["receipt"] in notice["Subject"]


# -- statistics ------------------------------------------------------------------------------

def test_statistics_count_letters_requests_and_the_days_to_an_answer(
        app, client, make_staff, staff_client, file_via_api) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from complaints.stats.correspondence import correspondence_stats

    token = make_staff("intake").token(app)
    first, second = file_via_api(), file_via_api(narrative="Another complaint entirely here.")
    for filed in (first, second):
        client.post(f"/api/v1/complaints/{filed['receipt']}/messages", headers=bearer(token),
                    json={"template": "request_information", "note": "When?"})
    client.post(f"/api/v1/complaints/{first['receipt']}/messages", headers=bearer(token),
                json={"body": "Thanks", "language": "en"})
    with app.app_context():  # the first request was sent four days ago
        request = db.session.scalar(select(Message).join(Complaint).where(
            Complaint.receipt == first["receipt"], Message.template == "request_information"))
        db.session.execute(update(Message).where(Message.id == request.id).values(
            created_at=request.created_at - timedelta(days=4)))
        db.session.commit()
    client.post(f"/api/v1/complaints/{first['receipt']}/messages",
                headers={"X-Access-Code": first["access_code"]}, json={"body": "In May."})
    with app.app_context():
        figures = correspondence_stats()
    assert figures.sent["request_information"] == 2
    assert figures.sent["free_text"] == 1
    assert figures.sent["closed"] == 0
    assert figures.requests == 2
    assert figures.answered == 1
    assert figures.median_days_to_answer == 4.0
    assert figures.replies == 1
    stats, _member = staff_client("supervisor")
    page = text(stats.get("/staff/stats"))
    assert "Correspondence with filers" in page
    assert "Requests for information sent: 2; answered by the filer: 1; median days to the " \
           "filer's answer: 4.0." in page


# -- rate limits -----------------------------------------------------------------------------

def test_the_filers_messages_are_rate_limited_like_the_status_look_up(app_factory,
                                                                       make_staff) -> None:
    import os
    import uuid

    from complaints.extensions import limiter
    from tests.conftest import valid_intake

    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STATUS="2 per minute",
                          RATELIMIT_STORAGE_URI=os.environ.get("TEST_REDIS_URL", "memory://"),
                          RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    try:
        client = limited.test_client()
        filed = client.post("/api/v1/complaints", json=valid_intake()).get_json()
        url = f"/api/v1/complaints/{filed['receipt']}/messages"
        codes = [client.get(url, headers={"X-Access-Code": "wrong"}).status_code
                 for _ in range(3)]
        assert codes == [404, 404, 429]
        assert client.post(url, headers={"X-Access-Code": filed["access_code"]},
                           json={"body": "hello"}).status_code == 429
        data = {"receipt": filed["receipt"], "access_code": "x", "action": "reply",
                "message": "Kept text."}
        pages = [client.post("/en/status", data=data) for _ in range(3)]
        assert [p.status_code for p in pages] == [200, 200, 429]
        page = pages[-1]
        assert "Kept text." in text(page)
    finally:
        limiter.reset()
        limiter.enabled = False


def test_each_line_of_a_letter_reads_in_its_own_direction(app, client, make_staff,
                                                          file_via_api) -> None:
    """An English question quoted in an Arabic letter keeps its punctuation at its end, and
    the receipt number stays one word, on the filer's page."""
    filed = file_via_api(language="ar")
    receipt, code = filed["receipt"], filed["access_code"]
    token = make_staff("intake").token(app)
    client.post(f"/api/v1/complaints/{receipt}/messages", headers=bearer(token),
                json={"template": "request_information", "note": "Who moved you? When?"})
    page = client.post("/ar/status", data={"receipt": receipt, "access_code": code}
                       ).get_data(as_text=True)
    assert '<span dir="auto">Who moved you? When?</span>' in page
    assert f'<bdi class="receipt-number">{receipt}</bdi>' in page
    body = re.search(r'<div class="message__body"[^>]*dir="rtl">(.*?)</div>', page, re.S)
    assert body is not None
    lines = [line for line in body.group(1).split("\n") if line]
    assert all(line.startswith('<span dir="auto">') for line in lines), lines
