"""A person files a complaint through the real form in Chromium and reads its status, with and
without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.flows import continue_, file_complaint, read_status


def test_file_and_check_status_with_javascript(page: Page, server) -> None:
    receipt, code = file_complaint(page, server.url)
    expect(page.get_by_role("heading", name="Your complaint was received")).to_be_visible()
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    assert read_status(page, server.url, receipt, code) == "Received"


@pytest.fixture
def page_without_js(browser: Browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def test_file_and_check_status_without_javascript(page_without_js: Page, server) -> None:
    receipt, code = file_complaint(page_without_js, server.url)
    # The print button needs JavaScript, so it stays hidden rather than broken.
    expect(page_without_js.get_by_role("button", name="Print this page")).to_be_hidden()
    assert read_status(page_without_js, server.url, receipt, code) == "Received"


def test_error_summary_takes_focus(page: Page, server) -> None:
    page.goto(f"{server.url}/en/file")
    continue_(page)
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.locator("[data-error-summary]")).to_contain_text("Tell us what happened.")


def test_language_picker_keeps_what_was_typed(page_without_js: Page, server) -> None:
    page = page_without_js
    page.goto(f"{server.url}/en/file")
    page.locator("#narrative").fill("Texto que no se debe perder.")
    page.locator(".language-picker summary").click()
    page.get_by_role("button", name="Español").click()
    expect(page).to_have_url(re.compile(r"/es/file$"))
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.locator("#narrative")).to_have_value("Texto que no se debe perder.")
