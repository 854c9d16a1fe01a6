"""The statistics page in Chromium: an analyst signs in, narrows the report to a fiscal year and
crosses two dimensions through the real form (with and without JavaScript), downloads the CSV
and finds the page's numbers in it; the page meets WCAG 2.1 AA according to axe-core; intake
staff are refused."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from complaints.stats import report
from tests.browser.accessibility import AxeChecks
from tests.browser.staff_flows import make_staff, sign_in

FISCAL_YEAR = (date(2024, 10, 1), date(2025, 9, 30))  # FY2025
DEMO_COUNT = 300


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def js_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=request.param, accept_downloads=True)
    yield context.new_page()
    context.close()


def demo_data(app: Any) -> None:
    result = app.test_cli_runner().invoke(args=["demo-data", "--count", str(DEMO_COUNT),
                                                "--seed", "5"])
    assert result.exit_code == 0, result.output


def open_stats(page: Page, base_url: str, query: str = "") -> None:
    page.goto(f"{base_url}/staff/stats{query}")
    expect(page.get_by_test_id("chart-0-table")).to_be_visible()


def caption(page: Page, index: int = 0) -> tuple[str, int]:
    """(title, total) from a table's caption, e.g. "Complaints by category – 300 complaints"."""
    text = page.get_by_test_id(f"chart-{index}-table").locator("caption").inner_text()
    title, _, count = text.rpartition("–")
    return title.strip(), int(count.split()[0].replace(",", ""))


def expected_total(app: Any, **args: str) -> int:
    with app.test_request_context():
        tables = report.build(report.ReportRequest.from_args(args))
    return next(iter(tables.values())).total


def first_csv_table(text: str) -> tuple[str, list[str], list[str]]:
    """(title, header, total row) of the first table of the CSV download."""
    rows = list(csv.reader(io.StringIO(text)))
    while rows and (not rows[0] or rows[0][0].startswith("# ")):
        rows.pop(0)  # what the report is (period, filters, suppression, …)
    end = rows.index([]) if [] in rows else len(rows)
    first = [r for r in rows[:end] if not (r and r[0].startswith("# "))]
    return first[0][0], first[1], first[-1]


def test_analyst_narrows_crosses_and_downloads(js_page: Page, server) -> None:
    page = js_page
    demo_data(server.app)
    analyst = make_staff(server.app, "analyst")
    sign_in(page, server.url, analyst)
    expect(page).to_have_url(re.compile(r"/staff/stats$"))
    assert caption(page) == ("Complaints by primary category", DEMO_COUNT)

    start, end = FISCAL_YEAR
    page.get_by_label("Received from").fill(start.isoformat())
    page.get_by_label("Received to").fill(end.isoformat())
    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_label("Count by").select_option("category")
    page.get_by_label("Crossed with (optional)").select_option("component")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"from={start}&to={end}.*&by=category&by2=component"))
    title, total = caption(page)
    assert title == "Complaints by primary category and component"
    assert total == expected_total(server.app, by="category,component",
                                   **{"from": start.isoformat(), "to": end.isoformat()})
    assert 0 < total < DEMO_COUNT

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    assert re.fullmatch(r"complaint-statistics-\d{8}\.csv", download.value.suggested_filename)
    text = download.value.path().read_text(encoding="utf-8")
    csv_title, header, total_row = first_csv_table(text)
    assert csv_title == title
    assert header == ["category", "category_label", "component", "component_label", "count"]
    assert total_row == ["Total", "", "", "", str(total)]


def test_period_changes_without_javascript(browser: Browser, server) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    demo_data(server.app)
    sign_in(page, server.url, make_staff(server.app, "analyst"))
    start, end = FISCAL_YEAR
    page.get_by_label("Received from").fill(start.isoformat())
    page.get_by_label("Received to").fill(end.isoformat())
    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_role("button", name="Show").click()
    assert caption(page)[1] == expected_total(
        server.app, by="category", **{"from": start.isoformat(), "to": end.isoformat()})
    months = page.get_by_test_id("chart-1-table").locator("tbody th").all_inner_texts()
    assert months == [f"{name} {y}" for name, y in
                      [("October", 2024), ("November", 2024), ("December", 2024)]
                      + [(date(2025, m, 1).strftime("%B"), 2025) for m in range(1, 10)]]
    # A period that ends before it starts is explained, and the default report shown.
    page.get_by_label("Received from").fill(end.isoformat())
    page.get_by_label("Received to").fill(start.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("the period starts after it ends")
    assert caption(page) == ("Complaints by primary category", DEMO_COUNT)
    context.close()


def test_stats_page_meets_wcag_21_aa(page: Page, server) -> None:
    demo_data(server.app)
    analyst = make_staff(server.app, "analyst")
    sign_in(page, server.url, analyst)
    check = AxeChecks()

    open_stats(page, server.url)
    expect(page.get_by_test_id("chart-4-table")).to_be_visible()
    check(page, "default report")

    open_stats(page, server.url, "?by=category,status&suppress=5")
    expect(page.get_by_role("heading", name="Complaints by primary category and status")
           ).to_be_visible()
    expect(page.get_by_test_id("chart-0-table")).to_contain_text("suppressed")
    check(page, "crossed and suppressed")

    open_stats(page, server.url, "?by=language&preset=last_fy&compare=1")
    expect(page.get_by_test_id("chart-0-table")).to_contain_text("A year earlier")
    check(page, "compared with a year earlier")

    page.goto(f"{server.url}/staff/stats/report?by=category,status&suppress=5")
    expect(page.get_by_role("heading", name="About these statistics")).to_be_visible()
    check(page, "printable report")

    open_stats(page, server.url, "?by=nonsense&from=2025-13-01")
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "refused choices")

    assert check.checked == ["default report", "crossed and suppressed",
                             "compared with a year earlier", "printable report",
                             "refused choices"]
    check.assert_clean()


def test_intake_is_refused(page: Page, server) -> None:
    intake = make_staff(server.app, "intake")
    sign_in(page, server.url, intake)
    expect(page.get_by_role("navigation", name="Staff")
           .get_by_role("link", name="Statistics")).to_have_count(0)
    response = page.goto(f"{server.url}/staff/stats")
    assert response is not None
    assert response.status == 403
    for fmt in ("csv", "xlsx", "json"):
        assert page.request.get(f"{server.url}/staff/stats/export.{fmt}").status == 403


def test_fiscal_presets_a_crossed_grid_and_the_downloads(js_page: Page, server) -> None:
    """A supervisor preparing the quarterly report: last fiscal year from the list (with and
    without JavaScript), compared with the year before, categories crossed with status as a
    grid with totals, suppressed for publication; the Excel file opens with numbers as
    numbers, and the printable report holds the same grid."""
    from openpyxl import load_workbook

    page = js_page
    demo_data(server.app)
    sign_in(page, server.url, make_staff(server.app, "supervisor"))
    page.goto(f"{server.url}/staff/stats")
    period = page.get_by_label("Period", exact=True)
    period.select_option("last_fy")
    page.locator("label[for=s-compare]").click()  # USWDS draws the box on the label
    expect(page.get_by_label("Compare with the same period a year earlier")).to_be_checked()
    page.get_by_label("Count by").select_option("category")
    page.get_by_label("Crossed with (optional)").select_option("status")
    page.get_by_label("Suppress counts below (for publication)").fill("5")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"preset=last_fy"))
    with server.app.test_request_context():
        wanted = report.ReportRequest.from_args({"preset": "last_fy"})
        result = report.build_report(report.ReportRequest.from_args(
            {"preset": "last_fy", "by": "category,status", "suppress": "5", "compare": "1"}))
    assert wanted.date_from is not None
    assert wanted.date_from.month == 10
    assert wanted.date_from.day == 1
    expect(page.get_by_label("Received from")).to_have_value(wanted.date_from.isoformat())
    expect(page.locator(".stats-summary")).to_contain_text("Last fiscal year")

    grid = page.get_by_test_id("chart-0-table")
    expect(grid.locator("caption")).to_contain_text("Complaints by primary category and status")
    headers = grid.locator("thead th").all_inner_texts()
    assert "Received" in headers, "status labels, not codes"
    assert headers[-1] == "Total"
    assert "Detention conditions" in grid.locator("tbody th").all_inner_texts()
    total = grid.locator("tfoot td").last.inner_text()
    assert total == f"{result.main.total:,}"
    # Heat shading never stands alone: every shaded cell shows its number (or "–").
    for text in grid.locator("td[class*='heat-']").all_inner_texts()[:40]:
        assert re.fullmatch(r"[\d,]+|–\s*suppressed", text.strip()), text
    expect(page.get_by_test_id("chart-0-comparison")).to_contain_text("A year earlier")
    expect(page.get_by_test_id("suppression-summary")).to_contain_text("counts below 5")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 9000, f"the page is {height} px tall"

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel", exact=True).click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert workbook.sheetnames[0] == "About"
    assert all(len(n) <= 31 and n == n.strip() for n in workbook.sheetnames)
    assert workbook.sheetnames[1] == "Category and status (grid)"
    sheet = workbook["Category and status"]
    values = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)
              if row[0] and row[0] != "Total" and row[1]]
    assert values
    assert all(v is None or isinstance(v, int) for v in values)

    page.get_by_role("link", name="Printable report").click()
    expect(page.get_by_role("heading", name="About these statistics")).to_be_visible()
    expect(page.get_by_test_id("chart-0-table").locator("tfoot td").last).to_have_text(total)
