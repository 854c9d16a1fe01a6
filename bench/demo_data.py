"""How fast `demo-data` writes complaints: rows per second for BENCH_ROWS complaints (default
100,000) with their categories, components and audit trail, and the time a million would take.

SQLite in a temporary directory unless BENCH_DATABASE_URL names another (empty) database.
"""

from __future__ import annotations

import os
import time

from bench.common import bench_app

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))


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
        print(f"database: {url.split(':', 1)[0]}; {ROWS:,} complaints and {report.events:,} "
              f"audit events in {report.seconds:.1f} s ({cpu:.1f} s of CPU in this process)")
        print(f"rate: {report.rate:,.0f} complaints/s; a million would take about "
              f"{million / 60:.1f} min")
        print("target: a million complaints in a few minutes on SQLite")
