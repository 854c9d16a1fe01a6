"""What a person does in the browser, written with element ids so it works in every language."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

Check = Callable[[Page, str], None]


def _no_check(page: Page, name: str) -> None:
    return None


def choose(page: Page, input_id: str) -> None:
    """Tick a USWDS radio or checkbox the way a person does: by its label."""
    page.locator(f"label[for='{input_id}']").click()


def continue_(page: Page) -> None:
    page.locator("#complaint-form button[name=action][value=next]").click()


def step_is(page: Page, number: int) -> None:
    expect(page.locator(".usa-step-indicator__current-step")).to_have_text(str(number))


def file_complaint(page: Page, base_url: str, locale: str = "en", narrative: str | None = None,
                   email: str = "filer@example.org", check: Check = _no_check) -> tuple[str, str]:
    """Go from the landing page to the confirmation; return (receipt, access code)."""
    page.goto(f"{base_url}/{locale}/")
    check(page, "landing")
    page.locator(f"a[href='/{locale}/file']").first.click()
    step_is(page, 1)
    continue_(page)
    expect(page.locator("[data-error-summary]")).to_be_visible()
    check(page, "errors")

    choose(page, "primary_category-detention_conditions")
    choose(page, "categories-medical_care")
    page.locator("#narrative").fill(
        narrative or "There has been no clean drinking water in unit B for five days.")
    page.locator("#incident_month_m").select_option("02")
    page.locator("#incident_year").fill("2026")
    continue_(page)

    step_is(page, 2)
    check(page, "where")
    choose(page, "components-ICE")
    page.locator("#city").fill("El Paso")
    continue_(page)

    step_is(page, 3)
    check(page, "safety")
    choose(page, "currently_detained-yes")
    continue_(page)

    step_is(page, 4)
    check(page, "you")
    page.locator("#email").fill(email)
    continue_(page)

    step_is(page, 5)
    check(page, "files")
    continue_(page)

    step_is(page, 6)
    expect(page.locator(".review-list").first).to_be_visible()
    check(page, "review")
    choose(page, "privacy_acknowledged")
    page.locator("#complaint-form button[name=action][value=submit]").click()

    receipt_box = page.get_by_test_id("receipt")
    expect(receipt_box).to_be_visible()
    check(page, "confirmation")
    receipt = receipt_box.inner_text().strip()
    code = page.get_by_test_id("access-code").inner_text().strip()
    assert re.fullmatch(r"CR-[A-Z0-9]{4}-[A-Z0-9]{4}", receipt)
    return receipt, code


def read_status(page: Page, base_url: str, receipt: str, code: str, locale: str = "en",
                check: Check = _no_check) -> str:
    page.goto(f"{base_url}/{locale}/status")
    check(page, "status")
    page.locator("#receipt").fill(receipt)
    page.locator("#access_code").fill(code)
    page.locator("#status-form button[type=submit]").click()
    status = page.get_by_test_id("public-status")
    expect(status).to_be_visible()
    check(page, "status-result")
    return status.inner_text().strip()
