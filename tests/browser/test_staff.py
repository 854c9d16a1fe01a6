"""The staff dashboard in Chromium: a complaint filed on the public form is triaged and closed
by staff through the real pages (with and without JavaScript), two-factor sign-in is set up in
the browser, and every staff page meets WCAG 2.1 AA according to axe-core."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from complaints.domain.routing import Facts, route
from complaints.domain.taxonomy import PRIORITIES, SECTIONS, STATUSES
from tests.browser.accessibility import AxeChecks
from tests.browser.flows import file_complaint, read_status
from tests.browser.staff_flows import (
    add_note,
    enter_password,
    make_staff,
    move_case,
    open_case,
    open_queue,
    queue_cells,
    queue_row,
    sign_in,
    sign_out,
    timeline,
)
from tests.conftest import valid_intake

# What tests.browser.flows.file_complaint enters on the public form, as routing sees it.
FILED_FACTS = Facts(primary_category="detention_conditions",
                    categories=frozenset({"medical_care"}), components=frozenset({"ICE"}),
                    currently_detained=True)

PageMaker = Callable[[], Page]


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def new_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[PageMaker]:
    """Pages in fresh browser contexts (one per person), JavaScript on or off."""
    contexts: list[Any] = []

    def _new() -> Page:
        contexts.append(browser.new_context(java_script_enabled=request.param))
        return contexts[-1].new_page()

    yield _new
    for context in contexts:
        context.close()


def seed_complaint(app: Any, **changes: Any) -> str:
    """File a complaint through the intake service (as the partner API does); its receipt."""
    from complaints.extensions import db
    from complaints.services.intake import file_complaint as intake

    with app.test_request_context():  # the acknowledgement email links back to the site
        filed = intake(valid_intake(**changes), channel="api", default_language="en",
                       actor="api")
        receipt = filed.complaint.receipt
        db.session.remove()
    return receipt


def stored(app: Any, receipt: str) -> dict[str, Any]:
    from complaints.extensions import db
    from complaints.services import cases

    with app.app_context():
        complaint = cases.find(receipt)
        assert complaint is not None
        facts = {"section": complaint.section, "priority": complaint.priority,
                 "status": complaint.status, "disposition": complaint.disposition,
                 "restricted": complaint.restricted}
        db.session.remove()
    return facts


def test_filed_complaint_is_triaged_and_closed(new_page: PageMaker, server) -> None:
    public = new_page()
    receipt, code = file_complaint(public, server.url)
    routing = route(FILED_FACTS)
    assert stored(server.app, receipt) == {"section": routing.section,
                                          "priority": routing.priority, "status": "received",
                                          "disposition": None, "restricted": False}
    intake = make_staff(server.app, "intake", name="Ines Intake")
    supervisor = make_staff(server.app, "supervisor", name="Sam Supervisor")

    # Intake finds the new complaint in the queue, with the routing's priority and section.
    page = new_page()
    sign_in(page, server.url, intake)
    expect(page).to_have_url(f"{server.url}/staff/")
    cells = queue_cells(page, receipt)
    assert cells["Priority"] == PRIORITIES[routing.priority], cells
    assert cells["Section"] == routing.section, cells
    assert cells["Status"] == "Received", cells
    assert cells["Category"] == "Conditions in immigration detention", cells

    open_case(page, receipt)
    header = page.locator(".case-header")
    expect(header.locator(".priority-tag")).to_have_text(PRIORITIES[routing.priority])
    expect(header).to_contain_text(f"section {routing.section};")
    rows = [tuple(" ".join(cell.split()) for cell in row.locator("td").all_inner_texts())
            for row in page.locator("section[aria-labelledby=routing-heading] tbody tr").all()]
    labels = {**SECTIONS, **PRIORITIES}
    assert [(d, v) for d, v, _why in rows if d in ("section", "priority")] == [
        (r.decision, labels[r.value]) for r in routing.reasons
        if r.decision in ("section", "priority")]
    assert ("section", SECTIONS[routing.section]) in [(d, v) for d, v, _why in rows]

    move_case(page, "Intake review")
    expect(header.locator(".usa-tag").nth(1)).to_have_text("Intake review")

    # A supervisor closes it with a disposition.
    boss = new_page()
    sign_in(boss, server.url, supervisor)
    open_case(boss, receipt)
    move_case(boss, "Closed", disposition="Insufficient information",
              note="Asked twice for details; no answer.")
    tags = boss.locator(".case-header .usa-tag")
    expect(tags.nth(1)).to_have_text("Closed")
    expect(tags.nth(2)).to_have_text("Insufficient information")

    # The timeline reads as sentences, in order.
    events = timeline(boss)
    assert events[0].endswith("Filed through the web form, in English."), events
    assert "Routed to Immigration Section: " in events[1], events
    moves = [e for e in events if " moved it from " in e]
    assert len(moves) == 2, events
    assert moves[0].endswith("Ines Intake moved it from Received to Intake review."), moves
    assert moves[1].endswith("Sam Supervisor moved it from Intake review to Closed. "
                             "Disposition: Insufficient information. "
                             "Asked twice for details; no answer."), moves

    assert stored(server.app, receipt) == {
        "section": routing.section, "priority": routing.priority, "status": "closed",
        "disposition": "insufficient_information", "restricted": False}
    # Closed complaints leave the open queue but are found among all of them.
    open_queue(boss, server.url)
    expect(queue_row(boss, receipt)).to_have_count(0)
    open_queue(boss, server.url, status="all")
    assert queue_cells(boss, receipt)["Status"] == STATUSES["closed"]
    # And the filer sees it closed.
    assert read_status(public, server.url, receipt, code) == "Closed"


def test_two_factor_enrolment(new_page: PageMaker, server) -> None:
    account = make_staff(server.app, "intake", two_factor=False, name="Nia New")
    page = new_page()
    enter_password(page, server.url, account)
    expect(page).to_have_url(f"{server.url}/staff/account")
    expect(page.locator(".usa-alert--warning")).to_contain_text(
        "Set up two-factor sign-in before you continue.")
    # Nothing else is open until it is set up.
    page.goto(f"{server.url}/staff/")
    expect(page).to_have_url(f"{server.url}/staff/account")

    page.get_by_role("link", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    account.secret = page.get_by_test_id("totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", account.secret)
    page.locator("#code").fill(pyotp.TOTP(account.secret).at(time.time() - 3600))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator(".usa-alert--error")).to_contain_text("That code did not match.")
    # The key stays the same after a wrong code.
    expect(page.get_by_test_id("totp-secret")).to_have_text(account.secret)
    page.locator("#code").fill(account.next_code())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page).to_have_url(f"{server.url}/staff/")
    expect(page.get_by_role("heading", name="Queue", level=1)).to_be_visible()
    expect(page.locator(".usa-alert--success")).to_contain_text("Two-factor sign-in is set up.")

    # From now on signing in asks for the code.
    sign_out(page)
    sign_in(page, server.url, account)
    expect(page).to_have_url(f"{server.url}/staff/")


def test_wrong_code_is_refused(page: Page, server) -> None:
    account = make_staff(server.app, "intake")
    enter_password(page, server.url, account)
    page.locator("#code").fill("12345x")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".usa-alert--error")).to_contain_text(
        "The email, password or code is not right")
    page.goto(f"{server.url}/staff/")
    expect(page).to_have_url(re.compile(r"/staff/login"))


# -- WCAG 2.1 AA ------------------------------------------------------------------------------

def test_staff_pages_meet_wcag_21_aa(page: Page, browser: Browser, server) -> None:
    check = AxeChecks()
    normal = seed_complaint(server.app, email="someone@example.org")
    restricted = seed_complaint(server.app, primary_category="sexual_abuse", categories=[],
                                narrative="An officer assaulted me during the night count.")
    urgent = seed_complaint(server.app, at_risk_now=True, narrative="My brother has had no "
                            "insulin for three days and is getting worse.")
    seed_complaint(server.app, email="someone@example.org", narrative="The facility has had "
                   "no drinking water in our unit for four days and the guards ignore us.")
    assert stored(server.app, restricted)["restricted"]
    intake = make_staff(server.app, "intake", name="Ines Intake")
    admin = make_staff(server.app, "admin", name="Ada Admin")

    sign_in(page, server.url, intake, check=check)
    open_queue(page, server.url)
    expect(page.locator("table.queue-table tbody tr")).to_have_count(4)
    # Intake has no restricted grant: the row is listed and says only that it is restricted.
    assert "restricted" in queue_row(page, restricted).inner_text().lower()
    assert "Sexual" not in queue_row(page, restricted).inner_text()
    check(page, "queue")

    open_case(page, normal)
    add_note(page, "Called the facility; they will call back.")
    move_case(page, "Intake review", note="Looks complete.")
    expect(page.locator(".case-note")).to_have_count(1)
    check(page, "case")

    # A refused move shows the page again with the reason.
    page.locator("form[action$='/transition']").get_by_label("Move to").select_option(
        label="Closed")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_test_id("case-error")).to_contain_text("Closing requires a disposition.")
    check(page, "case with a refused move")

    open_queue(page, server.url)
    open_case(page, urgent)
    expect(page.locator(".case-header .priority-tag")).to_have_text("Urgent")
    check(page, "urgent case")

    open_queue(page, server.url)
    open_case(page, restricted)
    expect(page.get_by_role("heading", name="Restricted complaint")).to_be_visible()
    check(page, "restricted placeholder")

    page.get_by_role("link", name="Enter a complaint").click()
    expect(page.locator("#channel")).to_be_visible()
    check(page, "staff entry")
    page.get_by_role("button", name="Enter complaint").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    check(page, "staff entry with errors")

    page.get_by_role("link", name=intake.name).click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    check(page, "account")

    newcomer = make_staff(server.app, "investigator", two_factor=False, name="Ivo New")
    other = browser.new_context()
    try:
        fresh = other.new_page()
        enter_password(fresh, server.url, newcomer)
        fresh.get_by_role("link", name="Set up two-factor sign-in").click()
        expect(fresh.get_by_test_id("totp-secret")).to_be_visible()
        check(fresh, "two-factor set-up")
    finally:
        other.close()

    sign_out(page)
    sign_in(page, server.url, admin)
    # Admins do no case work: they start on the accounts page, not on a refused queue.
    expect(page).to_have_url(f"{server.url}/staff/accounts")
    page.get_by_role("link", name="Accounts", exact=True).click()
    expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()
    check(page, "accounts admin")

    assert check.checked == [
        "sign-in", "two-factor code", "queue", "case", "case with a refused move", "urgent case",
        "restricted placeholder", "staff entry", "staff entry with errors", "account",
        "two-factor set-up", "accounts admin"]
    check.assert_clean()


