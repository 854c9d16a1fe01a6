"""The statistics page, its downloads, the stats API and the supervisors' case export: the same
numbers everywhere, and only for the roles allowed."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from complaints.extensions import db
from complaints.models import AuditEvent

FISCAL_2026 = {"from": "2025-10-01", "to": "2026-09-30"}


@pytest.fixture
def demo(runner) -> None:
    result = runner.invoke(args=["demo-data", "--count", "400", "--seed", "11"])
    assert result.exit_code == 0, result.output


def first_table_total(html: str) -> int:
    marker = 'data-testid="chart-0-table"'
    caption = html[html.index(marker):].split("<caption>", 1)[1].split("</caption>", 1)[0]
    return int(caption.rsplit("–", 1)[1].split()[0].replace(",", ""))


def test_analysts_and_supervisors_see_statistics(staff_client, demo) -> None:
    for role in ("analyst", "supervisor"):
        client, _ = staff_client(role)
        response = client.get("/staff/stats")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert response.headers["Cache-Control"].startswith("no-store")
        for title in ("Complaints by primary category", "Received, opened and closed by month",
                      "Open complaints by age", "Median days to first triage and to closure",
                      "Referred and retained"):
            assert title in html
        assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart') == 5


@pytest.mark.parametrize("role", ["intake", "investigator", "admin"])
def test_other_roles_are_refused(staff_client, role) -> None:
    client, _ = staff_client(role)
    assert client.get("/staff/stats").status_code == 403
    assert client.get("/staff/stats/export.csv").status_code == 403


def test_the_page_the_cli_and_the_api_agree(app, staff_client, runner, demo) -> None:
    """How many detention-conditions complaints against ICE came in last fiscal year, how many
    are still open and how old they are: the same numbers from every door."""
    client, member = staff_client("supervisor")
    query = {**FISCAL_2026, "by": "status", "category": "detention_conditions",
             "component": "ICE"}
    page = client.get("/staff/stats", query_string=query).get_data(as_text=True)
    page_total = first_table_total(page)
    token = member.token(app)
    api = client.get("/api/v1/stats", query_string=query,
                     headers={"Authorization": f"Bearer {token}"}).get_json()
    cli = json.loads(runner.invoke(args=[
        "export-stats", "--format", "json", "--by", "any_category,component",
        "--from", FISCAL_2026["from"], "--to", FISCAL_2026["to"]]).output)
    cli_count = sum(r["count"] for r in cli["rows"]
                    if r["any_category"] == "detention_conditions" and r["component"] == "ICE")
    assert page_total > 0, "the demo data has such complaints"
    assert api["total"] == page_total == cli_count
    assert sum(r["count"] for r in api["rows"]) == api["total"]
    still_open = sum(r["count"] for r in api["rows"] if r["status"] != "closed")
    backlog = client.get("/staff/stats/export.json", query_string=query).get_json()
    ages = backlog["Open complaints by age"]
    assert ages["total"] >= still_open, "the backlog also holds older open complaints"


def test_downloads_hold_what_the_page_shows(staff_client, demo) -> None:
    client, _ = staff_client("analyst")
    query = {**FISCAL_2026, "by": "category", "by2": "status", "suppress": "5"}
    page = client.get("/staff/stats", query_string=query).get_data(as_text=True)
    total = first_table_total(page)
    csv_text = client.get("/staff/stats/export.csv", query_string=query).get_data(as_text=True)
    assert "Complaints by primary category and status" in csv_text
    assert list(csv.reader(io.StringIO(csv_text)))
    document = client.get("/staff/stats/export.json", query_string=query).get_json()
    [first] = [t for title, t in document.items() if title.startswith("Complaints by")] \
        if isinstance(document, dict) else [document[0]]
    assert first["total"] == total
    workbook = load_workbook(io.BytesIO(client.get("/staff/stats/export.xlsx",
                                                   query_string=query).data), read_only=True)
    assert workbook.sheetnames[0] == "About"
    assert workbook.sheetnames[1:3] == ["Category and status (grid)", "Category and status"]
    assert len(workbook.sheetnames) == 9, workbook.sheetnames
    grid = list(workbook["Category and status (grid)"].iter_rows(values_only=True))
    assert grid[1][0] == "Primary category \\ Status"
    assert grid[1][-1] == "Total"
    totals = next(row for row in grid if row[0] == "Total")
    assert totals[-1] == total


def test_bad_parameters_are_explained(staff_client, app) -> None:
    client, member = staff_client("analyst")
    assert client.get("/staff/stats?by=nonsense").status_code == 400
    assert client.get("/staff/stats/export.csv?from=yesterday").status_code == 400
    token = member.token(app)
    answer = client.get("/api/v1/stats?by=colour&from=2025-13-01&extra=1",
                        headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 422
    assert {"by", "from", "extra"} <= set(answer.get_json()["errors"])


def test_stats_api_needs_a_token_and_the_role(client, staff_client, app) -> None:
    assert client.get("/api/v1/stats?by=category").status_code == 401
    _, intake = staff_client("intake")
    response = client.get("/api/v1/stats?by=category",
                          headers={"Authorization": f"Bearer {intake.token(app)}"})
    assert response.status_code == 403


def test_case_export_streams_the_queue_filter_for_supervisors(app, staff_client,
                                                              file_via_api) -> None:
    plain = file_via_api(primary_category="use_of_force")
    restricted = file_via_api(primary_category="sexual_abuse")
    client, _ = staff_client("supervisor")
    body = client.get("/staff/export.csv?status=all").get_data(as_text=True)
    assert plain["receipt"] in body
    assert restricted["receipt"] not in body, "no restricted complaints without the grant"
    granted, _ = staff_client("supervisor", restricted=True)
    assert restricted["receipt"] in granted.get("/staff/export.csv?status=all").get_data(
        as_text=True)
    filtered = client.get("/staff/export.csv?status=all&category=use_of_force").get_data(
        as_text=True)
    assert plain["receipt"] in filtered
    workbook = load_workbook(io.BytesIO(client.get("/staff/export.xlsx?status=all").data),
                             read_only=True)
    assert workbook.sheetnames
    with app.app_context():
        exports = db.session.scalars(select(AuditEvent).where(
            AuditEvent.kind == "cases_exported")).all()
        assert len(exports) == 4


@pytest.mark.parametrize("role", ["analyst", "intake", "investigator", "admin"])
def test_only_supervisors_export_cases(staff_client, role) -> None:
    client, _ = staff_client(role)
    assert client.get("/staff/export.csv").status_code == 403
