"""Aggregate statistics: counts by dimension, flow, backlog, handling times and referrals, read
from the statistics rollup (complaints/stats/rollup.py) that the write path keeps exact. The
raw_* functions compute the same from the complaint rows (for the few breakdowns the rollup
does not hold, check-stats and benchmarks); only grouped counts ever come back.

Conventions (they apply to every function here):

- **Periods are by the date received**, in the office's time zone (`app.config["TIMEZONE"]`):
  `date_from`/`date_to` are inclusive calendar dates there, turned into UTC instants before the
  query, so the range is an index range on `received_at`. Months and fiscal quarters are local
  too (PostgreSQL: `AT TIME ZONE`; SQLite, which has no zone data: the zone's UTC offsets over the
  range, applied by a small `CASE`). Both databases give the same answers.
- **The fiscal year starts 1 October**: 2025-10-01..2025-12-31 is `FY2026-Q1`.
- `total` is always the number of distinct complaints received in the period. **Counts by
  `any_category` and by `component` exceed it**: a complaint counts once under each of its
  categories (primary and secondary) and once under each component involved.
- Missing values (no disposition yet, no state given) are rows of their own with the value None.
- Restricted complaints are counted like all others; no personal data is ever selected.
- Handling times are whole calendar days in the office's time zone.
- Suppression for publication replaces counts from 1 to N-1 with None (shown as "<N" in
  exports); zeros and totals stay exact. There is no secondary suppression: a single hidden cell
  can be worked out from the total, so suppress with care when a table has one small cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    extract,
    func,
    inspect,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from complaints.domain.taxonomy import (
    CATEGORY_CODES,
    CHANNEL_CODES,
    COMPONENT_CODES,
    DISPOSITION_CODES,
    PRIORITY_CODES,
    SECTION_CODES,
    STATUS_CODES,
)
from complaints.extensions import db
from complaints.i18n import LOCALE_CODES
from complaints.models import AuditEvent, Complaint, ComplaintCategory, ComplaintComponent
from complaints.models.stats_rollup import StatsRollup
from complaints.stats import rollup

DIMENSIONS: tuple[str, ...] = (
    "category", "component", "section", "status", "disposition", "priority", "language",
    "channel", "state", "month", "quarter", "any_category",
)
# Dimensions under which one complaint may count several times.
MULTI_VALUED = frozenset({"any_category", "component"})
PERIODS = ("month", "quarter")
AGE_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("0-30", 30), ("31-90", 90), ("91-180", 180), ("181-365", 365), ("over-365", None),
)
REFERRAL_OUTCOMES = ("referred", "referred_oig", "referred_component", "retained", "neither")
DEFAULT_SUPPRESSION = 5

# Display order of coded values (taxonomy order rather than alphabetical).
_CODE_ORDER: dict[str, tuple[str, ...]] = {
    "category": CATEGORY_CODES, "any_category": CATEGORY_CODES, "component": COMPONENT_CODES,
    "section": SECTION_CODES, "status": STATUS_CODES, "disposition": DISPOSITION_CODES,
    "priority": PRIORITY_CODES, "language": LOCALE_CODES, "channel": CHANNEL_CODES,
}
_NOTES = {
    "any_category": "A complaint counts once under each of its categories (primary and "
                    "secondary), so counts add up to more than the total.",
    "component": "A complaint counts once under each component involved, so counts add up to "
                 "more than the total.",
}


@dataclass
class StatsTable:
    """One table of counts: a row per combination of dimension values.

    `rows` are dicts holding the dimension values (named as in `by`) and the measures (named as
    in `measures`, normally just `count`). `total` is the number of distinct complaints the table
    covers. When `suppressed`, counts from 1 to `suppress_below - 1` are None.
    """

    by: list[str]
    rows: list[dict[str, Any]]
    total: int
    suppressed: bool = False
    suppress_below: int | None = None
    measures: tuple[str, ...] = ("count",)
    date_from: date | None = None
    date_to: date | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return [*self.by, *self.measures]

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `GET /api/v1/stats`: `{"by", "rows", "total"}` (plus the
        suppression threshold when counts were suppressed)."""
        data: dict[str, Any] = {"by": list(self.by), "rows": [dict(r) for r in self.rows],
                                "total": self.total}
        if self.suppressed:
            data["suppressed"] = True
            data["suppress_below"] = self.suppress_below
        return data


# -- fiscal periods (pure functions) ---------------------------------------------------------------

def fiscal_year(day: date) -> int:
    """The U.S. federal fiscal year of a date (it starts on 1 October of the year before)."""
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_quarter_number(month: int) -> int:
    """1 for October-December, 2 for January-March, 3 for April-June, 4 for July-September."""
    if not 1 <= month <= 12:
        raise ValueError(f"not a month: {month}")
    return (month - 10) % 12 // 3 + 1


def fiscal_quarter(day: date) -> str:
    """The fiscal quarter label of a date, e.g. `FY2026-Q1` for 2025-10-01."""
    return f"FY{fiscal_year(day)}-Q{fiscal_quarter_number(day.month)}"


def month_label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def period_label(day: date, period: str) -> str:
    if period == "month":
        return month_label(day)
    if period == "quarter":
        return fiscal_quarter(day)
    raise ValueError(f"unknown period {period!r}: use 'month' or 'quarter'")


def period_start(label: str, period: str) -> date:
    """The first day of a month (`2025-10`) or fiscal quarter (`FY2026-Q1`) label."""
    if period == "month":
        year_text, month_text = label.split("-")
        return date(int(year_text), int(month_text), 1)
    if period == "quarter":
        fy_text, quarter_text = label.removeprefix("FY").split("-Q")
        month = (int(quarter_text) - 1) * 3 + 10
        fy = int(fy_text)
        return date(fy - 1, month, 1) if month <= 12 else date(fy, month - 12, 1)
    raise ValueError(f"unknown period {period!r}: use 'month' or 'quarter'")


def period_labels(first: date, last: date, period: str) -> list[str]:
    """Every month or fiscal-quarter label from the one holding `first` to the one holding
    `last`, in order."""
    labels: list[str] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        label = period_label(date(year, month, 1), period)
        if not labels or labels[-1] != label:
            labels.append(label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


# -- time zone handling ----------------------------------------------------------------------------

def office_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("TIMEZONE") or "UTC")


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant at which a local calendar day begins."""
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def today(zone: ZoneInfo | None = None) -> date:
    return datetime.now(UTC).astimezone(zone or office_zone()).date()


def _offset_changes(zone: ZoneInfo, start: datetime, end: datetime
                    ) -> list[tuple[datetime, int]]:
    """The zone's UTC offset (minutes) at `start` and at every change up to `end`, each change
    at the exact second it happens."""
    def offset(seconds: int) -> int:
        delta = datetime.fromtimestamp(seconds, UTC).astimezone(zone).utcoffset()
        return int(delta.total_seconds() // 60) if delta is not None else 0

    first, last = int(start.timestamp()), int(end.timestamp())
    changes = [(datetime.fromtimestamp(first, UTC), offset(first))]
    day = 86_400
    for at in range(first, last, day):
        following = min(at + day, last)
        if offset(following) != changes[-1][1]:
            low, high = at, following  # offset(low) is the old one, offset(high) the new one
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if offset(middle) == changes[-1][1] else (low, middle)
            changes.append((datetime.fromtimestamp(high, UTC), offset(high)))
    return changes


def _dialect() -> str:
    return str(db.session.get_bind().dialect.name)


def _has_index(table: str, leading: tuple[str, ...]) -> bool:
    """Whether an index on `table` starts with these columns."""
    indexes = inspect(db.session.get_bind()).get_indexes(table)
    return any(tuple(index["column_names"][:len(leading)]) == leading for index in indexes)


@dataclass(frozen=True)
class _Range:
    """A range of received dates as UTC instants (None: open-ended)."""

    start: datetime | None
    end: datetime | None
    zone: ZoneInfo

    def where(self, column: Any) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        if self.start is not None:
            clauses.append(column >= self.start)
        if self.end is not None:
            clauses.append(column < self.end)
        return clauses


def _range(date_from: date | None, date_to: date | None) -> _Range:
    if date_from and date_to and date_from > date_to:
        raise ValueError(f"the period starts ({date_from}) after it ends ({date_to})")
    zone = office_zone()
    return _Range(day_start(date_from, zone) if date_from else None,
                  day_start(date_to + timedelta(days=1), zone) if date_to else None, zone)


class _LocalTime:
    """The local month (`YYYY-MM`) of a UTC timestamp column, as an SQL expression."""

    def __init__(self, span: _Range, column: Any) -> None:
        self.column = column
        self.zone = span.zone
        self.dialect = _dialect()
        self.span = span

    def _bounds(self) -> tuple[datetime, datetime]:
        now = datetime.now(UTC)
        start, end = self.span.start, self.span.end
        if start is None or end is None:
            low, high = db.session.execute(
                select(func.min(Complaint.received_at), func.max(Complaint.received_at))
            ).one()
            start = start or low or now
            end = end or max(high or now, now)
        return start - timedelta(days=1), end + timedelta(days=1)

    def month(self) -> Any:
        if self.dialect == "postgresql":
            return func.to_char(func.timezone(self.zone.key, self.column), "YYYY-MM")
        changes = _offset_changes(self.zone, *self._bounds())
        if len(changes) == 1:
            modifier: Any = literal(f"{changes[0][1]:+d} minutes")
        else:
            modifier = case(
                *((self.column < at, f"{changes[i - 1][1]:+d} minutes")
                  for i, (at, _) in enumerate(changes) if i > 0),
                else_=f"{changes[-1][1]:+d} minutes",
            )
        return func.strftime("%Y-%m", self.column, modifier)


def quarter_of_month(month: Any) -> Any:
    """SQL: the fiscal quarter label (`FY2026-Q1`) of a `YYYY-MM` month label."""
    year = cast(func.substr(month, 1, 4), Integer)
    number = cast(func.substr(month, 6, 2), Integer)
    fiscal = year + case((number >= 10, 1), else_=0)
    quarter = case((number >= 10, 1), (number >= 7, 4), (number >= 4, 3), else_=2)
    return (literal("FY", String).concat(cast(fiscal, String)).concat(literal("-Q", String))
            .concat(cast(quarter, String)))


def _count_groups(build: Callable[[list[Any]], Select[Any]], expressions: list[Any],
                  quarters: set[int]) -> list[tuple[Any, ...]]:
    """`(value, ..., count)` rows grouped by the expressions. Positions in `quarters` hold a
    local month expression: months are grouped first (one date function per row) and rolled up
    to fiscal quarters in an outer query over the few month groups."""
    inner = build([e.label(f"i{i}") for i, e in enumerate(expressions)]).group_by(
        *(f"i{i}" for i in range(len(expressions))))
    if not quarters:
        return [tuple(row) for row in db.session.execute(inner)]
    months = inner.subquery()
    columns = [(quarter_of_month(months.c[f"i{i}"]) if i in quarters else months.c[f"i{i}"])
               .label(f"d{i}") for i in range(len(expressions))]
    outer = (select(*columns, func.sum(months.c.n).label("n"))
             .group_by(*(f"d{i}" for i in range(len(expressions)))))
    return [tuple(row) for row in db.session.execute(outer)]


# -- validation and post-processing ----------------------------------------------------------------

def check_dimensions(by: Sequence[str] | str) -> list[str]:
    """Validate one or two dimensions (a list, or a string such as `"category,status"`);
    raise ValueError with the reason otherwise."""
    names = [n.strip() for n in (by.split(",") if isinstance(by, str) else by)]
    if not names:
        raise ValueError("give one dimension, or two to cross them")
    if len(names) > 2:
        raise ValueError(f"at most two dimensions can be crossed, not {len(names)}")
    unknown = [n for n in names if n not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension {unknown[0]!r}; choose from: "
                         f"{', '.join(DIMENSIONS)}")
    if len(names) == 2 and names[0] == names[1]:
        raise ValueError(f"a dimension cannot be crossed with itself ({names[0]!r})")
    return names


def _check_threshold(suppress_below: int | None) -> None:
    if suppress_below is not None and suppress_below < 1:
        raise ValueError("the suppression threshold must be a whole number of at least 1")


def _sort_key(dimension: str, value: Any) -> tuple[int, int, str]:
    if value is None:
        return (2, 0, "")
    order = _CODE_ORDER.get(dimension)
    if order is not None and value in order:
        return (0, order.index(value), "")
    return (1, 0, str(value))


def _sort_rows(rows: list[dict[str, Any]], by: Sequence[str]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: tuple(_sort_key(d, r[d]) for d in by))


def suppress(rows: Iterable[dict[str, Any]], measures: Iterable[str], threshold: int | None
             ) -> list[dict[str, Any]]:
    """Rows with every count from 1 to threshold-1 replaced by None (zeros stay)."""
    names = tuple(measures)
    out = []
    for row in rows:
        row = dict(row)
        if threshold:
            for name in names:
                value = row.get(name)
                if isinstance(value, int) and 0 < value < threshold:
                    row[name] = None
        out.append(row)
    return out


def _table(by: list[str], rows: list[dict[str, Any]], total: int, span: tuple[date | None,
           date | None], suppress_below: int | None, measures: tuple[str, ...] = ("count",),
           notes: list[str] | None = None) -> StatsTable:
    return StatsTable(
        by=by, rows=suppress(rows, measures, suppress_below), total=total,
        suppressed=bool(suppress_below), suppress_below=suppress_below or None,
        measures=measures, date_from=span[0], date_to=span[1], notes=notes or [],
    )


def raw_count_received(date_from: date | None = None, date_to: date | None = None,
                       where: Sequence[ColumnElement[bool]] = ()) -> int:
    """How many complaints were received in the period (and match `where`, if given)."""
    span = _range(date_from, date_to)
    return int(db.session.scalar(
        select(func.count()).select_from(Complaint)
        .where(*span.where(Complaint.received_at), *where)
    ) or 0)


def selection(category: str | None = None, component: str | None = None
              ) -> list[ColumnElement[bool]]:
    """Conditions narrowing statistics to complaints with a category (primary or secondary) and
    a component, e.g. detention conditions against ICE; empty values select everything."""
    conditions: list[ColumnElement[bool]] = []
    # Aliases: the counting query may itself join these tables (any_category, component), and
    # the subquery must not be correlated to them.
    if category:
        if category not in CATEGORY_CODES:
            raise ValueError(f"unknown category {category!r}")
        other_category = aliased(ComplaintCategory)
        condition = select(other_category.id).where(
            other_category.complaint_id == Complaint.id,
            other_category.category == category).exists()
        setattr(condition, _FILTER_ATTRIBUTE, ("any_category", category))  # noqa: B010
        conditions.append(condition)
    if component:
        if component not in COMPONENT_CODES:
            raise ValueError(f"unknown component {component!r}")
        other_component = aliased(ComplaintComponent)
        condition = select(other_component.id).where(
            other_component.complaint_id == Complaint.id,
            other_component.component == component).exists()
        setattr(condition, _FILTER_ATTRIBUTE, ("component", component))  # noqa: B010
        conditions.append(condition)
    return conditions


# -- aggregate -------------------------------------------------------------------------------------

def raw_aggregate(by: Sequence[str] | str, date_from: date | None = None,
                  date_to: date | None = None,
                  suppress_below: int | None = None,
                  where: Sequence[ColumnElement[bool]] = ()) -> StatsTable:
    """Count complaints received in the period by one dimension, or two crossed.

    Raises ValueError for an unknown dimension, more than two, or a period that ends before it
    starts. See the module docstring for time zones, multi-valued dimensions and suppression.
    """
    names = check_dimensions(by)
    _check_threshold(suppress_below)
    span = _range(date_from, date_to)
    local = _LocalTime(span, Complaint.received_at)

    def build(columns: list[Any]) -> Select[Any]:
        statement = select(*columns, func.count().label("n")).select_from(Complaint)
        if "any_category" in names:
            statement = statement.outerjoin(
                ComplaintCategory, ComplaintCategory.complaint_id == Complaint.id)
        if "component" in names:
            statement = statement.outerjoin(
                ComplaintComponent, ComplaintComponent.complaint_id == Complaint.id)
        return statement.where(*span.where(Complaint.received_at), *where)

    found = _count_groups(build, [_dimension_expression(n, local) for n in names],
                          {i for i, n in enumerate(names) if n == "quarter"})
    rows = [{**{name: row[i] for i, name in enumerate(names)}, "count": int(row[-1])}
            for row in found]
    notes = [_NOTES[n] for n in names if n in _NOTES]
    # Single-valued dimensions partition the complaints: the total comes from the same query
    # (one snapshot); with a multi-valued one, distinct complaints are counted apart.
    total = (raw_count_received(date_from, date_to, where) if MULTI_VALUED & set(names)
             else sum(row["count"] for row in rows))
    return _table(names, _sort_rows(rows, names), total, (date_from, date_to), suppress_below,
                  notes=notes)


def _dimension_expression(name: str, local: _LocalTime) -> Any:
    simple: Mapping[str, Any] = {
        "category": Complaint.primary_category, "section": Complaint.section,
        "status": Complaint.status, "disposition": Complaint.disposition,
        "priority": Complaint.priority, "language": Complaint.language,
        "channel": Complaint.channel, "state": Complaint.state,
        "any_category": ComplaintCategory.category, "component": ComplaintComponent.component,
    }
    if name in simple:
        return simple[name]
    return local.month()  # month, or quarter (rolled up from months)


# -- flow ------------------------------------------------------------------------------------------

def raw_flow(date_from: date | None = None, date_to: date | None = None, period: str = "month",
             suppress_below: int | None = None) -> StatsTable:
    """Per month or fiscal quarter: complaints received (`received_at`), opened (first moved out
    of `received`: `first_triaged_at`) and closed (`closed_at`), each counted in the period of
    its own date. Periods with nothing are listed with zeros."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}: use 'month' or 'quarter'")
    _check_threshold(suppress_below)
    span = _range(date_from, date_to)
    measures = ("received", "opened", "closed")
    counts: dict[str, dict[str, int]] = {}
    for measure, column in zip(measures, (Complaint.received_at, Complaint.first_triaged_at,
                                          Complaint.closed_at), strict=True):
        def build(columns: list[Any], column: Any = column) -> Select[Any]:
            return (select(*columns, func.count().label("n")).select_from(Complaint)
                    .where(column.is_not(None), *span.where(column)))

        found = _count_groups(build, [_LocalTime(span, column).month()],
                              {0} if period == "quarter" else set())
        for key, n in found:
            counts.setdefault(key, {})[measure] = int(n)

    rows = _flow_rows(counts, period, date_from, date_to, measures)
    return _table([period], rows, raw_count_received(date_from, date_to), (date_from, date_to),
                  suppress_below, measures=measures)


def _flow_rows(counts: dict[str, dict[str, int]], period: str, date_from: date | None,
               date_to: date | None, measures: Sequence[str]) -> list[dict[str, Any]]:
    """A row per month or quarter of the period (every one, empty ones too), in order."""
    labels = sorted(counts, key=lambda lab: period_start(lab, period))
    first = date_from or (period_start(labels[0], period) if labels else None)
    last = date_to or (period_start(labels[-1], period) if labels else None)
    every = period_labels(first, last, period) if first and last else []
    return [{period: lab, **{m: counts.get(lab, {}).get(m, 0) for m in measures}}
            for lab in every]


# -- backlog ---------------------------------------------------------------------------------------

def raw_backlog(as_of: date | None = None, suppress_below: int | None = None,
                where: Sequence[ColumnElement[bool]] = ()) -> StatsTable:
    """Complaints open at the end of `as_of` (default today, in the office's time zone) by age
    since received, in days: 0-30, 31-90, 91-180, 181-365, over-365.

    Today, open means not `closed`. For a past date it means received by then and not closed by
    then (`closed_at`); a complaint reopened since then counts by its latest closure."""
    _check_threshold(suppress_below)
    zone = office_zone()
    current = today(zone)
    as_of = as_of or current
    end = day_start(as_of + timedelta(days=1), zone)
    if as_of >= current:
        is_open: ColumnElement[bool] = Complaint.status != "closed"
    else:
        is_open = and_(or_(Complaint.closed_at.is_(None), Complaint.closed_at >= end),
                       or_(Complaint.status != "closed", Complaint.closed_at.is_not(None)))
    bucket = case(
        *((Complaint.received_at >= day_start(as_of - timedelta(days=days), zone), name)
          for name, days in AGE_BUCKETS if days is not None),
        else_=AGE_BUCKETS[-1][0],
    ).label("age")
    statement = (select(bucket, func.count().label("n")).select_from(Complaint)
                 .where(Complaint.received_at < end, is_open, *where).group_by("age"))
    found = {name: int(n) for name, n in db.session.execute(statement)}
    rows = [{"age": name, "count": found.get(name, 0)} for name, _ in AGE_BUCKETS]
    return _table(["age"], rows, sum(found.values()), (None, as_of), suppress_below,
                  notes=[f"Open complaints at the end of {as_of.isoformat()}, by days since "
                         "received."])


# -- handling times --------------------------------------------------------------------------------

def _days_between(start: Any, end: Any) -> Any:
    if _dialect() == "postgresql":
        return extract("epoch", end - start) / 86400.0
    return func.julianday(end) - func.julianday(start)


def _median(days: Any, where: list[ColumnElement[bool]]) -> tuple[int, float | None]:
    """The number of values and their median, computed by the database.

    PostgreSQL: `percentile_cont(0.5) WITHIN GROUP`. SQLite: ORDER BY ... LIMIT/OFFSET, sorting
    only the whole-day bucket that holds the middle value: values are first counted per day
    (a few hundred groups), which tells which bucket and which offset in it."""
    where = [*where, days.is_not(None)]
    if _dialect() == "postgresql":
        n, value = db.session.execute(
            select(func.count(days), func.percentile_cont(0.5).within_group(days))
            .select_from(Complaint).where(*where)).one()
        return int(n), round(float(value), 2) if value is not None else None
    bucket = cast(days, Integer)  # truncation is monotonic: buckets keep the values' order
    sizes = [(key, int(count)) for key, count in db.session.execute(
        select(bucket.label("b"), func.count().label("n")).select_from(Complaint)
        .where(*where).group_by("b").order_by("b"))]
    n = sum(count for _, count in sizes)
    if n == 0:
        return 0, None

    def values_from(position: int, wanted: int) -> list[float]:
        """Up to `wanted` values from this 0-based position in sorted order, all from the
        bucket that holds the position."""
        before = 0
        for key, count in sizes:
            if position < before + count:
                return [float(v) for v in db.session.scalars(
                    select(days).select_from(Complaint).where(*where, bucket == key)
                    .order_by(days).limit(wanted).offset(position - before))]
            before += count
        raise AssertionError("position beyond the values")

    middle = (n - 1) // 2
    found = values_from(middle, 1 if n % 2 else 2)
    if n % 2 == 0 and len(found) == 1:  # the two middle values are in different buckets
        found += values_from(middle + 1, 1)
    return n, round(sum(found) / len(found), 2)


def raw_handling_times(date_from: date | None = None, date_to: date | None = None
                       ) -> dict[str, Any]:
    """Median days from received to first triage and from received to closure, for complaints
    received in the period (those not yet triaged or closed are left out of each median).

    Returns `received`, `triaged`, `median_days_to_triage`, `closed`, `median_days_to_closure`
    (None when nothing was triaged or closed)."""
    span = _range(date_from, date_to)
    where = span.where(Complaint.received_at)
    triaged, to_triage = _median(
        _days_between(Complaint.received_at, Complaint.first_triaged_at),
        [*where, Complaint.first_triaged_at.is_not(None)])
    closed, to_closure = _median(
        _days_between(Complaint.received_at, Complaint.closed_at),
        [*where, Complaint.closed_at.is_not(None)])
    return {
        "received": raw_count_received(date_from, date_to),
        "triaged": triaged, "median_days_to_triage": to_triage,
        "closed": closed, "median_days_to_closure": to_closure,
    }


def handling_times_table(date_from: date | None = None, date_to: date | None = None,
                         suppress_below: int | None = None) -> StatsTable:
    """`handling_times` as a table (a row per measure) for exports; a median is hidden with its
    count when the count is suppressed."""
    _check_threshold(suppress_below)
    times = handling_times(date_from, date_to)
    rows: list[dict[str, Any]] = [
        {"interval": "received_to_first_triage", "complaints": times["triaged"],
         "median_days": times["median_days_to_triage"]},
        {"interval": "received_to_closure", "complaints": times["closed"],
         "median_days": times["median_days_to_closure"]},
    ]
    rows = suppress(rows, ("complaints",), suppress_below)
    for row in rows:
        if row["complaints"] is None:
            row["median_days"] = None
    return StatsTable(by=["interval"], rows=rows, total=times["received"],
                      suppressed=bool(suppress_below), suppress_below=suppress_below or None,
                      measures=("complaints", "median_days"), date_from=date_from,
                      date_to=date_to,
                      notes=["Total: complaints received in the period. Each median is over "
                             "those of them triaged, or closed, so far."])


# -- referrals -------------------------------------------------------------------------------------

def raw_referrals(date_from: date | None = None, date_to: date | None = None,
                  suppress_below: int | None = None) -> StatsTable:
    """`referrals`, counted from the complaints and the audit trail (check-stats, benchmarks)."""
    _check_threshold(suppress_below)
    span = _range(date_from, date_to)
    flag_statuses = ("referred_oig", "referred_component", "investigating")

    def ever(status: str) -> Any:
        return func.max(case((AuditEvent.to_status == status, 1), else_=0)).label(status)

    # Without an index on audit_events (kind, to_status, ...), SQLite would walk the (kind, at)
    # index and fetch rows in time order from all over the table; reading the table in order is
    # several times faster, so the index is hidden from it (kind || '').
    kind: Any = AuditEvent.kind
    if _dialect() == "sqlite" and not _has_index("audit_events", ("kind", "to_status")):
        kind = AuditEvent.kind.concat("")
    # Transitions of complaints received in the period happen after the period starts.
    events = (select(AuditEvent.complaint_id, *(ever(s) for s in flag_statuses))
              .where(kind == "transition", AuditEvent.to_status.in_(flag_statuses),
                     *([AuditEvent.at >= span.start] if span.start is not None else []))
              .group_by(AuditEvent.complaint_id).subquery())
    oig = or_(events.c.referred_oig == 1, Complaint.disposition == "referred_to_oig")
    component = events.c.referred_component == 1
    retained = events.c.investigating == 1
    referred = or_(oig, component)

    def total_of(condition: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    statement = (select(total_of(referred), total_of(oig), total_of(component),
                        total_of(retained), total_of(or_(referred, retained)), func.count())
                 .select_from(Complaint)
                 .outerjoin(events, events.c.complaint_id == Complaint.id)
                 .where(*span.where(Complaint.received_at)))
    *values, either, total = (int(v) for v in db.session.execute(statement).one())
    rows = [{"outcome": name, "count": value}
            for name, value in zip(REFERRAL_OUTCOMES, [*values, total - either], strict=True)]
    return _table(["outcome"], rows, total, (date_from, date_to), suppress_below,
                  notes=["Rows overlap: a complaint can be referred and later retained."])


# -- answers from the rollup -----------------------------------------------------------------------
#
# Every function below reads the rollup (complaints/stats/rollup.py), which the write path keeps
# exact; the raw_* functions above compute the same from the rows (check-stats, benchmarks, and
# the few combinations the rollup does not hold: see `_rollup_dimensions`).

_FILTER_ATTRIBUTE = "stats_filter"
_TIME_DIMENSIONS = ("month", "quarter")


def _filters(where: Sequence[ColumnElement[bool]]) -> list[tuple[str, str]] | None:
    """The (dimension, value) filters of conditions made by `selection`; None when any
    condition came from elsewhere (then only the rows can answer)."""
    found = []
    for condition in where:
        tag = getattr(condition, _FILTER_ATTRIBUTE, None)
        if tag is None:
            return None
        found.append(tag)
    return found


def _rollup_dimensions(names: Sequence[str], filters: list[tuple[str, str]] | None
                       ) -> list[str] | None:
    """The rollup dimensions a breakdown needs (its value dimensions and filters), or None when
    the rollup holds no measure for them: more than two, or a multi-valued dimension both
    filtered on and broken down by. Months and quarters come from the days."""
    if filters is None:
        return None
    dimensions = [n for n in names if n not in _TIME_DIMENSIONS] + [d for d, _ in filters]
    if len(dimensions) > 2 or len(set(dimensions)) != len(dimensions):
        return None
    return dimensions


def _connection() -> Any:
    return db.session.connection()


def _filter_conditions(dimensions: Sequence[str], filters: Sequence[tuple[str, str]]
                       ) -> list[ColumnElement[bool]]:
    columns = (StatsRollup.a, StatsRollup.b)
    order = rollup.ordered(dimensions)
    return [columns[order.index(name)] == value for name, value in filters]


def _quarter_of(month: str) -> str:
    return period_label(period_start(month, "month"), "quarter")


def count_received(date_from: date | None = None, date_to: date | None = None,
                   where: Sequence[ColumnElement[bool]] = ()) -> int:
    """How many complaints were received in the period (and match `where`, if given)."""
    filters = _filters(where)
    dimensions = _rollup_dimensions([], filters)
    if dimensions is None or filters is None:
        return raw_count_received(date_from, date_to, where)
    _range(date_from, date_to)  # validates the period
    rows = rollup.period_rows(_connection(), rollup.measure_name(dimensions), date_from,
                              date_to, where=_filter_conditions(dimensions, filters))
    return sum(int(row[-1]) for row in rows)


def aggregate(by: Sequence[str] | str, date_from: date | None = None, date_to: date | None = None,
              suppress_below: int | None = None,
              where: Sequence[ColumnElement[bool]] = ()) -> StatsTable:
    """Count complaints received in the period by one dimension, or two crossed.

    Raises ValueError for an unknown dimension, more than two, or a period that ends before it
    starts. See the module docstring for time zones, multi-valued dimensions and suppression.
    """
    names = check_dimensions(by)
    _check_threshold(suppress_below)
    _range(date_from, date_to)
    filters = _filters(where)
    dimensions = _rollup_dimensions(names, filters)
    if dimensions is None or filters is None:
        return raw_aggregate(names, date_from, date_to, suppress_below, where)
    by_month = any(n in _TIME_DIMENSIONS for n in names)
    order = rollup.ordered(dimensions)
    counts: dict[tuple[Any, ...], int] = {}
    for row in rollup.period_rows(_connection(), rollup.measure_name(dimensions), date_from,
                                  date_to, by_month=by_month,
                                  where=_filter_conditions(dimensions, filters)):
        month = row[0] if by_month else None
        a, b, n = row[-3], row[-2], int(row[-1])
        if not n:
            continue
        values = dict(zip(order, (a, b), strict=False))
        key = []
        for name in names:
            if name == "month":
                key.append(month)
            elif name == "quarter":
                key.append(_quarter_of(str(month)))
            else:
                key.append(values[name] or None)
        counts[tuple(key)] = counts.get(tuple(key), 0) + n
    rows = [{**dict(zip(names, key, strict=True)), "count": n} for key, n in counts.items()]
    notes = [_NOTES[n] for n in names if n in _NOTES]
    total = (count_received(date_from, date_to, where) if MULTI_VALUED & set(names)
             else sum(row["count"] for row in rows))
    return _table(names, _sort_rows(rows, names), total, (date_from, date_to), suppress_below,
                  notes=notes)


def _by_month(measure: str, date_from: date | None, date_to: date | None) -> dict[str, int]:
    found: dict[str, int] = {}
    for month, _a, _b, n in rollup.period_rows(_connection(), measure, date_from, date_to,
                                               by_month=True, by_values=False):
        found[str(month)] = found.get(str(month), 0) + int(n)
    return found


def flow(date_from: date | None = None, date_to: date | None = None, period: str = "month",
         suppress_below: int | None = None) -> StatsTable:
    """Per month or fiscal quarter: complaints received (`received_at`), opened (first moved out
    of `received`: `first_triaged_at`) and closed (`closed_at`), each counted in the period of
    its own date. Periods with nothing are listed with zeros."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}: use 'month' or 'quarter'")
    _check_threshold(suppress_below)
    _range(date_from, date_to)
    measures = ("received", "opened", "closed")
    counts: dict[str, dict[str, int]] = {}
    for measure in measures:
        for month, n in _by_month(measure, date_from, date_to).items():
            if not n:
                continue
            label = month if period == "month" else _quarter_of(month)
            bucket = counts.setdefault(label, {})
            bucket[measure] = bucket.get(measure, 0) + n
    rows = _flow_rows(counts, period, date_from, date_to, measures)
    return _table([period], rows, count_received(date_from, date_to), (date_from, date_to),
                  suppress_below, measures=measures)


def backlog(as_of: date | None = None, suppress_below: int | None = None,
            where: Sequence[ColumnElement[bool]] = ()) -> StatsTable:
    """Complaints open at the end of `as_of` (default today, in the office's time zone) by age
    since received, in days: 0-30, 31-90, 91-180, 181-365, over-365.

    Open means received by then and not closed by then (the latest closure counts: a complaint
    reopened since is open until it is closed again); complaints closed without a closure time
    are never open. Filtered by category or component, it is counted from the rows."""
    if where:
        return raw_backlog(as_of, suppress_below, where)
    _check_threshold(suppress_below)
    current = today()
    as_of = as_of or current
    connection = _connection()

    def bucket(received: date) -> str:
        age = (as_of - received).days
        for name, days in AGE_BUCKETS:
            if days is not None and age <= days:
                return name
        return AGE_BUCKETS[-1][0]

    found = {name: 0 for name, _ in AGE_BUCKETS}
    # Received each day up to as_of (one day row each), less those closed without a time;
    # then less those closed by the end of as_of (`closed` holds each closure with the day
    # its complaint was received).
    daily = (select(StatsRollup.measure, StatsRollup.day, StatsRollup.n)
             .where(StatsRollup.measure.in_(("received", "closed_undated")),
                    StatsRollup.grain == "d", StatsRollup.day <= as_of))
    for measure, day, n in connection.execute(daily):
        received = day if isinstance(day, date) else date.fromisoformat(str(day))
        found[bucket(received)] += int(n) if measure == "received" else -int(n)
    closed_by = None if as_of >= current else as_of
    for received_text, _b, n in rollup.period_rows(connection, "closed", None, closed_by):
        received = date.fromisoformat(str(received_text))
        if received <= as_of:
            found[bucket(received)] -= int(n)
    rows = [{"age": name, "count": found[name]} for name, _ in AGE_BUCKETS]
    return _table(["age"], rows, sum(found.values()), (None, as_of), suppress_below,
                  notes=[f"Open complaints at the end of {as_of.isoformat()}, by days since "
                         "received."])


def _median_of(histogram: Mapping[int, int]) -> tuple[int, float | None]:
    n = sum(histogram.values())
    if not n:
        return 0, None
    wanted = [(n - 1) // 2, n // 2]  # 0-based positions of the middle value(s)
    values: list[int] = []
    seen = 0
    for days in sorted(histogram):
        count = histogram[days]
        while wanted and wanted[0] < seen + count:
            values.append(days)
            wanted.pop(0)
        seen += count
    return n, round(sum(values) / len(values), 2)


def _histogram(measure: str, date_from: date | None, date_to: date | None) -> dict[int, int]:
    found: dict[int, int] = {}
    for a, _b, n in rollup.period_rows(_connection(), measure, date_from, date_to):
        found[int(a)] = found.get(int(a), 0) + int(n)
    return found


def handling_times(date_from: date | None = None, date_to: date | None = None) -> dict[str, Any]:
    """Median days from received to first triage and from received to closure, for complaints
    received in the period (those not yet triaged or closed are left out of each median).
    Days are whole calendar days in the office's time zone (received on a Monday and closed on
    the Wednesday: 2 days).

    Returns `received`, `triaged`, `median_days_to_triage`, `closed`, `median_days_to_closure`
    (None when nothing was triaged or closed)."""
    _range(date_from, date_to)
    triaged, to_triage = _median_of(_histogram("triage_days", date_from, date_to))
    closed, to_closure = _median_of(_histogram("closure_days", date_from, date_to))
    return {
        "received": count_received(date_from, date_to),
        "triaged": triaged, "median_days_to_triage": to_triage,
        "closed": closed, "median_days_to_closure": to_closure,
    }


def referrals(date_from: date | None = None, date_to: date | None = None,
              suppress_below: int | None = None) -> StatsTable:
    """Referred vs retained, for complaints received in the period, from the audit trail.

    Rows (`outcome`), each a number of complaints:
    - `referred`: sent to the Inspector General or to a component at least once (a `transition`
      event to `referred_oig` or `referred_component`), or closed as `referred_to_oig`;
    - `referred_oig`: offered to the Inspector General at least once (including those OIG
      declined and sent back) or closed as `referred_to_oig`;
    - `referred_component`: sent to a component for fact-finding at least once;
    - `retained`: investigated by the office itself (a transition to `investigating`);
    - `neither`: not referred and not investigated (yet): still at intake, or closed there.
    Rows overlap (a complaint OIG declined and the office then investigated is both referred
    and retained); `referred`, `retained` and `neither` cover every complaint, `total` counts
    each once.
    """
    _check_threshold(suppress_below)
    _range(date_from, date_to)
    totals = dict.fromkeys(REFERRAL_OUTCOMES, 0)
    total = 0
    for flags, _b, n in rollup.period_rows(_connection(), "referral", date_from, date_to):
        oig, component, retained = (flag == "1" for flag in str(flags)[:3])
        count = int(n)
        total += count
        totals["referred"] += count if oig or component else 0
        totals["referred_oig"] += count if oig else 0
        totals["referred_component"] += count if component else 0
        totals["retained"] += count if retained else 0
        totals["neither"] += count if not (oig or component or retained) else 0
    rows = [{"outcome": name, "count": totals[name]} for name in REFERRAL_OUTCOMES]
    return _table(["outcome"], rows, total, (date_from, date_to), suppress_below,
                  notes=["Rows overlap: a complaint can be referred and later retained."])


# -- the standard report ---------------------------------------------------------------------------

def report(date_from: date | None = None, date_to: date | None = None,
           suppress_below: int | None = None) -> dict[str, StatsTable]:
    """Every table of the statistics page and of a full export, by title."""
    tables: dict[str, StatsTable] = {
        "Flow by month": flow(date_from, date_to, "month", suppress_below),
        "Flow by fiscal quarter": flow(date_from, date_to, "quarter", suppress_below),
    }
    titles = {
        "category": "By primary category", "any_category": "By any category",
        "component": "By component", "section": "By section", "status": "By status",
        "disposition": "By disposition", "priority": "By priority", "language": "By language",
        "channel": "By intake channel", "state": "By state",
    }
    for dimension, title in titles.items():
        tables[title] = aggregate([dimension], date_from, date_to, suppress_below)
    tables["Referred and retained"] = referrals(date_from, date_to, suppress_below)
    tables["Backlog by age"] = backlog(None, suppress_below)
    tables["Median handling times"] = handling_times_table(date_from, date_to, suppress_below)
    return tables
