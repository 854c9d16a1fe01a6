"""What every benchmark shares: a migrated database of its own, and median timings."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
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


def median_seconds(action: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
