"""A case export is complete or clearly failed: it ends by saying it is complete, and one that
fails half-way says so in the file and breaks off the download."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest

from complaints.stats import exporters


def body_until_failure(response: Any) -> tuple[str, BaseException | None]:
    """What the person's browser received before the stream broke off, and why it broke."""
    received: list[str] = []
    try:
        for chunk in response.response:
            received.append(chunk if isinstance(chunk, str) else chunk.decode())
    except Exception as exc:  # the download is broken off here
        return "".join(received), exc
    return "".join(received), None


def break_after_two_rows(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """Make reading the case rows fail after two complaints, on either database's path (rows
    through Python's CSV writer, or the CSV of PostgreSQL's COPY)."""
    real_rows, real_copy = exporters.case_text_rows, exporters.copied_case_csv

    def failing_rows(*args: Any, **kwargs: Any) -> Iterator[list[list[Any]]]:
        batches = real_rows(*args, **{**kwargs, "batch_size": 2})
        yield next(batches)
        batches.close()  # as a real failure inside it would (its cursor closed)
        raise error

    def failing_copy(*args: Any, **kwargs: Any) -> Iterator[tuple[str, int]]:
        text = "".join(chunk for chunk, _ in real_copy(*args, **kwargs))
        yield "".join(text.splitlines(keepends=True)[:2]), 2
        raise error

    monkeypatch.setattr(exporters, "case_text_rows", failing_rows)
    monkeypatch.setattr(exporters, "copied_case_csv", failing_copy)


def test_a_complete_export_says_so_on_its_last_line(staff_client: Any,
                                                    file_via_api: Any) -> None:
    for _ in range(3):
        file_via_api()
    client, _ = staff_client("supervisor")
    rows = list(csv.reader(io.StringIO(client.get("/staff/export.csv?status=all")
                                       .get_data(as_text=True))))
    assert rows[0] == list(exporters.CASE_COLUMNS)
    assert rows[-1] == ["# Complete: 3 complaints."]
    assert len(rows) == 5


def test_an_export_that_fails_half_way_cannot_be_taken_for_complete(
        app: Any, staff_client: Any, file_via_api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(4):
        file_via_api()
    break_after_two_rows(monkeypatch, OSError("the database connection was lost"))
    client, _ = staff_client("supervisor")
    response = client.get("/staff/export.csv?status=all", buffered=False)
    assert response.status_code == 200  # headers went out before the failure
    text, error = body_until_failure(response)
    assert isinstance(error, OSError), "the download is broken off, so the browser flags it"
    lines = text.splitlines()
    assert lines[-1] == ("# INCOMPLETE EXPORT: it failed after 2 complaints and rows are "
                         "missing. Do not use this file; download it again.")
    assert not any(line.startswith("# Complete") for line in lines)
    assert len(lines) == 1 + 2 + 1  # header, the rows read before the failure, the warning


# -- large exports prepared in the background ------------------------------------------------------

@pytest.fixture
def export_dir(app: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path / "exports"))
    return tmp_path / "exports"


def test_a_large_export_is_prepared_then_offered_complete_on_the_queue_page(
        app: Any, staff_client: Any, file_via_api: Any, export_dir: Any) -> None:
    from sqlalchemy import select

    from complaints.extensions import db
    from complaints.models import AuditEvent, CaseExport

    for _ in range(3):
        file_via_api()
    client, member = staff_client("supervisor")
    response = client.post("/staff/export-jobs?status=all", data={"format": "csv"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your export is being prepared." in page
    assert "Download the export of 3 complaints (CSV), complete" in page
    with app.app_context():
        job = db.session.scalars(select(CaseExport)).one()
        assert (job.state, job.rows) == ("done", 3)
        ident = job.id
        db.session.remove()
    download = client.get(f"/staff/export-jobs/{ident}")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    lines = download.get_data(as_text=True).splitlines()
    download.close()
    assert lines[-1] == "# Complete: 3 complaints."
    assert len(lines) == 5
    other, _ = staff_client("supervisor")
    assert other.get(f"/staff/export-jobs/{ident}").status_code == 404, "only the requester"
    with app.app_context():
        kinds = [e.kind for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.kind.like("case_export%"))
            .order_by(AuditEvent.id))]
        assert kinds == ["case_export_requested", "case_export_ready",
                         "case_export_downloaded"]
        db.session.remove()
    assert member.email


def test_a_background_export_that_fails_half_way_leaves_no_file_and_says_so(
        app: Any, staff_client: Any, file_via_api: Any, monkeypatch: pytest.MonkeyPatch,
        export_dir: Any) -> None:
    for _ in range(4):
        file_via_api()
    break_after_two_rows(monkeypatch, RuntimeError("the database connection was lost"))
    client, _ = staff_client("supervisor")
    response = client.post("/staff/export-jobs?status=all", data={"format": "csv"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    seen = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert ("The export failed and no file was made: The database stopped answering while "
            "the export was read.") in seen
    assert "Download the export" not in page
    assert list(export_dir.iterdir()) == [], "no partial file is left"


def test_old_exports_and_abandoned_parts_are_removed_and_the_removal_audited(
        app: Any, runner: Any, export_dir: Any) -> None:
    import os
    import time

    from sqlalchemy import select

    from complaints.extensions import db
    from complaints.models import AuditEvent
    from complaints.services import case_exports

    with app.app_context():
        case_exports.directory()  # made on first use
    day = 24 * 3600
    files = {"complaints-20261101-0900-1.csv": 8 * day, "complaints-20261130-0900-2.xlsx": day,
             "complaints-20261202-0700-3.csv.part": 3 * 3600,
             "complaints-20261202-0930-4.csv.part": 600, "notes.txt": 30 * day}
    for name, age in files.items():
        path = export_dir / name
        path.write_text("receipt\n")
        os.utime(path, (time.time() - age, time.time() - age))
    result = runner.invoke(args=["clean-exports"])
    assert result.exit_code == 0, result.output
    assert "removed 2 old export files" in result.output
    assert sorted(p.name for p in export_dir.iterdir()) == [
        "complaints-20261130-0900-2.xlsx", "complaints-20261202-0930-4.csv.part", "notes.txt"]
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.kind == "case_exports_removed")).one()
        assert event.data["files"] == ["complaints-20261101-0900-1.csv",
                                       "complaints-20261202-0700-3.csv.part"]
        db.session.remove()


def test_the_streamed_csv_matches_the_rows_read_through_the_orm_byte_for_byte(
        app: Any, file_via_api: Any) -> None:
    """On PostgreSQL the database writes the CSV (COPY); on SQLite Python's writer does. Both
    must give what the ORM rows would, whatever a value holds."""
    from sqlalchemy import select, update

    from complaints.extensions import db
    from complaints.models import Complaint

    receipts = [file_via_api(state=state)["receipt"] for state in ("TX", "CA", "NM", None, "NY")]
    # The column holds two characters: a formula and a comma, a quote and a line break, a
    # letter outside ASCII, nothing.
    odd = {receipts[0]: "=,", receipts[1]: '"\n', receipts[2]: "東ü", receipts[4]: ""}
    with app.app_context():
        for receipt, state in odd.items():
            db.session.execute(update(Complaint).where(Complaint.receipt == receipt)
                               .values(state=state))
        db.session.commit()
        statement = select(Complaint).order_by(Complaint.id)
        streamed = "".join(exporters.stream_cases_csv(statement, include_restricted=True))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(exporters.CASE_COLUMNS)
        for batch in exporters.iter_cases(statement, include_restricted=True):
            writer.writerows([exporters._csv_value(v) for v in row] for row in batch)
        db.session.remove()
    assert streamed == out.getvalue() + "# Complete: 5 complaints.\n"
    assert ",\"'=,\"," in streamed
    assert ',"""\n",' in streamed
