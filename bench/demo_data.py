"""How fast `demo-data` writes complaints: rows per second for BENCH_ROWS complaints (default
100,000) with their categories, components, search documents, rollup rows and audit trail, and
the time a million would take, beside its limit measured in the same run: the time spent in the
database's writes alone (one connection writes every batch in turn, so a run can never take
less; building the rows overlaps it, in another process for large runs).

SQLite in a temporary directory unless BENCH_DATABASE_URL names another (empty) database.
"""

from __future__ import annotations

import os
import time

from bench.common import bench_app

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
TARGET_SECONDS = 90  # issue 13: a million complaints on SQLite and PostgreSQL


def run() -> None:
    from complaints import demo

    with bench_app() as (app, url), app.app_context():
        step = max(ROWS // 5, 1)

        def progress(done: int, total: int, seconds: float) -> None:
            if done % step < demo.DEFAULT_BATCH or done == total:
                print(f"  {done:>10,} complaints  {done / seconds:>8,.0f}/s")

        cpu = time.process_time()
        report = demo.generate(ROWS, seed=1, progress=progress)
        cpu = time.process_time() - cpu
        million = 1_000_000 / report.rate
        writing_million = report.writing_seconds * 1_000_000 / max(ROWS, 1)
        print(f"database: {url.split(':', 1)[0]}; {ROWS:,} complaints and {report.events:,} "
              f"audit events in {report.seconds:.1f} s ({cpu:.1f} s of CPU in this process)")
        print(f"rate: {report.rate:,.0f} complaints/s; a million would take about "
              f"{million:,.0f} s")
        print(f"limit: writing alone took {report.writing_seconds:.1f} s "
              f"({report.writing_seconds / report.seconds:.0%} of the run); a million: about "
              f"{writing_million:,.0f} s (more as the indexes grow)")
        if ROWS >= 1_000_000:
            verdict = "met" if million <= TARGET_SECONDS else "NOT met"
        else:
            verdict = "not measured at this size (BENCH_ROWS=1000000 measures it)"
        print(f"target: a million in at most {TARGET_SECONDS} s: {verdict}")
