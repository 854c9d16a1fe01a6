"""The staff workspace as an intake officer uses it: saved views per person, the queue's columns
(age, new since the last sign-in, language names), export and select-all, best-match order; the
case page's "Assign to me", "next in this view", the timeline told in sentences with repeated
views collapsed (while the audit trail keeps each), and every narrative marked with its own
language and direction."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select, update

from complaints.extensions import db
from complaints.models import AuditEvent, Complaint, SavedView, StaffUser


def page_text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def set_columns(app: Any, receipt: str, **values: Any) -> None:
    with app.app_context():
        db.session.execute(update(Complaint).where(Complaint.receipt == receipt).values(**values))
        db.session.commit()


def audit_kinds(app: Any, kind: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.kind == kind)))


def rows(page: str) -> dict[str, str]:
    """{receipt: the row's text without tags}."""
    found = re.findall(r'<tr class="priority-[a-z]+" data-receipt="([^"]+)">(.*?)</tr>', page,
                       re.S)
    return {receipt: " ".join(re.sub(r"<[^>]+>", " ", body).split()) for receipt, body in found}


# -- saved views -------------------------------------------------------------------------------


def test_saved_views_belong_to_their_owner_and_are_audited(app, staff_client) -> None:
    client, member = staff_client("intake")
    response = client.post("/staff/views", data={"name": "  IMM   urgent ",
                                                  "view": "section=IMM&priority=urgent"})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["Location"]).query) == {
        "section": ["IMM"], "priority": ["urgent"]}
    page = page_text(client.get("/staff/"))
    assert 'href="/staff/?section=IMM&priority=urgent">IMM urgent</a>' in page
    # The same name again replaces what it held.
    client.post("/staff/views", data={"name": "IMM urgent", "view": "section=IMM"})
    with app.app_context():
        views = db.session.scalars(select(SavedView)).all()
        assert [(v.name, v.query) for v in views] == [("IMM urgent", "section=IMM")]
        view_id = views[0].id
    other, _ = staff_client("supervisor")
    assert ">IMM urgent</a>" not in page_text(other.get("/staff/"))
    assert other.post(f"/staff/views/{view_id}/delete").status_code == 404
    assert client.post(f"/staff/views/{view_id}/delete").status_code == 302
    assert ">IMM urgent</a>" not in page_text(client.get("/staff/"))
    assert [e.data["name"] for e in audit_kinds(app, "view_saved")] == ["IMM urgent"] * 2
    assert [e.actor for e in audit_kinds(app, "view_removed")] == [f"staff:{member.id}"]


def test_a_view_without_a_name_is_refused_with_a_message(staff_client) -> None:
    client, _ = staff_client("intake")
    response = client.post("/staff/views", data={"name": "  ", "view": "section=CMP"},
                           follow_redirects=True)
    page = page_text(response)
    assert "Give the view a name." in page
    assert 'value="CMP" selected' in page, "the filters stay as they were"


# -- the queue's columns and tools ----------------------------------------------------------


def test_rows_show_age_in_days_new_since_last_sign_in_and_language_names(
        app, staff_client, file_via_api) -> None:
    client, member = staff_client("intake")
    old = file_via_api(language="es")["receipt"]
    new = file_via_api(language="zh_Hans", narrative="警察在机场拘留了我。")["receipt"]
    set_columns(app, old, received_at=datetime.now(UTC) - timedelta(days=12, hours=1))
    with app.app_context():
        db.session.execute(update(StaffUser).where(StaffUser.id == member.id).values(
            previous_sign_in_at=datetime.now(UTC) - timedelta(days=1)))
        db.session.commit()
    listed = rows(page_text(client.get("/staff/")))
    assert re.search(r"^\S+ 12 Normal .* Spanish$", listed[old])
    assert "New" not in listed[old]
    assert re.search(r"^\S+ New 0 .* Chinese \(Simplified\)$", listed[new])
    assert "zh_Hans" not in listed[new]


def test_export_is_one_click_away_for_those_allowed(staff_client, file_via_api) -> None:
    file_via_api()
    supervisor, _ = staff_client("supervisor")
    page = page_text(supervisor.get("/staff/?section=IMM&priority=normal"))
    assert 'href="/staff/export.csv?section=IMM&priority=normal">Export CSV</a>' in page
    assert 'href="/staff/export.xlsx?section=IMM&priority=normal">Export Excel</a>' in page
    intake, _ = staff_client("intake")
    assert "Export CSV" not in page_text(intake.get("/staff/"))


def test_select_all_and_keyboard_help_are_offered(staff_client, file_via_api) -> None:
    file_via_api()
    client, _ = staff_client("intake")
    page = page_text(client.get("/staff/"))
    assert 'data-select-all hidden aria-label="Select all on this page"' in page
    assert "Press ? for keyboard shortcuts." in page
    assert re.search(r"<dialog[^>]*data-shortcuts", page)
    assert "Use single-key shortcuts" in page


def test_best_match_puts_the_most_mentions_first_and_newest_puts_the_newest_first(
        app, staff_client, file_via_api) -> None:
    client, _ = staff_client("intake")
    once = file_via_api(narrative="They gave me no interpreter.")["receipt"]
    thrice = file_via_api(narrative="Interpreter, interpreter: I asked for an interpreter.")[
        "receipt"]
    newest = file_via_api(narrative="An interpreter came late.")["receipt"]
    set_columns(app, thrice, received_at=datetime.now(UTC) - timedelta(days=3))

    def order(query: str) -> list[str]:
        return list(rows(page_text(client.get(f"/staff/?{query}"))))

    assert order("q=interpreter&order=relevance") == [thrice, newest, once]
    assert order("q=interpreter&order=newest") == [newest, once, thrice]
    assert order("order=relevance") == order(""), "nothing to search: attention order"


# -- the case page -------------------------------------------------------------------------


def test_assign_to_me_takes_the_complaint(app, staff_client, file_via_api) -> None:
    client, member = staff_client("intake")
    receipt = file_via_api()["receipt"]
    page = page_text(client.get(f"/staff/complaints/{receipt}"))
    assert ">Assign to me</button>" in page
    response = client.post(f"/staff/complaints/{receipt}/assign-me", follow_redirects=True)
    page = page_text(response)
    assert "Assign to me</button>" not in page
    assert "assigned to Test Intake." in page
    assert "Test Intake assigned it to Test Intake." in page
    with app.app_context():
        row = db.session.scalar(select(Complaint).where(Complaint.receipt == receipt))
        assert row.assignee_id == member.id


def test_next_in_this_view_follows_the_queue_order_after_a_move(app, staff_client,
                                                                 file_via_api) -> None:
    client, _ = staff_client("intake")
    receipts = [file_via_api(narrative=f"Complaint {n} about water.")["receipt"]
                for n in range(3)]
    for age, receipt in zip((3, 2, 1), receipts, strict=True):
        set_columns(app, receipt, received_at=datetime.now(UTC) - timedelta(days=age))
    queue = page_text(client.get("/staff/?section=IMM"))
    link = re.search(rf'href="(/staff/complaints/{receipts[0]}\?view=[^"]+)"', queue).group(1)
    assert parse_qs(urlsplit(link).query) == {"view": ["section=IMM"]}
    page = page_text(client.get(link))
    assert f"Next in this view: {receipts[1]}" in page
    # A move keeps the person in the view; the next one is still offered.
    response = client.post(f"/staff/complaints/{receipts[0]}/transition",
                           data={"to": "intake_review", "view": "section=IMM"})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["Location"]).query) == {"view": ["section=IMM"]}
    page = page_text(client.get(response.headers["Location"]))
    assert "Saved." in page
    assert f"Next in this view: {receipts[1]}" in page
    page = page_text(client.get(f"/staff/complaints/{receipts[2]}?view=section%3DIMM"))
    assert "This is the last complaint in this view." in page
    assert "Next in this view" not in page_text(client.get(f"/staff/complaints/{receipts[1]}"))


def test_the_timeline_reads_as_sentences(app, staff_client, file_via_api) -> None:
    client, _ = staff_client("intake")
    receipt = file_via_api(language="ar")["receipt"]
    client.post(f"/staff/complaints/{receipt}/transition",
                data={"to": "intake_review", "note": "Checked jurisdiction."})
    page = page_text(client.get(f"/staff/complaints/{receipt}"))
    timeline = re.search(r'data-testid="timeline">(.*?)</ol>', page, re.S).group(1)
    sentences = " ".join(re.sub(r"<[^>]+>", " ", timeline).split())
    assert "Filed by a partner organisation through the API, in Arabic." in sentences
    assert "Routed to Immigration Section: " in sentences
    assert "Test Intake moved it from Received to Intake review." in sentences
    assert "Checked jurisdiction." in sentences
    assert "transition" not in sentences
    assert "routed" not in sentences


def test_repeated_views_of_a_restricted_complaint_are_one_line_but_each_is_audited(
        app, staff_client, file_via_api) -> None:
    client, _ = staff_client("supervisor", restricted=True)
    receipt = file_via_api(primary_category="sexual_abuse", categories=[])["receipt"]
    for _ in range(3):
        client.get(f"/staff/complaints/{receipt}")
    client.post(f"/staff/complaints/{receipt}/notes", data={"body": "Called the facility."})
    page = page_text(client.get(f"/staff/complaints/{receipt}"))
    timeline = re.search(r'data-testid="timeline">(.*?)</ol>', page, re.S).group(1)
    assert timeline.count("viewed this restricted complaint") == 1
    assert "Test Supervisor viewed this restricted complaint 4 times." in timeline
    assert "Test Supervisor added a note." in timeline
    assert len(audit_kinds(app, "viewed_restricted")) == 4


def test_each_narrative_carries_its_language_and_direction(app, staff_client,
                                                            file_via_api) -> None:
    client, _ = staff_client("intake")
    cases = {
        "zh_Hans": ("警察在机场拘留了我，没有提供翻译。", 'lang="zh-Hans" dir="ltr"'),
        "ar": ("رفض الضابط توفير مترجم أثناء المقابلة", 'lang="ar" dir="rtl"'),
        "ps": ("ما ته ژباړونکی را نه کړل شو", 'lang="ps" dir="rtl"'),
        "ko": ("경찰이 공항에서 나를 구금했습니다", 'lang="ko" dir="ltr"'),
    }
    for code, (narrative, marks) in cases.items():
        receipt = file_via_api(language=code, narrative=narrative)["receipt"]
        for url in (f"/staff/complaints/{receipt}", f"/staff/complaints/{receipt}/print"):
            page = page_text(client.get(url))
            assert f'<div class="case-narrative" {marks} data-testid="narrative">{narrative}' \
                   in page, (code, url)
    # Written in Arabic on the English form: marked as the Arabic it is.
    receipt = file_via_api(language="en", narrative=cases["ar"][0])["receipt"]
    assert 'lang="ar" dir="rtl"' in page_text(client.get(f"/staff/complaints/{receipt}"))


def test_staff_pages_declare_the_fonts_of_every_script(staff_client) -> None:
    client, _ = staff_client("intake")
    page = page_text(client.get("/staff/"))
    for font in ("noto-sans-arabic", "noto-sans-sc", "noto-sans-tc", "noto-sans-kr"):
        # The plain path, or its fingerprinted copy (static/dist) when assets are built.
        assert re.search(rf'href="/static/(dist/)?vendor/fonts/{font}/{font}(\.\w+)?\.css"',
                         page), font


def _count(client: Any, query: str) -> str:
    page = page_text(client.get(f"/staff/?{query}"))
    return re.search(r'data-testid="result-count"[^>]*>([^<]+)</h2>', page).group(1)


def test_a_search_counts_open_complaints_as_they_close_and_reopen(staff_client,
                                                                  file_via_api) -> None:
    client, _ = staff_client("supervisor")
    receipts = [file_via_api(narrative="No interpreter at the hearing.")["receipt"]
                for _ in range(3)]
    file_via_api(narrative="No water.")
    assert _count(client, "q=interpreter") == "3 complaints"
    client.post(f"/staff/complaints/{receipts[0]}/transition",
                data={"to": "closed", "disposition": "withdrawn"})
    assert _count(client, "q=interpreter") == "2 complaints"
    assert _count(client, "q=interpreter&status=all") == "3 complaints"
    assert _count(client, "q=interpreter&status=closed") == "1 complaint"
    client.post(f"/staff/complaints/{receipts[0]}/transition",
                data={"to": "intake_review", "note": "The filer wrote again."})
    assert _count(client, "q=interpreter") == "3 complaints"
    assert _count(client, "q=interpreter&section=ADG") == "0 complaints"


def test_a_search_with_too_many_hits_is_counted_to_its_cap_and_shown_newest_first(
        staff_client, file_via_api, monkeypatch) -> None:
    from complaints.services import queue as queue_service

    client, _ = staff_client("intake")
    for n in range(3):
        file_via_api(narrative=f"Interpreter {n}: none came.")
    monkeypatch.setattr(queue_service, "SEARCH_COUNT_CAP", 2)
    assert _count(client, "q=interpreter") == "2+ complaints"
    assert _count(client, "section=IMM") == "3 complaints", "other views count to their cap"
    page = page_text(client.get("/staff/?q=interpreter&order=relevance"))
    assert "Too many matches to rank by best match: newest first." in page
    monkeypatch.setattr(queue_service, "SEARCH_COUNT_CAP", 10)
    page = page_text(client.get("/staff/?q=interpreter&order=relevance"))
    assert "Too many matches" not in page


def test_the_open_marker_is_never_a_search_word() -> None:
    from complaints.domain.search_text import OPEN_TOKEN, document
    from complaints.services.search import search_terms

    assert not search_terms(OPEN_TOKEN)
    assert document("water", is_open=True).split() == ["water", OPEN_TOKEN]
    assert document("water").split() == ["water"]


def test_a_category_or_component_is_counted_from_its_own_rows(staff_client,
                                                              file_via_api) -> None:
    client, _ = staff_client("supervisor")
    closed = file_via_api(components=["TSA"])["receipt"]
    file_via_api(components=["TSA", "ICE"])
    file_via_api(primary_category="profiling", categories=[], components=["CBP"])
    client.post(f"/staff/complaints/{closed}/transition",
                data={"to": "closed", "disposition": "withdrawn"})
    assert _count(client, "component=TSA") == "1 complaint"
    assert _count(client, "component=TSA&status=all") == "2 complaints"
    assert _count(client, "category=language_access") == "1 complaint"
    assert _count(client, "category=language_access&component=CBP") == "0 complaints"
    assert _count(client, "category=profiling&section=ADG") == "1 complaint"
