"""Filing speed, and whether possible-duplicate detection stays flat as complaints pile up.

Duplicate detection looks candidates up by indexed email, A-number and narrative-signature band,
so the time it takes should not grow with the number of complaints already stored. This fills a
database with BENCH_ROWS synthetic complaints (default 50,000) and compares the time per check
and per filing against an almost empty database.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from bench.common import bench_app
from complaints.domain import duplicates as rules

ROWS = int(os.environ.get("BENCH_ROWS", "50000"))
SAMPLES = 40
# A vocabulary the size of everyday speech, so narratives overlap as much as real ones do.
_VOCABULARY_RNG = random.Random(1)
WORDS = ["".join(_VOCABULARY_RNG.choice("abcdefghijklmnopqrstuvwxyz")
                 for _ in range(_VOCABULARY_RNG.randint(2, 9))) for _ in range(5000)]


def _narrative(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 60)))


def _body(rng: random.Random) -> dict[str, Any]:
    return {"primary_category": "detention_conditions", "components": ["ICE"],
            "narrative": _narrative(rng), "incident_month": "2026-01",
            "privacy_acknowledged": True, "email": f"bench{rng.randint(0, 10**9)}@example.org",
            "a_number": f"A{rng.randint(10**8, 10**9 - 1)}"}


def _time_each(action: Any, count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def _measure(app: Any, rng: random.Random) -> tuple[float, float]:
    from complaints.services.duplicates import find_possible_duplicates
    from complaints.services.intake import file_complaint

    with app.test_request_context():
        def lookup() -> None:
            body = _body(rng)
            find_possible_duplicates(email_key=body["email"], a_number=body["a_number"],
                                     narrative=body["narrative"],
                                     signature=rules.signature(body["narrative"]),
                                     received_at=datetime.now(UTC))

        def filing() -> None:
            file_complaint(_body(rng), channel="api", default_language="en", actor="bench")

        lookups = _time_each(lookup, SAMPLES)
        filings = _time_each(filing, SAMPLES)
    return statistics.median(lookups) * 1000, statistics.median(filings) * 1000


def _fill(app: Any, rng: random.Random, rows: int) -> None:
    """Insert synthetic complaints and their signatures in bulk (not through the service)."""
    from complaints.extensions import db
    from complaints.models import Complaint, NarrativeSignature

    now = datetime.now(UTC)
    with app.app_context():
        next_id = 1_000_000
        for start in range(0, rows, 5000):
            complaints, signatures = [], []
            for i in range(start, min(start + 5000, rows)):
                narrative = _narrative(rng)
                next_id += 1
                complaints.append({
                    "id": next_id, "receipt": f"CR-B{i:07d}"[:12], "access_code_hash": "x",
                    "received_at": now - timedelta(days=rng.randint(0, 89)),
                    "created_at": now, "updated_at": now, "channel": "api", "language": "en",
                    "primary_category": "detention_conditions", "narrative": narrative,
                    "incident_month": "2026-01", "email_key": f"row{i}@example.org",
                    "a_number": f"A{i:09d}", "section": "IMM", "priority": "normal",
                    "priority_rank": 2, "flags": [], "routing_reasons": [],
                    "status": "received", "version": 1,
                })
                signatures += [{"complaint_id": next_id, "band": b, "value": v}
                               for b, v in enumerate(rules.signature(narrative))]
            db.session.execute(insert(Complaint), complaints)
            db.session.execute(insert(NarrativeSignature), signatures)
            db.session.commit()


def run() -> None:
    with bench_app() as (app, url):
        rng = random.Random(7)
        empty_lookup, empty_filing = _measure(app, rng)
        start = time.perf_counter()
        _fill(app, rng, ROWS)
        fill_seconds = time.perf_counter() - start
        full_lookup, full_filing = _measure(app, rng)
        print(f"database: {url.split(':', 1)[0]}; {ROWS:,} complaints inserted in "
              f"{fill_seconds:.1f} s")
        print(f"duplicate check, median: {empty_lookup:.2f} ms empty, {full_lookup:.2f} ms "
              f"with {ROWS:,} (ratio {full_lookup / empty_lookup:.2f})")
        print(f"whole filing, median:    {empty_filing:.2f} ms empty, {full_filing:.2f} ms "
              f"with {ROWS:,} (ratio {full_filing / empty_filing:.2f})")
        print("target: ratios near 1 (lookups are indexed, not scans)")
