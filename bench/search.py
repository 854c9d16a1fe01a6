"""Narrative search speed as complaints pile up: word, trigram (Chinese substring) and no-match
searches on BENCH_ROWS synthetic complaints (default 50,000) against the same searches on 1,000.

Each search counts at most 50 hits, like a page of the staff queue; "newest first" also orders
them, which makes the database visit every hit. BENCH_DATABASE_URL runs it on PostgreSQL (in a
schema of its own, dropped afterwards).
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text

from bench.common import postgres_schema

ROWS = int(os.environ.get("BENCH_ROWS", "50000"))
SMALL = 1000
RUNS = 15
PAGE = 50


def _vocabulary(seed: int, letters: str, count: int, low: int, high: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(letters) for _ in range(rng.randint(low, high)))
            for _ in range(count)]


# Varied scripts, each with a vocabulary the size of everyday speech, used with Zipf-like
# frequencies (the word of rank r about 1/r as often as the commonest), as in real narratives.
_HAN = "".join(chr(0x4E00 + i) for i in random.Random(5).sample(range(5000), 2500))
_HANGUL = "".join(chr(0xAC00 + i) for i in random.Random(6).sample(range(2500), 1200))
LATIN = _vocabulary(1, "abcdefghijklmnopqrstuvwxyzéñ", 5000, 2, 9)
CYRILLIC = _vocabulary(2, "абвгдежзийклмнопрстуфхцчшщыэюя", 4000, 2, 9)
ARABIC = _vocabulary(3, "ابتثجحخدذرزسشصضطظعغفقكلمنهوي", 4000, 2, 7)
CHINESE = _vocabulary(4, _HAN, 4000, 1, 4)
KOREAN = _vocabulary(7, _HANGUL, 3000, 1, 4)
# (vocabulary, separator between words, share of narratives)
SCRIPTS = ((LATIN, " ", 0.6), (CYRILLIC, " ", 0.1), (ARABIC, " ", 0.1), (CHINESE, "", 0.1),
           (KOREAN, " ", 0.1))
_ZIPF = list(accumulate(1 / rank for rank in range(1, 5001)))

# (label, query, newest first?)
SEARCHES = (
    ("common word", LATIN[50], False),
    ("rare word", LATIN[2000], False),
    ("two common words (AND)", f"{LATIN[50]} {LATIN[60]}", False),
    ("Cyrillic word", CYRILLIC[50], False),
    ("Chinese 3+ chars (trigram)", next(w for w in CHINESE[50:] if len(w) >= 3), False),
    ("Chinese 2 chars (letter pair)", next(w for w in CHINESE[50:] if len(w) == 2), False),
    ("no match, word", "zz9zz", False),
    ("no match, trigram", "鼠鼢鼬", False),
    ("no match, 2 chars (pair)", "鼠鼢", False),
    ("common word, newest first", LATIN[50], True),
    ("rare word, newest first", LATIN[2000], True),
    ("no match, newest first", "zz9zz", True),
    ("trigram, newest first", next(w for w in CHINESE[50:] if len(w) >= 3), True),
)


def _narrative(rng: random.Random) -> str:
    words, separator, _ = rng.choices(SCRIPTS, weights=[share for *_, share in SCRIPTS])[0]
    chosen = rng.choices(words, cum_weights=_ZIPF[:len(words)], k=rng.randint(25, 60))
    text_ = separator.join(chosen)
    return text_ + ("。" if not separator else ".")


def _fill(app: Any, rng: random.Random, first: int, last: int) -> None:
    """Insert complaints first..last-1 in bulk (not through the service: only search matters)."""
    from complaints.extensions import db
    from complaints.models import Complaint, SearchDocument
    from complaints.models.search_document import document_rows

    now = datetime.now(UTC)
    with app.app_context():
        for start in range(first, last, 5000):
            rows = [{
                "id": i + 1, "receipt": f"CR-S{i:08d}", "access_code_hash": "x",
                "received_at": now - timedelta(minutes=rng.randint(0, 90 * 24 * 60)),
                "created_at": now, "updated_at": now, "channel": "api", "language": "en",
                "primary_category": "detention_conditions", "narrative": _narrative(rng),
                "incident_month": "2026-01", "section": "IMM", "priority": "normal",
                "priority_rank": 2, "flags": [], "routing_reasons": [], "status": "received",
                "version": 1,
            } for i in range(start, min(start + 5000, last))]
            db.session.execute(insert(Complaint), rows)
            # Bulk inserts bypass the ORM: write the search documents as demo-data does.
            db.session.execute(insert(SearchDocument), document_rows(
                [(row["id"], row["narrative"], row["status"]) for row in rows]))
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE complaints"))
            db.session.commit()


def _median_ms(action: Callable[[], Any]) -> float:
    action()  # warm the cache
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _measure(app: Any) -> dict[str, tuple[float, int]]:
    """{search: (median ms, hits on the page)}."""
    from complaints.extensions import db
    from complaints.models import Complaint
    from complaints.services.search import matching

    results = {}
    with app.app_context():
        for label, query, newest_first in SEARCHES:
            page = select(Complaint.id).where(matching(query)).limit(PAGE)
            if newest_first:
                page = page.order_by(Complaint.received_at.desc(), Complaint.id.desc())
            count = select(func.count()).select_from(page.subquery())
            ms = _median_ms(lambda count=count: db.session.scalar(count))
            results[label] = (ms, db.session.scalar(count) or 0)
        db.session.remove()
    return results


@contextmanager
def _database(tmp: str) -> Iterator[str]:
    """A SQLite file, or a fresh schema in BENCH_DATABASE_URL's PostgreSQL database."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        yield f"sqlite:///{Path(tmp) / 'bench-search.db'}"
        return
    with postgres_schema(url, "bench_search") as schema_url:
        yield schema_url


def _report(small: dict[str, tuple[float, int]], large: dict[str, tuple[float, int]]) -> None:
    print(f"{'search (page of ≤50)':30} {f'{SMALL:,} rows':>18} {f'{ROWS:,} rows':>18} "
          f"{'ratio':>6}")
    for label, (small_ms, small_hits) in small.items():
        large_ms, large_hits = large[label]
        print(f"{label:30} {small_ms:8.2f} ms {small_hits:3d} hits "
              f"{large_ms:8.2f} ms {large_hits:3d} hits {large_ms / small_ms:6.2f}")


def run() -> None:
    import flask_migrate

    from complaints import create_app
    from complaints.extensions import db

    with tempfile.TemporaryDirectory() as tmp, _database(tmp) as url:
        app = create_app({"ENV": "testing", "DATABASE_URL": url, "RATELIMIT_ENABLED": False})
        with app.app_context():
            flask_migrate.upgrade()
        rng = random.Random(11)
        _fill(app, rng, 0, SMALL)
        small = _measure(app)
        start = time.perf_counter()
        _fill(app, rng, SMALL, max(ROWS, SMALL))
        fill_seconds = time.perf_counter() - start
        large = _measure(app)
        print(f"database: {url.split(':', 1)[0]}; {ROWS:,} complaints "
              f"({fill_seconds:.1f} s to insert and index the last {ROWS - SMALL:,})")
        _report(small, large)
        print("target: ratios near 1 for indexed searches; ordering every hit grows with the "
              "table")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
