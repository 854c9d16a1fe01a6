"""Demo data: realistic, consistent with routing and the workflow, deterministic per seed, fast,
and usable on the status page with the printed access code."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import func, select, text

from complaints import demo
from complaints.domain import receipts
from complaints.domain.routing import Facts, route
from complaints.domain.taxonomy import (
    CATEGORY_CODES,
    COMPONENT_CODES,
    DISPOSITION_CODES,
    STATUS_CODES,
)
from complaints.domain.workflow import TRANSITIONS
from complaints.extensions import db
from complaints.i18n import LOCALE_CODES
from complaints.models import (
    AuditEvent,
    Complaint,
    ComplaintCategory,
    ComplaintComponent,
    PossibleDuplicate,
    SearchDocument,
)
from complaints.services import access_codes, search
from tests.conftest import empty_all_tables

SNAPSHOT_COLUMNS = (
    Complaint.receipt, Complaint.received_at, Complaint.language, Complaint.primary_category,
    Complaint.narrative, Complaint.section, Complaint.priority, Complaint.status,
    Complaint.disposition, Complaint.state, Complaint.closed_at,
)


def snapshot() -> list[tuple[Any, ...]]:
    return [tuple(row) for row in db.session.execute(
        select(*SNAPSHOT_COLUMNS).order_by(Complaint.id))]


@pytest.fixture
def generated(app: Any, db_session: Any) -> demo.DemoReport:
    return demo.generate(600, seed=21, batch_size=250)


def test_same_seed_same_data_and_another_seed_other_data(app: Any, db_session: Any) -> None:
    demo.generate(150, seed=7, batch_size=60)
    first = snapshot()
    empty_all_tables(app)
    demo.generate(150, seed=7, batch_size=100)
    assert snapshot() == first
    empty_all_tables(app)
    demo.generate(150, seed=8)
    other = snapshot()
    assert len(other) == 150
    assert [row[0] for row in other] != [row[0] for row in first]
    assert [row[4] for row in other] != [row[4] for row in first]


def test_every_language_category_component_status_and_disposition(
        generated: demo.DemoReport) -> None:
    def distinct(column: Any) -> set[Any]:
        return set(db.session.scalars(select(column).distinct()))

    assert distinct(Complaint.language) == set(LOCALE_CODES)
    assert distinct(Complaint.primary_category) == set(CATEGORY_CODES)
    assert distinct(ComplaintCategory.category) == set(CATEGORY_CODES)
    assert distinct(ComplaintComponent.component) == set(COMPONENT_CODES)
    assert distinct(Complaint.status) == set(STATUS_CODES)
    assert distinct(Complaint.disposition) - {None} == set(DISPOSITION_CODES)
    assert {"web", "api", "mail"} <= distinct(Complaint.channel)
    channels = Counter(db.session.scalars(select(Complaint.channel)))
    assert channels.most_common(1)[0][0] == "web"


def test_narratives_are_written_in_the_complaints_language(generated: demo.DemoReport) -> None:
    rows = db.session.execute(select(Complaint.language, Complaint.narrative,
                                     Complaint.possible_duplicate))
    scripts = {"ar": "\u0600", "fa_AF": "\u0600", "ps": "\u0600", "ru": "\u0400",
               "uk": "\u0400", "ko": "\uac00", "zh_Hans": "\u4e00", "zh_Hant": "\u4e00"}
    for language, narrative, _ in rows:
        assert 40 <= len(narrative) <= 10_000
        if language in scripts:
            start = ord(scripts[language])
            assert any(start <= ord(ch) < start + 0x0A00 for ch in narrative), language
    for language, bank in demo.SENTENCES.items():
        assert set(bank) == {*CATEGORY_CODES, "g1", "g2", "g3", "g4"}, language
    assert set(demo.SENTENCES) == set(LOCALE_CODES)
    english = db.session.scalar(select(Complaint.narrative).where(Complaint.language == "en")
                                .limit(1))
    assert any(sentence.split(" ")[0] in english for sentence in demo.SENTENCES["en"].values())


def test_routing_is_the_real_one(generated: demo.DemoReport) -> None:
    complaints = db.session.scalars(select(Complaint).order_by(Complaint.id)).all()
    for complaint in complaints:
        expected = route(Facts(
            primary_category=complaint.primary_category,
            categories=frozenset(complaint.secondary_categories),
            components=frozenset(complaint.components), at_risk_now=complaint.at_risk_now,
            us_citizen_held=complaint.us_citizen_held,
            minor_involved=complaint.minor_involved,
            currently_detained=complaint.currently_detained,
            interpreter_needed=complaint.interpreter_needed,
            private_employer=complaint.private_employer))
        assert complaint.section == expected.section
        assert complaint.priority == expected.priority
        assert complaint.restricted == expected.restricted
        assert [f for f in complaint.flags if f != "possible_duplicate"] == list(expected.flags)
        assert complaint.routing_reasons == [r.as_dict() for r in expected.reasons]
        assert complaint.possible_duplicate == ("possible_duplicate" in complaint.flags)
        assert complaint.category_rows[0].is_primary
        assert complaint.category_rows[0].category == complaint.primary_category
    priorities = Counter(c.priority for c in complaints)
    assert 0 < priorities["urgent"] < priorities["high"]
    restricted = sum(c.restricted for c in complaints)
    assert 0 < restricted < len(complaints) * 0.2
    duplicates = sum(c.possible_duplicate for c in complaints)
    assert 0 < duplicates < len(complaints) * 0.1
    assert db.session.scalar(select(func.count()).select_from(PossibleDuplicate)) == duplicates


def test_timelines_follow_the_workflow(generated: demo.DemoReport) -> None:
    events: dict[int, list[AuditEvent]] = {}
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.complaint_id,
                                                                AuditEvent.at, AuditEvent.id)):
        events.setdefault(event.complaint_id or 0, []).append(event)
    for complaint in db.session.scalars(select(Complaint)):
        trail = events[complaint.id]
        assert {e.actor for e in trail} == {demo.ACTOR}
        assert [e.kind for e in trail[:2]] == ["filed", "routed"]
        assert trail[0].at == complaint.received_at
        moves = [e for e in trail if e.kind == "transition"]
        assert len(moves) == complaint.version - 1
        status = "received"
        for move in moves:
            assert move.from_status == status
            assert move.to_status in TRANSITIONS[status]
            status = move.to_status or ""
        assert status == complaint.status
        assert all(a.at <= b.at for a, b in zip(moves, moves[1:], strict=False))
        if complaint.status == "received":
            assert complaint.first_triaged_at is None
        else:
            assert complaint.first_triaged_at == moves[0].at >= complaint.received_at
        if complaint.status == "closed":
            assert complaint.disposition in DISPOSITION_CODES
            assert complaint.closed_at == moves[-1].at
            assert moves[-1].data["disposition"] == complaint.disposition
        else:
            assert complaint.closed_at is None
            assert complaint.disposition is None
        if complaint.disposition == "duplicate":
            original = db.session.get(Complaint, complaint.duplicate_of_id)
            assert original is not None
            assert original.received_at <= complaint.received_at
            assert moves[-1].data["duplicate_of"] == original.receipt
        assert complaint.updated_at == (moves[-1].at if moves else complaint.created_at)


def test_three_years_before_today(generated: demo.DemoReport) -> None:
    oldest, newest = db.session.execute(select(func.min(Complaint.received_at),
                                               func.max(Complaint.received_at))).one()
    latest_event = db.session.scalar(select(func.max(AuditEvent.at)))
    assert (newest - oldest).days > 365 * 3 - 30
    assert latest_event < demo_anchor()


def demo_anchor() -> Any:
    from datetime import UTC, datetime, time

    return datetime.combine(datetime.now(UTC).date(), time(0), UTC)


def test_receipts_look_real_and_are_unique(generated: demo.DemoReport) -> None:
    found = list(db.session.scalars(select(Complaint.receipt)))
    assert len(set(found)) == len(found) == 600
    assert all(receipts.RECEIPT_RE.match(r) for r in found)
    assert len({demo.demo_receipt(i, 1) for i in range(50_000)}) == 50_000


def test_a_second_run_adds_more_with_fresh_receipts(app: Any, db_session: Any) -> None:
    demo.generate(120, seed=3)
    again = demo.generate(120, seed=3)
    found = list(db.session.scalars(select(Complaint.receipt)))
    assert len(found) == len(set(found)) == 240
    assert again.last_receipt in found
    # Events that name the original of a duplicate name its final receipt.
    for event in db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "transition")):
        if event.data.get("duplicate_of"):
            assert event.data["duplicate_of"] in found


def test_the_printed_access_code_opens_every_demo_complaint(generated: demo.DemoReport,
                                                            client: Any) -> None:
    hashes = set(db.session.scalars(select(Complaint.access_code_hash).distinct()))
    assert len(hashes) == 1
    assert access_codes.verify(hashes.pop(), generated.access_code)
    for receipt in (generated.first_receipt, generated.last_receipt):
        response = client.get(f"/api/v1/complaints/{receipt}/status",
                              headers={"X-Access-Code": generated.access_code})
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["receipt"] == receipt


def test_filing_still_works_after_demo_data(generated: demo.DemoReport,
                                            file_via_api: Any) -> None:
    filed = file_via_api()
    complaint = db.session.scalar(select(Complaint).where(Complaint.receipt == filed["receipt"]))
    assert complaint is not None
    assert complaint.id > 600


def test_narratives_are_searchable(generated: demo.DemoReport, file_via_api: Any) -> None:
    language, category = db.session.execute(
        select(Complaint.language, Complaint.primary_category)
        .where(Complaint.language.in_(["es", "fr", "ru", "vi"])).order_by(Complaint.id).limit(1)
    ).one()
    sentence = demo.SENTENCES[language][category]
    expected = db.session.scalar(select(func.count()).where(
        Complaint.narrative.contains(sentence)))
    assert expected > 0
    # Through the same search the queue uses: every demo narrative has its search document.
    found = db.session.scalar(select(func.count()).select_from(Complaint)
                              .where(search.matching(sentence)))
    assert found >= expected
    assert db.session.scalar(select(func.count()).select_from(SearchDocument)) == 600
    if db.engine.dialect.name == "sqlite":
        # The trigram FTS5 table is filled by a trigger, which demo-data sets aside during each
        # batch and must put back.
        triggers = set(db.session.scalars(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'complaints'")))
        assert "complaint_search_ai" in triggers
        for table in ("complaint_search_trigram", "complaint_search_terms"):
            assert db.session.scalar(text(f"SELECT count(*) FROM {table}")) == 600  # noqa: S608
    file_via_api()
    assert db.session.scalar(select(func.count()).select_from(SearchDocument)) == 601


def test_demo_data_command_prints_progress_rate_and_code(runner: Any, app: Any) -> None:
    result = runner.invoke(args=["demo-data", "--count", "300", "--seed", "4",
                                 "--batch-size", "100"])
    assert result.exit_code == 0, result.output
    assert "300 / 300 complaints" in result.output
    assert re.search(r"Created 300 demo complaints .* complaints/s\)", result.output)
    code = re.search(r"Demo access code .*: ([A-Z0-9-]{19})", result.output)
    assert code is not None
    with app.app_context():
        stored = db.session.scalar(select(Complaint.access_code_hash).limit(1))
        assert access_codes.verify(stored, code.group(1))
    refused = runner.invoke(args=["demo-data", "--count", "0"])
    assert refused.exit_code != 0


def test_routed_event_matches_the_complaint(generated: demo.DemoReport) -> None:
    complaint = db.session.scalar(select(Complaint).where(Complaint.restricted).limit(1))
    assert complaint is not None
    routed = db.session.scalar(select(AuditEvent).where(AuditEvent.complaint_id == complaint.id,
                                                        AuditEvent.kind == "routed"))
    assert routed is not None
    assert routed.data["section"] == complaint.section
    assert routed.data["restricted"] is True
    assert routed.data["reasons"] == complaint.routing_reasons
    assert json.loads(json.dumps(routed.data)) == routed.data


def test_batches_built_in_a_child_process_give_the_same_data(app: Any, db_session: Any) -> None:
    demo.generate(150, seed=7, batch_size=40, in_process_from=10**9)  # built in a thread
    in_thread = snapshot()
    empty_all_tables(app)
    demo.generate(150, seed=7, batch_size=40, in_process_from=0)
    assert snapshot() == in_thread


def test_complaints_filed_while_demo_data_is_written_keep_their_ids(
        app: Any, db_session: Any, file_via_api: Any, runner: Any) -> None:
    """A filing between two batches takes the id the next batch expected: that batch's ids,
    and every reference to them, move past it."""
    filed = []

    def file_between_batches(done: int, total: int, seconds: float) -> None:
        if done < total:
            filed.append(file_via_api(narrative="Filed while demo data was being written, "
                                                "between two of its batches.")["receipt"])

    demo.generate(300, seed=21, batch_size=60, progress=file_between_batches)
    assert len(filed) == 4
    count = db.session.scalar(select(func.count()).select_from(Complaint))
    assert count == 300 + len(filed)
    ours = db.session.execute(select(Complaint.receipt, Complaint.narrative).where(
        Complaint.receipt.in_(filed))).all()
    assert {receipt for receipt, _ in ours} == set(filed)
    assert all(narrative.startswith("Filed while demo data") for _, narrative in ours)
    # Every row that names a complaint names one that exists, and the one it was built for:
    # each demo complaint has its primary category and its "filed" event.
    for orphans in (
            "SELECT count(*) FROM complaint_categories WHERE complaint_id NOT IN "
            "(SELECT id FROM complaints)",
            "SELECT count(*) FROM audit_events WHERE complaint_id NOT IN "
            "(SELECT id FROM complaints)",
            "SELECT count(*) FROM possible_duplicates WHERE other_id NOT IN "
            "(SELECT id FROM complaints)",
            "SELECT count(*) FROM complaints WHERE duplicate_of_id NOT IN "
            "(SELECT id FROM complaints)",
            "SELECT count(*) FROM complaints c WHERE NOT EXISTS (SELECT 1 FROM "
            "complaint_categories k WHERE k.complaint_id = c.id AND k.is_primary AND "
            "k.category = c.primary_category)",
            "SELECT count(*) FROM complaints c WHERE NOT EXISTS (SELECT 1 FROM audit_events e "
            "WHERE e.complaint_id = c.id AND e.kind = 'filed')"):
        assert db.session.scalar(text(orphans)) == 0, orphans
    moved_duplicates = db.session.scalar(text(
        "SELECT count(*) FROM possible_duplicates WHERE complaint_id > 61"))
    assert moved_duplicates > 0  # references across moved batches were rewritten, not lost
    for event in db.session.scalars(select(AuditEvent).where(
            AuditEvent.kind == "possible_duplicate")):
        stored = {(d.other_id, d.reason) for d in db.session.scalars(
            select(PossibleDuplicate).where(PossibleDuplicate.complaint_id
                                            == event.complaint_id))}
        assert {(m["complaint_id"], m["reason"]) for m in event.data["matches"]} == stored
    db.session.remove()
    result = runner.invoke(args=["check-stats"])
    assert result.exit_code == 0, result.output
