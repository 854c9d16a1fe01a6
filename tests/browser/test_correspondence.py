"""Correspondence in Chromium, right to left: staff send a request for information to an
Arabic-speaking filer, who reads it and answers on the Arabic status page without JavaScript;
staff see the answer; the new pages (case page with a preview, status page with messages,
letters to print and a printed letter) meet WCAG 2.1 AA according to axe-core."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, expect

from tests.browser.accessibility import AxeChecks
from tests.browser.staff_flows import make_staff, open_case, open_queue, sign_in
from tests.conftest import valid_intake

QUESTION = "ما اسم مركز الاحتجاز الذي كنت فيه؟"
ANSWER = "كنت في مركز إيلوي."


def seed(app: Any, **changes: Any) -> tuple[str, str]:
    from complaints.extensions import db
    from complaints.services.intake import file_complaint

    with app.test_request_context():
        filed = file_complaint(valid_intake(**changes), channel="api", default_language="en",
                               actor="api")
        result = filed.complaint.receipt, filed.access_code or ""
        db.session.remove()
    return result


def status_of(app: Any, receipt: str) -> str:
    from complaints.extensions import db
    from complaints.services import cases

    with app.app_context():
        complaint = cases.find(receipt)
        assert complaint is not None
        status = complaint.status
        db.session.remove()
    return status


def test_a_request_in_arabic_is_read_and_answered_right_to_left(server, browser: Browser
                                                                ) -> None:
    receipt, code = seed(server.app, language="ar", name="Amal",
                         address="12 Main St\nTucson, AZ 85701")
    axe = AxeChecks()
    staff_context = browser.new_context()
    filer_context = browser.new_context(java_script_enabled=False)
    try:
        staff = staff_context.new_page()
        sign_in(staff, server.url, make_staff(server.app, "intake", name="Nadia Officer"))
        open_queue(staff, server.url)
        open_case(staff, receipt)
        compose = staff.locator("form.message-compose")
        compose.get_by_label("Letter", exact=True).select_option(value="request_information")
        compose.get_by_label("Questions or note for the letter").fill(QUESTION)
        compose.get_by_role("button", name="Preview").click()
        filer_pane = staff.get_by_test_id("preview-filer")
        expect(filer_pane).to_have_attribute("dir", "rtl")
        expect(filer_pane).to_contain_text(QUESTION)
        expect(filer_pane).to_contain_text("شكواك")
        expect(staff.get_by_test_id("preview-english")).to_contain_text(
            "We need more information from you")
        axe(staff, "case page with a preview")
        staff.get_by_test_id("send-message").click()
        expect(staff.locator(".usa-alert--success")).to_contain_text("Message sent.")
        assert status_of(server.app, receipt) == "awaiting_information"

        filer = filer_context.new_page()
        filer.goto(f"{server.url}/ar/status")
        filer.locator("#receipt").fill(receipt)
        filer.locator("#access_code").fill(code)
        filer.locator("#status-form button[type=submit]").click()
        expect(filer.locator("html")).to_have_attribute("dir", "rtl")
        message = filer.get_by_test_id("message").first
        expect(message).to_contain_text(QUESTION)
        expect(message.locator(".message__body")).to_have_attribute("dir", "rtl")
        filer.locator("#message").fill(ANSWER)
        filer.locator("button[name=action][value=reply]").click()
        expect(filer.get_by_test_id("reply-sent")).to_be_visible()
        expect(filer.get_by_test_id("message").first).to_contain_text(ANSWER)
        assert status_of(server.app, receipt) == "intake_review"
        # axe-core runs as JavaScript: the same page is checked in a context that has it.
        checked = staff_context.browser.new_context().new_page()  # type: ignore[union-attr]
        checked.goto(f"{server.url}/ar/status")
        checked.locator("#receipt").fill(receipt)
        checked.locator("#access_code").fill(code)
        checked.locator("#status-form button[type=submit]").click()
        expect(checked.get_by_test_id("message")).to_have_count(2)
        axe(checked, "status page with messages (ar)")
        checked.context.close()

        open_queue(staff, server.url, replied="yes")
        expect(staff.get_by_test_id("tag-replied")).to_have_count(1)
        open_case(staff, receipt)
        expect(staff.get_by_test_id("conversation")).to_contain_text(ANSWER)
        expect(staff.get_by_test_id("filer-replied")).to_be_visible()

        staff.goto(f"{server.url}/staff/letters")
        expect(staff.get_by_test_id("letters-to-print")).to_contain_text(receipt)
        axe(staff, "letters to print")
        staff.get_by_role("link", name="Print view").first.click()
        expect(staff.locator("html")).to_have_attribute("dir", "rtl")
        expect(staff.get_by_test_id("letter")).to_contain_text(QUESTION)
        axe(staff, "printed letter (ar)")
        staff.get_by_test_id("record-printed").click()
        expect(staff.locator(".usa-alert--success")).to_contain_text("Recorded as printed.")
    finally:
        staff_context.close()
        filer_context.close()
    axe.assert_clean()
