"""The statistics rollup stays exact: after filings, moves, reopenings, section changes, bulk
actions and demo data, `check-stats` finds no difference from the rows (SQLite, and PostgreSQL
when TEST_DATABASE_URL is set), and every statistic read from the rollup equals the same one
counted from the rows."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text

from complaints import demo
from complaints.extensions import db
from complaints.stats import queries, rollup


def check_stats(runner: Any) -> Any:
    result = runner.invoke(args=["check-stats"])
    assert result.exit_code == 0, result.output
    assert "agrees with the complaints" in result.output
    return result


def same_as_rows(app: Any) -> None:
    """Every statistic from the rollup equals the one counted from the complaints."""
    with app.app_context():
        today = queries.today()
        spans = [(None, None), (today - timedelta(days=45), today),
                 (date(today.year - 1, 10, 1), date(today.year, 3, 31)),
                 (today - timedelta(days=3), today - timedelta(days=1))]
        for span in spans:
            for by in (["category"], ["any_category"], ["component", "status"],
                       ["month", "section"], ["quarter", "disposition"], ["state"],
                       ["language", "any_category"], ["month"]):
                assert (queries.aggregate(by, *span).as_dict()
                        == queries.raw_aggregate(by, *span).as_dict()), (by, span)
            where = queries.selection("medical_care", "ICE")
            assert (queries.aggregate(["status"], *span, where=where).as_dict()
                    == queries.raw_aggregate(["status"], *span, where=where).as_dict())
            assert queries.count_received(*span) == queries.raw_count_received(*span)
            for period in ("month", "quarter"):
                assert (queries.flow(*span, period).as_dict()
                        == queries.raw_flow(*span, period).as_dict()), (period, span)
            assert (queries.referrals(*span).as_dict()
                    == queries.raw_referrals(*span).as_dict()), span
        for as_of in (None, today - timedelta(days=200), today - timedelta(days=1)):
            assert queries.backlog(as_of).as_dict() == queries.raw_backlog(as_of).as_dict()
        db.session.remove()


def test_filings_moves_reopenings_and_section_changes_keep_it_exact(
        app: Any, runner: Any, file_via_api: Any, staff_client: Any) -> None:
    client, _ = staff_client("supervisor")
    receipts = [file_via_api(primary_category=c, categories=["language_access"],
                             components=["ICE", "CBP"])["receipt"]
                for c in ("medical_care", "profiling", "due_process")]
    receipts.append(file_via_api(state=None)["receipt"])
    check_stats(runner)

    def move(receipt: str, to: str, **fields: str) -> None:
        response = client.post(f"/staff/complaints/{receipt}/transition",
                               data={"to": to, **fields})
        assert response.status_code == 302, response.get_data(as_text=True)

    move(receipts[0], "intake_review")
    move(receipts[0], "referred_oig")
    move(receipts[1], "closed", disposition="withdrawn")
    check_stats(runner)
    move(receipts[1], "intake_review", note="New information arrived.")  # reopening
    move(receipts[1], "investigating")
    move(receipts[0], "closed", disposition="referred_to_oig")
    check_stats(runner)
    response = client.post(f"/staff/complaints/{receipts[2]}/assign",
                           data={"section": "ADG"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    bulk = client.post("/staff/bulk", data={"receipt": receipts[2:], "bulk_action": "move",
                                            "to": "intake_review"})
    assert bulk.status_code == 200
    bulk = client.post("/staff/bulk", data={"receipt": receipts, "bulk_action":
                                            "assign_section", "section": "IMM"})
    assert bulk.status_code == 200
    check_stats(runner)
    with app.app_context():
        totals = queries.aggregate(["section"]).as_dict()
        assert {row["section"]: row["count"] for row in totals["rows"]} == {"IMM": 4}
        referred = {row["outcome"]: row["count"]
                    for row in queries.referrals().as_dict()["rows"]}
        assert referred["referred_oig"] == 1
        assert referred["retained"] == 1
        db.session.remove()
    same_as_rows(app)


def test_demo_data_fills_the_rollup_in_the_same_run(app: Any, runner: Any) -> None:
    with app.app_context():
        demo.generate(600, seed=5, batch_size=100)
        demo.generate(150, seed=6, batch_size=100)  # on top of rows already there
        db.session.remove()
    check_stats(runner)
    same_as_rows(app)


def test_many_rows_at_once_are_added_like_a_few(app: Any) -> None:
    """Above BULK_ROWS, PostgreSQL takes the rows through a temporary table: adding the same
    rows twice, in one transaction and then in another, doubles every count either way."""
    start = date(2024, 1, 1)
    many = [("received", "d", (start + timedelta(days=i)).isoformat(), f"v{i % 7}", "", 1 + i % 3)
            for i in range(rollup.BULK_ROWS + 500)]
    few = [("received", "d", "2023-06-01", "few", "", 4)]
    with app.app_context():
        connection = db.session.connection()
        rollup.write_rows(connection, many)
        rollup.write_rows(connection, many)  # the same transaction: the table is emptied
        rollup.write_rows(connection, few)
        db.session.commit()
        rollup.write_rows(db.session.connection(), many)
        db.session.commit()
        stored = {(str(day), a): n for day, a, n in db.session.execute(text(
            "SELECT day, a, n FROM stats_rollup WHERE measure = 'received'"))}
        db.session.remove()
    assert stored == {**{(day, a): 3 * n for _, _, day, a, _, n in many}, ("2023-06-01", "few"): 4}


def test_check_stats_reports_a_difference_and_rebuild_repairs_it(
        app: Any, runner: Any, file_via_api: Any) -> None:
    for _ in range(3):
        file_via_api()
    with app.app_context():
        db.session.execute(text("UPDATE complaints SET status = 'closed', "
                                "disposition = 'withdrawn' WHERE id = (SELECT min(id) FROM "
                                "complaints)"))  # behind the write path's back
        db.session.commit()
    result = runner.invoke(args=["check-stats"])
    assert result.exit_code == 1
    assert "differences between the statistics rollup and the complaints" in result.output
    assert "closed_undated day" in result.output
    assert "received:category|disposition day" in result.output
    repaired = runner.invoke(args=["check-stats", "--rebuild"])
    assert repaired.exit_code == 0, repaired.output
    assert "Rebuilt the statistics rollup" in repaired.output
    check_stats(runner)


def test_concurrent_filings_lose_no_increment(app: Any, runner: Any) -> None:
    """Filings from several threads at once (each its own connection) all count."""
    from tests.conftest import valid_intake

    errors: list[BaseException] = []

    def file_some() -> None:
        try:
            client = app.test_client()
            for _ in range(5):
                response = client.post("/api/v1/complaints", json=valid_intake())
                assert response.status_code == 201, response.get_data(as_text=True)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=file_some) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with app.app_context():
        assert queries.count_received() == 20
        db.session.remove()
    check_stats(runner)


def test_spans_cover_each_day_once() -> None:
    for first, last in [(date(2025, 1, 15), date(2025, 3, 10)), (date(2025, 1, 1),
                        date(2025, 1, 31)), (date(2025, 2, 3), date(2025, 2, 20)),
                        (None, date(2025, 5, 5)), (date(2025, 5, 5), None), (None, None),
                        (date(2024, 12, 31), date(2025, 1, 1))]:
        covered = rollup.spans(first, last)
        for day in (date(2024, 12, 1) + timedelta(days=i) for i in range(200)):
            inside = (first is None or day >= first) and (last is None or day <= last)
            hits = 0
            for grain, low, high in covered:
                key = day.replace(day=1) if grain == "m" else day
                hits += (low is None or key >= low) and (high is None or key <= high)
            assert hits == (1 if inside else 0), (first, last, day, covered)
