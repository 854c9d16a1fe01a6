"""A person files a complaint through the real form in Chromium and reads its status, with and
without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect


def choose(page: Page, input_id: str) -> None:
    """Tick a USWDS radio or checkbox the way a person does: by its label."""
    page.locator(f"label[for='{input_id}']").click()


def file_complaint(page: Page, base_url: str) -> tuple[str, str]:
    page.goto(f"{base_url}/")
    expect(page).to_have_url(re.compile(r"/en/$"))
    page.get_by_role("link", name="Start your complaint").click()

    expect(page.get_by_role("heading", name=re.compile("What happened"))).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Tell us what happened.")

    choose(page, "primary_category-detention_conditions")
    choose(page, "categories-medical_care")
    page.get_by_label("What happened?").fill(
        "There has been no clean drinking water in unit B for five days.")
    page.locator("#incident_month_m").select_option("02")
    page.locator("#incident_year").fill("2026")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name=re.compile("Where and who"))).to_be_visible()
    choose(page, "components-ICE")
    page.get_by_label("City or town").fill("El Paso")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name=re.compile("Safety"))).to_be_visible()
    choose(page, "currently_detained-yes")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name=re.compile("About you"))).to_be_visible()
    page.get_by_label("Email address").fill("filer@example.org")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name=re.compile("Review and submit"))).to_be_visible()
    expect(page.locator(".review-list")).to_contain_text(["no clean drinking water"])
    expect(page.get_by_text("El Paso")).to_be_visible()
    choose(page, "privacy_acknowledged")
    page.get_by_role("button", name="Submit complaint").click()

    expect(page.get_by_role("heading", name="Your complaint was received")).to_be_visible()
    receipt = page.get_by_test_id("receipt").inner_text().strip()
    code = page.get_by_test_id("access-code").inner_text().strip()
    assert re.fullmatch(r"CR-[A-Z0-9]{4}-[A-Z0-9]{4}", receipt)
    return receipt, code


def read_status(page: Page, base_url: str, receipt: str, code: str) -> None:
    page.goto(f"{base_url}/en/status")
    page.get_by_label("Receipt number").fill(receipt)
    page.get_by_label("Access code").fill(code)
    page.get_by_role("button", name="Check status").click()
    expect(page.get_by_test_id("public-status")).to_have_text("Received")


def test_file_and_check_status_with_javascript(page: Page, server) -> None:
    receipt, code = file_complaint(page, server.url)
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    read_status(page, server.url, receipt, code)


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
    read_status(page_without_js, server.url, receipt, code)


def test_error_summary_takes_focus(page: Page, server) -> None:
    page.goto(f"{server.url}/en/file")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()


def test_language_picker_keeps_what_was_typed(page_without_js: Page, server) -> None:
    page = page_without_js
    page.goto(f"{server.url}/en/file")
    page.get_by_label("What happened?").fill("Texto que no se debe perder.")
    page.locator(".language-picker summary").click()
    page.get_by_role("button", name="Español").click()
    expect(page).to_have_url(re.compile(r"/es/file$"))
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.locator("#narrative")).to_have_value("Texto que no se debe perder.")
