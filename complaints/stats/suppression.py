"""Suppression for publication: primary suppression of small counts, then complementary
(secondary) suppression until no hidden count can be worked out from everything else the same
release publishes.

A release is modelled as cells (each published count, keyed by what it counts, so the same
count in two tables is one cell) and the linear equations that hold between them: a table's
rows add up to its total, a crossed table's cells to its margins, the flow by month to the same
complaints counted by another table, and so on. Primary suppression hides every count from 1 to
N-1. Then, repeatedly, every hidden cell whose value follows from the equations and the
published cells (its unit vector lies in the row space of the equations restricted to the hidden
cells; found by exact rational Gaussian elimination) gets a partner: the smallest non-zero
published cell in one of its equations, preferring one that also pairs another lonely hidden
cell (closing the rectangle of a crossed table). Partners are never zeros, so every hidden cell
is at least 1 and a move along a null-space direction keeps all counts non-negative: each hidden
cell can take at least two values consistent with everything published.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

Key = Hashable


@dataclass
class Release:
    """The cells of one release and the equations between them (`sum(coef * cell) == 0`)."""

    values: dict[Key, int] = field(default_factory=dict)
    equations: list[dict[Key, int]] = field(default_factory=list)
    # Cells that are never published (helpers of an equation): always unknown.
    hidden: set[Key] = field(default_factory=set)

    def cell(self, key: Key, value: int) -> Key:
        known = self.values.get(key)
        if known is not None and known != value:
            # Two tables disagree on what should be one count (a bug elsewhere): keep them
            # apart rather than tie them by a false equation.
            return self.cell((*key, "another"), value) if isinstance(key, tuple) else key
        self.values[key] = value
        return key

    def unpublished(self, key: Key, value: int = 1) -> Key:
        self.values.setdefault(key, value)
        self.hidden.add(key)
        return key

    def total_of(self, total: Key, parts: Iterable[Key]) -> None:
        """`total` equals the sum of `parts` (zero cells may be left out)."""
        terms: dict[Key, int] = {}
        for part in parts:
            terms[part] = terms.get(part, 0) + 1
        terms[total] = terms.get(total, 0) - 1
        terms = {k: v for k, v in terms.items() if v}
        if terms:
            self.equations.append(terms)


def _reduced(equations: list[dict[Key, int]], unknown: set[Key]
             ) -> tuple[list[dict[Key, Fraction]], dict[Key, int]]:
    """The equations restricted to the unknown cells (published cells move to the constant
    side, which does not matter for what is determined), in reduced row echelon form; with the
    row of each pivot cell."""
    rows: list[dict[Key, Fraction]] = []
    for equation in equations:
        row = {k: Fraction(v) for k, v in equation.items() if k in unknown}
        if row:
            rows.append(row)
    pivots: dict[Key, int] = {}
    done: list[dict[Key, Fraction]] = []
    for row in rows:
        for key, index in pivots.items():  # eliminate existing pivots from the new row
            factor = row.get(key)
            if factor:
                for k, v in done[index].items():
                    row[k] = row.get(k, Fraction(0)) - factor * v
                row = {k: v for k, v in row.items() if v}
        if not row:
            continue
        pivot = min(row, key=repr)
        scale = row[pivot]
        row = {k: v / scale for k, v in row.items()}
        for other in done:  # keep the form reduced
            factor = other.get(pivot)
            if factor:
                for k, v in row.items():
                    other[k] = other.get(k, Fraction(0)) - factor * v
                for k in [k for k, v in other.items() if not v]:
                    del other[k]
        pivots[pivot] = len(done)
        done.append(row)
    return done, pivots


def determined(release: Release, suppressed: set[Key]) -> set[Key]:
    """The suppressed cells whose value follows exactly from the published cells and the
    equations (by linear algebra alone)."""
    unknown = suppressed | release.hidden
    rows, pivots = _reduced(release.equations, unknown)
    found = set()
    for key in suppressed:
        index = pivots.get(key)
        if index is not None and all(k == key for k in rows[index]):
            found.add(key)
    return found


def protect(release: Release, threshold: int | None) -> set[Key]:
    """The cells to suppress: every count from 1 to threshold-1, plus complementary cells until
    none of them is determined by what remains published."""
    if not threshold or threshold < 2:
        return set()
    suppressed = {k for k, v in release.values.items()
                  if k not in release.hidden and 0 < v < threshold}
    by_cell: dict[Key, list[int]] = {}
    for index, equation in enumerate(release.equations):
        for key in equation:
            by_cell.setdefault(key, []).append(index)
    while True:
        exposed = determined(release, suppressed)
        if not exposed:
            return suppressed
        unknown = suppressed | release.hidden
        touched: set[int] = set()  # equations that got a partner this round
        added = False
        for key in sorted(exposed, key=repr):
            if any(i in touched for i in by_cell.get(key, [])):
                continue  # a partner beside it may already free it: check again next round
            partner = _partner(release, key, unknown, by_cell)
            if partner is None:
                continue
            suppressed.add(partner)
            unknown.add(partner)
            touched.update(by_cell.get(partner, []))
            added = True
        if not added:
            # Nothing left to hide beside them: these cells equal published totals.
            return suppressed


def _partner(release: Release, key: Key, unknown: set[Key],
             by_cell: Mapping[Key, list[int]]) -> Key | None:
    """The best published cell to hide with `key`: not a table's total if anything else will
    do; in the equation of `key` with the fewest hidden cells; one that also pairs a lonely
    hidden cell in another equation; non-zero, smallest."""
    equations = [release.equations[i] for i in by_cell.get(key, [])]
    best: tuple[tuple[int, int, int, int, str], Key] | None = None
    for equation in equations:
        lonely = sum(1 for k in equation if k in unknown)
        for candidate in equation:
            if candidate in unknown or release.values.get(candidate, 0) <= 0:
                continue
            pairs = any(sum(1 for k in release.equations[i] if k in unknown) == 1
                        for i in by_cell.get(candidate, []) if release.equations[i] is not equation)
            score = (1 if _is_total(candidate) else 0, lonely, 0 if pairs else 1,
                     release.values[candidate], repr(candidate))
            if best is None or score < best[0]:
                best = (score, candidate)
    return best[1] if best else None


def _is_total(key: Key) -> bool:
    """A table's total (a key without dimension values): hidden only as a last resort, as it
    ties many equations together and hiding it spreads suppression everywhere."""
    return isinstance(key, tuple) and len(key) == 4 and key[3] == ()
