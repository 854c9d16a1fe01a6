"""Counting many complaints at once gives exactly the sum of what each contributes."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.stats import rollup

_CODES = st.sampled_from(["", "a", "b", "detention_conditions", "ICE"])
_DAY = st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 12, 31))


@st.composite
def _facts(draw: st.DrawFn) -> rollup.Facts:
    received = draw(_DAY)
    triaged = draw(st.none() | st.integers(0, 400).map(lambda d: received + timedelta(days=d)))
    closed = draw(st.none() | st.integers(0, 900).map(lambda d: received + timedelta(days=d)))
    return rollup.Facts(
        received=received,
        values={name: draw(st.none() | _CODES) for name in
                ("category", "section", "status", "disposition", "priority", "language",
                 "channel", "state")},
        categories=tuple(draw(st.lists(st.sampled_from(["x", "y", "z"]), max_size=3,
                                       unique=True))),
        components=tuple(draw(st.lists(st.sampled_from(["ICE", "CBP"]), max_size=2,
                                       unique=True))),
        status=draw(st.sampled_from(["received", "closed", "investigating"])),
        triaged=triaged, closed=closed,
        referral=draw(st.sampled_from(["000", "100", "011", "111"])))


@settings(max_examples=60, deadline=None)
@given(st.lists(_facts(), max_size=40))
def test_counting_many_at_once_is_the_sum_of_each(many: list[rollup.Facts]) -> None:
    expected: Counter[rollup.Key] = Counter()
    for facts in many:
        expected.update(rollup.contributions(facts))
    assert rollup.batch_rows(many) == rollup.rows_of(expected)


def test_a_batch_spanning_months_counts_each_key_at_both_grains() -> None:
    facts = rollup.Facts(received=date(2026, 1, 31), values={"language": "ar"},
                         categories=("x",), components=(), status="received", triaged=None,
                         closed=None, referral="000")
    later = rollup.Facts(received=date(2026, 2, 1), values={"language": "ar"},
                         categories=("x",), components=(), status="received", triaged=None,
                         closed=None, referral="000")
    counts = {row[:5]: row[5] for row in rollup.batch_rows([facts, later, later])}
    assert counts[("received:language", "d", "2026-02-01", "ar", "")] == 2
    assert counts[("received:language", "m", "2026-02-01", "ar", "")] == 2
    assert counts[("received:language", "m", "2026-01-01", "ar", "")] == 1
    assert counts[("received:component", "d", "2026-01-31", "", "")] == 1
