"""What a staff member does in the browser: sign in through the real pages (password, then a
two-factor code computed from the account's secret), open the queue, open and move a case."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyotp
from playwright.sync_api import Page, expect

STAFF_PASSWORD = "a long enough browser test password"

Check = Callable[[Page, str], None]


def _no_check(page: Page, name: str) -> None:
    return None


@dataclass
class StaffAccount:
    """A staff account made through the accounts service, and what is needed to sign in."""

    id: int
    email: str
    name: str
    role: str
    secret: str | None
    password: str = STAFF_PASSWORD
    last_step: int | None = None

    def next_code(self) -> str:
        """A code the app has not accepted yet: codes are refused a second time, so a second
        sign-in within the same 30 seconds uses the next step (one step of drift is allowed)."""
        assert self.secret is not None, "this account has no two-factor secret"
        totp = pyotp.TOTP(self.secret)
        step = int(time.time() // totp.interval)
        if self.last_step is not None and step <= self.last_step:
            step = self.last_step + 1
        self.last_step = step
        return totp.at(step * totp.interval)


def make_staff(app: Any, role: str, *, section: str | None = None, restricted: bool = False,
               two_factor: bool = True, name: str | None = None) -> StaffAccount:
    """Create an account with the accounts service (as the admin pages would)."""
    from complaints.extensions import db
    from complaints.services import accounts

    if role == "investigator" and section is None:
        section = "IMM"
    with app.app_context():
        email = f"{role}.{uuid.uuid4().hex[:8]}@example.org"
        user = accounts.create_staff(
            accounts.StaffDetails(email, name or f"Test {role.title()}", role, section,
                                  restricted),
            STAFF_PASSWORD, "test")
        secret = None
        if two_factor:
            secret = pyotp.random_base32()
            user.totp_secret = secret
            user.totp_enabled = True
            db.session.commit()
        account = StaffAccount(user.id, user.email, user.name, role, secret)
        db.session.remove()
    return account


def enter_password(page: Page, base_url: str, account: StaffAccount,
                   check: Check = _no_check) -> None:
    page.goto(f"{base_url}/staff/login")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    check(page, "sign-in")
    page.locator("#email").fill(account.email)
    page.locator("#password").fill(account.password)
    page.locator("main form button[type=submit]").click()


def sign_in(page: Page, base_url: str, account: StaffAccount, check: Check = _no_check) -> None:
    """Email and password, then (when set up) the six-digit code; ends signed in."""
    enter_password(page, base_url, account, check)
    if account.secret is not None:
        expect(page.get_by_role("heading", name="Two-factor code", level=1)).to_be_visible()
        check(page, "two-factor code")
        page.locator("#code").fill(account.next_code())
        page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()


def open_queue(page: Page, base_url: str, **filters: str) -> None:
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    page.goto(f"{base_url}/staff/" + (f"?{query}" if query else ""))
    expect(page.get_by_role("heading", name="Queue", level=1)).to_be_visible()


def queue_row(page: Page, receipt: str) -> Any:
    """The queue table's row for a complaint (found by its receipt link)."""
    return page.locator(f"table.queue-table tbody tr[data-receipt='{receipt}']")


def queue_cells(page: Page, receipt: str) -> dict[str, str]:
    """A complaint's row in the queue as {column heading: text}."""
    row = queue_row(page, receipt)
    expect(row).to_have_count(1)
    headings = page.locator("table.queue-table thead tr > *").all_inner_texts()
    cells = row.locator("th, td").all_inner_texts()
    return {" ".join(h.split()): " ".join(c.split()) for h, c in zip(headings, cells, strict=True)}


def open_case(page: Page, receipt: str) -> None:
    """From the queue, follow the complaint's receipt link to its case page."""
    link = queue_row(page, receipt).get_by_role("link", name=receipt, exact=True)
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", name=f"Complaint {receipt}", level=1)).to_be_visible()


def move_case(page: Page, to: str, disposition: str | None = None,
              note: str | None = None) -> None:
    """Use the case page's Move form (labels as staff see them) and expect it saved."""
    form = page.locator("form[action$='/transition']")
    form.get_by_label("Move to").select_option(label=to)
    if disposition is not None:
        form.get_by_label("Disposition (when closing)").select_option(label=disposition)
    if note is not None:
        form.get_by_label("Note (required to reopen)").fill(note)
    form.get_by_role("button", name="Move").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Saved.")


def add_note(page: Page, text: str) -> None:
    form = page.locator("form[action$='/notes']")
    form.get_by_label("Note", exact=True).fill(text)
    form.get_by_role("button", name="Add note").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Saved.")


def timeline(page: Page) -> list[str]:
    """The case page's timeline, one whitespace-normalised string per event."""
    items = page.get_by_test_id("timeline").locator("li").all_inner_texts()
    return [" ".join(item.split()) for item in items]
