"""Evidence files in Chromium: without JavaScript, files chosen on the files step survive a
language switch and an error on another step, and are filed once; with JavaScript the same
step works through the background sending. Screenshots of the step in English and Arabic."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from complaints.extensions import db
from complaints.models import Attachment
from complaints.services import attachments as service
from tests import attachment_samples as samples
from tests.browser.flows import choose, continue_, step_is

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "screenshots"))


@pytest.fixture
def page_without_js(browser: Browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def to_files_step(page: Page, base_url: str, locale: str = "en") -> None:
    page.goto(f"{base_url}/{locale}/file")
    choose(page, "primary_category-detention_conditions")
    page.locator("#narrative").fill("The guards hit my brother; here are photos of his arm.")
    page.locator("#incident_month_m").select_option("02")
    page.locator("#incident_year").fill("2026")
    continue_(page)
    step_is(page, 2)
    choose(page, "components-ICE")
    continue_(page)
    step_is(page, 3)
    continue_(page)
    step_is(page, 4)
    continue_(page)
    step_is(page, 5)


def choose_files(page: Page) -> None:
    page.locator("#files").set_input_files([
        {"name": "arm.png", "mimeType": "image/png", "buffer": samples.png_with_gps()},
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()},
    ])


def test_files_survive_languages_and_errors_without_javascript(page_without_js: Page,
                                                               server) -> None:
    page = page_without_js
    to_files_step(page, server.url)
    expect(page.get_by_test_id("no-uploads")).to_be_visible()
    choose_files(page)
    # Switching language sends the chosen files with the form; they are listed in Spanish.
    page.locator(".language-picker summary").click()
    page.get_by_role("button", name="Español").click()
    uploads = page.get_by_test_id("uploads")
    expect(uploads).to_contain_text("arm.png")
    expect(uploads).to_contain_text("Documento PDF")
    continue_(page)  # on to review (still in Spanish)
    step_is(page, 6)
    expect(page.locator("[data-field=files]")).to_contain_text("letter.pdf")
    # Back to the first step, an error there, then fixed: the files are still with the form.
    page.locator("button[value='goto:what']").click()
    step_is(page, 1)
    page.locator("#narrative").fill("")
    continue_(page)
    expect(page.locator("[data-error-summary]")).to_be_visible()
    page.locator("#narrative").fill("The guards hit my brother; here are photos of his arm.")
    for number in (2, 3, 4, 5):
        continue_(page)
        step_is(page, number)
    expect(page.get_by_test_id("uploads")).to_contain_text("letter.pdf")
    continue_(page)
    step_is(page, 6)
    choose(page, "privacy_acknowledged")
    page.locator("#complaint-form button[name=action][value=submit]").click()
    expect(page.get_by_test_id("receipt")).to_be_visible()
    with server.app.app_context():
        files = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
        assert [f.name for f in files] == ["arm.png", "letter.pdf"]
        kept = Image.open(io.BytesIO(service.content(files[0])))
        assert not kept.getexif(), "the photo's GPS position is gone"


def test_a_refused_file_is_explained_and_others_kept_with_javascript(page: Page, server) -> None:
    to_files_step(page, server.url)
    page.locator("#files").set_input_files([
        {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": samples.executable()},
        {"name": "cell.jpg", "mimeType": "image/jpeg", "buffer": samples.jpeg_with_gps()},
    ])
    page.locator("button.add-files").click()
    expect(page.locator("[data-error-summary]")).to_contain_text(
        "“photo.jpg” is not a kind of file we accept")
    expect(page.get_by_test_id("uploads")).to_contain_text("cell.jpg")
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_test_id("no-uploads")).to_be_visible()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_screenshot_of_the_files_step(browser: Browser, server, locale: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  java_script_enabled=False)
    page = context.new_page()
    to_files_step(page, server.url, locale)
    page.locator("#files").set_input_files([
        {"name": "صورة الذراع.png" if locale == "ar" else "arm.png", "mimeType": "image/png",
         "buffer": samples.png_with_gps()},
        {"name": "program.exe", "mimeType": "application/octet-stream",
         "buffer": samples.executable()},
    ])
    page.locator("button.add-files").click()
    expect(page.get_by_test_id("uploads")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scroll"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"files-step-{locale}-390.png"), full_page=True)
    context.close()
