"""Publishable statistics: with a suppression threshold, no hidden count can be recovered from
what the same report publishes. The attack reads the JSON download as an outsider would (every
table, margin and total) and rebuilds, on its own, how those numbers relate; then it solves for
each hidden count's smallest and largest value. It must find nothing."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from complaints.stats import report as report_module
from complaints.stats.report import MULTI_VALUED, margin_title, title
from tests.recovery import System, add_table, recovered


@pytest.fixture
def demo(runner) -> None:
    result = runner.invoke(args=["demo-data", "--count", "300", "--seed", "13"])
    assert result.exit_code == 0, result.output


def _total(system: System, name: str, table: dict[str, Any]) -> object:
    value = table["total"]
    return system.unknown(("total", name)) if value is None else value


def attack(document: dict[str, Any], args: dict[str, str], today: date) -> tuple[System, dict]:
    """The linear system of everything the document publishes, and what it gives away."""
    system = System()
    by = args["by"].split(",")
    filtered = bool(args.get("category") or args.get("component"))
    main_name = title(by)
    main = document[main_name]
    main_total = _total(system, main_name, main)
    status_counts: dict[object, object] | None = None
    time_counts: dict[str, dict[object, object]] = {}
    if len(by) == 2:
        first, second = by
        cells = add_table(system, main_name, main["rows"], by)
        margins = {}
        for dimension in by:
            name = margin_title(dimension)
            margin = document[name]
            margins[dimension] = add_table(system, name, margin["rows"], [dimension])
            total = _total(system, name, margin)
            system.relation([(1, total), (-1, main_total)])
            if dimension not in MULTI_VALUED:
                system.relation([(1, v) for v in margins[dimension].values()] + [(-1, total)])
        if second not in MULTI_VALUED:
            for (value,), margin_cell in margins[first].items():
                system.relation([(1, c) for k, c in cells.items() if k[0] == value]
                                + [(-1, margin_cell)])
        if first not in MULTI_VALUED:
            for (value,), margin_cell in margins[second].items():
                system.relation([(1, c) for k, c in cells.items() if k[1] == value]
                                + [(-1, margin_cell)])
        if "status" in by:
            status_counts = {k[0]: v for k, v in margins["status"].items()}
    else:
        cells = add_table(system, main_name, main["rows"], by)
        if by[0] not in MULTI_VALUED:
            system.relation([(1, v) for v in cells.values()] + [(-1, main_total)])
        if by == ["status"]:
            status_counts = {k[0]: v for k, v in cells.items()}
        if by[0] in ("month", "quarter") and not filtered:
            time_counts[by[0]] = {k[0]: v for k, v in cells.items()}

    period = args.get("period", "month")
    flow_name = f"Received, opened and closed by {period}"
    flow = document[flow_name]
    received = add_table(system, flow_name, flow["rows"], [period], "received")
    for measure in ("opened", "closed"):
        add_table(system, flow_name, flow["rows"], [period], measure)
    flow_total = _total(system, flow_name, flow)
    system.relation([(1, v) for v in received.values()] + [(-1, flow_total)])
    if not filtered:
        system.relation([(1, flow_total), (-1, main_total)])
        same = time_counts.get(period, {})
        for (label,), value in received.items():
            if label in same:
                system.relation([(1, value), (-1, same[label])])
        if period == "quarter" and "month" in time_counts:
            for (label,), value in received.items():
                months = [v for m, v in time_counts["month"].items()
                          if report_module.periods.fiscal_year(date.fromisoformat(m + "-01"))
                          == int(label[2:6])
                          and (int(m[5:7]) - 10) % 12 // 3 + 1 == int(label[-1])]
                system.relation([(1, v) for v in months] + [(-1, value)])

    backlog_name = "Open complaints by age"
    backlog = document[backlog_name]
    ages = add_table(system, backlog_name, backlog["rows"], ["age"])
    backlog_total = _total(system, backlog_name, backlog)
    system.relation([(1, v) for v in ages.values()] + [(-1, backlog_total)])
    to = date.fromisoformat(args["to"]) if args.get("to") else None
    if status_counts is not None and not args.get("from") and (to is None or to >= today):
        system.relation([(1, v) for s, v in status_counts.items() if s != "closed"]
                        + [(-1, backlog_total)])

    times_name = "Median days to first triage and to closure"
    times = add_table(system, times_name, document[times_name]["rows"], ["interval"],
                      "complaints")
    if status_counts is not None and not filtered:
        system.relation([(1, times[("received_to_first_triage",)]),
                         (1, status_counts.get("received", 0)), (-1, main_total)])
        system.relation([(1, times[("received_to_closure",)]),
                         (-1, status_counts.get("closed", 0))])

    referral_name = "Referred and retained"
    referral = document[referral_name]
    outcome = {k[0]: v for k, v in add_table(system, referral_name, referral["rows"],
                                              ["outcome"]).items()}
    referral_total = _total(system, referral_name, referral)
    both = system.unknown(("both", referral_name), target=False)
    system.relation([(1, outcome["referred"]), (1, outcome["retained"]),
                     (1, outcome["neither"]), (-1, both), (-1, referral_total)])
    if not filtered:
        system.relation([(1, referral_total), (-1, main_total)])
    for smaller, larger in (("referred_oig", "referred"), ("referred_component", "referred")):
        system.relation([(1, outcome[smaller]), (-1, outcome[larger])], kind="le")
    system.relation([(1, outcome["referred"]), (-1, outcome["referred_oig"]),
                     (-1, outcome["referred_component"])], kind="le")
    system.relation([(1, both), (-1, outcome["referred"])], kind="le")
    system.relation([(1, both), (-1, outcome["retained"])], kind="le")

    previous_name = title(by[:1]) + ", a year earlier"
    if previous_name in document:
        previous = document[previous_name]
        earlier = add_table(system, previous_name, previous["rows"], by[:1])
        if by[0] not in MULTI_VALUED:
            system.relation([(1, v) for v in earlier.values()]
                            + [(-1, _total(system, previous_name, previous))])
    return system, recovered(system)


REQUESTS = [
    {"by": "category,status"},
    {"by": "category,status", "preset": "last_fy", "compare": "1"},
    {"by": "language,priority", "from": "2025-01-01"},
    {"by": "any_category,component"},
    {"by": "section,channel", "category": "detention_conditions"},
    {"by": "status"},
    {"by": "month", "period": "quarter", "from": "2024-10-01", "to": "2025-09-30"},
    {"by": "disposition", "preset": "last_12_months", "compare": "1"},
    {"by": "priority,state"},
]


@pytest.mark.parametrize("args", REQUESTS, ids=[",".join(f"{k}={v}" for k, v in r.items())
                                                for r in REQUESTS])
@pytest.mark.parametrize("threshold", ["5", "11"])
def test_no_suppressed_count_can_be_recovered(app, staff_client, demo, args,
                                              threshold) -> None:
    client, _ = staff_client("analyst")
    query = {**args, "suppress": threshold}
    response = client.get("/staff/stats/export.json", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    document = response.get_json()
    about = document.pop("about")
    assert "Counts from 1 to" in about["Suppression"]
    with app.test_request_context():
        today = report_module.office_today()
        wanted = report_module.ReportRequest.from_args(query)
    resolved = {**query, **wanted.as_args()}
    system, found = attack(document, resolved, today)
    assert system.targets, "the demo data has small counts to hide"
    assert found == {}, f"recovered hidden counts: {found}"


def test_the_issue_example_is_no_longer_undone_by_subtraction(app, staff_client, demo) -> None:
    """A crossed table's row of 16 + 13 + hidden beside a plain table's total for the same
    row gave the hidden cell away; now its row has a second hidden cell, or its total is
    hidden too."""
    client, _ = staff_client("analyst")
    document = client.get("/staff/stats/export.json",
                          query_string={"by": "category,status", "suppress": "5"}).get_json()
    crossed = document["Complaints by primary category and status"]["rows"]
    margin = {r["category"]: r["count"] for r in
              document["Totals by primary category"]["rows"]}
    rows_with_hidden = {r["category"] for r in crossed if r["count"] is None}
    assert rows_with_hidden
    for category in rows_with_hidden:
        hidden = [r for r in crossed if r["category"] == category and r["count"] is None]
        assert len(hidden) >= 2 or margin[category] is None, category
    for row in crossed:
        if row["count"] is None:
            assert row["suppressed"] is True
            assert row["category_label"]
            assert row["status_label"]


def test_the_api_gives_labels_beside_codes_and_null_for_hidden_counts(app, staff_client,
                                                                      demo) -> None:
    client, member = staff_client("analyst")
    headers = {"Authorization": f"Bearer {member.token(app)}"}
    plain = client.get("/api/v1/stats?by=language", headers=headers).get_json()
    rows = {r["language"]: r for r in plain["rows"]}
    assert rows["zh_Hant"]["label"] == "Chinese (Traditional)"
    assert all(isinstance(r["count"], int) for r in plain["rows"])
    crossed = client.get("/api/v1/stats?by=category,status&suppress=5",
                         headers=headers).get_json()
    assert crossed["suppressed"] is True
    hidden = [r for r in crossed["rows"] if r["count"] is None]
    assert hidden, "the demo data has small counts"
    assert all(r["suppressed"] is True for r in hidden)
    assert {"category", "category_label", "status", "status_label", "count"} <= set(
        crossed["rows"][0])
    assert not any(r.get("suppressed") for r in crossed["rows"] if r["count"] is not None)
    # The page hides exactly the same cells for the same request.
    page = client.get("/staff/stats/export.json",
                      query_string={"by": "category,status", "suppress": "5"}).get_json()
    assert page["Complaints by primary category and status"]["rows"] == crossed["rows"]


def test_export_stats_files_have_labels_numbers_and_an_about_sheet(runner, demo,
                                                                   tmp_path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "report.xlsx"
    result = runner.invoke(args=["export-stats", "--format", "xlsx", "--by", "category,status",
                                 "--suppress", "5", "--output", str(path)])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == "About"
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(min_row=2, values_only=True)
             if row[0]}
    for heading in ("Period", "Filters", "Suppression", "Generated at", "Generated by",
                    "Definition: Received to first triage"):
        assert about.get(heading), heading
    sheet = workbook[workbook.sheetnames[1]]
    assert len(sheet.title) <= 31
    assert sheet.title == sheet.title.strip()
    header = [c.value for c in sheet[1]]
    assert header == ["category (code)", "Primary category", "status (code)", "Status",
                      "Complaints"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    counts = [r[4] for r in rows if r[0] and r[0] != "Total" and r[1]]
    assert all(c is None or isinstance(c, int) for c in counts), "numbers typed as numbers"
    assert None in counts, "suppressed counts are empty cells"
    assert any(r[0] and "suppressed" in str(r[0]) for r in rows), "with a footnote"
    csv_result = runner.invoke(args=["export-stats", "--by", "category,status",
                                     "--suppress", "5"])
    lines = csv_result.output.splitlines()
    assert lines[0] == "category,category_label,status,status_label,count"
    assert any(line.endswith(",") for line in lines[1:]), "a suppressed count is empty"
    document = json.loads(runner.invoke(args=["export-stats", "--format", "json", "--by",
                                              "language", "--suppress", "5"]).output)
    assert {"language", "label", "count"} <= set(document["rows"][0])


def test_sheet_names_of_a_report_are_readable_whole_words() -> None:
    from complaints.stats import exporters

    titles = [title(["category", "status"]), margin_title("category"),
              margin_title("status"), "Received, opened and closed by month",
              "Open complaints by age", "Median days to first triage and to closure",
              "Referred and retained", title(["channel"]) + ", a year earlier",
              title(["disposition", "channel"])]
    assert exporters.sheet_names(titles) == [
        "Category and status", "Totals by category", "Totals by status", "Flow by month",
        "Open complaints by age", "Median handling times", "Referred and retained",
        "Channel (year earlier)", "Disposition and channel"]
    long = exporters.sheet_names(["Complaints by something with a very long name indeed "] * 3)
    assert all(len(n) <= 31 and n == n.strip() for n in long)
    assert len(set(long)) == 3
