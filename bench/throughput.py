"""Intake throughput through gunicorn, beside its limits measured in the same run.

For each database (SQLite always; PostgreSQL when BENCH_DATABASE_URL names one, in a schema of
its own that is dropped afterwards) three figures are measured, one after the other:

- filings/s: BENCH_CLIENTS clients (default 32) POST complaints to /api/v1/complaints of the
  real app under gunicorn (BENCH_WORKERS sync workers, default 4; production settings; rate
  limits on, counted in memory, set far above the load) for BENCH_SECONDS (default 20) after a
  2 s warm-up. Every body is different and gives an email, so each filing runs duplicate
  detection and queues an acknowledgement. Afterwards every acknowledged receipt must be stored
  exactly once.
- bare insert/s: the same rows a filing writes (complaint, categories, component, narrative
  signature, outbox message, audit events), prepared beforehand by the intake service, inserted
  by BENCH_WORKERS processes, one transaction a filing: what the database allows.
- bare Flask/s: the same clients against a Flask app that only parses the JSON and answers
  201, under the same gunicorn: what HTTP, gunicorn and Flask leave on this machine.

Targets (issue 9): at least 300 filings/s on PostgreSQL and 150/s on SQLite, and at least half
of the bare-insert figure. The machine's load average before each run is printed, since other
work on the same cores changes every figure.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import secrets
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bench.common import postgres_schema
from bench.intake import _body
from bench.load import cpu_seconds, gunicorn, load, process_tree

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "32"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
TARGETS = {"sqlite": 150, "postgresql": 300}
BARE_INSERT_SHARE = 0.5
PREPARED = 3000
APPLICATION_NAME = f"bench-throughput-{os.getpid()}"


@contextmanager
def _database(kind: str) -> Iterator[str]:
    """An empty, migrated database of the given kind; its URL."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'throughput.db'}"
            _migrate(url)
            yield url
        return
    with postgres_schema(os.environ["BENCH_DATABASE_URL"], "bench_throughput") as url:
        _migrate(url)
        # Its server processes are found by this name, to count their CPU.
        yield str(make_url(url).update_query_dict({"application_name": APPLICATION_NAME})
                  .render_as_string(hide_password=False))


def _app(url: str) -> Any:
    from complaints import create_app

    return create_app({"ENV": "testing", "DATABASE_URL": url, "RATELIMIT_ENABLED": False,
                       "PUBLIC_BASE_URL": "http://127.0.0.1"})


def _migrate(url: str) -> None:
    import flask_migrate

    from complaints.extensions import db

    app = _app(url)
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


def _empty(url: str) -> None:
    from complaints.extensions import db

    app = _app(url)
    with app.app_context():
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


def _stored(url: str) -> list[str]:
    from complaints.extensions import db
    from complaints.models import Complaint

    app = _app(url)
    with app.app_context():
        receipts = list(db.session.scalars(select(Complaint.receipt)))
        db.session.remove()
        db.engine.dispose()
    return receipts


def _bodies(seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    while True:
        yield json.dumps(_body(rng)).encode()


def _server_env(url: str) -> dict[str, str]:
    return {"COMPLAINTS_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": url, "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_FILING": "1000000 per minute", "PUBLIC_BASE_URL": "http://127.0.0.1"}


def _database_backends(url: str) -> list[int]:
    """PostgreSQL server processes serving this benchmark's connections."""
    if not url.startswith("postgresql"):
        return []
    engine = create_engine(os.environ["BENCH_DATABASE_URL"].replace(
        "postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        pids = list(conn.execute(text("SELECT pid FROM pg_stat_activity WHERE "
                                      "application_name = :name"),
                                 {"name": APPLICATION_NAME}).scalars())
    engine.dispose()
    return pids


def _filings(url: str) -> dict[str, Any]:
    bodies = _bodies(11)
    with gunicorn("wsgi:app", _server_env(url), WORKERS, "/healthz") as server:
        probes = {"app": lambda: cpu_seconds(process_tree(server.pid))}
        if url.startswith("postgresql"):
            probes["database"] = lambda: cpu_seconds(_database_backends(url))
        result = load(server.port, "/api/v1/complaints", lambda: next(bodies),
                      clients=CLIENTS, seconds=SECONDS, cpu_probes=probes)
    stored = _stored(url)
    acknowledged = result.all_statuses.get(201, 0)
    return {"per_second": result.per_second, "p50": result.median_ms,
            "p99": result.percentile_ms(0.99),
            "failed": result.done - result.statuses.get(201, 0),
            "stored_once": len(stored) == len(set(stored)) == acknowledged,
            "stored": len(stored), "acknowledged": acknowledged,
            "cpu_ms": result.cpu_ms_per_answer()}


def _bare_flask() -> tuple[float, dict[str, float]]:
    bodies = _bodies(12)
    with gunicorn("bench.bare_app:app", {}, WORKERS, "/ready") as server:
        result = load(server.port, "/api/v1/complaints", lambda: next(bodies),
                      clients=CLIENTS, seconds=SECONDS,
                      cpu_probes={"app": lambda: cpu_seconds(process_tree(server.pid))})
    return result.per_second, result.cpu_ms_per_answer()


def _prepare_filings(url: str) -> list[Any]:
    """The rows of PREPARED filings, made by the intake service itself (not timed)."""
    from complaints.services import intake
    from complaints.services.intake_rules import validate

    rng = random.Random(13)
    app = _app(url)
    prepared = []
    with app.test_request_context():
        for _ in range(PREPARED):
            clean, errors = validate(_body(rng))
            assert not errors, errors
            prepared.append(intake._prepare(
                clean, channel="api", language="en", actor="api",
                received_at=intake.utcnow(), submission_key=None))
    return prepared


def _insert_worker(url: str, filings: list[Any], offset: int, seconds: float,
                   counts: Any, release: Any) -> None:
    from complaints import database
    from complaints.domain import receipts
    from complaints.services import intake

    engine = create_engine(url)
    database.configure_engine(engine, 5000, "FULL")
    done = 0
    started_cpu = time.process_time()
    deadline = time.monotonic() + seconds
    with engine.connect() as connection:
        connection = connection.execution_options(**{database.WRITE_INTENT: True})
        while time.monotonic() < deadline:
            filing = filings[(offset + done) % len(filings)]
            if filing.acknowledgement is not None:  # message ids are unique
                filing = replace(filing, acknowledgement=replace(
                    filing.acknowledgement, message_id=f"<{uuid.uuid4().hex}@bench.invalid>"))
            # The same turn-taking and transaction as a filing, nothing else.
            with database.writer_turn(engine), connection.begin():
                row = {**filing.row, "receipt": receipts.new_receipt()}
                complaint_id = connection.execute(intake._INSERT_COMPLAINT, row).scalar_one()
                intake._write_rows(connection, filing, complaint_id, [])
            done += 1
        counts.put((done, time.process_time() - started_cpu))
        release.wait(60)  # keep the connection (and its server process) until measured
    engine.dispose()


def _bare_insert(url: str, filings: list[Any]) -> tuple[float, dict[str, float]]:
    """Inserts per second, and CPU milliseconds per insert (Python, database server)."""
    context = multiprocessing.get_context("fork")
    counts = context.Queue()
    release = context.Event()
    processes = [context.Process(target=_insert_worker,
                                 args=(url, filings, i * 997, SECONDS, counts, release))
                 for i in range(WORKERS)]
    for process in processes:
        process.start()
    time.sleep(min(2.0, SECONDS / 4))  # every process has connected by then
    backends = _database_backends(url)
    database_before = cpu_seconds(backends)
    results = [counts.get(timeout=SECONDS + 120) for _ in processes]
    database_cpu = cpu_seconds(backends) - database_before
    release.set()
    for process in processes:
        process.join()
    total = sum(done for done, _ in results)
    cpu = {"python": sum(seconds for _, seconds in results) * 1000 / max(total, 1)}
    if backends:
        # Measured over most of the run; scaled to the inserts of the whole run.
        cpu["database"] = database_cpu * 1000 / max(total, 1) * SECONDS / (
            SECONDS - min(2.0, SECONDS / 4))
    return total / SECONDS, cpu


def _cpu_line(cpu: dict[str, float]) -> str:
    parts = ", ".join(f"{name} {ms:.1f}" for name, ms in cpu.items())
    total = sum(cpu.values())
    cores = os.cpu_count() or 1
    return (f"CPU ms each: {parts}; total {total:.1f}, so at most {cores * 1000 / total:.0f}/s "
            f"on {cores} cores with nothing else running")


def _measure(kind: str) -> None:
    load_before = os.getloadavg()[0]
    with _database(kind) as url:
        filings = _prepare_filings(url)
        bare_insert, insert_cpu = _bare_insert(url, filings)
        _empty(url)
        served = _filings(url)
    bare_flask, flask_cpu = _bare_flask()
    target = TARGETS[kind]
    needed = max(target, BARE_INSERT_SHARE * bare_insert)
    met = served["per_second"] >= needed and served["stored_once"] and not served["failed"]
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[kind]
    print(f"{name} (load average {load_before:.2f} before):")
    print(f"  filings/s      {served['per_second']:>8.0f}   p50 {served['p50']:.0f} ms, "
          f"p99 {served['p99']:.0f} ms, {served['failed']} answers not 201")
    print(f"                 {_cpu_line(served['cpu_ms'])}")
    print(f"  bare insert/s  {bare_insert:>8.0f}   ratio {served['per_second'] / bare_insert:.2f}"
          f" (limit: at least {BARE_INSERT_SHARE:.0%})")
    print(f"                 {_cpu_line(insert_cpu)}")
    print(f"  bare Flask/s   {bare_flask:>8.0f}   ratio {served['per_second'] / bare_flask:.2f}")
    print(f"                 {_cpu_line(flask_cpu)}")
    print(f"  target: at least {target}/s and {BARE_INSERT_SHARE:.0%} of bare insert, "
          f"so {needed:.0f}/s: {'met' if met else 'NOT met'}; "
          f"{served['acknowledged']} acknowledged, {served['stored']} stored"
          f"{'' if served['stored_once'] else ' (MISMATCH)'}")


def run() -> None:
    print(f"{CLIENTS} clients, {SECONDS:.0f} s a figure, gunicorn {WORKERS} sync workers, "
          f"{os.cpu_count()} CPUs")
    _measure("sqlite")
    if os.environ.get("BENCH_DATABASE_URL"):
        _measure("postgresql")
    else:
        print("PostgreSQL: skipped (set BENCH_DATABASE_URL to an empty PostgreSQL database)")


if __name__ == "__main__":
    run()
