"""The triage queue at scale: first and deep pages, filters and counts, timed on 10% of
BENCH_ROWS demo complaints (default 100,000) and on all of them.

Pages are found by key on indexed columns, so a page should cost about the same at any size (a
ratio near 1); the result count stops at a cap, so it stays flat too. bench/workspace.py measures
the whole staff page at a million complaints. SQLite in a temporary directory unless
BENCH_DATABASE_URL names another (empty) database.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from bench.common import bench_app, print_ratios, timed_at_two_sizes

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
        "result count (capped)": lambda: queue.count(supervisor, default),
    }


def queue_cap() -> int:
    from complaints.services import queue

    return queue.COUNT_CAP


def run() -> None:
    with bench_app() as (app, url), app.app_context():
        small, few, many = timed_at_two_sizes(ROWS, _views, REPEAT)
    print(f"database: {url.split(':', 1)[0]}; median of {REPEAT} runs, 50 rows a page")
    print_ratios("view", small, ROWS, few, many)
    print("target: ratios near 1 (keyset on indexes, counts capped at "
          f"{queue_cap():,})")
