"""The statistics report: which tables a request asks for, built once and shared by the page,
its downloads, the printable view, the API and `export-stats`, so a download holds exactly what
the page shows, with the same cells suppressed.

With a suppression threshold, every table of the report is one release: small counts are
hidden, then complementary cells (`stats/suppression.py`) across all the tables, margins and
totals, so no hidden count can be worked out from the rest."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from complaints.domain.taxonomy import CATEGORY_CODES, COMPONENT_CODES
from complaints.extensions import db
from complaints.models import Complaint
from complaints.stats import labels, periods, queries
from complaints.stats.suppression import Key, Release, protect

PERIODS = ("month", "quarter")
# Dimensions under which one complaint may count several times (no sum along them).
MULTI_VALUED = frozenset({"any_category", "component"})


class ReportError(ValueError):
    """A parameter was refused; `errors` maps parameter names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def office_today() -> date:
    zone = ZoneInfo(current_app.config.get("TIMEZONE") or "UTC")
    return datetime.now(UTC).astimezone(zone).date()


@dataclass(frozen=True)
class ReportRequest:
    by: list[str] = field(default_factory=lambda: ["category"])
    date_from: date | None = None
    date_to: date | None = None
    category: str | None = None
    component: str | None = None
    period: str = "month"
    suppress_below: int | None = None
    preset: str = "all"
    compare: bool = False
    period_label: str = labels.S_("All dates")

    @classmethod
    def from_args(cls, args: Mapping[str, Any], today: date | None = None) -> ReportRequest:
        """Read and check request parameters; refuse bad ones with a message each."""
        errors: dict[str, str] = {}
        raw_by = str(args.get("by") or "category")
        if args.get("by2") and "," not in raw_by:
            raw_by += "," + str(args.get("by2"))
        by = [part.strip() for part in raw_by.split(",") if part.strip()]
        try:
            by = queries.check_dimensions(by)
        except ValueError as exc:
            errors["by"] = str(exc)
        dates: dict[str, date | None] = {}
        for name in ("from", "to"):
            value = str(args.get(name) or "").strip()
            try:
                dates[name] = date.fromisoformat(value) if value else None
            except ValueError:
                errors[name] = f"{value[:20]!r} is not a date: use YYYY-MM-DD"
                dates[name] = None
        start, end = dates.get("from"), dates.get("to")
        if start and end and start > end:
            errors["from"] = "the period starts after it ends"
        preset = str(args.get("preset") or "").strip()
        chosen = periods.custom(None, None)
        try:
            chosen = periods.resolve(preset or None, start, end, today or office_today())
        except ValueError as exc:
            errors["preset"] = str(exc)
        compare = str(args.get("compare") or "") in ("1", "on", "true", "yes")
        if compare and "preset" not in errors and "from" not in errors:
            try:
                periods.comparison(chosen)
            except ValueError as exc:
                errors["compare"] = str(exc)
        category = str(args.get("category") or "") or None
        if category and category not in CATEGORY_CODES:
            errors["category"] = f"unknown category {category[:40]!r}"
        component = str(args.get("component") or "") or None
        if component and component not in COMPONENT_CODES:
            errors["component"] = f"unknown component {component[:40]!r}"
        period = str(args.get("period") or "month")
        if period not in PERIODS:
            errors["period"] = "use month or quarter"
        suppress = str(args.get("suppress") or "").strip()
        threshold: int | None = None
        if suppress:
            if suppress.isascii() and suppress.isdigit() and 1 < int(suppress) <= 1000:
                threshold = int(suppress)
            else:
                errors["suppress"] = "a whole number from 2 to 1000"
        if errors:
            raise ReportError(errors)
        return cls(by, chosen.date_from, chosen.date_to, category, component, period,
                   threshold, chosen.preset, compare, chosen.label)

    def as_args(self) -> dict[str, str]:
        """The parameters that ask for this report again: the dates, and the preset they came
        from (so the report is named after it)."""
        values = {"by": ",".join(self.by), "period": self.period,
                  "preset": self.preset if self.preset not in ("all", "custom") else "",
                  "from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else "",
                  "category": self.category or "", "component": self.component or "",
                  "suppress": str(self.suppress_below or ""),
                  "compare": "1" if self.compare else ""}
        return {k: v for k, v in values.items() if v}

    @property
    def filters_text(self) -> str:
        parts = []
        if self.category:
            parts.append(f"{labels.dimension('any_category')}: "
                         f"{labels.value('any_category', self.category)}")
        if self.component:
            parts.append(f"{labels.dimension('component')}: "
                         f"{labels.value('component', self.component)}")
        return "; ".join(parts) or labels.S_("None: every complaint")


@dataclass
class Grid:
    """A crossed table laid out for reading: rows of the first dimension, columns of the
    second, with their totals (None: suppressed)."""

    by: list[str]
    rows: list[Any]
    columns: list[Any]
    cells: dict[tuple[Any, Any], int | None]
    row_totals: dict[Any, int | None]
    column_totals: dict[Any, int | None]
    total: int | None
    largest: int = 1
    column_sums_exact: bool = True
    row_sums_exact: bool = True

    def shade(self, value: int | None) -> int:
        """A heat level from 0 (none) to 5 (largest), for the background only."""
        if not value:
            return 0
        return min(5, 1 + (4 * value) // max(self.largest, 1))


@dataclass
class Report:
    request: ReportRequest
    tables: dict[str, queries.StatsTable]
    main_title: str
    grid: Grid | None = None
    previous_title: str | None = None
    comparison_label: str | None = None
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    suppressed_cells: int = 0
    complementary_cells: int = 0

    @property
    def main(self) -> queries.StatsTable:
        return self.tables[self.main_title]

    @property
    def previous(self) -> queries.StatsTable | None:
        return self.tables.get(self.previous_title) if self.previous_title else None

    def shown(self) -> list[tuple[str, queries.StatsTable]]:
        """The tables the page draws (a crossed table's margins are inside its grid)."""
        hidden = {margin_title(d) for d in self.request.by} if self.grid else set()
        return [(t, table) for t, table in self.tables.items()
                if t not in hidden and t != self.previous_title]


def title(by: Sequence[str]) -> str:
    return "Complaints by " + " and ".join(labels.dimension(d).lower() for d in by)


def margin_title(dimension: str) -> str:
    """The title of a crossed table's margin, exported as a table of its own."""
    return f"Totals by {labels.dimension(dimension).lower()}"


# -- the release: cells, keys and equations --------------------------------------------------------

def _key(measure: str, span: Any, filters: Any, dims: Mapping[str, Any]) -> Key:
    return (measure, span, filters, tuple(sorted(dims.items(), key=lambda i: i[0])))


class _Builder:
    """Collects the tables of one report and the release model behind their suppression."""

    def __init__(self) -> None:
        self.release = Release()
        self.keys: dict[str, list[dict[str, Key]]] = {}  # title -> per row: measure -> key
        self.total_keys: dict[str, Key] = {}

    def table(self, name: str, table: queries.StatsTable, measure: str, span: Any,
              filters: Any, *, partition: bool = True, total_measure: str | None = None
              ) -> None:
        """A table of counts by its `by` dimensions: each row is a cell; the table's total is a
        cell; for a single-valued dimension the cells add up to it."""
        rows: list[dict[str, Key]] = []
        for row in table.rows:
            keyed = {}
            dims = {d: row.get(d) for d in table.by}
            value = row.get(table.measures[0])
            if isinstance(value, int):
                keyed[table.measures[0]] = self.release.cell(_key(measure, span, filters, dims),
                                                             value)
            rows.append(keyed)
        self.keys[name] = rows
        total = self.release.cell(_key(total_measure or measure, span, filters, {}),
                                  table.total)
        self.total_keys[name] = total
        if partition and len(table.by) == 1 and table.by[0] not in MULTI_VALUED:
            self.release.total_of(total, [r[table.measures[0]] for r in rows
                                          if table.measures[0] in r])

    def crossed(self, name: str, table: queries.StatsTable, span: Any, filters: Any) -> None:
        """A crossed table: cells add up to the margins (along single-valued dimensions)."""
        first, second = table.by
        self.table(name, table, "n", span, filters, partition=False)
        groups: dict[tuple[str, Any], list[Key]] = {}
        for row, keyed in zip(table.rows, self.keys[name], strict=True):
            if "count" not in keyed:
                continue
            if second not in MULTI_VALUED:
                groups.setdefault((first, row.get(first)), []).append(keyed["count"])
            if first not in MULTI_VALUED:
                groups.setdefault((second, row.get(second)), []).append(keyed["count"])
        for (dimension, value), parts in groups.items():
            margin = _key("n", span, filters, {dimension: value})
            if margin in self.release.values:
                self.release.total_of(margin, parts)

    def flow(self, name: str, table: queries.StatsTable, span: Any) -> None:
        period = table.by[0]
        rows: list[dict[str, Key]] = []
        received: list[Key] = []
        for row in table.rows:
            keyed = {}
            for measure in table.measures:
                value = row.get(measure)
                if isinstance(value, int):
                    # Received by period is the same count as the main table's by month.
                    kind = "n" if measure == "received" else measure
                    keyed[measure] = self.release.cell(
                        _key(kind, span, (), {period: row[period]}), value)
            received.append(keyed["received"])
            rows.append(keyed)
        self.keys[name] = rows
        total = self.release.cell(_key("n", span, (), {}), table.total)
        self.total_keys[name] = total
        self.release.total_of(total, received)

    def months_in_quarters(self) -> None:
        """A fiscal quarter is the sum of its months, wherever both are published."""
        groups: dict[tuple[Any, ...], dict[str, list[Key]]] = {}
        for key in list(self.release.values):
            if not (isinstance(key, tuple) and len(key) == 4):
                continue
            measure, span, filters, dims = key
            found = dict(dims)
            for name in ("month", "quarter"):
                if name in found and isinstance(found[name], str):
                    rest = tuple((d, v) for d, v in dims if d != name)
                    label = found[name]
                    if name == "month":
                        year, month = (int(p) for p in label.split("-"))
                        label = f"FY{year + (month >= 10)}-Q{(month - 10) % 12 // 3 + 1}"
                    group = groups.setdefault((measure, span, filters, rest, label), {})
                    group.setdefault(name, []).append(key)
        for group in groups.values():
            if group.get("month") and group.get("quarter"):
                self.release.total_of(group["quarter"][0], group["month"])

    def apply(self, tables: dict[str, queries.StatsTable], threshold: int | None
              ) -> tuple[dict[str, queries.StatsTable], set[Key]]:
        hidden = protect(self.release, threshold)
        out: dict[str, queries.StatsTable] = {}
        for name, table in tables.items():
            if not threshold:
                out[name] = table
                continue
            rows = []
            for row, keyed in zip(table.rows, self.keys.get(name, [{}] * len(table.rows)),
                                  strict=True):
                row = dict(row)
                for measure, key in keyed.items():
                    if key in hidden:
                        row[measure] = None
                        row["suppressed"] = True
                if name.startswith("Median days") and row.get("complaints") is None:
                    row["median_days"] = None
                rows.append(row)
            total: int | None = table.total
            if self.total_keys.get(name) in hidden:
                total = None
            out[name] = replace(table, rows=rows, total=cast(int, total), suppressed=True,
                                suppress_below=threshold)
        return out, hidden


def _small(table: queries.StatsTable, threshold: int | None, name: str,
           builder: _Builder, measure: str, span: Any) -> None:
    """A table of its own (no equations with others): rows are cells, `total` too."""
    rows = []
    for row in table.rows:
        keyed = {}
        for m in table.measures:
            value = row.get(m)
            if isinstance(value, int) and m != "median_days":
                keyed[m] = builder.release.cell(
                    _key(measure + ":" + m, span, (), {d: row.get(d) for d in table.by}), value)
        rows.append(keyed)
    builder.keys[name] = rows


def build_report(request: ReportRequest) -> Report:
    """Every table of the report, in the order the page shows them, suppressed as one
    release when the request asks for a threshold."""
    where = queries.selection(request.category, request.component)
    start, end = request.date_from, request.date_to
    span = (start, end)
    filters: Any = ((request.category, request.component)
                    if (request.category or request.component) else ())
    builder = _Builder()
    tables: dict[str, queries.StatsTable] = {}
    main_title = title(request.by)
    main = queries.aggregate(request.by, start, end, None, where)
    tables[main_title] = main
    margins: dict[str, queries.StatsTable] = {}
    if len(request.by) == 2:
        for dimension in request.by:
            margin = queries.aggregate([dimension], start, end, None, where)
            margins[dimension] = margin
            name = margin_title(dimension)
            tables[name] = margin
            builder.table(name, margin, "n", span, filters)
        builder.crossed(main_title, main, span, filters)
    else:
        builder.table(main_title, main, "n", span, filters)

    flow_title = f"Received, opened and closed by {request.period}"
    flow_table = queries.flow(*_flow_span(start, end), period=request.period)
    tables[flow_title] = flow_table
    builder.flow(flow_title, flow_table, span)

    backlog_title = "Open complaints by age"
    backlog = queries.backlog(request.date_to, None, where)
    tables[backlog_title] = backlog
    as_of = request.date_to
    builder.table(backlog_title, backlog, "open", ("as_of", as_of), filters)
    statuses = margins.get("status") if len(request.by) == 2 else (
        main if request.by == ["status"] else None)
    today = office_today()
    if statuses is not None and request.date_from is None and (as_of is None or as_of >= today):
        # Open now = every status but closed, for the same complaints.
        builder.release.total_of(builder.total_keys[backlog_title], [
            _key("n", span, filters, {"status": r["status"]}) for r in statuses.rows
            if r["status"] != "closed" and r["count"]])

    times_title = "Median days to first triage and to closure"
    times = queries.handling_times_table(start, end)
    tables[times_title] = times
    _small(times, request.suppress_below, times_title, builder, "times", span)
    builder.total_keys[times_title] = builder.release.cell(_key("n", span, (), {}), times.total)
    if statuses is not None and filters == ():
        counts = {r["status"]: r["count"] for r in statuses.rows}
        triaged, closed = (builder.keys[times_title][i].get("complaints") for i in (0, 1))
        total = _key("n", span, (), {})
        if triaged is not None and total in builder.release.values:
            # Triaged so far = every complaint not still in Received.
            parts = [triaged] + ([_key("n", span, (), {"status": "received"})]
                                 if counts.get("received") else [])
            builder.release.total_of(total, parts)
        if closed is not None and counts.get("closed"):
            builder.release.total_of(closed, [_key("n", span, (), {"status": "closed"})])

    referral_title = "Referred and retained"
    referral = queries.referrals(start, end)
    tables[referral_title] = referral
    # Its total is every complaint received in the period: the same count as the flow's.
    builder.table(referral_title, referral, "ref", span, (), partition=False,
                  total_measure="n")
    found = {r["outcome"]: builder.keys[referral_title][i].get("count")
             for i, r in enumerate(referral.rows)}
    if all(found.get(o) is not None for o in ("referred", "retained", "neither")):
        # referred + retained + neither - (referred and retained) = total
        both = builder.release.unpublished(("ref-both", span, (), ()))
        builder.release.equations.append({
            found["referred"]: 1, found["retained"]: 1, found["neither"]: 1, both: -1,
            builder.total_keys[referral_title]: -1})

    previous_title = None
    comparison_label = None
    if request.compare and request.date_from and request.date_to:
        earlier = periods.comparison(periods.custom(request.date_from, request.date_to))
        previous_span = (earlier.date_from, earlier.date_to)
        previous_title = title(request.by[:1]) + ", a year earlier"
        previous = queries.aggregate(request.by[:1], *previous_span, None, where)
        tables[previous_title] = previous
        builder.table(previous_title, previous, "n", previous_span, filters)
        comparison_label = earlier.label

    builder.months_in_quarters()
    primary = {k for k, v in builder.release.values.items()
               if k not in builder.release.hidden and 0 < v < (request.suppress_below or 0)}
    published, hidden = builder.apply(tables, request.suppress_below)
    # Keep the page's order: the main table first, its margins and comparison after it.
    result = Report(request, published, main_title, previous_title=previous_title,
                    comparison_label=comparison_label, suppressed_cells=len(hidden),
                    complementary_cells=len(hidden - primary))
    if len(request.by) == 2:
        result.grid = grid(published[main_title], *(
            published[margin_title(d)] for d in request.by))
    return result


def _flow_span(start: date | None, end: date | None) -> tuple[date | None, date | None]:
    """The period narrowed to the days complaints can have been received (from the first one
    to today), so a period asked for from year 1 to 9999 lists its months with complaints, not
    ninety thousand empty ones. Counts are the same."""
    first = db.session.scalar(select(func.min(Complaint.received_at)))
    today = office_today()
    if first is None:
        return (start, end) if start and end and (end - start).days < 3660 else (None, None)
    zone = ZoneInfo(current_app.config.get("TIMEZONE") or "UTC")
    first_day = (first.replace(tzinfo=UTC) if first.tzinfo is None else first).astimezone(
        zone).date()
    low = max(start, first_day) if start else None
    high = min(end, today) if end else None
    if low and high and low > high:
        return (start, start) if start and start > today else (end, end)
    return low, high


def build(request: ReportRequest) -> dict[str, queries.StatsTable]:
    """The tables of `build_report`, by title."""
    return build_report(request).tables


def _values(dimension: str, tables: Iterable[queries.StatsTable]) -> list[Any]:
    seen: list[Any] = []
    for table in tables:
        for row in table.rows:
            if row.get(dimension) not in seen:
                seen.append(row.get(dimension))
    return seen


def grid(table: queries.StatsTable, rows_margin: queries.StatsTable,
         columns_margin: queries.StatsTable) -> Grid:
    """The crossed table as a grid with its margins; combinations not found are zeros."""
    first, second = table.by
    rows = _values(first, [rows_margin])
    columns = _values(second, [columns_margin])
    for value in _values(first, [table]):
        if value not in rows:
            rows.append(value)
    for value in _values(second, [table]):
        if value not in columns:
            columns.append(value)
    cells: dict[tuple[Any, Any], int | None] = {(r, c): 0 for r in rows for c in columns}
    for row in table.rows:
        cells[(row[first], row[second])] = row.get("count")
    row_totals = {r[first]: r.get("count") for r in rows_margin.rows}
    column_totals = {r[second]: r.get("count") for r in columns_margin.rows}
    largest = max((v for v in cells.values() if v), default=1)
    return Grid(list(table.by), rows, columns, cells, row_totals, column_totals, table.total,
                largest, column_sums_exact=first not in MULTI_VALUED,
                row_sums_exact=second not in MULTI_VALUED)


def suppression_rule(threshold: int | None) -> str:
    if not threshold:
        return labels.S_("None: every count is exact (not for publication).")
    return (f"Counts from 1 to {threshold - 1} are suppressed (empty cells in downloads, "
            "“–” on the page), then further "
            "counts (complementary suppression) so that no hidden count can be worked out from "
            "the totals, the margins or the other tables of this report. Zeros are shown.")


def about(result: Report, generated_by: str) -> list[tuple[str, str]]:
    """What an exported report is: the lines of the Excel "About" sheet (and of the CSV and
    JSON headers)."""
    wanted = result.request
    dates = (f"{wanted.date_from.isoformat() if wanted.date_from else 'the first complaint'} "
             f"to {wanted.date_to.isoformat() if wanted.date_to else 'today'}")
    lines = [
        ("Report", result.main_title),
        ("Period", f"{wanted.period_label}; complaints received from {dates} (inclusive, "
                   "office time zone)"),
    ]
    if result.comparison_label:
        lines.append(("Compared with", f"the same period a year earlier: "
                                       f"{result.comparison_label}"))
    lines += [
        ("Filters", wanted.filters_text),
        ("Suppression", suppression_rule(wanted.suppress_below)),
        ("Generated at", result.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
        ("Generated by", generated_by),
        ("Privacy", "Aggregate counts only: no personal data. Restricted complaints are "
                    "counted like all others."),
    ]
    for name in ("count", "received", "opened", "closed", "received_to_first_triage",
                 "received_to_closure", "backlog", "referrals"):
        heading = labels.value("interval", name) if name.startswith("received_to") else (
            {"backlog": "Open complaints by age", "referrals": "Referred and retained"}.get(
                name) or labels.measure(name))
        lines.append((f"Definition: {heading}", labels.DEFINITIONS[name]))
    return lines
