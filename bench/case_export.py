"""The case export at a million complaints: how long the file takes and how much memory the
process needs, beside the database writing the same CSV by itself, in the same run.

Measured on the databases of `bench.workspace` (BENCH_ROWS demo complaints, default 1,000,000;
SQLite always, PostgreSQL when BENCH_DATABASE_URL is set; kept under BENCH_CACHE_DIR when set):

- background job: what **Prepare a large export** runs (`services/case_exports.run`), for a
  supervisor with the restricted grant and every status: every complaint, to a file;
- streamed: the CSV of `/staff/export.csv` (`exporters.stream_cases_csv`), to a file;
- raw: the same columns written by the database alone — PostgreSQL `COPY (SELECT …) TO
  STDOUT (FORMAT csv)`, SQLite's rows through Python's csv writer — the limit.

Each runs in a process of its own; its peak memory is the RSS high-water mark from the start of
the export (the app and its libraries included, the set-up before it not). Target (issue 13):
a million rows in at most 20 s with a peak of at most 150 MB.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.workspace import ROWS, _app, _database, _kinds

TARGET_SECONDS = 20.0
TARGET_MB = 150.0
_SQLITE_RAW = (
    "SELECT c.receipt, strftime('%Y-%m-%dT%H:%M:%SZ', c.received_at), c.channel, c.language, "
    "c.status, COALESCE(c.disposition, ''), c.section, c.priority, c.primary_category, "
    "(SELECT group_concat(category, ';') FROM complaint_categories x "
    "WHERE x.complaint_id = c.id), (SELECT group_concat(component, ';') FROM "
    "complaint_components x WHERE x.complaint_id = c.id), COALESCE(c.state, ''), "
    "CASE WHEN c.restricted THEN 'true' ELSE 'false' END, "
    "CASE WHEN c.possible_duplicate THEN 'true' ELSE 'false' END, "
    "COALESCE(strftime('%Y-%m-%dT%H:%M:%SZ', c.first_triaged_at), ''), "
    "COALESCE(strftime('%Y-%m-%dT%H:%M:%SZ', c.closed_at), ''), "
    "(SELECT count(*) FROM attachments a WHERE a.complaint_id = c.id) FROM complaints c")
_POSTGRES_RAW = (
    "COPY (SELECT c.receipt, to_char(timezone('UTC', c.received_at), "
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), c.channel, c.language, c.status, c.disposition, "
    "c.section, c.priority, c.primary_category, (SELECT string_agg(category, ';' ORDER BY id) "
    "FROM complaint_categories x WHERE x.complaint_id = c.id), (SELECT string_agg(component, "
    "';' ORDER BY id) FROM complaint_components x WHERE x.complaint_id = c.id), c.state, "
    "c.restricted, c.possible_duplicate, to_char(timezone('UTC', c.first_triaged_at), "
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), to_char(timezone('UTC', c.closed_at), "
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), (SELECT count(*) FROM attachments a "
    "WHERE a.complaint_id = c.id) FROM complaints c) TO STDOUT (FORMAT csv)")


def _reset_peak() -> None:
    """Linux: restart this process's RSS high-water mark (VmHWM), so the peak read afterwards
    is the export's, not that of setting up (a staff password's argon2 hash takes 64 MiB)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass  # elsewhere the peak includes the set-up


def _peak_mb() -> float:
    """Peak RSS since `_reset_peak` (Linux; elsewhere since the process started)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _background_job(url: str, folder: str) -> int:
    from complaints.extensions import db
    from complaints.models import CaseExport
    from complaints.services import accounts, case_exports
    from complaints.services.queue import QueueFilters

    app = _app(url)
    app.config["EXPORT_DIR"] = folder
    with app.app_context():
        email = "bench.exporter@example.org"
        user = accounts.by_email(email) or accounts.create_staff(accounts.StaffDetails(
            email, "Bench Exporter", "supervisor", None, True),
            "a benchmark password, long enough", "bench")
        job = case_exports.request_export(user, QueueFilters.from_args({"status": "all"}),
                                          "csv")
        ident = job.id
        db.session.remove()
    _reset_peak()
    case_exports.run(app, ident)
    with app.app_context():
        done = db.session.get(CaseExport, ident)
        if done is None or done.state != "done":
            raise RuntimeError(f"the export job failed: {done and done.error}")
        rows = int(done.rows or 0)
        db.session.remove()
    return rows


def _streamed(url: str, folder: str) -> int:
    from sqlalchemy import select

    from complaints.extensions import db
    from complaints.models import Complaint
    from complaints.stats import exporters

    app = _app(url)
    lines = 0
    _reset_peak()
    with app.app_context(), (Path(folder) / "streamed.csv").open("w", encoding="utf-8") as out:
        for chunk in exporters.stream_cases_csv(select(Complaint), include_restricted=True):
            out.write(chunk)
            lines += chunk.count("\n")
        db.session.remove()
    return lines - 2


def _raw(url: str, folder: str) -> int:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    rows = 0
    _reset_peak()
    with engine.connect() as conn, (Path(folder) / "raw.csv").open("wb") as out:
        raw: Any = conn.connection.driver_connection
        if conn.dialect.name == "postgresql":
            with raw.cursor() as cursor, cursor.copy(_POSTGRES_RAW) as copy:
                for block in copy:
                    out.write(block)
                    rows += bytes(block).count(b"\n")
        else:
            with open(out.fileno(), "w", encoding="utf-8", closefd=False) as text_out:
                writer = csv.writer(text_out, lineterminator="\n")
                cursor = raw.execute(_SQLITE_RAW)
                while part := cursor.fetchmany(5000):
                    writer.writerows(part)
                    rows += len(part)
    engine.dispose()
    return rows


def _child(action: Callable[[str, str], int], url: str, folder: str, results: Any) -> None:
    started = time.perf_counter()
    rows = action(url, folder)
    results.put((rows, time.perf_counter() - started, _peak_mb()))


def _measure(action: Callable[[str, str], int], url: str) -> tuple[int, float, float]:
    """(rows, seconds, peak MB) of the action, run in a fresh process."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    with tempfile.TemporaryDirectory() as folder:
        process = context.Process(target=_child, args=(action, url, folder, results))
        process.start()
        found = results.get(timeout=3600)
        process.join()
    return found


def run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for kind in _kinds():
            with _database(kind, ROWS, tmp) as url:
                print(f"database: {kind}; {ROWS:,} complaints; load average "
                      f"{os.getloadavg()[0]:.2f} before")
                raw_rows, raw_seconds, raw_mb = _measure(_raw, url)
                for label, action in (("background job", _background_job),
                                      ("streamed", _streamed)):
                    rows, seconds, peak = _measure(action, url)
                    met = seconds <= TARGET_SECONDS and peak <= TARGET_MB and rows == raw_rows
                    print(f"  {label:<16}{rows:>11,} rows {seconds:7.1f} s "
                          f"{rows / seconds:>9,.0f}/s  peak {peak:5.0f} MB  "
                          f"{seconds / raw_seconds:5.2f}x raw  "
                          f"{'met' if met else 'NOT met'} (<= {TARGET_SECONDS:.0f} s, "
                          f"<= {TARGET_MB:.0f} MB)")
                print(f"  {'raw (database)':<16}{raw_rows:>11,} rows {raw_seconds:7.1f} s "
                      f"{raw_rows / raw_seconds:>9,.0f}/s  peak {raw_mb:5.0f} MB")
            print()


if __name__ == "__main__":
    run()
