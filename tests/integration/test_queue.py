"""The triage queue: what needs attention first in the person's scope, result counts and standing
views, every filter, shareable filter URLs, keyset pagination that walks every complaint once,
restricted complaints without their details, and no 500 for any query string."""

from __future__ import annotations

import base64
import functools
import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, update

from complaints.extensions import db
from complaints.models import Complaint, StaffUser
from complaints.services import queue as queue_service
from complaints.services.queue import QueueFilters

NOW = datetime.now(UTC).replace(microsecond=0)



# -- helpers ---------------------------------------------------------------------------------


def set_columns(app: Any, receipt: str, **values: Any) -> None:
    with app.app_context():
        db.session.execute(update(Complaint).where(Complaint.receipt == receipt).values(**values))
        db.session.commit()


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def listed(response: Any) -> list[str]:
    """The receipts in the queue table, in order."""
    assert response.status_code == 200, response.status_code
    return re.findall(r'<th scope="row" class="queue-table__receipt"><a id="rl-[^"]+" '
                      r'href="/staff/complaints/(CR-[0-9A-Z-]+)[?"]',
                      response.get_data(as_text=True))


def row_of(response: Any, receipt: str) -> str:
    rows = re.findall(r"<tr class=\"priority-[a-z]+\"[^>]*>(.*?)</tr>",
                      response.get_data(as_text=True), re.S)
    (row,) = [r for r in rows if receipt in r]
    return html.unescape(row)


@dataclass
class Data:
    """Named complaints in a known arrangement (see the `data` fixture)."""

    receipts: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.receipts[name]

    def names(self, receipts: list[str]) -> list[str]:
        by_receipt = {r: n for n, r in self.receipts.items()}
        return [by_receipt.get(r, r) for r in receipts]


@pytest.fixture
def data(app, file_via_api, make_staff) -> Data:
    """Open complaints of every priority in several sections, plus one closed."""

    def file(name: str, age_days: float, **changes: Any) -> tuple[str, str]:
        receipt = file_via_api(**changes)["receipt"]
        set_columns(app, receipt, received_at=days_ago(age_days))
        return name, receipt

    receipts = dict([
        # normal, IMM; secondary category language_access; filed through the API
        file("normal_old", 40, narrative="No drinking water in unit B for four days."),
        file("normal_new", 2, primary_category="profiling", categories=[],
             components=["CBP"], language="es",
             narrative="El oficial me detuvo por mi acento en la frontera."),
        file("high_detained", 20, currently_detained=True, components=["CONTRACTOR"],
             narrative="My brother is held without his heart medication."),
        file("high_force", 5, primary_category="use_of_force", categories=[],
             narrative="An officer pushed me to the ground during the check."),
        file("urgent_old", 30, at_risk_now=True, email="same@example.org",
             narrative="Someone in my cell is very sick and nobody comes."),
        file("urgent_new", 1, at_risk_now=True, email="same@example.org",
             narrative="It is still happening, a second report about the cell."),
        file("restricted", 10, primary_category="sexual_abuse", categories=[],
             components=["ICE"], narrative="A guard assaulted me in the laundry room."),
        file("closed", 50, narrative="This one was closed long ago about the showers."),
    ])
    set_columns(app, receipts["closed"], status="closed", disposition="withdrawn")
    set_columns(app, receipts["normal_new"], channel="mail")
    return Data(receipts)


ATTENTION = ["urgent_old", "urgent_new", "high_detained", "restricted", "high_force",
             "normal_old", "normal_new"]


# -- the default view ------------------------------------------------------------------------


def test_the_queue_opens_on_open_complaints_urgent_first_then_high_oldest_first(
        app, data, staff_client) -> None:
    client, _ = staff_client("supervisor", restricted=True)
    assert data.names(listed(client.get("/staff/"))) == ATTENTION
    assert data.names(listed(client.get("/staff/?order=newest"))) == [
        "urgent_new", "normal_new", "high_force", "restricted", "high_detained",
        "urgent_old", "normal_old"]


def test_investigators_see_only_their_own_section(app, data, staff_client) -> None:
    client, member = staff_client("investigator", section="IMM")
    assert data.names(listed(client.get("/staff/"))) == [
        "urgent_old", "urgent_new", "high_detained", "normal_old"]
    assert listed(client.get("/staff/?section=CMP")) == [], "a filter never widens the scope"
    with app.app_context():
        user = db.session.get(StaffUser, member.id)
        assert queue_service.count(user, QueueFilters(status="all")).value == 5


def test_the_result_count_and_the_standing_views(app, data, staff_client, monkeypatch) -> None:
    client, member = staff_client("intake", restricted=True)
    set_columns(app, data["high_force"], assignee_id=member.id)
    page = html.unescape(client.get("/staff/").get_data(as_text=True))
    assert re.search(r'data-testid="result-count"[^>]*>7 complaints</h2>', page)
    views = dict(re.findall(r'class="queue-views__link" href="[^"]*"[^>]*>([^<]+?) '
                            r'<span class="queue-views__count">([^<]+)</span>', page))
    assert views == {"Mine": "1", "Unassigned": "6", "All open": "7"}
    assert re.search(r'href="/staff/"[^>]*aria-current="page">All open', page)
    page = client.get("/staff/?section=CMP").get_data(as_text=True)
    assert re.search(r'data-testid="result-count"[^>]*>2 complaints</h2>', page)
    monkeypatch.setattr(queue_service, "COUNT_CAP", 3)
    page = client.get("/staff/").get_data(as_text=True)
    assert re.search(r'data-testid="result-count"[^>]*>3\+ complaints</h2>', page)
    with app.app_context():
        user = db.session.get(StaffUser, member.id)
        assert queue_service.count(user, QueueFilters(), cap=3) == queue_service.Count(3, True)
        assert queue_service.count(user, QueueFilters(), cap=7) == queue_service.Count(7, False)


def test_an_investigator_sees_unassigned_in_their_section(data, staff_client) -> None:
    client, _ = staff_client("investigator", section="IMM")
    page = client.get("/staff/").get_data(as_text=True)
    link = re.search(r'<a class="queue-views__link" href="([^"]+)"[^>]*>Unassigned in IMM ',
                     page)
    assert link is not None
    assert data.names(listed(client.get(html.unescape(link.group(1))))) == [
        "urgent_old", "urgent_new", "high_detained", "normal_old"]


# -- every filter ----------------------------------------------------------------------------

FILTERS = [
    ("status=closed", ["closed"]),
    ("status=all", ["urgent_old", "urgent_new", "high_detained", "restricted", "high_force",
                    "closed", "normal_old", "normal_new"]),
    ("status=received&section=CMP", ["restricted", "high_force"]),
    ("section=ADG", ["normal_new"]),
    ("category=language_access", ["urgent_old", "urgent_new", "high_detained", "normal_old"]),
    ("category=use_of_force", ["high_force"]),
    ("category=sexual_abuse", ["restricted"]),
    ("component=CONTRACTOR", ["high_detained"]),
    ("component=CBP", ["normal_new"]),
    ("priority=urgent", ["urgent_old", "urgent_new"]),
    ("priority=high", ["high_detained", "restricted", "high_force"]),
    ("priority=normal", ["normal_old", "normal_new"]),
    ("language=es", ["normal_new"]),
    ("channel=mail", ["normal_new"]),
    ("channel=api", ["urgent_old", "urgent_new", "high_detained", "restricted", "high_force",
                     "normal_old"]),
    ("restricted=yes", ["restricted"]),
    ("restricted=no", ["urgent_old", "urgent_new", "high_detained", "high_force", "normal_old",
                       "normal_new"]),
    ("duplicate=yes", ["urgent_new"]),
    ("detained=yes", ["high_detained"]),
    ("received_from={d7}", ["urgent_new", "high_force", "normal_new"]),
    ("received_to={d7}", ["urgent_old", "high_detained", "restricted", "normal_old"]),
    ("received_from={d25}&received_to={d7}", ["high_detained", "restricted"]),
    ("q=medication", ["high_detained"]),
    ("q=frontera&language=es", ["normal_new"]),
    ("priority=urgent&order=newest", ["urgent_new", "urgent_old"]),
]


def test_each_filter_narrows_the_queue(data, staff_client) -> None:
    client, _ = staff_client("supervisor", restricted=True)
    wrong = []
    for query, expected in FILTERS:
        query = query.format(d7=days_ago(7).date().isoformat(),
                             d25=days_ago(25).date().isoformat())
        got = data.names(listed(client.get(f"/staff/?{query}")))
        if got != expected:
            wrong.append(f"{query}: {got} != {expected}")
    assert not wrong, "\n".join(wrong)


def test_assigned_to_me_and_to_nobody(app, data, staff_client) -> None:
    client, member = staff_client("intake")
    set_columns(app, data["high_force"], assignee_id=member.id)
    set_columns(app, data["normal_old"], assignee_id=member.id)
    assert data.names(listed(client.get("/staff/?assigned=me"))) == ["high_force",
                                                                      "normal_old"]
    nobody = data.names(listed(client.get("/staff/?assigned=none")))
    assert "high_force" not in nobody
    assert "normal_old" not in nobody
    assert len(nobody) == 5
    other, _ = staff_client("supervisor")
    assert listed(other.get("/staff/?assigned=me")) == []


def test_filters_round_trip_through_the_url(data, staff_client) -> None:
    client, _ = staff_client("intake")
    query = {"status": "all", "section": "IMM", "category": "language_access",
             "component": "ICE", "priority": "urgent", "language": "en", "channel": "api",
             "restricted": "no", "duplicate": "yes", "detained": "", "assigned": "none",
             "received_from": days_ago(3).date().isoformat(),
             "received_to": NOW.date().isoformat(), "q": "second report", "order": "newest"}
    query = {k: v for k, v in query.items() if v}
    response = client.get("/staff/", query_string=query)
    assert data.names(listed(response)) == ["urgent_new"]
    page = response.get_data(as_text=True)
    for name, value in query.items():
        if name in ("q", "received_from", "received_to"):
            assert f'name="{name}" type="{"search" if name == "q" else "date"}" ' \
                   f'value="{value}"' in page, name
        else:
            assert re.search(rf'id="f-{name}" name="{name}">.*?<option value="{value}" selected>',
                             page, re.S), name
    # Each active filter is a chip whose link removes that filter and keeps every other.
    chips = [html.unescape(h) for h in re.findall(r'<a class="queue-chip" href="([^"]+)"', page)]
    assert len(chips) == len(query) - 1  # the order is not a filter
    for link in chips:
        args = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
        (removed,) = set(query) - set(args)
        assert args == {k: v for k, v in query.items() if k != removed}
    assert QueueFilters.from_args(query).as_args() == query


# -- keyset pagination ------------------------------------------------------------------------


@pytest.fixture
def many(app, file_via_api) -> list[str]:
    """Fifteen open complaints with repeated priorities and received times (ties broken by id)."""
    receipts = []
    for n in range(15):
        changes: dict[str, Any] = {"narrative": f"Complaint number {n} about the water supply."}
        if n % 5 == 0:
            changes["at_risk_now"] = True
        elif n % 3 == 0:
            changes["currently_detained"] = True
        receipt = file_via_api(**changes)["receipt"]
        set_columns(app, receipt, received_at=days_ago(n % 4))  # four distinct times
        receipts.append(receipt)
    return receipts


def _walk(app: Any, user_id: int, filters: QueueFilters, limit: int) -> list[list[int]]:
    pages = []
    with app.app_context():
        user = db.session.get(StaffUser, user_id)
        after = ""
        while True:
            result = queue_service.page(user, filters, after=after, limit=limit)
            pages.append([c.id for c in result.items])
            if result.next_cursor is None:
                return pages
            assert len(pages) < 50
            after = result.next_cursor


@pytest.mark.parametrize("order", ["attention", "newest"])
def test_keyset_pagination_walks_every_complaint_exactly_once(app, many, make_staff,
                                                              order) -> None:
    member = make_staff("supervisor")
    with app.app_context():
        rows = db.session.execute(select(Complaint.id, Complaint.priority_rank,
                                         Complaint.received_at)).all()
    assert len({r.priority_rank for r in rows}) == 3
    assert len({r.received_at for r in rows}) == 4
    if order == "attention":
        expected = [r.id for r in sorted(rows, key=lambda r: (r.priority_rank, r.received_at,
                                                                r.id))]
    else:
        expected = [r.id for r in sorted(rows, key=lambda r: (r.received_at, r.id),
                                         reverse=True)]
    for limit in (1, 2, 4, 15, 16):
        pages = _walk(app, member.id, QueueFilters(order=order), limit)
        assert [i for p in pages for i in p] == expected, limit
        assert all(len(p) == limit for p in pages[:-1]), limit
        assert len(pages) == -(-len(expected) // limit), "no empty last page"


def test_pagination_keeps_the_filters(app, many, make_staff) -> None:
    member = make_staff("supervisor")
    filters = QueueFilters(priority="urgent", order="newest")
    pages = _walk(app, member.id, filters, 1)
    with app.app_context():
        urgent = db.session.scalars(select(Complaint.id).where(Complaint.priority == "urgent"))
        assert sorted(i for p in pages for i in p) == sorted(urgent)


def test_the_next_page_link_carries_the_cursor_and_the_filters(app, many, staff_client,
                                                               monkeypatch) -> None:
    monkeypatch.setattr(queue_service, "page", functools.partial(queue_service.page, limit=4))
    client, _ = staff_client("intake")
    url = "/staff/?order=newest&category=language_access"
    seen: list[str] = []
    for _ in range(10):
        response = client.get(url)
        seen += listed(response)
        link = re.search(r'<a class="usa-button usa-button--outline" href="([^"]+)">Next page',
                         response.get_data(as_text=True))
        if link is None:
            break
        url = html.unescape(link.group(1))
        args = parse_qs(urlsplit(url).query)
        assert args["order"] == ["newest"]
        assert args["category"] == ["language_access"]
        assert args["after"]
    assert sorted(seen) == sorted(many)
    assert len(seen) == len(set(seen)) == 15


# -- restricted complaints --------------------------------------------------------------------


def test_without_the_grant_a_restricted_complaint_is_listed_without_its_category(
        data, staff_client) -> None:
    client, _ = staff_client("intake")
    response = client.get("/staff/")
    assert data["restricted"] in listed(response)
    row = row_of(response, data["restricted"])
    assert "Restricted" in row
    assert "Sexual abuse" not in row
    granted, _ = staff_client("intake", restricted=True)
    assert "Sexual abuse or assault in custody" in row_of(granted.get("/staff/"),
                                                         data["restricted"])


def test_filtering_on_details_does_not_reveal_restricted_complaints_without_the_grant(
        data, staff_client) -> None:
    client, _ = staff_client("supervisor")
    granted, _ = staff_client("supervisor", restricted=True)
    for query in ("category=sexual_abuse", "q=laundry", "q=assaulted guard",
                  "component=ICE&priority=high&section=CMP"):
        assert data["restricted"] not in listed(client.get(f"/staff/?{query}")), query
        assert data["restricted"] in listed(granted.get(f"/staff/?{query}")), query


# -- hostile query strings --------------------------------------------------------------------


def _cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


HOSTILE = ["\x00", "%00", "A" * 5000, "' OR 1=1 --", "<script>alert(1)</script>",
           "../../etc/passwd", "💥" * 50, "\u202e", '"', "*", "NEAR(", "%", "_", "-1",
           "9999-12-31", "0001-01-01", "2025-02-30", "1e400"]
CURSORS = [
    "", "x", "====", "%%%", _cursor([]), _cursor({}), _cursor("abc"), _cursor([1, 2, 3]),
    _cursor([0, "2025-01-01T00:00:00", 1]),  # a time without a zone
    _cursor([0, "2025-01-01T00:00:00+00:00", 10 ** 30]),
    _cursor([10 ** 30, "2025-01-01T00:00:00+00:00", 1]),
    _cursor([-(10 ** 30), "9999-12-31T23:59:59+00:00", -1]),
    _cursor(["2025-01-01T00:00:00+00:00", "x"]), _cursor([None, None, None]),
    _cursor([1.5, "2025-01-01T00:00:00+14:00", 2.5]), _cursor([True, "0001-01-01", False]),
]


def test_hostile_query_strings_never_give_a_500(data, staff_client) -> None:
    client, _ = staff_client("investigator", section="IMM")
    names = [name for name in QueueFilters.__dataclass_fields__] + ["after"]
    for name in names:
        for value in HOSTILE:
            response = client.get("/staff/", query_string={name: value})
            assert response.status_code == 200, (name, value[:20], response.status_code)
    for order in ("attention", "newest"):
        for cursor in CURSORS:
            response = client.get("/staff/", query_string={"order": order, "after": cursor})
            assert response.status_code == 200, (order, cursor, response.status_code)
    everything = {name: HOSTILE[0] for name in names}
    assert client.get("/staff/", query_string=everything).status_code == 200
    assert client.get("/staff/?status=closed&status=open&section=IMM&section=CMP"
                      ).status_code == 200
