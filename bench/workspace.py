"""The staff workspace at a million complaints: the queue page, every filter, searches and deep
pages, through the app (a signed-in supervisor, whole request and rendered HTML), each beside the
best hand-written SQL for the same answer, in the same run, at BENCH_ROWS/10 and BENCH_ROWS demo
complaints (default 100,000 and 1,000,000) side by side.

Target: p95 <= 150 ms for the queue page, any filter and a common-word search at the large size,
and a cost that stays flat as the table grows (ratio near 1).

SQLite always; PostgreSQL too when BENCH_DATABASE_URL names a database (a schema per size).
Building a million demo complaints takes a while: with BENCH_CACHE_DIR set, the SQLite files
are kept in that folder and the PostgreSQL schemas kept in that database, and reused by later
runs (rebuilt when their schema revision or size differs). Without it they are temporary.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
CACHE = os.environ.get("BENCH_CACHE_DIR", "")
PASSWORD = "a benchmark password, long enough"  # noqa: S105 (a throwaway local account)
TARGET_MS = 150.0

# (label, queue query string): the page HTML as a supervisor sees it.
PAGES: list[tuple[str, dict[str, str]]] = [
    ("queue page (open, attention)", {}),
    ("filter section=IMM", {"section": "IMM"}),
    ("filter priority=urgent", {"priority": "urgent"}),
    ("filter status=received", {"status": "received"}),
    ("filter language=ps", {"language": "ps"}),
    ("filter channel=fax", {"channel": "fax"}),
    ("filter category=medical_care", {"category": "medical_care"}),
    ("filter component=TSA", {"component": "TSA"}),
    ("filter detained=yes", {"detained": "yes"}),
    ("filter duplicate=yes", {"duplicate": "yes"}),
    ("filter restricted=yes", {"restricted": "yes"}),
    ("filter assigned=none, section=IMM", {"assigned": "none", "section": "IMM"}),
    ("filter received last 30 days", {"received_from": "{d30}"}),
    ("all statuses, newest first", {"status": "all", "order": "newest"}),
    ("search 'interpreter'", {"q": "interpreter"}),
    ("search 'interpreter', newest", {"q": "interpreter", "order": "newest"}),
    ("search 'interpreter', best match", {"q": "interpreter", "order": "relevance"}),
    ("search 'احتجاز' (Arabic)", {"q": "احتجاز"}),
    ("search 'احتجاز', best match", {"q": "احتجاز", "order": "relevance"}),
    ("search 'intérprete'", {"q": "intérprete"}),
    ("search rare word 'zzyzx'", {"q": "zzyzx"}),
    ("search Chinese '翻译'", {"q": "翻译"}),
]
DEEP = ("page 10,000 deep", "page 90% deep")

# (label, SQL): the best query for the same rows, by hand (LIMIT 51, like a page and one more).
RAW: dict[str, dict[str, str]] = {
    "queue page (open, attention)": {
        "any": "SELECT id FROM complaints WHERE status <> 'closed' "
               "ORDER BY priority_rank, received_at, id LIMIT 51"},
    "filter section=IMM": {
        "any": "SELECT id FROM complaints WHERE status <> 'closed' AND section = 'IMM' "
               "ORDER BY priority_rank, received_at, id LIMIT 51"},
    "search 'interpreter', newest": {
        "sqlite": "SELECT id FROM complaints WHERE status <> 'closed' AND id + 0 IN (SELECT rowid "
                  "FROM complaint_search_terms WHERE complaint_search_terms MATCH 'interpreter') "
                  "ORDER BY received_at DESC, id DESC LIMIT 51",
        "postgresql": "SELECT c.id FROM complaints c WHERE c.status <> 'closed' AND EXISTS "
                      "(SELECT 1 FROM complaint_search_documents d WHERE d.complaint_id = c.id "
                      "AND string_to_array(d.terms, '  ') @> ARRAY['interpreter']) "
                      "ORDER BY c.received_at DESC, c.id DESC LIMIT 51"},
    "count open complaints (capped at 10,001)": {
        "any": "SELECT count(*) FROM (SELECT id FROM complaints WHERE status <> 'closed' "
               "LIMIT 10001) AS capped"},
}


def _percentiles(action: Callable[[], Any]) -> tuple[float, float]:
    """(p50, p95) in milliseconds over RUNS runs, after one run to warm the caches."""
    action()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]


def _app(url: str) -> Any:
    from complaints import create_app

    return create_app({"ENV": "testing", "DATABASE_URL": url, "RATELIMIT_ENABLED": False,
                       "WTF_CSRF_ENABLED": False, "STAFF_REQUIRE_TWO_FACTOR": False})


def _revision(app: Any) -> str | None:
    from complaints.extensions import db

    with app.app_context():
        try:
            return db.session.scalar(text("SELECT version_num FROM alembic_version"))
        except Exception:  # noqa: BLE001 -- no table yet: an empty database
            db.session.rollback()
            return None
        finally:
            db.session.remove()


def _complaints(app: Any) -> int:
    from complaints.extensions import db

    with app.app_context():
        try:
            return int(db.session.scalar(text("SELECT count(*) FROM complaints")) or 0)
        finally:
            db.session.remove()


def _build(app: Any, rows: int) -> None:
    """Migrate and fill with `rows` demo complaints (in steps, printing progress)."""
    import flask_migrate

    from complaints import demo
    from complaints.extensions import db

    with app.app_context():
        flask_migrate.upgrade()
        started = time.perf_counter()

        def progress(done: int, total: int, seconds: float) -> None:
            if done % 100_000 == 0 or done == total:
                print(f"  built {done:,} / {total:,} in {seconds:.0f} s", flush=True)

        demo.generate(rows, seed=10, progress=progress)
        db.session.commit()
        # Statistics for the planner, and (PostgreSQL) the visibility map that index-only
        # scans need: what autovacuum keeps up in a running system.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE" if conn.dialect.name == "postgresql"
                                 else "ANALYZE")
        print(f"  {rows:,} complaints in {time.perf_counter() - started:.0f} s", flush=True)
        db.session.remove()


def _head() -> str:
    from alembic.script import ScriptDirectory

    from complaints import PROJECT_ROOT

    directory = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
    return str(directory.get_current_head())


@contextmanager
def _database(kind: str, rows: int, tmp: str) -> Iterator[str]:
    """A database holding `rows` demo complaints: cached under BENCH_CACHE_DIR if set."""
    if kind == "sqlite":
        folder = Path(CACHE) if CACHE else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"workspace-{rows}.db"
        url = f"sqlite:///{path}"
        app = _app(url)
        if _revision(app) != _head() or _complaints(app) != rows:
            path.unlink(missing_ok=True)
            _build(_app(url), rows)
        yield url
        return
    base = os.environ["BENCH_DATABASE_URL"]
    schema = f"bench_workspace_{rows}"
    engine = create_engine(base)
    url = make_url(base).update_query_dict(
        {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    app = _app(url)
    if _revision(app) != _head() or _complaints(app) != rows:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        _build(_app(url), rows)
    try:
        yield url
    finally:
        if not CACHE:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def _signed_in_client(app: Any) -> Any:
    from complaints.extensions import db
    from complaints.services import accounts

    with app.app_context():
        email = "bench.supervisor@example.org"
        if accounts.by_email(email) is None:
            accounts.create_staff(accounts.StaffDetails(email, "Bench Supervisor", "supervisor",
                                                        None, True), PASSWORD, "bench")
        db.session.remove()
    client = app.test_client()
    response = client.post("/staff/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def _deep_cursors(app: Any, rows: int) -> dict[str, str]:
    """Cursors of the default view at 10,000 and at 90% of the open complaints (found once, by
    OFFSET, outside the timing)."""
    from complaints.extensions import db
    from complaints.models import Complaint
    from complaints.services import queue

    cursors = {}
    with app.app_context():
        open_count = int(db.session.scalar(text(
            "SELECT count(*) FROM complaints WHERE status <> 'closed'")) or 0)
        for label, offset in zip(DEEP, (min(10_000, open_count // 2), int(open_count * 0.9)),
                                 strict=True):
            ident = db.session.scalar(text(
                "SELECT id FROM complaints WHERE status <> 'closed' "
                "ORDER BY priority_rank, received_at, id LIMIT 1 OFFSET :n"), {"n": offset})
            complaint = db.session.get(Complaint, ident)
            cursors[label] = queue._cursor_for(complaint, "attention")  # noqa: SLF001
        db.session.remove()
    return cursors


def _measure(url: str, rows: int) -> dict[str, tuple[float, float]]:
    from datetime import UTC, datetime, timedelta

    from complaints.extensions import db

    app = _app(url)
    client = _signed_in_client(app)
    d30 = (datetime.now(UTC) - timedelta(days=30)).date().isoformat()
    results: dict[str, tuple[float, float]] = {}

    def get(args: dict[str, str]) -> Callable[[], Any]:
        query = urlencode({k: v.format(d30=d30) for k, v in args.items()})

        def fetch() -> None:
            response = client.get("/staff/?" + query)
            assert response.status_code == 200, response.status_code
            response.get_data()

        return fetch

    for label, args in PAGES:
        results[label] = _percentiles(get(args))
    for label, cursor in _deep_cursors(app, rows).items():
        results[label] = _percentiles(get({"after": cursor}))
    with app.app_context():
        receipt = db.session.scalar(text("SELECT receipt FROM complaints ORDER BY id DESC "
                                         "LIMIT 1"))
        db.session.remove()
    results["case page"] = _percentiles(lambda: client.get(f"/staff/complaints/{receipt}"))
    engine = create_engine(url)
    with engine.connect() as conn:
        for label, queries in RAW.items():
            sql = queries.get(conn.dialect.name, queries.get("any"))
            assert sql is not None
            results[f"raw SQL: {label}"] = _percentiles(
                lambda sql=sql: conn.exec_driver_sql(sql).all())
    engine.dispose()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return results


def _report(kind: str, small: int, large: int, few: dict[str, tuple[float, float]],
            many: dict[str, tuple[float, float]]) -> None:
    print(f"database: {kind}; p50 / p95 of {RUNS} runs in ms (whole request for app rows)")
    print(f"{'':44}{f'{small:,} rows':>17}{f'{large:,} rows':>17}  ratio  p95<={TARGET_MS:.0f}")
    for label in few:
        (a50, a95), (b50, b95) = few[label], many[label]
        verdict = "" if label.startswith("raw") else ("yes" if b95 <= TARGET_MS else "NO")
        print(f"{label[:44]:44}{a50:8.1f}/{a95:7.1f}{b50:9.1f}/{b95:7.1f}"
              f"{b95 / a95 if a95 else float('nan'):7.2f}  {verdict}")


def _kinds() -> list[str]:
    """SQLite, and PostgreSQL when BENCH_DATABASE_URL is set; BENCH_KINDS=sqlite (or
    postgresql) runs one of them only."""
    kinds = ["sqlite"] + (["postgresql"] if os.environ.get("BENCH_DATABASE_URL") else [])
    chosen = os.environ.get("BENCH_KINDS", "")
    return [k for k in kinds if not chosen or k in chosen.split(",")]


def run() -> None:
    kinds = _kinds()
    small = max(ROWS // 10, 1)
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            measured = []
            for rows in (small, ROWS):
                with _database(kind, rows, tmp) as url:
                    measured.append(_measure(url, rows))
            _report(kind, small, ROWS, measured[0], measured[1])
            print()


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["build"]:  # fill the cache only
        with tempfile.TemporaryDirectory() as folder:
            for kind in _kinds():
                for size in (max(ROWS // 10, 1), ROWS):
                    with _database(kind, size, folder):
                        pass
    else:
        run()
