"""The staff workspace in Chromium: the queue by keyboard (j/k/Enter/x/?, shortcuts that give way
to typing and can be turned off), select-all, the case page's "Assign to me" and "next in this
view", every narrative drawn in its own script's font (no missing-glyph boxes), pages that fit
1366 and 768 pixel screens, and axe-core on each. With SCREENSHOT_DIR set, full-page
screenshots of the queue, a Chinese and an Arabic case, the print view and the timeline are
written there at both widths."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.accessibility import AxeChecks
from tests.browser.staff_flows import make_staff, open_queue, sign_in
from tests.browser.test_staff import seed_complaint

SCRIPTS = {
    "zh_Hans": ("警察在机场拘留了我十个小时，没有提供翻译，也不让我给家人打电话。",
                "Noto Sans SC"),
    "zh_Hant": ("警察在機場拘留了我十個小時，沒有提供翻譯，也不讓我給家人打電話。",
                "Noto Sans TC"),
    "ko": ("경찰이 공항에서 나를 열 시간 동안 구금했고 통역사를 제공하지 않았습니다.",
           "Noto Sans KR"),
    "ar": ("احتجزوني في المطار عشر ساعات ولم يوفروا لي مترجماً ولم يسمحوا لي بالاتصال بمحامٍ.",
           "Noto Sans Arabic"),
    "fa_AF": ("پولیس مرا ده ساعت در میدان هوایی بازداشت کرد و ترجمان برایم ندادند.",
              "Noto Sans Arabic"),
    "ps": ("پولیسو زه لس ساعته په هوایي ډګر کې ونیولم او ژباړونکی یې رانه کړ، ۍ ې ښ ړ.",
           "Noto Sans Arabic"),
    "ru": ("Полиция задержала меня в аэропорту на десять часов без переводчика.", "Noto Sans"),
    "uk": ("Поліція затримала мене в аеропорту на десять годин без перекладача; ґ ї є.",
           "Noto Sans"),
    "vi": ("Cảnh sát giữ tôi ở sân bay mười giờ mà không có thông dịch viên.", "Noto Sans"),
}


def _seed_queue(app: Any, count: int = 40, widest_rows: bool = False) -> list[str]:
    """Open complaints of mixed priorities and languages, received over the last weeks; with
    widest_rows, every eighth one restricted, a possible duplicate and referred to the OIG."""
    from sqlalchemy import update

    from complaints.extensions import db
    from complaints.models import Complaint

    languages = ["en", "es", "zh_Hans", "ar", "vi", "ko", "ps", "fa_AF", "ru", "ht"]
    receipts = []
    for n in range(count):
        receipts.append(seed_complaint(
            app, language=languages[n % len(languages)], at_risk_now=n % 9 == 0,
            currently_detained=n % 4 == 0, narrative=f"Complaint {n}: no interpreter and no "
            "drinking water in the unit for days."))
    with app.app_context():
        for n, receipt in enumerate(receipts):
            # Every flag at once and the longest status on some rows: the widest a row gets.
            widest = widest_rows and n % 8 == 0
            db.session.execute(update(Complaint).where(Complaint.receipt == receipt).values(
                received_at=datetime.now(UTC) - timedelta(days=n % 30, hours=n),
                restricted=widest, possible_duplicate=widest,
                status="referred_oig" if widest else Complaint.status))
        db.session.commit()
        db.session.remove()
    return receipts


def _focused_receipt(page: Page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.closest('tr') "
                         "&& document.activeElement.closest('tr').dataset.receipt")


def _rows(page: Page) -> list[str]:
    return page.locator("table.queue-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.receipt)")


def test_the_queue_works_from_the_keyboard(page: Page, server) -> None:
    check = AxeChecks()
    _seed_queue(server.app, 12)
    intake = make_staff(server.app, "intake", name="Ines Intake")
    sign_in(page, server.url, intake)
    open_queue(page, server.url)
    order = _rows(page)
    assert len(order) == 12
    check(page, "queue")

    page.keyboard.press("j")
    assert _focused_receipt(page) == order[0]
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert _focused_receipt(page) == order[1]
    expect(page.locator("tr.is-current")).to_have_attribute("data-receipt", order[1])
    page.keyboard.press("x")
    expect(page.locator(f"#sel-{order[1]}")).to_be_checked()
    expect(page.locator("[data-selected-count]")).to_have_text("1 selected")

    # Typing in a field is typing, not a shortcut.
    page.locator("#f-q").fill("")
    page.locator("#f-q").press("j")
    expect(page.locator("#f-q")).to_have_value("j")
    page.locator("#f-q").fill("")

    # The help opens with ?, closes with Escape and gives focus back.
    page.locator(f"tr[data-receipt='{order[1]}'] [data-row-link]").focus()
    page.keyboard.press("?")
    dialog = page.locator("dialog[data-shortcuts]")
    expect(dialog).to_be_visible()
    check(page, "queue with the shortcut help")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert _focused_receipt(page) == order[1]

    # Select-all selects the page, and unselects it.
    select_all = page.get_by_label("Select all on this page")
    select_all.check()
    expect(page.locator("[data-selected-count]")).to_have_text("12 selected")
    select_all.uncheck()
    expect(page.locator("tbody input[type=checkbox]:checked")).to_have_count(0)

    # Shortcuts can be turned off (kept in this browser) for screen reader and speech users.
    page.keyboard.press("?")
    switch = page.get_by_label("Use single-key shortcuts", exact=False)
    page.locator("label[for=shortcuts-on]").click()  # USWDS draws the box on the label
    expect(switch).not_to_be_checked()
    page.keyboard.press("Escape")
    page.locator("h1").click()
    page.keyboard.press("j")
    assert _focused_receipt(page) is None
    page.reload()
    page.locator("h1").click()
    page.keyboard.press("j")
    assert _focused_receipt(page) is None, "the choice is remembered"
    page.keyboard.press("?")
    page.locator("label[for=shortcuts-on]").click()
    expect(switch).to_be_checked()
    page.keyboard.press("Escape")

    # Enter opens the focused complaint.
    page.locator("h1").click()
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Complaint {order[0]}", level=1)).to_be_visible()
    check.assert_clean()


def test_the_case_page_takes_the_officer_to_the_next_complaint(page: Page, server) -> None:
    check = AxeChecks()
    receipts = _seed_queue(server.app, 4)
    intake = make_staff(server.app, "intake", name="Ines Intake")
    sign_in(page, server.url, intake)
    open_queue(page, server.url, section="IMM")
    order = _rows(page)
    assert sorted(order) == sorted(receipts)
    page.locator(f"tr[data-receipt='{order[0]}'] [data-row-link]").click()
    expect(page.get_by_role("heading", name=f"Complaint {order[0]}", level=1)).to_be_visible()
    check(page, "case from a view")

    page.get_by_role("button", name="Assign to me").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Saved.")
    expect(page.locator(".case-header")).to_contain_text("assigned to Ines Intake.")
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "Ines Intake assigned it to Ines Intake.")
    form = page.locator("form[action$='/transition']")
    form.get_by_label("Move to").select_option(label="Intake review")
    form.get_by_role("button", name="Move").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Saved.")
    check(page, "case after a move")

    page.get_by_role("link", name=f"Next in this view: {order[1]}").click()
    expect(page.get_by_role("heading", name=f"Complaint {order[1]}", level=1)).to_be_visible()
    page.get_by_role("link", name="Back to the queue").click()
    expect(page).to_have_url(f"{server.url}/staff/?section=IMM")
    check.assert_clean()


def _fonts_drawing(page: Page, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium drew an element's text with (DevTools protocol), each with how many
    glyphs it drew: a character no web font covers shows up as a system or fallback font."""
    page.evaluate("document.fonts.ready")
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    session.detach()
    return list(fonts)


def test_every_narrative_is_drawn_in_its_own_script(page: Page, server) -> None:
    supervisor = make_staff(server.app, "supervisor", name="Sam Supervisor")
    receipts = {code: seed_complaint(server.app, language=code, narrative=text)
                for code, (text, _font) in SCRIPTS.items()}
    sign_in(page, server.url, supervisor)
    tofu = {}
    for code, receipt in receipts.items():
        for url in (f"/staff/complaints/{receipt}", f"/staff/complaints/{receipt}/print"):
            page.goto(server.url + url)
            narrative = page.get_by_test_id("narrative")
            expect(narrative).to_have_text(SCRIPTS[code][0])
            fonts = _fonts_drawing(page, "[data-testid=narrative]")
            expected = SCRIPTS[code][1]
            drawn = {f["familyName"]: f["glyphCount"] for f in fonts}
            # A variable font names its instance ("Noto Sans SC Thin"): its family is the start.
            stray = {name: n for name, n in drawn.items() if not name.startswith(expected)}
            # Spaces and punctuation may come from another of our web fonts, never from a
            # system font or the last-resort box.
            if len(stray) == len(drawn) or any(not f["isCustomFont"] for f in fonts) \
                    or sum(stray.values()) > 3:
                tofu[f"{code} {url}"] = drawn
    assert not tofu, tofu


def _no_horizontal_overflow(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)
    # The queue's table scrolls inside its own box: none of its columns may hide there either.
    for wrap in page.locator(".queue-table-wrap").all():
        inner, outer = wrap.evaluate("box => [box.scrollWidth, box.clientWidth]")
        assert inner <= outer, (page.url, "the queue table is wider than its box", inner, outer)


def _shoot(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_the_workspace_fits_1366_and_768_pixel_screens(page: Page, server) -> None:
    check = AxeChecks()
    _seed_queue(server.app, 40, widest_rows=True)
    chinese = seed_complaint(server.app, language="zh_Hans", narrative=SCRIPTS["zh_Hans"][0])
    arabic = seed_complaint(server.app, language="ar", narrative=SCRIPTS["ar"][0],
                            primary_category="sexual_abuse", categories=[])
    supervisor = make_staff(server.app, "supervisor", name="Sam Supervisor", restricted=True)
    sign_in(page, server.url, supervisor)
    # Some history for the timeline: a move, a note, repeated looks at a restricted case.
    page.goto(f"{server.url}/staff/complaints/{arabic}")
    form = page.locator("form[action$='/transition']")
    form.get_by_label("Move to").select_option(label="Intake review")
    form.get_by_label("Note (required to reopen)").fill("Asked the facility for the log.")
    form.get_by_role("button", name="Move").click()
    page.locator("form[action$='/notes'] textarea").fill("Interpreter booked for Monday.")
    page.get_by_role("button", name="Add note").click()

    for width, height in ((1366, 768), (768, 1024)):
        page.set_viewport_size({"width": width, "height": height})
        open_queue(page, server.url)
        _no_horizontal_overflow(page)
        _shoot(page, f"queue-{width}")
        if width == 1366:
            bottom = page.viewport_size["height"]
            visible = page.locator("table.queue-table tbody tr").evaluate_all(
                f"rows => rows.filter(r => r.getBoundingClientRect().bottom <= {bottom}).length")
            assert visible >= 25, f"{visible} rows on the first screen"
            heights = set(page.locator("table.queue-table tbody tr").evaluate_all(
                "rows => rows.map(r => Math.round(r.getBoundingClientRect().height))"))
            assert max(heights) <= 30, f"rows wrap: {heights}"
        check(page, f"queue at {width}")
        for name, receipt in (("case-chinese", chinese), ("case-arabic", arabic)):
            page.goto(f"{server.url}/staff/complaints/{receipt}")
            _no_horizontal_overflow(page)
            check(page, f"{name} at {width}")
            _shoot(page, f"{name}-{width}")
        page.get_by_test_id("timeline").scroll_into_view_if_needed()
        page.screenshot(path=None) if not os.environ.get("SCREENSHOT_DIR") else \
            page.get_by_test_id("timeline").screenshot(
                path=str(Path(os.environ["SCREENSHOT_DIR"]) / f"timeline-{width}.png"))
        page.goto(f"{server.url}/staff/complaints/{arabic}/print")
        _no_horizontal_overflow(page)
        check(page, f"print view at {width}")
        _shoot(page, f"print-arabic-{width}")
    check.assert_clean()
