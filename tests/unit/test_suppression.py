"""Complementary suppression (stats/suppression.py) against the recovery attack
(tests/recovery.py): on the issue's example, on random crossed tables with their margins and a
second table sharing them, every hidden count keeps at least two possible values; and the
attack does find what primary suppression alone leaks."""

from __future__ import annotations

import random

import pytest

from complaints.stats.suppression import Release, determined, protect
from tests.recovery import System, recovered


def crossed_release(cells: dict[tuple[str, str], int]) -> Release:
    """A crossed table with its row and column totals and grand total; the row totals are also
    a one-dimension table of their own (the same cells)."""
    release = Release()
    rows = sorted({r for r, _ in cells})
    columns = sorted({c for _, c in cells})
    for key, value in cells.items():
        release.cell(key, value)
    for r in rows:
        release.cell(("row", r), sum(v for (x, _), v in cells.items() if x == r))
        release.total_of(("row", r), [k for k in cells if k[0] == r])
    for c in columns:
        release.cell(("col", c), sum(v for (_, y), v in cells.items() if y == c))
        release.total_of(("col", c), [k for k in cells if k[1] == c])
    release.cell("total", sum(cells.values()))
    release.total_of("total", [("row", r) for r in rows])
    release.total_of("total", [("col", c) for c in columns])
    return release


def attack(release: Release, hidden: set) -> dict:
    """The outsider's system: published values are numbers, hidden ones unknowns."""
    system = System()
    for key in release.values:
        if key in hidden:
            system.unknown(key)
    for equation in release.equations:
        system.relation([(coef, key if key in hidden else release.values[key])
                         for key, coef in equation.items()])
    return recovered(system)


ISSUE_EXAMPLE = {("retaliation", "received"): 16, ("retaliation", "closed"): 13,
                 ("retaliation", "investigating"): 1, ("profiling", "received"): 20,
                 ("profiling", "closed"): 31, ("profiling", "investigating"): 12,
                 ("other", "received"): 9, ("other", "closed"): 7,
                 ("other", "investigating"): 6}


def test_primary_suppression_alone_is_undone_by_subtraction() -> None:
    release = crossed_release(ISSUE_EXAMPLE)
    primary = {("retaliation", "investigating")}
    assert attack(release, primary) == {("retaliation", "investigating"): 1.0}
    assert determined(release, primary) == primary


def test_complementary_suppression_leaves_nothing_to_recover() -> None:
    release = crossed_release(ISSUE_EXAMPLE)
    hidden = protect(release, 5)
    assert ("retaliation", "investigating") in hidden
    assert len(hidden) >= 4, "a hidden cell needs partners in its row and its column"
    assert all(release.values[k] > 0 for k in hidden), "zeros never hide anything"
    assert attack(release, hidden) == {}
    assert determined(release, hidden) == set()


def test_no_threshold_hides_nothing() -> None:
    assert protect(crossed_release(ISSUE_EXAMPLE), None) == set()


def test_a_small_margin_is_hidden_with_its_partners() -> None:
    cells = {("a", "x"): 2, ("a", "y"): 1, ("b", "x"): 30, ("b", "y"): 40,
             ("c", "x"): 25, ("c", "y"): 9}
    release = crossed_release(cells)
    hidden = protect(release, 5)
    assert ("row", "a") in hidden, "a row total of 3 is itself a small count"
    assert attack(release, hidden) == {}


@pytest.mark.parametrize("seed", range(12))
def test_random_tables_resist_the_attack(seed: int) -> None:
    generator = random.Random(seed)
    rows = [f"r{i}" for i in range(generator.randint(2, 8))]
    columns = [f"c{j}" for j in range(generator.randint(2, 6))]
    cells = {(r, c): generator.choice([0, 1, 2, 3, 4, 6, 9, 15, 30, 80])
             for r in rows for c in columns}
    release = crossed_release(cells)
    threshold = generator.choice([3, 5, 10])
    hidden = protect(release, threshold)
    assert {k for k, v in release.values.items() if 0 < v < threshold} <= hidden
    assert all(release.values[k] > 0 for k in hidden)
    leaked = attack(release, hidden)
    # Only a count that equals a published one by construction may be found: none here,
    # since totals are cells too.
    assert leaked == {}, (seed, leaked)


def test_one_count_in_two_tables_is_hidden_in_both() -> None:
    """A key names what is counted, so the same count in two tables is one cell."""
    release = crossed_release(ISSUE_EXAMPLE)
    # The flow by month counts the same complaints: its months add up to the same total.
    release.cell(("month", "2025-10"), 40)
    release.cell(("month", "2025-11"), release.values["total"] - 40)
    release.total_of("total", [("month", "2025-10"), ("month", "2025-11")])
    hidden = protect(release, 5)
    assert attack(release, hidden) == {}
