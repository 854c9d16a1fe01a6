"""What a person sees and can tap in Chromium: the language picker on a phone, focus rings, the
error summary's links, codes lined up with their labels right to left, and a double press on
"Submit complaint"."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import Complaint
from tests.browser.flows import choose, continue_, file_complaint, step_is

# Is the element itself (or something inside it) what a finger at its centre would touch?
TOUCHABLE = """el => {
  const box = el.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return hit !== null && (hit === el || el.contains(hit));
}"""


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def any_page(request: pytest.FixtureRequest, browser: Browser):
    context = browser.new_context(java_script_enabled=request.param)
    yield context.new_page()
    context.close()


PHONES = [(width, locale, path, True) for width in (320, 390) for locale in ("en", "ar")
          for path in ("", "file")] + [(320, "ar", "file", False), (390, "en", "", False)]


@pytest.mark.parametrize(("width", "locale", "path", "javascript"), PHONES)
def test_every_language_in_the_picker_can_be_tapped_on_a_phone(
        browser: Browser, server, width: int, locale: str, path: str, javascript: bool) -> None:
    context = browser.new_context(viewport={"width": width, "height": 740}, has_touch=True,
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{server.url}/{locale}/{path}")
    page.locator(".language-picker summary").click()
    choices = page.locator(".language-picker__list a, .language-picker__list button")
    expect(choices).to_have_count(16)
    for index in range(16):
        choice = choices.nth(index)
        choice.scroll_into_view_if_needed()
        box = choice.bounding_box()
        assert box is not None
        name = choice.inner_text()
        assert box["x"] >= 0, f"{name} starts off the left of the screen"
        assert box["x"] + box["width"] <= width, f"{name} runs off the right of the screen"
        assert choice.evaluate(TOUCHABLE), f"{name} is covered by something else"
    last = choices.nth(15)
    last.tap()
    expect(page).to_have_url(f"{server.url}/ps/{path}")
    context.close()


def test_picker_has_the_design_systems_focus_ring(page: Page, server) -> None:
    page.goto(f"{server.url}/en/")
    page.keyboard.press("Tab")  # skip link
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.language-picker summary')"):
            break
    summary = page.locator(".language-picker summary")
    expect(summary).to_be_focused()
    style = summary.evaluate("el => { const s = getComputedStyle(el); "
                             "return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }")
    assert style == ["solid", "4px", "rgb(36, 145, 255)"]


def test_error_summary_links_take_focus_to_the_control(any_page: Page, server) -> None:
    page = any_page
    page.goto(f"{server.url}/en/file")
    continue_(page)
    summary = page.locator("[data-error-summary]")
    for target in ("primary_category-profiling", "narrative", "incident_month_m"):
        summary.locator(f"a[href='#{target}']").click()
        assert page.evaluate("document.activeElement.id") == target
    link_colour = summary.locator("a").first.evaluate("el => getComputedStyle(el).color")
    assert link_colour == "rgb(0, 94, 162)", "the design system's link colour"


def test_arabic_codes_line_up_with_their_labels(page: Page, server) -> None:
    file_complaint(page, server.url, "ar")
    for testid in ("receipt", "access-code"):
        code = page.get_by_test_id(testid)
        label = code.locator("xpath=ancestor::div[1]/dt")
        code_box, label_box = code.bounding_box(), label.bounding_box()
        assert code_box is not None
        assert label_box is not None
        code_end = code_box["x"] + code_box["width"]
        label_end = label_box["x"] + label_box["width"]
        assert abs(code_end - label_end) <= 2, (testid, code_box, label_box)
        assert code.evaluate("el => getComputedStyle(el).direction") == "ltr"


def test_pressing_submit_twice_still_shows_the_access_code(page: Page, server) -> None:
    page.goto(f"{server.url}/en/file")
    choose(page, "primary_category-retaliation")
    page.locator("#narrative").fill("I was moved to another unit after I complained.")
    page.locator("#incident_month_m").select_option("03")
    page.locator("#incident_year").fill("2026")
    continue_(page)
    step_is(page, 2)
    choose(page, "components-UNKNOWN")
    for number in (3, 4, 5, 6):
        continue_(page)
        step_is(page, number)
    choose(page, "privacy_acknowledged")
    page.locator("#complaint-form button[value=submit]").dblclick()
    expect(page.get_by_test_id("access-code")).to_be_visible()
    with server.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == 1
        db.session.remove()
