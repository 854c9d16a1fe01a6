"""The triage queue: filters, the person's scope, ordering and keyset pagination, result counts,
and the next complaint in a view, shared by the dashboard and the staff API. Written for a
million complaints: open complaints are read from partial indexes in attention order, every
filter is an indexed column or an indexed lookup table, pages are found by key (a row-value
comparison the databases use as an index bound), never by OFFSET, and counts stop at a cap."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, false, func, literal_column, select, true, tuple_

from complaints.domain.taxonomy import (
    CATEGORY_CODES,
    CHANNEL_CODES,
    COMPONENT_CODES,
    PRIORITY_CODES,
    PRIORITY_RANK,
    SECTION_CODES,
    STATUS_CODES,
)
from complaints.extensions import db
from complaints.i18n import LOCALE_CODES
from complaints.models import Complaint, ComplaintCategory, ComplaintComponent, StaffUser
from complaints.services import access

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
ORDERS = ("attention", "newest", "relevance")
OPEN_STATUSES = tuple(s for s in STATUS_CODES if s != "closed")
COUNT_CAP = 10_000
# A narrative search, a category or a component is counted to a lower cap: every hit costs a
# look-up of its own (its search document, its categories); best-match order ranks only
# searches whose hits are all counted.
SEARCH_COUNT_CAP = 1_000
# Said exactly as the partial indexes' predicate (a literal, so both databases can use them).
OPEN = Complaint.status != literal_column("'closed'")


@dataclass(frozen=True)
class QueueFilters:
    """Everything a queue view can be narrowed by; round-trips through a URL's query string."""

    status: str = ""  # a status code, "open" (default: everything not closed) or "all"
    section: str = ""
    category: str = ""
    component: str = ""
    priority: str = ""
    language: str = ""
    channel: str = ""
    restricted: str = ""  # "yes" / "no"
    duplicate: str = ""  # "yes"
    detained: str = ""  # "yes"
    replied: str = ""  # "yes": the filer answered and nobody has dealt with it yet
    overdue: str = ""  # "yes": a request for information unanswered past the set time
    assigned: str = ""  # "me" / "none"
    received_from: str = ""  # YYYY-MM-DD
    received_to: str = ""
    q: str = ""
    order: str = "attention"  # "relevance" applies when q has something to search

    @classmethod
    def from_args(cls, args: Any) -> QueueFilters:
        """Read filters from request arguments, dropping values that are not valid."""
        allowed: dict[str, tuple[str, ...]] = {
            "status": ("open", "all", *STATUS_CODES), "section": SECTION_CODES,
            "category": CATEGORY_CODES, "component": COMPONENT_CODES,
            "priority": PRIORITY_CODES, "language": LOCALE_CODES, "channel": CHANNEL_CODES,
            "restricted": ("yes", "no"), "duplicate": ("yes",), "detained": ("yes",),
            "replied": ("yes",), "overdue": ("yes",),
            "assigned": ("me", "none"), "order": ORDERS,
        }
        values: dict[str, str] = {}
        for f in fields(cls):
            raw = args.get(f.name, "")
            value = raw.strip()[:200] if isinstance(raw, str) else ""
            if f.name in allowed and value not in allowed[f.name]:
                continue
            if f.name in ("received_from", "received_to") and _parse_date(value) is None:
                continue
            values[f.name] = value.replace("\x00", "")
        return cls(**values)

    def as_args(self, **changes: str) -> dict[str, str]:
        """The non-default filters as URL arguments (with some changed)."""
        current = replace(self, **changes)
        defaults = QueueFilters()
        return {f.name: getattr(current, f.name) for f in fields(current)
                if getattr(current, f.name) != getattr(defaults, f.name)}


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def scope(user: StaffUser) -> Any:
    """The complaints this person's role lets them see in a queue."""
    if not access.works_cases(user):
        return False
    if user.role == "investigator":
        return Complaint.section == user.section
    return True


def filtered(user: StaffUser, filters: QueueFilters, *, walk: bool | None = None,
             search: bool = True) -> Select[Any]:
    """select(Complaint) narrowed to the person's scope and the filters. `walk` is handed to
    the narrative search (None: chosen from how common the words are); `search=False` leaves
    the narrative search itself to the caller."""
    statement = select(Complaint).where(scope(user))
    if filters.status == "open" or not filters.status:
        statement = statement.where(OPEN)
    elif filters.status != "all":
        statement = statement.where(Complaint.status == filters.status)
    for name in ("section", "language", "channel"):
        value = getattr(filters, name)
        if value:
            statement = statement.where(getattr(Complaint, name) == value)
    if filters.priority:  # the rank leads the attention indexes: a range of them
        statement = statement.where(Complaint.priority_rank == PRIORITY_RANK[filters.priority])
    # A lookup per complaint by its key (a scalar subquery: neither database turns it into a
    # join that would first gather every complaint of the category), so a page or a capped
    # count stops as soon as it has its rows.
    if filters.category:
        statement = statement.where(select(literal_column("1")).where(
            ComplaintCategory.complaint_id == Complaint.id,
            ComplaintCategory.category == filters.category).limit(1).scalar_subquery()
            .is_not(None))
    if filters.component:
        statement = statement.where(select(literal_column("1")).where(
            ComplaintComponent.complaint_id == Complaint.id,
            ComplaintComponent.component == filters.component).limit(1).scalar_subquery()
            .is_not(None))
    # "= true" rather than "IS true": an equality is what a B-tree index can serve.
    if filters.restricted:
        statement = statement.where(
            Complaint.restricted == (true() if filters.restricted == "yes" else false()))
    if filters.duplicate:
        statement = statement.where(Complaint.possible_duplicate == true())
    if filters.detained:
        statement = statement.where(Complaint.currently_detained == true())
    if filters.replied or filters.overdue:
        from complaints.services import correspondence

        if filters.replied:
            statement = statement.where(correspondence.replied_condition())
        if filters.overdue:
            statement = statement.where(correspondence.overdue_condition())
    if filters.assigned == "me":
        statement = statement.where(Complaint.assignee_id == user.id)
    elif filters.assigned == "none":
        statement = statement.where(Complaint.assignee_id.is_(None))
    start, end = _parse_date(filters.received_from), _parse_date(filters.received_to)
    if start:
        statement = statement.where(Complaint.received_at >= _day_start(start))
    if end and end < date.max:  # the last day there is has no day after it
        statement = statement.where(Complaint.received_at < _day_start(end + timedelta(days=1)))
    if (filters.q or filters.category or filters.component) and not user.restricted_access:
        # Filtering by content must not reveal what restricted complaints contain.
        statement = statement.where(Complaint.restricted == false())
    if filters.q and search:
        from complaints.services.search import matching

        condition = matching(filters.q, walk=walk, open_only=filters.status in ("", "open"))
        if condition is not None:
            statement = statement.where(condition)
    return statement


def effective_order(filters: QueueFilters, ranked: bool = True) -> str:
    """The order a view is shown in: relevance only when there is something to search and
    `ranked` (its hits were all counted); newest first for a search with too many hits."""
    if filters.order == "relevance":
        from complaints.services.search import search_terms

        if not search_terms(filters.q):
            return "attention"
        return "relevance" if ranked else "newest"
    return filters.order


def _key_columns(order: str, score: Any = None) -> list[Any]:
    if order == "relevance":
        return [score, Complaint.received_at, Complaint.id]
    if order == "newest":
        return [Complaint.received_at, Complaint.id]
    return [Complaint.priority_rank, Complaint.received_at, Complaint.id]


def _order_columns(order: str, score: Any = None) -> list[Any]:
    columns = _key_columns(order, score)
    return columns if order == "attention" else [c.desc() for c in columns]


def _encode(key: list[Any]) -> str:
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_for(complaint: Complaint, order: str, score: int | None = None) -> str:
    key: list[Any] = [complaint.received_at.isoformat(), complaint.id]
    if order == "attention":
        key.insert(0, complaint.priority_rank)
    elif order == "relevance":
        key.insert(0, int(score or 0))
    return _encode(key)


def _int64(value: Any) -> int:
    """An integer a database column can be compared with (ValueError otherwise)."""
    number = int(value)
    if not -(2**63) <= number < 2**63:
        raise ValueError("out of range")
    return number


def _after(cursor: str, order: str, score: Any = None) -> Any:
    """The keyset condition for rows after the cursor; None if the cursor is not ours. A
    row-value comparison, which both databases use as a bound on the order's index."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
        if not isinstance(key, list) or len(key) != (2 if order == "newest" else 3):
            return None
        received = datetime.fromisoformat(key[-2])
        if received.tzinfo is None:  # ours are UTC; a naive one cannot be compared
            return None
        received = received.astimezone(UTC)
        ident = _int64(key[-1])
        values: list[Any] = [received, ident]
        if order != "newest":
            values.insert(0, _int64(key[0]))
        columns = tuple_(*_key_columns(order, score if score is not None else Complaint.id))
        return columns > tuple_(*values) if order == "attention" else columns < tuple_(*values)
    except (ValueError, TypeError, IndexError, KeyError, OverflowError, RecursionError):
        return None


def is_valid_cursor(cursor: str, order: str) -> bool:
    """Whether a cursor is one of ours for this order (page() ignores any other)."""
    return _after(cursor, order) is not None


@dataclass
class Page:
    items: list[Complaint] = field(default_factory=list)
    next_cursor: str | None = None
    order: str = "attention"


def _score(filters: QueueFilters, order: str) -> Any:
    if order != "relevance":
        return None
    from complaints.services.search import relevance

    return relevance(filters.q)


def page(user: StaffUser, filters: QueueFilters, after: str = "",
         limit: int = PAGE_SIZE, ranked: bool = True) -> Page:
    """One page of the queue, and the cursor of the next page if there is one. `ranked`: see
    effective_order() (the caller knows whether the search's hits were all counted)."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    order = effective_order(filters, ranked)
    score = _score(filters, order)
    # Relevance scores every hit anyway: the search is then best served hits first.
    statement = filtered(user, filters, walk=False if score is not None else None)
    if score is not None:
        statement = statement.add_columns(score)
    if after:
        condition = _after(after, order, score)
        if condition is not None:
            statement = statement.where(condition)
    statement = statement.order_by(*_order_columns(order, score)).limit(limit + 1)
    rows = list(db.session.execute(statement))
    result = Page(items=[row[0] for row in rows[:limit]], order=order)
    if len(rows) > limit:
        last = rows[limit - 1]
        result.next_cursor = _cursor_for(last[0], order, last[1] if score is not None else None)
    return result


@dataclass(frozen=True)
class Count:
    """How many complaints a view holds, exactly up to COUNT_CAP."""

    value: int
    capped: bool


def _lookup_hits(filters: QueueFilters) -> Select[Any]:
    """Complaints of the filtered category (or component), newest first, as column `id`: a
    count walks these and checks each against the other filters, so a rare category costs
    its own rows, not every open complaint."""
    if filters.category:
        key = ComplaintCategory.complaint_id
        wanted = ComplaintCategory.category == filters.category
    else:
        key = ComplaintComponent.complaint_id
        wanted = ComplaintComponent.component == filters.component
    return select(key.label("id")).where(wanted).order_by(key.desc())


def count_cap(filters: QueueFilters) -> int:
    from complaints.services.search import search_terms

    looked_up = filters.category or filters.component or search_terms(filters.q)
    return SEARCH_COUNT_CAP if looked_up else COUNT_CAP


def count(user: StaffUser, filters: QueueFilters, cap: int | None = None) -> Count:
    """The number of complaints a view holds, counting no further than `cap` (COUNT_CAP, or
    SEARCH_COUNT_CAP for a search), so the cost stays flat however many complaints there
    are."""
    cap = count_cap(filters) if cap is None else cap
    from complaints.services.search import substring_condition, word_hits

    hits = word_hits(filters.q, open_only=filters.status in ("", "open"))
    if hits is None and (filters.category or filters.component):
        hits = _lookup_hits(filters)
    if hits is None:
        ids = filtered(user, filters, walk=False).with_only_columns(Complaint.id)
    else:
        # Driven by the word index (or the category's rows): each hit is checked against the
        # other filters by its key, one at a time (a scalar subquery, which neither database
        # turns into a join that would first gather every open complaint), until the cap.
        found = hits.subquery("hits")
        probe: Select[Any] = filtered(user, filters, search=False).with_only_columns(
            literal_column("1")).where(Complaint.id == found.c.id).limit(1)
        extra = substring_condition(filters.q)
        if extra is not None:
            probe = probe.where(extra)
        ids = select(found.c.id).where(probe.scalar_subquery().is_not(None))
    value = int(db.session.scalar(select(func.count()).select_from(
        ids.limit(cap + 1).subquery())) or 0)
    return Count(min(value, cap), value > cap)


def next_in_view(user: StaffUser, filters: QueueFilters, complaint: Complaint
                 ) -> Complaint | None:
    """The complaint after this one in the view's order (this one need not match any more)."""
    ranked = filters.order != "relevance" or not count(user, filters).capped
    order = effective_order(filters, ranked)
    score_value = None
    if order == "relevance":
        score = _score(filters, order)
        score_value = db.session.scalar(select(score).where(Complaint.id == complaint.id))
    cursor = _cursor_for(complaint, order, score_value)
    following = page(user, filters, after=cursor, limit=1, ranked=ranked).items
    return following[0] if following else None
