"""The complaint form on a weak link: a step sent while the connection is down stays on the page
with everything typed and a message; a reload brings the answers back from this browser tab;
filing or "Clear this form" empties it. And every public page fits the page-weight budget."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Browser, Page, expect

from bench.page_weight import PAGES, REQUEST_BUDGET, byte_budget, measure
from complaints import i18n
from tests.browser.flows import choose, continue_, step_is

OFFLINE = ("We could not reach the server, so nothing was sent. Check your connection: "
           "everything you typed is still here. Then press the button again.")


def translated(app, locale: str, message: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return gettext(message)


def fill_first_step(page: Page, narrative: str) -> None:
    choose(page, "primary_category-retaliation")
    page.locator("#narrative").fill(narrative)
    page.locator("#incident_month_m").select_option("03")
    page.locator("#incident_year").fill("2026")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_a_step_sent_while_offline_keeps_everything_and_says_so(
        page: Page, server, locale: str) -> None:
    page.goto(f"{server.url}/{locale}/file")
    fill_first_step(page, "Typed before the link dropped.")
    page.context.set_offline(True)
    continue_(page)
    notice = page.locator("#connection-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(translated(server.app, i18n.from_url_code(locale).code,
                                              OFFLINE))
    expect(page.locator("#narrative")).to_have_value("Typed before the link dropped.")
    step_is(page, 1)
    page.context.set_offline(False)
    continue_(page)
    step_is(page, 2)
    expect(page).to_have_url(f"{server.url}/{locale}/file")


def test_reload_brings_the_answers_back_until_filed(page: Page, server) -> None:
    page.goto(f"{server.url}/en/file")
    fill_first_step(page, "Kept in this tab only.")
    continue_(page)
    step_is(page, 2)
    choose(page, "components-ICE")
    page.reload()
    step_is(page, 2)
    expect(page.locator(".draft-restored")).to_be_visible()
    expect(page.locator("#components-ICE")).to_be_checked()
    for number in (3, 4, 5, 6):
        continue_(page)
        step_is(page, number)
    expect(page.locator("[data-field='narrative']")).to_contain_text("Kept in this tab only.")
    choose(page, "privacy_acknowledged")
    page.locator("#complaint-form button[value=submit]").click()
    expect(page.get_by_test_id("access-code")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('complaint-draft')") is None
    page.goto(f"{server.url}/en/file")
    expect(page.locator("#narrative")).to_have_value("")
    expect(page.locator(".draft-restored")).to_have_count(0)


def test_clear_this_form_empties_it(page: Page, server) -> None:
    page.goto(f"{server.url}/en/file")
    fill_first_step(page, "Something I no longer want here.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear this form").click()
    expect(page.locator("#narrative")).to_have_value("")
    assert page.evaluate("sessionStorage.getItem('complaint-draft')") is None


def test_nothing_is_kept_in_longer_lived_storage(page: Page, server) -> None:
    page.goto(f"{server.url}/en/file")
    fill_first_step(page, "Not for localStorage.")
    continue_(page)
    assert page.evaluate("localStorage.length") == 0
    assert "Not for localStorage." in page.evaluate("sessionStorage.getItem('complaint-draft')")


@pytest.mark.parametrize("url_locale", [lang.url_code for lang in i18n.LANGUAGES])
def test_every_public_page_fits_the_page_weight_budget(browser: Browser, server,
                                                        url_locale: str) -> None:
    over = []
    for path in PAGES:
        first, repeat = measure(browser, server.url, url_locale, path, repeat=path == "file")
        if first.bytes > byte_budget(url_locale) or first.requests > REQUEST_BUDGET:
            over.append(f"{first.url}: {first.bytes / 1024:.0f} KB, {first.requests} requests")
        if repeat is not None:
            again = set(first.fetched) & set(repeat.fetched)
            assert again == set(), f"{repeat.url} fetched again what the browser already had"
    assert over == [], over
