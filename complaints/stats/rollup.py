"""The statistics rollup: exact counts of complaints per local day (and per local month), kept
by the write path in the same transaction as every change, so every statistic is read from a
few thousand rows instead of a scan of the complaints.

What a complaint adds (`contributions`), each key `(measure, grain, day, a, b)` counting 1, at
grain `d` (the office-local day) and again at grain `m` (the first day of that local month):

- `received` on its received day; `received:X` with `a` = its value of dimension X, and
  `received:X|Y` (every pair, in `ROLLUP_DIMENSIONS` order) with `a`, `b` = the two values.
  A complaint counts once per value of a multi-valued dimension (`any_category`,
  `component`), and under '' when it has none (or the value is missing).
- `opened` on its first-triage day; `closed` on its closure day with `a` = its received day.
- `triage_days`, `closure_days` on its received day with `a` = whole calendar days (office
  time zone) from receipt to first triage / to closure: the histograms the medians come from.
- `closed_undated` on its received day when it is closed without a closure time.
- `referral` on its received day with `a` = three flags (`1`/`0`): sent to the Inspector General
  (a transition to `referred_oig`, or closed as `referred_to_oig`), sent to a component, and
  investigated by the office (a transition to `investigating`).

Exact, never stale: intake works out a filing's keys before its transaction (`filing_rows`) and
writes them with its INSERTs (`write_rows`); every ORM flush that changes a complaint (moves,
reopenings, section and assignment changes, routing overrides, bulk actions) reads the
complaint's facts before and after the flush and applies the difference in the flush's
transaction; demo data counts each batch at once (`batch_rows`). The writes are upserts that add
to `n` (`INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n`), in one sorted order, so
concurrent writers neither lose increments nor deadlock.

`expected_sql` states the same definition in SQL over the rows; `check` compares it with the
stored rollup and `rebuild` replaces the rollup with it (`flask --app complaints check-stats`).
Anything that writes complaints another way (a manual UPDATE) must be followed by a rebuild.
"""

# SQL here is assembled from this module's own names and validated numbers, never from input.
# ruff: noqa: S608

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import chain, combinations, repeat
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import (
    Connection,
    String,
    and_,
    event,
    func,
    inspect,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from complaints import database
from complaints.models import AuditEvent, Complaint, ComplaintCategory, ComplaintComponent
from complaints.models.stats_rollup import StatsRollup

# Dimensions kept in the rollup, in the order pairs are named (`received:category|status`).
ROLLUP_DIMENSIONS: tuple[str, ...] = (
    "category", "any_category", "component", "section", "status", "disposition", "priority",
    "language", "channel", "state",
)
MULTI = frozenset({"any_category", "component"})
_SINGLE_COLUMNS = {"category": "primary_category", "section": "section", "status": "status",
                   "disposition": "disposition", "priority": "priority",
                   "language": "language", "channel": "channel", "state": "state"}
# Complaint columns whose change changes what a complaint contributes.
TRACKED = ("received_at", "first_triaged_at", "closed_at", *_SINGLE_COLUMNS.values())
REFERRAL_STATUSES = ("referred_oig", "referred_component", "investigating")
GRAINS = ("d", "m")

Key = tuple[str, str, date, str, str]


def measure_name(dimensions: Sequence[str]) -> str:
    """The rollup measure counting received complaints by these (0-2) dimensions, and the
    dimensions in the order of its `a` and `b` columns."""
    ordered = sorted(dimensions, key=ROLLUP_DIMENSIONS.index)
    return "received" + (":" + "|".join(ordered) if ordered else "")


def ordered(dimensions: Sequence[str]) -> list[str]:
    return sorted(dimensions, key=ROLLUP_DIMENSIONS.index)


def month_start(day: date) -> date:
    return day.replace(day=1)


def office_zone() -> ZoneInfo:
    return ZoneInfo((current_app.config.get("TIMEZONE") if has_app_context() else None)
                    or "UTC")


# -- what one complaint contributes ----------------------------------------------------------------

@dataclass(frozen=True)
class Facts:
    """What the rollup needs of one complaint (days are office-local)."""

    received: date
    values: Mapping[str, str | None]  # single-valued dimensions
    categories: tuple[str, ...]
    components: tuple[str, ...]
    status: str
    triaged: date | None
    closed: date | None
    referral: str  # three flags, see the module docstring


def _local(instant: datetime | None, zone: ZoneInfo) -> date | None:
    if instant is None:
        return None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(zone).date()


def contributions(facts: Facts) -> Counter[Key]:
    """Every rollup key this complaint counts under (see the module docstring)."""
    values: dict[str, list[str]] = {name: [facts.values.get(name) or ""]
                                    for name in _SINGLE_COLUMNS}
    values["any_category"] = list(facts.categories) or [""]
    values["component"] = list(facts.components) or [""]
    by_day: list[tuple[str, date, str, str]] = [("received", facts.received, "", "")]
    for name in ROLLUP_DIMENSIONS:
        by_day.extend((f"received:{name}", facts.received, v, "") for v in values[name])
    for first, second in combinations(ROLLUP_DIMENSIONS, 2):
        measure = f"received:{first}|{second}"
        by_day.extend((measure, facts.received, v, w)
                      for v in values[first] for w in values[second])
    if facts.triaged is not None:
        by_day.append(("opened", facts.triaged, "", ""))
        by_day.append(("triage_days", facts.received,
                       str((facts.triaged - facts.received).days), ""))
    if facts.closed is not None:
        by_day.append(("closed", facts.closed, facts.received.isoformat(), ""))
        by_day.append(("closure_days", facts.received,
                       str((facts.closed - facts.received).days), ""))
    elif facts.status == "closed":
        by_day.append(("closed_undated", facts.received, "", ""))
    by_day.append(("referral", facts.received, facts.referral, ""))
    counts: Counter[Key] = Counter()
    for measure, day, a, b in by_day:
        counts[(measure, "d", day, a, b)] += 1
        counts[(measure, "m", month_start(day), a, b)] += 1
    return counts


def batch_rows(many: Sequence[Facts]) -> Rows:
    """`rows_of` the sum of `contributions` over many complaints (demo data adds thousands at
    once), counted a column at a time: every day key of every complaint comes out of a `zip`
    of columns into one Counter (days as ISO text, whose hashes Python keeps), so the work per
    key runs in C; the month keys are then summed from the distinct day keys. A test holds it
    equal to the rows of the sum."""
    count = len(many)
    days = [facts.received.isoformat() for facts in many]
    single = {name: [facts.values.get(name) or "" for facts in many] for name in _SINGLE_COLUMNS}
    everyone = list(range(count))
    # Each dimension as parallel columns (complaint index, value): one row per value of a
    # multi-valued dimension ('' when it has none), one per complaint otherwise.
    rows_of_dimension: dict[str, tuple[list[int], list[str]]] = {
        name: (everyone, single[name]) for name in _SINGLE_COLUMNS}
    for name, attribute in (("any_category", "categories"), ("component", "components")):
        index: list[int] = []
        values: list[str] = []
        for i, facts in enumerate(many):
            held = getattr(facts, attribute) or ("",)
            index.extend(repeat(i, len(held)))
            values.extend(held)
        rows_of_dimension[name] = (index, values)

    def at(column: list[str], index: list[int]) -> list[str]:
        return column if index is everyone else [column[i] for i in index]

    def keys(measure: str, index: list[int], a: Iterable[str], b: Iterable[str]
             ) -> Iterable[tuple[str, str, str, str]]:
        return zip(repeat(measure), at(days, index), a, b)

    streams: list[Iterable[tuple[str, str, str, str]]] = [
        keys("received", everyone, repeat(""), repeat(""))]
    for name in ROLLUP_DIMENSIONS:
        index, values = rows_of_dimension[name]
        streams.append(keys(f"received:{name}", index, values, repeat("")))
    for first, second in combinations(ROLLUP_DIMENSIONS, 2):
        measure = f"received:{first}|{second}"
        if first in MULTI and second in MULTI:
            pairs = [(i, v, w) for i, facts in enumerate(many)
                     for v in (facts.categories or ("",)) for w in (facts.components or ("",))]
            streams.append(keys(measure, [p[0] for p in pairs], [p[1] for p in pairs],
                                [p[2] for p in pairs]))
        elif first in MULTI:
            index, values = rows_of_dimension[first]
            streams.append(keys(measure, index, values, at(single[second], index)))
        else:
            index, values = rows_of_dimension[second]
            streams.append(keys(measure, index, at(single[first], index), values))
    # Keyed by other days than the received one: a loop, a few keys per complaint.
    dated: list[tuple[str, str, str, str]] = []
    for facts, received in zip(many, days, strict=True):
        if facts.triaged is not None:
            dated.append(("opened", facts.triaged.isoformat(), "", ""))
            dated.append(("triage_days", received, str((facts.triaged - facts.received).days),
                          ""))
        if facts.closed is not None:
            dated.append(("closed", facts.closed.isoformat(), received, ""))
            dated.append(("closure_days", received, str((facts.closed - facts.received).days),
                          ""))
        elif facts.status == "closed":
            dated.append(("closed_undated", received, "", ""))
        dated.append(("referral", received, facts.referral, ""))
    streams.append(dated)
    by_day = Counter(chain.from_iterable(streams))
    by_month: Counter[tuple[str, str, str, str]] = Counter()
    for (measure, day, a, b), n in by_day.items():
        by_month[(measure, day[:8] + "01", a, b)] += n
    rows = [(measure, "d", day, a, b, n) for (measure, day, a, b), n in by_day.items()]
    rows += [(measure, "m", day, a, b, n) for (measure, day, a, b), n in by_month.items()]
    rows.sort()
    return rows


def referral_flags(oig: bool, component: bool, investigated: bool) -> str:
    return "".join("1" if flag else "0" for flag in (oig, component, investigated))


def filing_facts(row: Mapping[str, Any], categories: Iterable[str], components: Iterable[str],
                 zone: ZoneInfo | None = None) -> Facts:
    """The facts of a complaint being filed, from intake's row (nothing triaged or closed)."""
    zone = zone or office_zone()
    received = _local(row["received_at"], zone)
    assert received is not None  # noqa: S101 - a filing always has its time
    return Facts(
        received=received,
        values={name: row.get(column) for name, column in _SINGLE_COLUMNS.items()},
        categories=tuple(dict.fromkeys(categories)), components=tuple(dict.fromkeys(components)),
        status=row.get("status") or "received", triaged=None, closed=None,
        referral=referral_flags(row.get("disposition") == "referred_to_oig", False, False))


# -- writing ---------------------------------------------------------------------------------------

_TABLE = StatsRollup.__table__


# One statement per write, given plain values (no per-value processing by SQLAlchemy): a
# filing adds about 280 rows. PostgreSQL takes them as one JSON array of rows, in order (a
# quarter of the client's time that six typed arrays cost); SQLite as an executemany.
_UPSERT_SQL = {
    "postgresql": (
        "INSERT INTO stats_rollup AS r (measure, grain, day, a, b, n) "
        "SELECT x->>0, x->>1, CAST(x->>2 AS date), x->>3, x->>4, CAST(x->>5 AS integer) "
        "FROM json_array_elements(CAST(%s AS json)) WITH ORDINALITY AS t(x, i) ORDER BY i "
        "ON CONFLICT (measure, grain, day, a, b) DO UPDATE SET n = r.n + excluded.n"),
    "sqlite": (
        "INSERT INTO stats_rollup (measure, grain, day, a, b, n) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (measure, grain, day, a, b) DO UPDATE SET n = n + excluded.n"),
}


Rows = list[tuple[str, str, str, str, str, int]]


def rows_of(deltas: Mapping[Key, int]) -> Rows:
    """The deltas as the rows `write_rows` adds, in key order (concurrent writers take the
    rows' locks in one order, so they cannot deadlock). Dates as ISO text: what SQLAlchemy's
    Date type writes to SQLite, and what the JSON holds."""
    return [(measure, grain, day.isoformat(), a, b, n)
            for (measure, grain, day, a, b), n in sorted(deltas.items()) if n]


# Above this many rows, PostgreSQL gets them by COPY into a temporary table and adds them from
# there in one statement: parsing a JSON array costs the server several times more per row.
BULK_ROWS = 2000
_STAGING = "stats_rollup_incoming"
_STAGING_SQL = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGING} (i integer, measure varchar(48), "
    "grain varchar(1), day date, a varchar(40), b varchar(40), n integer) "
    "ON COMMIT DELETE ROWS")
_STAGING_COLUMNS = ("i", "measure", "grain", "day", "a", "b", "n")
_FROM_STAGING_SQL = (
    "INSERT INTO stats_rollup AS r (measure, grain, day, a, b, n) "
    f"SELECT measure, grain, day, a, b, n FROM {_STAGING} "  # noqa: S608 - a constant name
    "ORDER BY i "
    "ON CONFLICT (measure, grain, day, a, b) DO UPDATE SET n = r.n + excluded.n")


def write_rows(connection: Connection, rows: Rows) -> None:
    """Add rows made by `rows_of` to the rollup in the connection's transaction."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql(_UPSERT_SQL["sqlite"], rows)
    elif len(rows) < BULK_ROWS:
        connection.exec_driver_sql(_UPSERT_SQL["postgresql"], (json.dumps(rows),))
    else:
        _copy_rows(connection, rows)


def _copy_rows(connection: Connection, rows: Rows) -> None:
    """PostgreSQL, many rows (demo data, rebuilds): COPY into a temporary table emptied at
    commit, then one upsert from it in the rows' order (the order every writer locks rows
    in, as the JSON path keeps it)."""
    connection.exec_driver_sql(_STAGING_SQL)
    database.copy_rows(connection, _STAGING, _STAGING_COLUMNS,
                       ((position, *row) for position, row in enumerate(rows)))
    connection.exec_driver_sql(_FROM_STAGING_SQL)
    connection.exec_driver_sql(f"TRUNCATE {_STAGING}")  # a rebuild may add more in this one


def apply(connection: Connection, deltas: Mapping[Key, int]) -> None:
    """Add the deltas to the rollup in the connection's transaction."""
    write_rows(connection, rows_of(deltas))


def filing_rows(facts: Facts) -> Rows:
    """What a new complaint adds, worked out before the filing's transaction (intake writes
    it with `write_rows` inside it), so the time spent holding the database is short."""
    return rows_of(contributions(facts))


def read_facts(connection: Connection, ids: Sequence[int],
               zone: ZoneInfo | None = None) -> dict[int, Facts]:
    """The facts of these complaints as the connection's transaction sees them now."""
    if not ids:
        return {}
    zone = zone or office_zone()
    wanted = list(ids)
    columns = [Complaint.id, Complaint.received_at, Complaint.first_triaged_at,
               Complaint.closed_at, Complaint.status, Complaint.disposition,
               *(getattr(Complaint, c) for c in _SINGLE_COLUMNS.values() if c not in
                 ("status", "disposition"))]
    rows = connection.execute(select(*columns).where(Complaint.id.in_(wanted))).mappings().all()
    categories: dict[int, list[str]] = {}
    for ident, category in connection.execute(
            select(ComplaintCategory.complaint_id, ComplaintCategory.category)
            .where(ComplaintCategory.complaint_id.in_(wanted))):
        categories.setdefault(ident, []).append(category)
    components: dict[int, list[str]] = {}
    for ident, component in connection.execute(
            select(ComplaintComponent.complaint_id, ComplaintComponent.component)
            .where(ComplaintComponent.complaint_id.in_(wanted))):
        components.setdefault(ident, []).append(component)
    ever: dict[int | None, set[str | None]] = {}
    for moved, status in connection.execute(
            select(AuditEvent.complaint_id, AuditEvent.to_status).distinct()
            .where(AuditEvent.complaint_id.in_(wanted), AuditEvent.kind == "transition",
                   AuditEvent.to_status.in_(REFERRAL_STATUSES))):
        ever.setdefault(moved, set()).add(status)
    found: dict[int, Facts] = {}
    for row in rows:
        received = _local(row["received_at"], zone)
        if received is None:
            continue
        flags = ever.get(row["id"], set())
        found[row["id"]] = Facts(
            received=received,
            values={name: row[column] for name, column in _SINGLE_COLUMNS.items()},
            categories=tuple(categories.get(row["id"], ())),
            components=tuple(components.get(row["id"], ())),
            status=row["status"], triaged=_local(row["first_triaged_at"], zone),
            closed=_local(row["closed_at"], zone),
            referral=referral_flags(
                "referred_oig" in flags or row["disposition"] == "referred_to_oig",
                "referred_component" in flags, "investigating" in flags))
    return found


def difference(before: Mapping[int, Facts], after: Mapping[int, Facts]) -> Counter[Key]:
    deltas: Counter[Key] = Counter()
    for ident in set(before) | set(after):
        old, new = before.get(ident), after.get(ident)
        if old == new:
            continue
        if new is not None:
            deltas.update(contributions(new))
        if old is not None:
            deltas.subtract(contributions(old))
    return deltas


# -- keeping it exact through the ORM --------------------------------------------------------------

_BEFORE = "stats_rollup_before"


def _changed(obj: Complaint) -> bool:
    state: Any = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in TRACKED)


@event.listens_for(Session, "before_flush")
def _remember_before(session: Session, flush_context: Any, instances: Any) -> None:
    """Read, before the flush writes them, the facts of complaints it will change or delete."""
    session.info.pop(_BEFORE, None)
    ids = [obj.id for obj in session.dirty
           if isinstance(obj, Complaint) and obj.id is not None and _changed(obj)]
    ids += [obj.id for obj in session.deleted if isinstance(obj, Complaint) and obj.id]
    ids += [obj.complaint_id for obj in session.new
            if isinstance(obj, AuditEvent) and obj.kind == "transition" and obj.complaint_id]
    if ids:
        session.info[_BEFORE] = read_facts(session.connection(), sorted(set(ids)))


@event.listens_for(Session, "after_flush")
def _apply_difference(session: Session, flush_context: Any) -> None:
    """Apply the change in what those complaints (and complaints added through the ORM)
    contribute, in the flush's transaction."""
    before: dict[int, Facts] = session.info.pop(_BEFORE, {})
    added = [obj.id for obj in session.new if isinstance(obj, Complaint) and obj.id is not None]
    deleted = {obj.id for obj in session.deleted if isinstance(obj, Complaint)}
    ids = sorted((set(before) | set(added)) - deleted)
    if not before and not added:
        return
    connection = session.connection()
    apply(connection, difference(before, read_facts(connection, ids)))


# -- the same definition in SQL --------------------------------------------------------------------

FACTS_TABLE = "stats_rebuild_facts"
EXPECTED_TABLE = "stats_rebuild_expected"


def _offsets(zone: ZoneInfo, connection: Connection) -> list[tuple[datetime, int]]:
    """The zone's UTC offsets over every time the rows hold (and a margin around them)."""
    from complaints.stats.queries import _offset_changes

    low, high = connection.execute(text(
        "SELECT min(t), max(t) FROM (SELECT min(received_at) AS t FROM complaints UNION ALL "
        "SELECT max(received_at) FROM complaints UNION ALL SELECT max(first_triaged_at) "
        "FROM complaints UNION ALL SELECT max(closed_at) FROM complaints) bounds")).one()
    now = datetime.now(UTC)
    start = _parse(low) or now
    end = max(_parse(high) or now, now)
    return _offset_changes(zone, start - timedelta(days=2), end + timedelta(days=2))


def _parse(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _local_day_sql(column: str, zone: ZoneInfo, connection: Connection) -> str:
    """SQL for the office-local date of a UTC timestamp column (PostgreSQL: `AT TIME ZONE`;
    SQLite: the zone's offsets over the data's range, applied by a CASE)."""
    if connection.dialect.name == "postgresql":
        quoted = zone.key.replace("'", "''")
        return f"CAST(timezone('{quoted}', {column}) AS date)"
    changes = _offsets(zone, connection)
    if len(changes) == 1:
        return f"date({column}, '{changes[0][1]:+d} minutes')"
    branches = " ".join(
        f"WHEN {column} < '{at.strftime('%Y-%m-%d %H:%M:%S.%f')}' "
        f"THEN '{changes[i - 1][1]:+d} minutes'"
        for i, (at, _) in enumerate(changes) if i > 0)
    return f"date({column}, CASE {branches} ELSE '{changes[-1][1]:+d} minutes' END)"


def _days_between_sql(dialect: str, start: str, end: str) -> str:
    if dialect == "postgresql":
        return f"CAST(({end} - {start}) AS text)"
    return f"CAST(CAST(julianday({end}) - julianday({start}) AS INTEGER) AS TEXT)"


def _day_text_sql(dialect: str, column: str) -> str:
    return f"to_char({column}, 'YYYY-MM-DD')" if dialect == "postgresql" else column


def _month_start_sql(dialect: str, column: str) -> str:
    if dialect == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _build_expected(connection: Connection, zone: ZoneInfo, first_id: int | None = None,
                    last_id: int | None = None) -> None:
    """Fill a temporary table with the rollup the rows imply (all complaints, or those with
    ids in a range): the definition of `contributions`, in SQL."""
    dialect = connection.dialect.name
    for table in (FACTS_TABLE, EXPECTED_TABLE):
        connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
    day = _local_day_sql("c.received_at", zone, connection)
    triaged = _local_day_sql("c.first_triaged_at", zone, connection)
    closed = _local_day_sql("c.closed_at", zone, connection)
    where = []
    if first_id is not None:
        where.append(f"c.id >= {int(first_id)}")
    if last_id is not None:
        where.append(f"c.id <= {int(last_id)}")
    statuses = ", ".join(f"'{s}'" for s in REFERRAL_STATUSES)
    ever = ("SELECT complaint_id, "
            "max(CASE WHEN to_status = 'referred_oig' THEN 1 ELSE 0 END) AS oig, "
            "max(CASE WHEN to_status = 'referred_component' THEN 1 ELSE 0 END) AS comp, "
            "max(CASE WHEN to_status = 'investigating' THEN 1 ELSE 0 END) AS inv "
            f"FROM audit_events WHERE kind = 'transition' AND to_status IN ({statuses})"
            + (f" AND complaint_id >= {int(first_id)}" if first_id is not None else "")
            + (f" AND complaint_id <= {int(last_id)}" if last_id is not None else "")
            + " GROUP BY complaint_id")
    single = ", ".join(f"COALESCE(c.{column}, '') AS {name}"
                       for name, column in _SINGLE_COLUMNS.items())
    referral = ("CASE WHEN COALESCE(e.oig, 0) = 1 OR c.disposition = 'referred_to_oig' "
                "THEN '1' ELSE '0' END || CASE WHEN COALESCE(e.comp, 0) = 1 THEN '1' ELSE '0' "
                "END || CASE WHEN COALESCE(e.inv, 0) = 1 THEN '1' ELSE '0' END")
    temporary = "TEMPORARY TABLE" if dialect == "postgresql" else "TEMP TABLE"
    connection.execute(text(
        f"CREATE {temporary} {FACTS_TABLE} AS SELECT c.id AS id, {day} AS rday, "  # noqa: S608
        f"{triaged} AS tday, {closed} AS cday, c.status AS raw_status, {single}, "
        f"{referral} AS referral FROM complaints c LEFT JOIN ({ever}) e "
        f"ON e.complaint_id = c.id {'WHERE ' + ' AND '.join(where) if where else ''}"))
    connection.execute(text(
        f"CREATE {temporary} {EXPECTED_TABLE} (measure VARCHAR(48), grain VARCHAR(1), "
        "day DATE, a VARCHAR(40), b VARCHAR(40), n INTEGER)"))

    def source(names: Sequence[str]) -> tuple[str, dict[str, str]]:
        joins, expressions = "", {}
        for name in names:
            if name == "any_category":
                joins += (" LEFT JOIN complaint_categories cc ON cc.complaint_id = f.id")
                expressions[name] = "COALESCE(cc.category, '')"
            elif name == "component":
                joins += (" LEFT JOIN complaint_components cp ON cp.complaint_id = f.id")
                expressions[name] = "COALESCE(cp.component, '')"
            else:
                expressions[name] = f"f.{name}"
        return f"{FACTS_TABLE} f{joins}", expressions

    insert = f"INSERT INTO {EXPECTED_TABLE} (measure, grain, day, a, b, n) "
    statements = [insert + f"SELECT 'received', 'd', rday, '', '', count(*) FROM {FACTS_TABLE} "
                  "GROUP BY rday"]
    groups = [[name] for name in ROLLUP_DIMENSIONS] + [
        list(pair) for pair in combinations(ROLLUP_DIMENSIONS, 2)]
    for names in groups:
        tables, expressions = source(names)
        a = expressions[names[0]]
        b = expressions[names[1]] if len(names) == 2 else "''"
        statements.append(
            insert + f"SELECT '{measure_name(names)}', 'd', f.rday, {a}, {b}, count(*) "
            f"FROM {tables} GROUP BY f.rday, {a}{', ' + b if len(names) == 2 else ''}")
    statements += [
        insert + f"SELECT 'opened', 'd', tday, '', '', count(*) FROM {FACTS_TABLE} "
        "WHERE tday IS NOT NULL GROUP BY tday",
        insert + f"SELECT 'closed', 'd', cday, {_day_text_sql(dialect, 'rday')}, '', count(*) "
        f"FROM {FACTS_TABLE} WHERE cday IS NOT NULL GROUP BY cday, rday",
        insert + f"SELECT 'triage_days', 'd', rday, {_days_between_sql(dialect, 'rday', 'tday')}"
        f", '', count(*) FROM {FACTS_TABLE} WHERE tday IS NOT NULL "
        f"GROUP BY rday, {_days_between_sql(dialect, 'rday', 'tday')}",
        insert + f"SELECT 'closure_days', 'd', rday, "
        f"{_days_between_sql(dialect, 'rday', 'cday')}, '', count(*) FROM {FACTS_TABLE} "
        f"WHERE cday IS NOT NULL GROUP BY rday, {_days_between_sql(dialect, 'rday', 'cday')}",
        insert + f"SELECT 'closed_undated', 'd', rday, '', '', count(*) FROM {FACTS_TABLE} "
        "WHERE cday IS NULL AND raw_status = 'closed' GROUP BY rday",
        insert + f"SELECT 'referral', 'd', rday, referral, '', count(*) FROM {FACTS_TABLE} "
        "GROUP BY rday, referral",
        insert + f"SELECT measure, 'm', {_month_start_sql(dialect, 'day')}, a, b, sum(n) "
        f"FROM {EXPECTED_TABLE} WHERE grain = 'd' "
        f"GROUP BY measure, {_month_start_sql(dialect, 'day')}, a, b",
    ]
    for statement in statements:
        connection.execute(text(statement))


def _drop_work_tables(connection: Connection) -> None:
    for table in (FACTS_TABLE, EXPECTED_TABLE):
        connection.execute(text(f"DROP TABLE IF EXISTS {table}"))


@dataclass(frozen=True)
class Difference:
    measure: str
    grain: str
    day: str
    a: str
    b: str
    stored: int
    expected: int

    def describe(self) -> str:
        values = ", ".join(v for v in (self.a, self.b) if v)
        where = f" [{values}]" if values else ""
        return (f"{self.measure} {'day' if self.grain == 'd' else 'month'} {self.day}{where}: "
                f"rollup {self.stored}, rows {self.expected}")


def check(connection: Connection, zone: ZoneInfo | None = None,
          limit: int | None = None) -> tuple[int, list[Difference]]:
    """Compare the stored rollup with the one the rows imply: (number of differences, the
    first `limit` of them)."""
    zone = zone or office_zone()
    _build_expected(connection, zone)
    try:
        compared = (
            "SELECT measure, grain, day, a, b, sum(stored) AS stored, sum(expected) AS expected "
            f"FROM (SELECT measure, grain, day, a, b, n AS stored, 0 AS expected FROM "
            f"stats_rollup UNION ALL SELECT measure, grain, day, a, b, 0, n FROM "
            f"{EXPECTED_TABLE}) both_sides GROUP BY measure, grain, day, a, b "
            "HAVING sum(stored) <> sum(expected)")
        count = int(connection.execute(text(
            f"SELECT count(*) FROM ({compared}) differences")).scalar_one())  # noqa: S608
        shown = compared + " ORDER BY measure, grain, day, a, b"
        if limit is not None:
            shown += f" LIMIT {int(limit)}"
        found = [Difference(r[0], r[1], str(r[2]), r[3], r[4], int(r[5]), int(r[6]))
                 for r in connection.execute(text(shown))]
    finally:
        _drop_work_tables(connection)
    return count, found


def rebuild(connection: Connection, zone: ZoneInfo | None = None) -> int:
    """Replace the rollup with the one the rows imply (in the caller's transaction); return
    the number of rollup rows."""
    zone = zone or office_zone()
    _build_expected(connection, zone)
    try:
        connection.execute(_TABLE.delete())
        connection.execute(text(
            "INSERT INTO stats_rollup (measure, grain, day, a, b, n) "  # noqa: S608
            f"SELECT measure, grain, day, a, b, n FROM {EXPECTED_TABLE}"))
        return int(connection.execute(text("SELECT count(*) FROM stats_rollup")).scalar_one())
    finally:
        _drop_work_tables(connection)


def period_rows(connection: Connection, measure: str, date_from: date | None,
                date_to: date | None, *, by_month: bool = False, by_values: bool = True,
                where: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """`(month?, a, b, n)` sums of a measure over the local days [date_from, date_to] (None:
    open-ended): whole months from grain `m`, the days before and after them from grain `d`.
    Without `by_values`, a and b are summed over too (returned as '')."""
    table = StatsRollup
    arms = []
    for grain, low, high in spans(date_from, date_to):
        conditions = [table.measure == measure, table.grain == grain, *where]
        if low is not None:
            conditions.append(table.day >= low)
        if high is not None:
            conditions.append(table.day <= high)
        arms.append(select(table.day, table.a, table.b, table.n).where(and_(*conditions)))
    # One statement: each arm reads a range of the primary key; the database sums them.
    found = (arms[0] if len(arms) == 1 else union_all(*arms)).subquery()
    month: Any = (func.to_char(found.c.day, "YYYY-MM", type_=String)
                  if connection.dialect.name == "postgresql"
                  else func.substr(found.c.day, 1, 7, type_=String))
    values: list[Any] = [found.c.a, found.c.b] if by_values else []
    columns = ([month.label("month")] if by_month else []) + (
        values or [literal("", String).label("a"), literal("", String).label("b")])
    statement = (select(*columns, func.sum(found.c.n))
                 .group_by(*([month] if by_month else []), *values))
    return [(*key, int(n or 0)) for *key, n in connection.execute(statement)]


def spans(date_from: date | None, date_to: date | None
          ) -> list[tuple[str, date | None, date | None]]:
    """The rollup reads covering local days [date_from, date_to]: `(grain, first, last)` with
    the whole months at grain `m` and the days around them at grain `d`."""
    first_full = (None if date_from is None else
                  date_from if date_from.day == 1 else _next_month(date_from))
    last_full = (None if date_to is None else
                 date_to if (date_to + timedelta(days=1)).day == 1
                 else month_start(date_to) - timedelta(days=1))
    if first_full is not None and last_full is not None and first_full > last_full:
        return [("d", date_from, date_to)]
    found: list[tuple[str, date | None, date | None]] = [
        ("m", first_full, month_start(last_full) if last_full is not None else None)]
    if date_from is not None and first_full is not None and date_from < first_full:
        found.append(("d", date_from, first_full - timedelta(days=1)))
    if date_to is not None and last_full is not None and date_to > last_full:
        found.append(("d", last_full + timedelta(days=1), date_to))
    return found


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
