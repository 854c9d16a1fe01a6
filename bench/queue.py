"""The triage queue at scale: first and deep pages, filters and counts, timed on 10% of
BENCH_ROWS demo complaints (default 100,000) and on all of them.

Pages are found by key on indexed columns, so a page should cost about the same at any size (a
ratio near 1); the counts by section and status read an index and grow with the rows. SQLite in
a temporary directory unless BENCH_DATABASE_URL names another (empty) database.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from bench.common import bench_app, median_seconds

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
REPEAT = 5
DEEP_PAGES = 10


def _views() -> dict[str, Callable[[], Any]]:
    from complaints.services import queue

    supervisor = SimpleNamespace(id=0, role="supervisor", section=None, restricted_access=True)
    investigator = SimpleNamespace(id=0, role="investigator", section="IMM",
                                   restricted_access=False)
    default = queue.QueueFilters()

    def deep() -> None:
        after = ""
        for _ in range(DEEP_PAGES):
            after = queue.page(supervisor, default, after=after).next_cursor or ""

    return {
        "first page, needs attention": lambda: queue.page(supervisor, default),
        f"{DEEP_PAGES} pages deep": deep,
        "investigator's section": lambda: queue.page(investigator, default),
        "newest first, all statuses": lambda: queue.page(
            supervisor, queue.QueueFilters(status="all", order="newest")),
        "section + status + priority": lambda: queue.page(
            supervisor, queue.QueueFilters(section="CMP", status="received", priority="high")),
        "category (any) + component": lambda: queue.page(
            supervisor, queue.QueueFilters(category="medical_care", component="ICE")),
        "search, common word": lambda: queue.page(supervisor, queue.QueueFilters(q="water")),
        "counts by section and status": lambda: queue.counts(supervisor),
    }


def _measure() -> dict[str, float]:
    from complaints.extensions import db

    try:
        return {name: median_seconds(action, REPEAT) for name, action in _views().items()}
    finally:
        db.session.remove()


def run() -> None:
    from complaints.extensions import db
    from complaints.stats import demo

    small = max(ROWS // 10, 1)
    with bench_app() as (app, url), app.app_context():
        demo.generate(small, seed=1)
        db.session.remove()
        few = _measure()
        demo.generate(ROWS - small, seed=2)
        db.session.remove()
        many = _measure()
    print(f"database: {url.split(':', 1)[0]}; median of {REPEAT} runs, 50 rows a page")
    print(f"{'view':34} {small:>10,} rows {ROWS:>10,} rows  ratio")
    for name in few:
        print(f"{name:34} {few[name] * 1000:>11.1f} ms {many[name] * 1000:>11.1f} ms "
              f"{many[name] / few[name]:>6.2f}")
    print("target: pages near 1 (keyset on indexes); counts grow with the rows")
