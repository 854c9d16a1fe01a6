"""Statistics: aggregates computed in SQL, periods in the office's time zone, suppression,
medians, flow, backlog, referrals, the exporters and the export-stats command."""

from __future__ import annotations

import csv
import io
import json
import statistics
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text, update

from complaints import demo
from complaints.extensions import db
from complaints.models import AuditEvent, Complaint, ComplaintCategory, ComplaintComponent
from complaints.stats import exporters, queries, rollup
from complaints.stats.queries import DIMENSIONS, aggregate


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def set_fields(receipt: str, **values: Any) -> None:
    """Set columns directly (timestamps the services would only set over time). Like any
    write outside the services, it is followed by a rebuild of the statistics rollup."""
    db.session.execute(update(Complaint).where(Complaint.receipt == receipt).values(**values))
    rollup.rebuild(db.session.connection())
    db.session.commit()


def counts(table: queries.StatsTable) -> dict[Any, Any]:
    """{value: count} for one dimension, {(a, b): count} for two."""
    if len(table.by) == 1:
        return {row[table.by[0]]: row["count"] for row in table.rows}
    return {tuple(row[d] for d in table.by): row["count"] for row in table.rows}


@pytest.fixture
def truncate_after(app: Any) -> Any:
    """Empty the complaint tables quickly after a test with many rows. (On PostgreSQL, row by
    row deletes check the unindexed self-reference `duplicate_of_id` once per complaint.)"""
    yield
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("TRUNCATE TABLE complaints, stats_rollup CASCADE"))


@pytest.fixture
def demo_rows(app: Any, db_session: Any) -> int:
    """A few hundred demo complaints (every category, language, status...)."""
    demo.generate(400, seed=11)
    return 400


# -- totals ----------------------------------------------------------------------------------------

def test_totals_agree_across_every_dimension_and_with_a_direct_count(demo_rows: int) -> None:
    direct = db.session.scalar(select(func.count()).select_from(Complaint))
    assert direct == demo_rows
    category_rows = db.session.scalar(select(func.count()).select_from(ComplaintCategory))
    component_rows = db.session.scalar(select(func.count()).select_from(ComplaintComponent))
    for dimension in DIMENSIONS:
        table = aggregate([dimension])
        assert table.total == direct, dimension
        summed = sum(row["count"] for row in table.rows)
        if dimension == "any_category":
            assert summed == category_rows > direct
        elif dimension == "component":
            assert summed == component_rows > direct
        else:
            assert summed == direct, dimension
        assert all(set(row) == {dimension, "count"} for row in table.rows)


def test_totals_for_a_period_match_a_direct_count(demo_rows: int) -> None:
    today = queries.today()
    start, end = today - timedelta(days=400), today - timedelta(days=100)
    table = aggregate(["month"], start, end)
    zone = queries.office_zone()
    direct = db.session.scalar(select(func.count()).select_from(Complaint).where(
        Complaint.received_at >= datetime.combine(start, datetime.min.time(), zone),
        Complaint.received_at < datetime.combine(end + timedelta(days=1), datetime.min.time(),
                                                 zone)))
    assert 0 < direct < demo_rows
    assert table.total == direct == sum(row["count"] for row in table.rows)
    assert [row["month"] for row in table.rows] == queries.period_labels(start, end, "month")
    for dimension in ("status", "quarter", "any_category"):
        assert aggregate([dimension], start, end).total == direct


def test_null_values_are_rows_of_their_own(file_via_api: Any, db_session: Any) -> None:
    file_via_api()
    filed = file_via_api(state="TX")
    set_fields(filed["receipt"], status="closed", disposition="withdrawn",
               first_triaged_at=utc(2026, 1, 2), closed_at=utc(2026, 1, 3))
    assert counts(aggregate(["state"])) == {"TX": 1, None: 1}
    assert counts(aggregate(["disposition"])) == {"withdrawn": 1, None: 1}
    assert aggregate(["disposition"]).rows[-1] == {"disposition": None, "count": 1}


def test_restricted_complaints_count_like_all_others(file_via_api: Any, db_session: Any) -> None:
    file_via_api(primary_category="sexual_abuse", categories=[])
    file_via_api()
    assert db.session.scalar(select(func.count()).where(Complaint.restricted)) == 1
    assert counts(aggregate(["category"])) == {"detention_conditions": 1, "sexual_abuse": 1}


# -- periods ---------------------------------------------------------------------------------------

@pytest.fixture
def boundary_complaints(file_via_api: Any, db_session: Any) -> None:
    """Complaints around the fiscal-year boundary and in both halves of daylight saving time,
    in New York time: Sep 30 afternoon, Sep 30 22:00 (already Oct 1 in UTC), Oct 1 morning,
    Jan 31 23:30 EST and Jul 31 23:30 EDT (both already the next month in UTC)."""
    times = [utc(2025, 9, 30, 19), utc(2025, 10, 1, 2), utc(2025, 10, 1, 14),
             utc(2025, 2, 1, 4, 30), utc(2025, 8, 1, 3, 30)]
    for received in times:
        set_fields(file_via_api()["receipt"], received_at=received)


def test_fiscal_quarters_turn_on_october_first_in_the_office_time_zone(
        boundary_complaints: None) -> None:
    assert counts(aggregate(["quarter"])) == {"FY2025-Q2": 1, "FY2025-Q4": 3, "FY2026-Q1": 1}
    assert counts(aggregate(["month"])) == {"2025-01": 1, "2025-07": 1, "2025-09": 2,
                                            "2025-10": 1}
    assert aggregate(["month"], date(2025, 10, 1), None).total == 1
    assert aggregate(["month"], None, date(2025, 9, 30)).total == 4
    assert aggregate(["month"], date(2025, 9, 30), date(2025, 9, 30)).total == 2


def test_utc_as_the_office_time_zone(boundary_complaints: None, app: Any,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "TIMEZONE", "UTC")
    # The rollup counts days in the zone it was written in: after a change, check-stats shows
    # the difference and --rebuild recounts.
    assert rollup.check(db.session.connection())[0] > 0
    rollup.rebuild(db.session.connection())
    db.session.commit()
    assert counts(aggregate(["quarter"])) == {"FY2025-Q2": 1, "FY2025-Q4": 2, "FY2026-Q1": 2}
    assert counts(aggregate(["month"])) == {"2025-02": 1, "2025-08": 1, "2025-09": 1,
                                            "2025-10": 2}


def test_crossed_dimensions(file_via_api: Any, db_session: Any) -> None:
    file_via_api(primary_category="profiling", categories=["language_access"],
                 components=["CBP", "ICE"])
    file_via_api(primary_category="profiling", categories=[], components=["TSA"])
    closed = file_via_api()
    set_fields(closed["receipt"], status="closed", disposition="unsubstantiated",
               closed_at=utc(2026, 1, 5), first_triaged_at=utc(2026, 1, 4))
    table = aggregate(["category", "status"])
    assert table.by == ["category", "status"]
    assert counts(table) == {("profiling", "received"): 2,
                             ("detention_conditions", "closed"): 1}
    assert table.total == 3
    crossed = counts(aggregate(["any_category", "component"]))
    assert crossed == {
        ("profiling", "CBP"): 1, ("profiling", "ICE"): 1, ("profiling", "TSA"): 1,
        ("language_access", "CBP"): 1, ("language_access", "ICE"): 2,
        ("detention_conditions", "ICE"): 1,
    }
    assert counts(aggregate(["section", "priority"])) == {("ADG", "normal"): 1,
                                                          ("SIIP", "normal"): 1,
                                                          ("IMM", "normal"): 1}


@pytest.mark.parametrize(("by", "message"), [
    (["nonsense"], "unknown dimension 'nonsense'"),
    (["category", "status", "month"], "at most two dimensions"),
    (["status", "status"], "cannot be crossed with itself"),
    ([], "give one dimension"),
])
def test_bad_dimensions_are_refused(app: Any, db_session: Any, by: list[str],
                                    message: str) -> None:
    with pytest.raises(ValueError, match=message):
        aggregate(by)


def test_a_period_that_ends_before_it_starts_is_refused(db_session: Any) -> None:
    with pytest.raises(ValueError, match="after it ends"):
        aggregate(["status"], date(2025, 2, 1), date(2025, 1, 1))


# -- suppression -----------------------------------------------------------------------------------

def test_suppression_hides_small_cells_but_keeps_totals(file_via_api: Any,
                                                        db_session: Any) -> None:
    for _ in range(6):
        file_via_api()
    for _ in range(2):
        file_via_api(primary_category="profiling", categories=[])
    table = aggregate(["category"], suppress_below=5)
    assert table.suppressed
    assert table.suppress_below == 5
    assert counts(table) == {"detention_conditions": 6, "profiling": None}
    assert table.total == 8
    assert table.as_dict() == {
        "by": ["category"], "total": 8, "suppressed": True, "suppress_below": 5,
        "rows": [{"category": "profiling", "count": None},
                 {"category": "detention_conditions", "count": 6}],
    }
    text = exporters.to_csv({"by category": table})
    assert "profiling,Profiling and discrimination,\n" in text, "suppressed: an empty cell"
    assert "Total,,8" in text
    assert counts(aggregate(["category"])) == {"detention_conditions": 6, "profiling": 2}
    # Zeros are not hidden.
    assert queries.suppress([{"x": "a", "count": 0}], ["count"], 5) == [{"x": "a", "count": 0}]


# -- flow, backlog, handling times, referrals ------------------------------------------------------

def test_flow_counts_received_opened_and_closed_in_their_own_periods(
        file_via_api: Any, db_session: Any) -> None:
    a, b, c = (file_via_api()["receipt"] for _ in range(3))
    set_fields(a, received_at=utc(2025, 9, 10, 15), first_triaged_at=utc(2025, 10, 2, 15),
               closed_at=utc(2025, 11, 20, 15), status="closed", disposition="withdrawn")
    set_fields(b, received_at=utc(2025, 9, 20, 15), first_triaged_at=utc(2025, 9, 25, 15),
               status="intake_review")
    set_fields(c, received_at=utc(2025, 11, 5, 15))
    table = queries.flow(date(2025, 9, 1), date(2025, 12, 31), "month")
    assert table.measures == ("received", "opened", "closed")
    assert table.rows == [
        {"month": "2025-09", "received": 2, "opened": 1, "closed": 0},
        {"month": "2025-10", "received": 0, "opened": 1, "closed": 0},
        {"month": "2025-11", "received": 1, "opened": 0, "closed": 1},
        {"month": "2025-12", "received": 0, "opened": 0, "closed": 0},
    ]
    assert table.total == 3
    quarters = queries.flow(None, None, "quarter")
    assert quarters.rows == [
        {"quarter": "FY2025-Q4", "received": 2, "opened": 1, "closed": 0},
        {"quarter": "FY2026-Q1", "received": 1, "opened": 1, "closed": 1},
    ]
    with pytest.raises(ValueError, match="unknown period"):
        queries.flow(None, None, "week")


def test_backlog_by_age(file_via_api: Any, db_session: Any) -> None:
    today = queries.today()
    noon = datetime.combine(today, datetime.min.time(), queries.office_zone()) + timedelta(
        hours=12)
    for days in (0, 30, 31, 90, 91, 200, 365, 366, 900):
        set_fields(file_via_api()["receipt"], received_at=noon - timedelta(days=days))
    closed = file_via_api()["receipt"]
    set_fields(closed, received_at=noon - timedelta(days=40), status="closed",
               disposition="withdrawn", first_triaged_at=noon - timedelta(days=39),
               closed_at=noon - timedelta(days=10))
    table = queries.backlog()
    assert counts(table) == {"0-30": 2, "31-90": 2, "91-180": 1, "181-365": 2, "over-365": 2}
    assert table.total == 9
    # Fifteen days ago: the newest complaint did not exist and the closed one was still open.
    past = queries.backlog(today - timedelta(days=15))
    assert counts(past) == {"0-30": 3, "31-90": 2, "91-180": 0, "181-365": 3, "over-365": 1}


def test_medians_on_known_data(file_via_api: Any, db_session: Any) -> None:
    base = utc(2025, 3, 3, 14)
    plan = [(1, 10), (2, 20), (4, 40), (10, None), (None, None)]
    for triage_days, close_days in plan:
        receipt = file_via_api()["receipt"]
        set_fields(receipt, received_at=base,
                   first_triaged_at=base + timedelta(days=triage_days) if triage_days else None,
                   closed_at=base + timedelta(days=close_days) if close_days else None)
    times = queries.handling_times(date(2025, 3, 1), date(2025, 3, 31))
    assert times == {"received": 5, "triaged": 4, "median_days_to_triage": 3.0,
                     "closed": 3, "median_days_to_closure": 20.0}
    assert queries.handling_times(date(2025, 4, 1), None) == {
        "received": 0, "triaged": 0, "median_days_to_triage": None, "closed": 0,
        "median_days_to_closure": None}
    table = queries.handling_times_table(None, None, suppress_below=4)
    assert table.rows == [
        {"interval": "received_to_first_triage", "complaints": 4, "median_days": 3.0},
        {"interval": "received_to_closure", "complaints": None, "median_days": None},
    ]


@pytest.mark.parametrize("days", [
    [2.25, 2.75],  # both middle values in the same whole-day bucket
    [0.5, 2.25, 2.75, 9.0],
    [7.0],
    [3.5, 0.25, 40.0, 3.75, 1.0],
    [0.1, 0.2, 0.3, 5.0, 5.5, 30.0, 31.0, 200.0],
])
def test_median_matches_python_on_known_values(file_via_api: Any, db_session: Any,
                                               days: list[float]) -> None:
    base = utc(2025, 5, 5, 12)
    for value in days:
        receipt = file_via_api()["receipt"]
        set_fields(receipt, received_at=base, first_triaged_at=base + timedelta(days=value))
    times = queries.handling_times()
    assert times["triaged"] == len(days)
    # Whole calendar days in the office's time zone (New York), not fractions of a day.
    zone = ZoneInfo("America/New_York")
    calendar_days = [((base + timedelta(days=v)).astimezone(zone).date()
                      - base.astimezone(zone).date()).days for v in days]
    assert times["median_days_to_triage"] == statistics.median(calendar_days)


def test_referred_and_retained_from_the_audit_trail(file_via_api: Any,
                                                    db_session: Any) -> None:
    receipts_ = [file_via_api()["receipt"] for _ in range(5)]
    ids = dict(db.session.execute(select(Complaint.receipt, Complaint.id)).all())
    moves = {
        receipts_[0]: ["intake_review", "referred_oig"],  # with OIG
        receipts_[1]: ["intake_review", "referred_oig", "intake_review", "investigating"],
        receipts_[2]: ["intake_review", "referred_component"],
        receipts_[3]: ["intake_review", "investigating"],
        receipts_[4]: ["intake_review"],
    }
    for receipt, path in moves.items():
        previous = "received"
        for step, target in enumerate(path):
            db.session.add(AuditEvent(kind="transition", actor="test", complaint_id=ids[receipt],
                                      from_status=previous, to_status=target,
                                      at=datetime.now(UTC) + timedelta(minutes=step)))
            previous = target
    db.session.commit()
    table = queries.referrals()
    assert counts(table) == {"referred": 3, "referred_oig": 2, "referred_component": 1,
                             "retained": 2, "neither": 1}
    assert table.total == 5
    # A complaint closed straight away as taken by OIG is an OIG referral too.
    set_fields(receipts_[4], status="closed", disposition="referred_to_oig")
    assert counts(queries.referrals())["referred_oig"] == 3


# -- exporters -------------------------------------------------------------------------------------

def test_report_exports_to_excel_with_a_sheet_per_table(demo_rows: int) -> None:
    report = queries.report(suppress_below=5)
    workbook = load_workbook(io.BytesIO(exporters.to_xlsx(report)))
    assert workbook.sheetnames == exporters.sheet_names(list(report))
    assert len(set(workbook.sheetnames)) == len(report)
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    sheet = workbook["By status"]
    assert [c.value for c in sheet[1]] == ["status (code)", "Status", "Complaints"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    values = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    total_row = next(row for row in values if row[0] == "Total")
    assert total_row[2] == demo_rows
    numbers = [cell for (cell,) in sheet.iter_rows(min_row=2, min_col=3, max_col=3)
               if isinstance(cell.value, int)]
    assert numbers
    assert all(c.number_format == exporters.INTEGER_FORMAT for c in numbers)
    flow_sheet = workbook["Flow by fiscal quarter"]
    assert [c.value for c in flow_sheet[1]] == ["quarter (code)", "Fiscal quarter", "Received",
                                                "Opened", "Closed"]


def test_sheet_names_are_short_unique_and_valid() -> None:
    names = exporters.sheet_names(["A very long title for a table of complaints by state",
                                   "A very long title for a table of complaints by status",
                                   "Referred / retained [2025]", "referred - retained -2025-"])
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == 4
    assert not any(set(n) & set("[]:*?/\\") for n in names)


def test_exports_carry_no_personal_data(demo_rows: int) -> None:
    report = queries.report()
    text = exporters.to_csv(report) + json.dumps(exporters.to_json(report), ensure_ascii=False)
    assert "@example.org" not in text
    assert "555-01" not in text
    names = {name for names in demo.NAMES.values() for name in names}
    assert not any(name in text for name in names)
    narrative = db.session.scalar(select(Complaint.narrative).limit(1))
    assert narrative[:40] not in text


def test_json_export_has_the_api_shape(demo_rows: int) -> None:
    table = aggregate(["quarter", "priority"])
    data = exporters.to_json({"t": table})["t"]
    assert set(data) == {"by", "rows", "total"}
    assert data["by"] == ["quarter", "priority"]
    assert all(set(row) == {"quarter", "quarter_label", "priority", "priority_label", "count"}
               for row in data["rows"])
    assert data["total"] == demo_rows


# -- case-level export -----------------------------------------------------------------------------

def test_case_export_leaves_restricted_complaints_out_unless_asked(demo_rows: int) -> None:
    statement = select(Complaint).order_by(Complaint.id)
    restricted = db.session.scalar(select(func.count()).where(Complaint.restricted))
    assert 0 < restricted < demo_rows
    default = list(csv.reader(io.StringIO("".join(
        exporters.stream_cases_csv(statement, include_restricted=False)))))
    granted = list(csv.reader(io.StringIO("".join(
        exporters.stream_cases_csv(statement, include_restricted=True)))))
    assert default[0] == granted[0] == list(exporters.CASE_COLUMNS)
    assert granted[-1] == [f"# Complete: {demo_rows} complaints."]
    assert default[-1] == [f"# Complete: {demo_rows - restricted} complaints."]
    default, granted = default[:-1], granted[:-1]
    assert len(granted) - 1 == demo_rows
    assert len(default) - 1 == demo_rows - restricted
    assert {row[12] for row in default[1:]} == {"false"}
    by_receipt = {row[0]: row for row in granted[1:]}
    complaint = db.session.scalar(select(Complaint).where(Complaint.restricted).limit(1))
    row = by_receipt[complaint.receipt]
    assert row[12] == "true"
    assert row[9].split(";")[0] == complaint.primary_category
    assert set(row[10].split(";")) == set(complaint.components)
    assert row[1] == complaint.received_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    # The caller's filters are kept.
    closed = list(exporters.stream_cases_csv(
        select(Complaint).where(Complaint.status == "closed"), include_restricted=True))
    assert all(",closed," in line for chunk in closed[1:-1] for line in chunk.splitlines())


def test_case_export_guards_against_formulas(file_via_api: Any, db_session: Any,
                                             tmp_path: Any) -> None:
    filed = file_via_api()
    set_fields(filed["receipt"], state="=1")
    text = "".join(exporters.stream_cases_csv(select(Complaint), include_restricted=False))
    assert ",'=1," in text
    path = tmp_path / "cases.xlsx"
    assert exporters.write_cases_xlsx(select(Complaint), path, include_restricted=False) == 1
    sheet = load_workbook(path).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == list(exporters.CASE_COLUMNS)
    assert sheet.freeze_panes == "A2"
    assert sheet[1][0].font.bold
    assert sheet.cell(row=2, column=12).value == "'=1"
    assert sheet.cell(row=2, column=12).data_type == "s"
    assert isinstance(sheet.cell(row=2, column=2).value, datetime)
    assert exporters.safe_cell("+1") == "'+1"
    assert exporters.safe_cell("-x") == "'-x"
    assert exporters.safe_cell("@sum") == "'@sum"
    assert exporters.safe_cell("ok") == "ok"
    assert exporters.safe_cell(-5) == -5


def test_case_export_keeps_memory_flat(app: Any, truncate_after: Any, db_session: Any) -> None:
    rows = 20_000
    demo.generate(rows, seed=5, batch_size=5000)
    db.session.remove()
    statement = select(Complaint).order_by(Complaint.id)
    tracemalloc.start()
    try:
        held = db.session.scalars(statement.limit(1000)).all()
        holding_per_row = tracemalloc.get_traced_memory()[0] / len(held)
        del held
        db.session.remove()
    finally:
        tracemalloc.stop()
    tracemalloc.start()
    try:
        lines = size = 0
        early_peak = 0
        for chunk in exporters.stream_cases_csv(statement, include_restricted=True,
                                                batch_size=1000):
            lines += chunk.count("\n")
            size += len(chunk)
            if lines >= 2000 and not early_peak:
                early_peak = tracemalloc.get_traced_memory()[1]
        final_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert lines == rows + 2  # the header, the rows and the line saying it is complete
    # Memory depends on the batch, not the number of rows: reading ten times more rows after
    # the first two batches barely moves the peak, which stays far below what holding the rows
    # would take.
    assert final_peak < early_peak * 1.5, (early_peak, final_peak)
    assert final_peak < holding_per_row * rows / 4, (final_peak, holding_per_row)
    assert size > 20 * rows


# -- the export-stats command ----------------------------------------------------------------------

def test_export_stats_csv_to_standard_output(runner: Any, file_via_api: Any) -> None:
    file_via_api()
    file_via_api(primary_category="profiling", categories=[])
    result = runner.invoke(args=["export-stats", "--format", "csv", "--by", "category"])
    assert result.exit_code == 0, result.output
    # Taxonomy order, then the total.
    assert result.output.splitlines() == ["category,label,count",
                                          "profiling,Profiling and discrimination,1",
                                          "detention_conditions,Detention conditions,1",
                                          "Total,,2"]


def test_export_stats_json_matches_the_api_shape(app: Any, runner: Any,
                                                 file_via_api: Any) -> None:
    file_via_api()
    with app.app_context():
        quarter = queries.fiscal_quarter(queries.today())
    from complaints.stats import labels

    result = runner.invoke(args=["export-stats", "--format", "json", "--by",
                                 "quarter,status", "--from", "2000-01-01"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == {"by": ["quarter", "status"], "total": 1,
                    "rows": [{"quarter": quarter, "quarter_label": labels.value("quarter", quarter),
                              "status": "received", "status_label": "Received", "count": 1}]}


def test_export_stats_writes_files(runner: Any, file_via_api: Any, tmp_path: Any) -> None:
    for _ in range(3):
        file_via_api()
    path = tmp_path / "by-status.xlsx"
    result = runner.invoke(args=["export-stats", "--format", "xlsx", "--by", "status",
                                 "--output", str(path), "--suppress", "5"])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["About", "Status"]
    sheet = workbook["Status"]
    assert [c.value for c in sheet[1]] == ["status (code)", "Status", "Complaints"]
    # 3 is below 5, and so is the total that would give it away: both empty cells.
    assert [c.value for c in sheet[2]] == ["received", "Received", None]
    assert [c.value for c in sheet[3]] == ["Total", None, None]
    assert any("suppressed" in str(row[0].value) for row in sheet.iter_rows(min_row=4))
    csv_path = tmp_path / "by-status.csv"
    result = runner.invoke(args=["export-stats", "--by", "any_category",
                                 "--output", str(csv_path)])
    assert result.exit_code == 0, result.output
    assert csv_path.read_text().splitlines()[:3] == [
        "any_category,label,count", "detention_conditions,Detention conditions,3",
        "language_access,Language access,3"]


@pytest.mark.parametrize(("args", "message"), [
    (["--by", "colour"], "unknown dimension 'colour'"),
    (["--by", "category,status,month"], "at most two dimensions"),
    (["--by", "status", "--from", "2025-13-01"], "is not a date"),
    (["--by", "status", "--to", "yesterday"], "is not a date"),
    (["--by", "status", "--from", "2025-03-01", "--to", "2025-02-01"], "is after"),
    (["--by", "status", "--format", "xlsx"], "give --output"),
    (["--by", "status", "--format", "pdf"], "pdf"),
    (["--by", "status", "--suppress", "0"], "0"),
])
def test_export_stats_refuses_bad_input(runner: Any, args: list[str], message: str) -> None:
    result = runner.invoke(args=["export-stats", *args])
    assert result.exit_code != 0
    assert message in result.output
