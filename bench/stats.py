"""Statistics at BENCH_ROWS demo complaints (default 100,000; the target is stated for
1,000,000): every statistic the page shows, for several periods and every one- and
two-dimension breakdown, read from the rollup, each beside the raw GROUP BY over the rows on the
same database in the same run (p50 and p95 of BENCH_RUNS runs), and the whole report.

Targets at a million: p95 <= 300 ms for any statistic, <= 1 s for the whole default page
(`queries.report()` plus the handling times). SQLite in a temporary directory unless
BENCH_DATABASE_URL names another (empty) database. Also: the rate of the streamed case export.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from itertools import combinations
from typing import Any

from bench.common import bench_app

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
EXPORT_ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "50000"))
# A comma-separated subset of the periods' names (all of them by default).
PERIODS = [p.strip() for p in os.environ.get("BENCH_PERIODS", "").split(",") if p.strip()]
RAW_RUNS = int(os.environ.get("BENCH_RAW_RUNS", "2"))
TARGET_MS = 300.0
PAGE_TARGET_MS = 1000.0


def _timings(action: Callable[[], Any], runs: int) -> tuple[float, float]:
    from complaints.extensions import db

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
        db.session.remove()
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def _periods() -> dict[str, tuple[date | None, date | None]]:
    from complaints.stats import queries

    today = queries.today()
    fiscal_start = date(today.year - (0 if today.month >= 10 else 1), 10, 1)
    return {"all dates": (None, None),
            "last 12 months": (today - timedelta(days=364), today),
            "last fiscal year": (date(fiscal_start.year - 1, 10, 1),
                                 date(fiscal_start.year, 9, 30)),
            "a fiscal quarter": (date(fiscal_start.year - 1, 10, 1),
                                 date(fiscal_start.year - 1, 12, 31)),
            "odd days": (date(today.year - 1, 3, 7),
                                          date(today.year - 1, 8, 19))}


def _cases() -> list[tuple[str, Callable[[], Any], Callable[[], Any]]]:
    """(label, from the rollup, from the rows)."""
    from complaints.stats import queries as q

    dimensions = [d for d in q.DIMENSIONS if d not in ("month", "quarter")]
    breakdowns = [[d] for d in q.DIMENSIONS] + [list(p) for p in combinations(dimensions, 2)]
    breakdowns += [[t, d] for t in ("month", "quarter") for d in dimensions]
    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = []
    for period, span in _periods().items():
        if PERIODS and period not in PERIODS:
            continue
        for by in breakdowns:
            cases.append((f"by {' x '.join(by)}, {period}",
                          lambda by=by, span=span: q.aggregate(by, *span),
                          lambda by=by, span=span: q.raw_aggregate(by, *span)))
        for name, fast, raw in (
                ("flow by month", lambda s=span: q.flow(*s, "month"),
                 lambda s=span: q.raw_flow(*s, "month")),
                ("flow by quarter", lambda s=span: q.flow(*s, "quarter"),
                 lambda s=span: q.raw_flow(*s, "quarter")),
                ("median handling times", lambda s=span: q.handling_times(*s),
                 lambda s=span: q.raw_handling_times(*s)),
                ("referred and retained", lambda s=span: q.referrals(*s),
                 lambda s=span: q.raw_referrals(*s)),
                ("backlog at the period's end", lambda s=span: q.backlog(s[1]),
                 lambda s=span: q.raw_backlog(s[1]))):
            cases.append((f"{name}, {period}", fast, raw))
    return cases


def _page() -> None:
    from complaints.stats import queries

    queries.report()
    queries.handling_times()


def _export_rate() -> tuple[int, float]:
    from sqlalchemy import select

    from complaints.extensions import db
    from complaints.models import Complaint
    from complaints.stats import exporters

    statement = select(Complaint).order_by(Complaint.id).limit(EXPORT_ROWS)
    start = time.perf_counter()
    lines = sum(chunk.count("\n") for chunk in
                exporters.stream_cases_csv(statement, include_restricted=True)) - 2
    db.session.remove()
    return lines, lines / (time.perf_counter() - start)


def _measure(kind: str, note: str) -> None:
    """Every statistic, the page and the export rate, in the current app context."""
    print(f"database: {kind}; {ROWS:,} demo complaints {note}; p50 / p95 of {RUNS} runs, rollup "
          "beside the raw GROUP BY over the rows")
    worst = ("", 0.0)
    slow = 0
    print(f"{'statistic':<60}{'rollup p50':>11}{'p95':>8}{'raw p50':>10}{'p95':>8}")
    for label, fast, raw in _cases():
        fast_p50, fast_p95 = _timings(fast, RUNS)
        raw_p50, raw_p95 = _timings(raw, RAW_RUNS)
        worst = max(worst, (label, fast_p95), key=lambda pair: pair[1])
        slow += fast_p95 > TARGET_MS
        print(f"{label[:59]:<60}{fast_p50:>9.1f}ms{fast_p95:>6.1f}ms"
              f"{raw_p50:>8.1f}ms{raw_p95:>6.1f}ms")
    page_p50, page_p95 = _timings(_page, RUNS)
    print(f"\nthe whole default page (report + handling times): p50 {page_p50:.0f} ms, "
          f"p95 {page_p95:.0f} ms (target {PAGE_TARGET_MS:.0f} ms)")
    print(f"slowest statistic: {worst[0]} at p95 {worst[1]:.1f} ms; {slow} over the "
          f"{TARGET_MS:.0f} ms target")
    exported, rate = _export_rate()
    print(f"case export (CSV, streamed): {exported:,} rows at {rate:,.0f} rows/s "
          f"(a million in {1_000_000 / rate:.0f} s)")


def run() -> None:
    """A fresh database of BENCH_ROWS demo complaints; with BENCH_CACHE_DIR set, the cached
    databases of `bench.workspace` instead (SQLite, and PostgreSQL with BENCH_DATABASE_URL;
    BENCH_KINDS picks), so a million is built once for both benchmarks."""
    import tempfile

    from complaints import demo
    from complaints.extensions import db

    if os.environ.get("BENCH_CACHE_DIR"):
        from bench.workspace import _app, _database, _kinds

        with tempfile.TemporaryDirectory() as tmp:
            for kind in _kinds():
                with _database(kind, ROWS, tmp) as url:
                    app = _app(url)
                    with app.app_context():
                        _measure(kind, "(cached)")
                        db.session.remove()
                        db.engine.dispose()
        return
    with bench_app() as (app, url), app.app_context():
        built = demo.generate(ROWS, seed=1)
        db.session.remove()
        _measure(url.split(":", 1)[0], f"built in {built.seconds:.0f} s")
