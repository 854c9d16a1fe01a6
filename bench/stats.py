"""Statistics query times on demo data, and how they grow: each query is timed on 10% of
BENCH_ROWS complaints (default 100,000) and again on all of them.

Aggregates scan the complaints received in the period, so time should grow about in proportion
to the rows (a ratio near 10), never faster. SQLite in a temporary directory unless
BENCH_DATABASE_URL names another (empty) database.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bench.common import bench_app, print_ratios, timed_at_two_sizes

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
REPEAT = 3
EXPORT_ROWS = 50_000


def _queries() -> dict[str, Callable[[], Any]]:
    from complaints.stats import queries

    today = queries.today()
    year_ago = today - timedelta(days=365)
    return {
        "aggregate by category": lambda: queries.aggregate(["category"]),
        "aggregate by any_category": lambda: queries.aggregate(["any_category"]),
        "aggregate by component x status": lambda: queries.aggregate(["component", "status"]),
        "aggregate by month": lambda: queries.aggregate(["month"]),
        "aggregate by quarter x priority": lambda: queries.aggregate(["quarter", "priority"]),
        "aggregate by state, last year": lambda: queries.aggregate(["state"], year_ago, today),
        "flow by month": lambda: queries.flow(None, None, "month"),
        "flow by quarter, last year": lambda: queries.flow(year_ago, today, "quarter"),
        "backlog": lambda: queries.backlog(),
        "median handling times": lambda: queries.handling_times(None, None),
        "referred and retained": lambda: queries.referrals(None, None),
        "whole report (15 tables)": lambda: queries.report(),
    }


def _export_rate() -> tuple[int, float]:
    from sqlalchemy import select

    from complaints.extensions import db
    from complaints.models import Complaint
    from complaints.stats import exporters

    statement = select(Complaint).order_by(Complaint.id).limit(EXPORT_ROWS)
    start = time.perf_counter()
    lines = sum(chunk.count("\n") for chunk in
                exporters.stream_cases_csv(statement, include_restricted=True)) - 1
    db.session.remove()
    return lines, lines / (time.perf_counter() - start)


def run() -> None:
    with bench_app() as (app, url), app.app_context():
        small, few, many = timed_at_two_sizes(ROWS, _queries, REPEAT)
        exported, rate = _export_rate()
    print(f"database: {url.split(':', 1)[0]}; median of {REPEAT} runs")
    print_ratios("query", small, ROWS, few, many)
    print(f"case export (CSV, streamed): {exported:,} rows at {rate:,.0f} rows/s")
    print("target: ratios near 10 or below (linear scans at most, nothing quadratic)")
