"""What every benchmark shares: a migrated database of its own, and median timings."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def bench_app() -> Iterator[tuple[Any, str]]:
    """(app, database URL): SQLite in a temporary folder unless BENCH_DATABASE_URL names an
    empty database; the schema is migrated and the connections closed afterwards."""
    import flask_migrate

    from complaints import create_app
    from complaints.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app({"ENV": "testing", "DATABASE_URL": url, "RATELIMIT_ENABLED": False})
        with app.app_context():
            flask_migrate.upgrade()
        try:
            yield app, url
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@contextmanager
def postgres_schema(url: str, prefix: str) -> Iterator[str]:
    """A fresh schema in the PostgreSQL database at `url`, dropped afterwards: the URL that
    works in it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_url(url).update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def median_seconds(action: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed_at_two_sizes(rows: int, actions: Callable[[], dict[str, Callable[[], Any]]],
                       repeat: int) -> tuple[int, dict[str, float], dict[str, float]]:
    """Median seconds of each action on 10% of `rows` demo complaints, then on all of them.
    Runs inside an app context of bench_app(); returns (small size, small times, full times)."""
    from complaints import demo
    from complaints.extensions import db

    def measure() -> dict[str, float]:
        try:
            return {name: median_seconds(action, repeat) for name, action in actions().items()}
        finally:
            db.session.remove()

    small = max(rows // 10, 1)
    demo.generate(small, seed=1)
    db.session.remove()
    few = measure()
    demo.generate(rows - small, seed=2)
    db.session.remove()
    return small, few, measure()


def print_ratios(heading: str, small: int, rows: int, few: dict[str, float],
                 many: dict[str, float]) -> None:
    print(f"{heading:<34}{small:>10,} rows{rows:>10,} rows   ratio")
    for name in few:
        ratio = many[name] / few[name] if few[name] else float("nan")
        print(f"{name:<34}{few[name] * 1000:>11.1f} ms{many[name] * 1000:>11.1f} ms"
              f"{ratio:>8.2f}")
