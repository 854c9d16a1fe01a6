"""The recovery attack on suppressed counts: from everything a release publishes (cells,
margins, totals, other tables) and what is known of how they relate, solve for each hidden
count's smallest and largest possible value (counts are non-negative). A hidden count whose
smallest and largest values are equal has been recovered.

With SciPy: a linear programme per hidden count (HiGHS, min and max). Without it: exact
rational Gaussian elimination, showing whether the count's unit vector lies in the row space
of the equations (equalities only)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

Name = Hashable


@dataclass
class System:
    """Relations among published numbers and unknowns (the hidden counts and any quantity
    never published, such as the overlap of two rows)."""

    unknowns: list[Name] = field(default_factory=list)
    # sum(coef * unknown) == rhs, published numbers already moved to the right-hand side
    equalities: list[tuple[dict[Name, float], float]] = field(default_factory=list)
    # sum(coef * unknown) <= rhs
    inequalities: list[tuple[dict[Name, float], float]] = field(default_factory=list)
    targets: list[Name] = field(default_factory=list)  # the hidden counts to attack

    def unknown(self, name: Name, target: bool = True) -> Name:
        if name not in self.unknowns:
            self.unknowns.append(name)
            if target:
                self.targets.append(name)
        return name

    def relation(self, terms: Sequence[tuple[float, Name | int | None]], rhs: float = 0.0,
                 *, kind: str = "eq") -> None:
        """`sum(coef * term) (== or <=) rhs` where each term is an unknown's name or a
        published number."""
        row: dict[Name, float] = {}
        constant = 0.0
        for coef, term in terms:
            if isinstance(term, int | float) and not isinstance(term, bool):
                constant += coef * term
            elif term is None:
                continue
            else:
                row[term] = row.get(term, 0.0) + coef
        target = self.equalities if kind == "eq" else self.inequalities
        if row:
            target.append((row, rhs - constant))
        elif kind == "eq" and abs(rhs - constant) > 1e-9:
            raise AssertionError(f"published numbers contradict a relation: {terms}")


def ranges(system: System) -> dict[Name, tuple[float, float]]:
    """Each target's smallest and largest value over everything published."""
    try:
        from scipy.optimize import linprog
    except ImportError:  # pragma: no cover - SciPy is a development dependency
        return _exact_ranges(system)
    index = {name: i for i, name in enumerate(system.unknowns)}
    width = len(index)

    def dense(rows: list[tuple[dict[Name, float], float]]) -> tuple[list[list[float]],
                                                                     list[float]]:
        matrix = []
        for row, _ in rows:
            line = [0.0] * width
            for name, coef in row.items():
                line[index[name]] = coef
            matrix.append(line)
        return matrix, [rhs for _, rhs in rows]

    a_eq, b_eq = dense(system.equalities)
    a_ub, b_ub = dense(system.inequalities)
    found = {}
    for name in system.targets:
        bounds = []
        for direction in (1.0, -1.0):
            cost = [0.0] * width
            cost[index[name]] = direction
            result = linprog(cost, A_eq=a_eq or None, b_eq=b_eq or None, A_ub=a_ub or None,
                             b_ub=b_ub or None, bounds=[(0, None)] * width, method="highs")
            if result.status == 3:  # unbounded
                bounds.append(float("inf") * direction * -1)
            else:
                assert result.status == 0, result.message
                bounds.append(direction * result.fun)
        found[name] = (bounds[0], bounds[1])
    return found


def _exact_ranges(system: System) -> dict[Name, tuple[float, float]]:
    """Without SciPy: (v, v) for a target the equalities determine, (-inf, inf) otherwise."""
    rows = [{k: Fraction(v) for k, v in row.items()} | {"=": Fraction(rhs)}
            for row, rhs in system.equalities]
    pivots: dict[Name, dict[Name, Fraction]] = {}
    for row in rows:
        for key, pivot_row in pivots.items():
            factor = row.get(key)
            if factor:
                for k, v in pivot_row.items():
                    row[k] = row.get(k, Fraction(0)) - factor * v
        row = {k: v for k, v in row.items() if v or k == "="}
        names = [k for k in row if k != "="]
        if not names:
            continue
        pivot = names[0]
        scale = row[pivot]
        row = {k: v / scale for k, v in row.items()}
        for other in pivots.values():
            factor = other.get(pivot)
            if factor:
                for k, v in row.items():
                    other[k] = other.get(k, Fraction(0)) - factor * v
        pivots[pivot] = row
    found = {}
    for name in system.targets:
        row = pivots.get(name)
        if row is not None and all(k in (name, "=") or not v for k, v in row.items()):
            value = float(row["="])
            found[name] = (value, value)
        else:
            found[name] = (float("-inf"), float("inf"))
    return found


def recovered(system: System, tolerance: float = 1e-6) -> dict[Name, float]:
    """The hidden counts the attack pins down, with their values."""
    return {name: low for name, (low, high) in ranges(system).items()
            if high - low < tolerance}


def add_table(system: System, table: str, rows: Sequence[Mapping[str, object]],
              dims: Sequence[str], measure: str = "count") -> dict[tuple[object, ...], object]:
    """The cells of a published table: a number, or an unknown for a null count."""
    cells: dict[tuple[object, ...], object] = {}
    for row in rows:
        key = tuple(row[d] for d in dims)
        value = row[measure]
        cells[key] = system.unknown((table, key, measure)) if value is None else value
    return cells
