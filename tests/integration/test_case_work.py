"""Case work through the staff pages: workflow moves per role, dispositions and duplicates,
restricted complaints and their audit, hand restriction, routing overrides, notes, assignment,
optimistic locking, the print view, staff entry, bulk actions and account administration."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import AuditEvent, Complaint, StaffUser

# -- helpers ---------------------------------------------------------------------------------


def text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def complaint(app: Any, receipt: str) -> Complaint:
    with app.app_context():
        row = db.session.scalar(select(Complaint).where(Complaint.receipt == receipt))
        assert row is not None
        db.session.expunge(row)
        return row


def events(app: Any, kind: str, receipt: str | None = None) -> list[AuditEvent]:
    with app.app_context():
        statement = select(AuditEvent).where(AuditEvent.kind == kind).order_by(AuditEvent.id)
        if receipt is not None:
            statement = statement.join(Complaint, Complaint.id == AuditEvent.complaint_id).where(
                Complaint.receipt == receipt)
        return list(db.session.scalars(statement))


def move(client: Any, receipt: str, to: str, **fields: str) -> Any:
    return client.post(f"/staff/complaints/{receipt}/transition", data={"to": to, **fields})


def move_options(page: str) -> list[str]:
    select_html = re.search(r'<select[^>]*id="move-to"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r'<option value="([^"]+)"', select_html.group(1)) if select_html else []


def version_field(page: str, form: str = "transition") -> str:
    action = {"transition": "transition", "override": "override", "assign": "assign"}[form]
    block = re.search(rf'action="/staff/complaints/[^"]+/{action}">(.*?)</form>', page, re.S)
    assert block is not None
    return re.search(r'name="version" value="(\d+)"', block.group(1)).group(1)


def textarea(page: str, ident: str) -> str:
    match = re.search(rf'<textarea[^>]*id="{ident}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match is not None
    return html.unescape(match.group(1))


def close(client: Any, receipt: str, disposition: str = "withdrawn") -> None:
    assert move(client, receipt, "closed", disposition=disposition).status_code == 302


NARRATIVE = "Guards at the county jail refused my insulin for three days in a row."


# -- workflow moves per role -------------------------------------------------------------------


def test_intake_moves_complaints_in_every_section(app, staff_client, file_via_api) -> None:
    client, member = staff_client("intake")
    receipts = [file_via_api(primary_category=c, categories=[])["receipt"]
                for c in ("detention_conditions", "use_of_force", "profiling", "other")]
    assert {complaint(app, r).section for r in receipts} == {"IMM", "CMP", "ADG", "INT"}
    for receipt in receipts:
        response = move(client, receipt, "intake_review", note="Jurisdiction checked.")
        assert response.status_code == 302, receipt
        assert complaint(app, receipt).status == "intake_review"
        (event,) = events(app, "transition", receipt)
        assert (event.actor, event.from_status, event.to_status, event.note) == (
            f"staff:{member.id}", "received", "intake_review", "Jurisdiction checked.")
        assert complaint(app, receipt).first_triaged_at is not None


def test_investigators_move_complaints_only_in_their_own_section(app, staff_client,
                                                                 file_via_api) -> None:
    client, member = staff_client("investigator", section="IMM")
    own = file_via_api()["receipt"]
    other = file_via_api(primary_category="use_of_force", categories=[])["receipt"]
    assert move(client, own, "intake_review").status_code == 302
    assert complaint(app, own).status == "intake_review"
    assert move(client, other, "intake_review").status_code == 403
    assert client.get(f"/staff/complaints/{other}").status_code == 403
    assert complaint(app, other).status == "received"
    assert events(app, "transition", other) == []


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_analysts_and_admins_cannot_move_or_read_complaints(app, staff_client, file_via_api,
                                                            role) -> None:
    client, _ = staff_client(role)
    receipt = file_via_api()["receipt"]
    assert move(client, receipt, "intake_review").status_code == 403
    response = client.get(f"/staff/complaints/{receipt}")
    assert response.status_code == 403
    assert "drinking water" not in text(response)
    assert complaint(app, receipt).status == "received"


def test_only_supervisors_reopen_and_only_with_a_reason(app, staff_client,
                                                        file_via_api) -> None:
    intake, _ = staff_client("intake")
    investigator, _ = staff_client("investigator", section="IMM")
    supervisor, boss = staff_client("supervisor")
    receipt = file_via_api()["receipt"]
    close(intake, receipt, "unsubstantiated")
    assert move_options(text(intake.get(f"/staff/complaints/{receipt}"))) == []
    assert "You cannot move this complaint from here." in text(
        intake.get(f"/staff/complaints/{receipt}"))
    assert move_options(text(supervisor.get(f"/staff/complaints/{receipt}"))) == [
        "intake_review"]

    for client in (intake, investigator):
        refused = move(client, receipt, "intake_review", note="Please look again.")
        assert refused.status_code == 409
        assert "Only supervisors may reopen a closed complaint." in text(refused)
    no_reason = move(supervisor, receipt, "intake_review", note="   ")
    assert no_reason.status_code == 409
    assert "Reopening requires a reason." in text(no_reason)
    assert complaint(app, receipt).status == "closed"

    assert move(supervisor, receipt, "intake_review",
                note="New evidence from the filer.").status_code == 302
    reopened = complaint(app, receipt)
    assert (reopened.status, reopened.disposition, reopened.closed_at) == (
        "intake_review", None, None)
    last = events(app, "transition", receipt)[-1]
    assert (last.actor, last.from_status, last.note) == (
        f"staff:{boss.id}", "closed", "New evidence from the filer.")


def test_a_move_the_workflow_does_not_allow_is_refused_with_the_reason(app, staff_client,
                                                                       file_via_api) -> None:
    client, _ = staff_client("supervisor")
    receipt = file_via_api()["receipt"]
    assert move_options(text(client.get(f"/staff/complaints/{receipt}"))) == [
        "intake_review", "closed"]
    response = move(client, receipt, "recommendations")
    assert response.status_code == 409
    assert "The workflow does not allow this move." in text(response)
    assert move(client, receipt, "no_such_status").status_code == 409
    assert complaint(app, receipt).status == "received"


def test_closing_requires_a_disposition(app, staff_client, file_via_api) -> None:
    client, _ = staff_client("intake")
    receipt = file_via_api()["receipt"]
    refused = move(client, receipt, "closed", note="Nothing we can do.")
    assert refused.status_code == 409
    assert "Closing requires a disposition." in text(refused)
    assert textarea(text(refused), "move-note") == "Nothing we can do."
    assert move(client, receipt, "intake_review", disposition="withdrawn").status_code == 409
    assert complaint(app, receipt).status == "received"

    assert move(client, receipt, "closed", disposition="no_jurisdiction_referred_out"
                ).status_code == 302
    closed = complaint(app, receipt)
    assert (closed.status, closed.disposition) == ("closed", "no_jurisdiction_referred_out")
    assert closed.closed_at is not None
    assert events(app, "transition", receipt)[-1].data["disposition"] == \
        "no_jurisdiction_referred_out"


def test_a_duplicate_names_an_existing_original(app, staff_client, file_via_api) -> None:
    client, _ = staff_client("intake")
    original = file_via_api()["receipt"]
    copy = file_via_api(narrative="Same again: no drinking water in unit B for four days.")[
        "receipt"]
    missing = move(client, copy, "closed", disposition="duplicate")
    assert missing.status_code == 409
    assert "A duplicate must name the original complaint." in text(missing)
    for wrong in ("CR-2345-6789", "not a receipt", copy):
        refused = move(client, copy, "closed", disposition="duplicate", duplicate_of=wrong)
        assert refused.status_code == 422, wrong
        assert "The original complaint was not found." in text(refused)
    assert complaint(app, copy).status == "received"

    done = move(client, copy, "closed", disposition="duplicate",
                duplicate_of=f"  {original.lower()} ")
    assert done.status_code == 302
    assert complaint(app, copy).duplicate_of_id == complaint(app, original).id
    page = text(client.get(f"/staff/complaints/{copy}"))
    assert f'Duplicate of <a href="/staff/complaints/{original}">{original}</a>' in page


# -- restricted complaints ---------------------------------------------------------------------


def test_without_the_grant_a_restricted_complaint_shows_only_that_it_exists(
        app, staff_client, file_via_api) -> None:
    client, member = staff_client("supervisor")
    receipt = file_via_api(primary_category="sexual_abuse", categories=[], narrative=NARRATIVE,
                           name="Maria Example")["receipt"]
    assert complaint(app, receipt).restricted
    response = client.get(f"/staff/complaints/{receipt}")
    page = text(response)
    assert response.status_code == 200
    assert receipt in page
    assert "This complaint exists but is restricted." in page
    for secret in ("insulin", "Maria Example", "Sexual abuse", "sexual_abuse"):
        assert secret not in page
    assert client.get(f"/staff/complaints/{receipt}/print").status_code == 403
    views = events(app, "viewed_restricted", receipt)
    assert [(e.actor, e.data["details_shown"], e.data["door"]) for e in views] == [
        (f"staff:{member.id}", False, "dashboard"), (f"staff:{member.id}", False, "print")]


def test_with_the_grant_a_restricted_complaint_shows_and_every_view_is_audited(
        app, staff_client, file_via_api) -> None:
    client, member = staff_client("intake", restricted=True)
    receipt = file_via_api(primary_category="use_of_force", categories=["victim_protection"],
                           narrative=NARRATIVE)["receipt"]
    assert complaint(app, receipt).restricted
    for _ in range(2):
        assert "insulin" in text(client.get(f"/staff/complaints/{receipt}"))
    assert "insulin" in text(client.get(f"/staff/complaints/{receipt}/print"))
    views = events(app, "viewed_restricted", receipt)
    assert [(e.actor, e.data["details_shown"]) for e in views] == [
        (f"staff:{member.id}", True)] * 3
    unrestricted = file_via_api()["receipt"]
    client.get(f"/staff/complaints/{unrestricted}")
    assert events(app, "viewed_restricted", unrestricted) == [], "ordinary views are not noise"


def test_staff_restrict_by_hand_and_only_supervisors_with_the_grant_lift_it(
        app, staff_client, file_via_api) -> None:
    intake, clerk = staff_client("intake")
    intake_granted, _ = staff_client("intake", restricted=True)
    supervisor, _ = staff_client("supervisor")
    granted, boss = staff_client("supervisor", restricted=True)
    receipt = file_via_api(narrative=NARRATIVE)["receipt"]
    url = f"/staff/complaints/{receipt}/restrict"

    assert intake.post(url, data={"restricted": "yes", "reason": "Names an informant."}
                       ).status_code == 302
    assert complaint(app, receipt).restricted
    (event,) = events(app, "restricted", receipt)
    assert (event.actor, event.note) == (f"staff:{clerk.id}", "Names an informant.")
    assert complaint(app, receipt).routing_reasons[-1] == {
        "decision": "restricted", "value": "true", "rule": "staff_override",
        "reason": "Names an informant.", "by": f"staff:{clerk.id}"}
    assert "insulin" not in text(intake.get(f"/staff/complaints/{receipt}"))

    assert supervisor.post(url, data={"restricted": "no", "reason": "x"}).status_code == 403
    refused = intake_granted.post(url, data={"restricted": "no", "reason": "Not needed."})
    assert refused.status_code == 403
    assert "Only supervisors with restricted access may lift a restriction." in text(refused)
    no_reason = granted.post(url, data={"restricted": "no", "reason": ""})
    assert no_reason.status_code == 422
    assert "Say why you are lifting the restriction." in text(no_reason)
    assert complaint(app, receipt).restricted

    assert granted.post(url, data={"restricted": "no", "reason": "Informant named publicly."}
                        ).status_code == 302
    assert not complaint(app, receipt).restricted
    (lifted,) = events(app, "unrestricted", receipt)
    assert (lifted.actor, lifted.note) == (f"staff:{boss.id}", "Informant named publicly.")


def test_a_complaint_restricted_by_law_stays_restricted(app, staff_client,
                                                        file_via_api) -> None:
    granted, _ = staff_client("supervisor", restricted=True)
    receipt = file_via_api(primary_category="sexual_abuse", categories=[])["receipt"]
    response = granted.post(f"/staff/complaints/{receipt}/restrict",
                            data={"restricted": "no", "reason": "I think it is fine."})
    assert response.status_code == 409
    assert "This complaint is restricted by law because of its categories." in text(response)
    assert complaint(app, receipt).restricted
    assert events(app, "unrestricted", receipt) == []


# -- routing, notes, assignment ----------------------------------------------------------------


def test_overriding_routing_needs_a_reason_and_is_recorded(app, staff_client,
                                                           file_via_api) -> None:
    client, member = staff_client("intake")
    investigator, _ = staff_client("investigator", section="IMM")
    receipt = file_via_api()["receipt"]
    url = f"/staff/complaints/{receipt}/override"
    assert complaint(app, receipt).section == "IMM"
    no_reason = client.post(url, data={"section": "CMP", "priority": "urgent", "reason": " "})
    assert no_reason.status_code == 422
    assert "Say why you are overriding the routing." in text(no_reason)
    assert investigator.post(url, data={"section": "CMP", "priority": "urgent",
                                        "reason": "Force was used."}).status_code == 403
    assert complaint(app, receipt).section == "IMM"

    assert client.post(url, data={"section": "CMP", "priority": "urgent",
                                  "reason": "The narrative describes force."}
                       ).status_code == 302
    changed = complaint(app, receipt)
    assert (changed.section, changed.priority, changed.priority_rank) == ("CMP", "urgent", 0)
    overrides = [r for r in changed.routing_reasons if r["rule"] == "staff_override"]
    assert overrides == [
        {"decision": "section", "value": "CMP", "rule": "staff_override",
         "reason": "The narrative describes force.", "by": f"staff:{member.id}"},
        {"decision": "priority", "value": "urgent", "rule": "staff_override",
         "reason": "The narrative describes force.", "by": f"staff:{member.id}"}]
    (event,) = events(app, "routing_overridden", receipt)
    assert event.note == "The narrative describes force."
    assert event.data["section"] == {"from": "IMM", "to": "CMP"}
    assert event.data["priority"] == {"from": "normal", "to": "urgent"}
    assert "The narrative describes force." in text(client.get(f"/staff/complaints/{receipt}"))


def test_notes_are_kept_shown_and_audited(app, staff_client, file_via_api) -> None:
    client, member = staff_client("investigator", section="IMM")
    receipt = file_via_api()["receipt"]
    url = f"/staff/complaints/{receipt}/notes"
    assert client.post(url, data={"body": "Called the facility <b>twice</b>."}
                       ).status_code == 302
    page = client.get(f"/staff/complaints/{receipt}").get_data(as_text=True)
    assert "Called the facility &lt;b&gt;twice&lt;/b&gt;." in page
    (event,) = events(app, "note_added", receipt)
    assert event.actor == f"staff:{member.id}"
    assert client.post(url, data={"body": "   "}).status_code == 422
    too_long = client.post(url, data={"body": "x" * 5001})
    assert too_long.status_code == 422
    assert "That text is too long." in text(too_long)
    assert len(events(app, "note_added", receipt)) == 1


def test_assignment_respects_sections_and_a_new_section_clears_the_assignee(
        app, staff_client, make_staff, file_via_api) -> None:
    client, member = staff_client("supervisor")
    imm = make_staff("investigator", section="IMM")
    cmp_ = make_staff("investigator", section="CMP")
    receipt = file_via_api()["receipt"]
    url = f"/staff/complaints/{receipt}/assign"
    page = text(client.get(f"/staff/complaints/{receipt}"))
    assert f'<option value="{imm.id}"' in page
    assert f'<option value="{cmp_.id}"' not in page

    refused = client.post(url, data={"section": "IMM", "assignee": str(cmp_.id)})
    assert refused.status_code == 422
    assert "That investigator works in another section." in text(refused)
    assert complaint(app, receipt).assignee_id is None

    assert client.post(url, data={"section": "IMM", "assignee": str(imm.id)}).status_code == 302
    assert complaint(app, receipt).assignee_id == imm.id
    (event,) = events(app, "assigned", receipt)
    assert (event.actor, event.data) == (f"staff:{member.id}",
                                         {"assignee": {"from": None, "to": imm.id}})

    # The form comes back with the current assignee selected; changing only the section sends
    # the complaint to the new section's queue.
    assert client.post(url, data={"section": "CMP", "assignee": str(imm.id)}).status_code == 302
    moved = complaint(app, receipt)
    assert (moved.section, moved.assignee_id) == ("CMP", None)


def test_investigators_cannot_change_the_section(app, staff_client, file_via_api) -> None:
    client, member = staff_client("investigator", section="IMM")
    receipt = file_via_api()["receipt"]
    page = text(client.get(f"/staff/complaints/{receipt}"))
    assert 'id="assign-section"' not in page
    response = client.post(f"/staff/complaints/{receipt}/assign",
                           data={"section": "CMP", "assignee": str(member.id)})
    assert response.status_code == 403
    assert "Your role may not change the section." in text(response)
    assert client.post(f"/staff/complaints/{receipt}/assign",
                       data={"assignee": str(member.id)}).status_code == 302
    assert complaint(app, receipt).assignee_id == member.id


def test_restricted_complaints_go_only_to_people_with_the_grant(app, staff_client, make_staff,
                                                                file_via_api) -> None:
    client, _ = staff_client("supervisor", restricted=True)
    plain = make_staff("intake")
    cleared = make_staff("intake", restricted=True)
    receipt = file_via_api(primary_category="sexual_abuse", categories=[])["receipt"]
    url = f"/staff/complaints/{receipt}/assign"
    refused = client.post(url, data={"section": "CMP", "assignee": str(plain.id)})
    assert refused.status_code == 422
    assert "That person may not see restricted complaints." in text(refused)
    assert client.post(url, data={"section": "CMP", "assignee": str(cleared.id)}
                       ).status_code == 302
    assert complaint(app, receipt).assignee_id == cleared.id


# -- optimistic locking ------------------------------------------------------------------------


def test_the_second_of_two_simultaneous_changes_is_refused_and_loses_nothing_typed(
        app, staff_client, file_via_api) -> None:
    first, quick = staff_client("intake")
    second, slow = staff_client("supervisor")
    receipt = file_via_api()["receipt"]
    seen_first = version_field(text(first.get(f"/staff/complaints/{receipt}")))
    seen_second = version_field(text(second.get(f"/staff/complaints/{receipt}")))
    assert seen_first == seen_second

    assert move(first, receipt, "intake_review", version=seen_first).status_code == 302
    note = "I read the whole file; closing because the filer withdrew by phone."
    stale = move(second, receipt, "closed", disposition="withdrawn", note=note,
                 version=seen_second)
    page = text(stale)
    assert stale.status_code == 409
    assert "Someone else changed this complaint after you opened it." in page
    assert textarea(page, "move-note") == note
    assert '<option value="withdrawn" selected>' in page
    assert complaint(app, receipt).status == "intake_review"
    assert [e.actor for e in events(app, "transition", receipt)] == [f"staff:{quick.id}"]

    # Having seen the other change, sending the form again as shown goes through.
    again = move(second, receipt, "closed", disposition="withdrawn", note=note,
                 version=version_field(page))
    assert again.status_code == 302
    assert complaint(app, receipt).status == "closed"
    last = events(app, "transition", receipt)[-1]
    assert (last.actor, last.note) == (f"staff:{slow.id}", note)


def test_a_stale_routing_override_is_refused_with_the_reason_kept(app, staff_client,
                                                                  file_via_api) -> None:
    first, _ = staff_client("intake")
    second, _ = staff_client("supervisor")
    receipt = file_via_api()["receipt"]
    seen = version_field(text(second.get(f"/staff/complaints/{receipt}")), "override")
    assert move(first, receipt, "intake_review").status_code == 302
    stale = second.post(f"/staff/complaints/{receipt}/override", data={
        "section": "ADG", "priority": "high", "reason": "Language access problem.",
        "version": seen})
    assert stale.status_code == 409
    assert textarea(text(stale), "override-reason") == "Language access problem."
    assert complaint(app, receipt).section == "IMM"


# -- print view -------------------------------------------------------------------------------


def test_the_print_view_has_every_fact_and_no_forms(app, staff_client, file_via_api) -> None:
    client, _ = staff_client("intake")
    receipt = file_via_api(narrative=NARRATIVE, name="Maria Example",
                           a_number="A12345678")["receipt"]
    client.post(f"/staff/complaints/{receipt}/notes", data={"body": "Asked for records."})
    response = client.get(f"/staff/complaints/{receipt}/print")
    page = text(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("no-store")
    for fact in (receipt, NARRATIVE, "Maria Example", "A012345678", "Asked for records.",
                 "Conditions in immigration detention"):
        assert fact in page, fact
    assert "<form" not in page


# -- staff entry -----------------------------------------------------------------------------


def entry_form(**changes: Any) -> dict[str, Any]:
    form = {"channel": "mail", "received_on": "2025-03-04", "primary_category": "use_of_force",
            "categories": ["medical_care"], "narrative": NARRATIVE, "incident_month_m": "02",
            "incident_year": "2025", "components": ["ICE", "CONTRACTOR"],
            "currently_detained": "yes", "privacy_acknowledged": "y", "language": "es",
            "name": "Maria Example"}
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_staff_enter_a_mailed_complaint_routed_like_a_public_one(app, staff_client,
                                                                 file_via_api) -> None:
    client, member = staff_client("intake")
    response = client.post("/staff/complaints/new", data=entry_form())
    assert response.status_code == 302
    receipt = response.headers["Location"].rsplit("/", 1)[-1]
    entered = complaint(app, receipt)
    assert (entered.channel, entered.language) == ("mail", "es")
    assert entered.received_at.date() == date(2025, 3, 4)
    assert entered.received_at.tzinfo is not None

    public = complaint(app, file_via_api(
        primary_category="use_of_force", categories=["medical_care"], narrative="Other words.",
        incident_month="2025-02", components=["ICE", "CONTRACTOR"], currently_detained=True,
    )["receipt"])
    for routed in ("section", "priority", "priority_rank", "restricted", "flags"):
        assert getattr(entered, routed) == getattr(public, routed), routed
    assert [r["rule"] for r in entered.routing_reasons] == \
        [r["rule"] for r in public.routing_reasons]
    (filed,) = events(app, "filed", receipt)
    assert (filed.actor, filed.data["channel"]) == (f"staff:{member.id}", "mail")
    assert [e.actor for e in events(app, "routed", receipt)] == ["system"]


def test_staff_entry_refuses_a_future_date_and_keeps_what_was_typed(app, staff_client) -> None:
    client, _ = staff_client("supervisor")
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    response = client.post("/staff/complaints/new", data=entry_form(
        received_on=tomorrow, channel="fax"))
    page = text(response)
    assert response.status_code == 422
    assert "Enter the date it was received, not in the future, as YYYY-MM-DD." in page
    assert textarea(page, "narrative") == NARRATIVE
    assert f'value="{tomorrow}"' in page
    assert re.search(r'<option value="fax"\s+selected', page)
    assert 'value="Maria Example"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0


@pytest.mark.parametrize("channel", ["web", "api", "", "pigeon"])
def test_staff_entry_takes_only_the_staff_channels(app, staff_client, channel) -> None:
    client, _ = staff_client("intake")
    response = client.post("/staff/complaints/new", data=entry_form(channel=channel))
    assert response.status_code == 422
    assert "Choose how the complaint arrived." in text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0


# -- bulk actions ------------------------------------------------------------------------------


def bulk(client: Any, receipts: list[str], **fields: str) -> Any:
    return client.post("/staff/bulk", data={"receipt": receipts, **fields})


def summary(response: Any) -> str:
    return re.search(r'data-testid="bulk-summary">(.*?)<', text(response)).group(1)


def test_bulk_moves_check_the_workflow_for_each_complaint(app, staff_client,
                                                          file_via_api) -> None:
    client, _ = staff_client("intake")
    fresh = [file_via_api()["receipt"] for _ in range(2)]
    finished = file_via_api()["receipt"]
    close(client, finished)
    response = bulk(client, [*fresh, finished], bulk_action="move", to="intake_review")
    assert response.status_code == 200
    assert summary(response) == "Done: 2. Refused: 1."
    assert f"{finished}: Only supervisors may reopen a closed complaint." in text(response)
    assert [complaint(app, r).status for r in fresh] == ["intake_review"] * 2
    assert complaint(app, finished).status == "closed"


def test_bulk_section_changes_report_what_was_refused(app, staff_client, make_staff,
                                                      file_via_api) -> None:
    client, _ = staff_client("supervisor")
    worker = make_staff("investigator", section="IMM")
    plain = [file_via_api()["receipt"] for _ in range(2)]
    with app.app_context():
        row = db.session.scalar(select(Complaint).where(Complaint.receipt == plain[0]))
        row.assignee_id = worker.id
        db.session.commit()
    hidden = file_via_api(primary_category="sexual_abuse", categories=[])["receipt"]
    response = bulk(client, [*plain, hidden, "CR-2345-6789"], bulk_action="assign_section",
                    section="ADG")
    assert summary(response) == "Done: 2. Refused: 2."
    assert [complaint(app, r).section for r in plain] == ["ADG", "ADG"]
    assert complaint(app, plain[0]).assignee_id is None
    assert complaint(app, hidden).section == "CMP", "no details, no change"
    assert "CR-2345-6789: Not found." in text(response)


def test_bulk_actions_refuse_more_than_500_at_once(app, staff_client, file_via_api) -> None:
    client, _ = staff_client("intake")
    real = file_via_api()["receipt"]
    receipts = [real] + [f"CR-{n:04d}-XXXX" for n in range(500)]
    response = bulk(client, receipts, bulk_action="move", to="intake_review")
    assert response.status_code == 400
    assert "Select at most 500 complaints at once." in text(response)
    assert complaint(app, real).status == "received"
    assert bulk(client, [], bulk_action="move", to="intake_review").status_code == 400
    assert bulk(client, [real], bulk_action="delete").status_code == 400


def test_bulk_actions_are_for_intake_and_supervisors_only(app, staff_client,
                                                          file_via_api) -> None:
    receipt = file_via_api()["receipt"]
    for role in ("investigator", "analyst", "admin"):
        client, _ = staff_client(role)
        assert bulk(client, [receipt], bulk_action="move", to="intake_review"
                    ).status_code == 403, role
    assert complaint(app, receipt).status == "received"


# -- account administration --------------------------------------------------------------------


def staff(app: Any, email: str) -> StaffUser:
    with app.app_context():
        row = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        assert row is not None
        db.session.expunge(row)
        return row


def test_admins_create_change_disable_and_reset_accounts_each_audited(app, staff_client,
                                                                      make_staff) -> None:
    client, admin = staff_client("admin")
    actor = f"staff:{admin.id}"
    created = client.post("/staff/accounts", data={
        "email": "New.Person@Example.org", "name": "New  Person", "role": "investigator",
        "section": "CMP", "password": "a fine long password"})
    assert created.status_code == 302
    person = staff(app, "new.person@example.org")
    assert (person.name, person.role, person.section, person.restricted_access) == (
        "New Person", "investigator", "CMP", False)
    assert person.password_hash.startswith("$argon2id$")
    (event,) = [e for e in events(app, "staff_created") if e.actor == actor]
    assert (event.actor, event.data["staff_id"], event.data["role"]) == (
        actor, person.id, "investigator")
    assert "a fine long password" not in str(event.data)

    assert client.post(f"/staff/accounts/{person.id}", data={
        "name": "New Person", "role": "supervisor", "section": "", "restricted_access": "y"}
    ).status_code == 302
    (updated,) = events(app, "staff_updated")
    assert updated.actor == actor
    assert updated.data["changes"]["role"] == {"from": "investigator", "to": "supervisor"}
    assert updated.data["changes"]["restricted_access"] == {"from": False, "to": True}

    assert client.post(f"/staff/accounts/{person.id}/active", data={"active": "no"}
                       ).status_code == 302
    assert not staff(app, person.email).active
    assert client.post(f"/staff/accounts/{person.id}/active", data={"active": "yes"}
                       ).status_code == 302
    assert staff(app, person.email).active
    assert [e.actor for e in events(app, "staff_disabled")] == [actor]
    assert [e.actor for e in events(app, "staff_enabled")] == [actor]

    enrolled = make_staff("intake")
    assert staff(app, enrolled.email).totp_enabled
    assert client.post(f"/staff/accounts/{enrolled.id}/reset-two-factor").status_code == 302
    reset = staff(app, enrolled.email)
    assert (reset.totp_enabled, reset.totp_secret) == (False, None)
    assert [(e.actor, e.data["staff_id"]) for e in events(app, "two_factor_reset")] == [
        (actor, enrolled.id)]

    listing = text(client.get("/staff/accounts"))
    assert "new.person@example.org" in listing
    assert enrolled.email in listing


@pytest.mark.parametrize(("data", "message"), [
    ({"email": "short@example.org", "name": "A", "role": "intake", "password": "short"},
     "Use a password of at least 12 characters."),
    ({"email": "who@example.org", "name": "A", "role": "investigator",
      "password": "long enough password"}, "Investigators need a section."),
    ({"email": "not-an-email", "name": "A", "role": "intake",
      "password": "long enough password"}, "That is not a valid email address."),
    ({"email": "who@example.org", "name": "A", "role": "superuser",
      "password": "long enough password"}, "Unknown role."),
])
def test_account_creation_refuses_bad_details_and_keeps_the_form(app, staff_client, data,
                                                                 message) -> None:
    client, _ = staff_client("admin")
    response = client.post("/staff/accounts", data=data)
    assert response.status_code == 422
    assert message in text(response)
    assert f'value="{data["email"]}"' in text(response)
    assert [e for e in events(app, "staff_created") if e.actor != "test"] == []


def test_an_admin_cannot_disable_their_own_account_or_create_a_duplicate(
        app, staff_client) -> None:
    client, admin = staff_client("admin")
    client.post(f"/staff/accounts/{admin.id}/active", data={"active": "no"})
    assert staff(app, admin.email).active
    duplicate = client.post("/staff/accounts", data={
        "email": admin.email.upper(), "name": "Twin", "role": "intake",
        "password": "long enough password"})
    assert duplicate.status_code == 422
    assert "An account with that email already exists." in text(duplicate)


@pytest.mark.parametrize("role", ["intake", "investigator", "supervisor", "analyst"])
def test_only_admins_manage_accounts(app, staff_client, make_staff, role) -> None:
    client, _ = staff_client(role)
    other = make_staff("intake")
    for method, url, data in [
            ("GET", "/staff/accounts", None),
            ("POST", "/staff/accounts", {"email": "x@example.org", "name": "X",
                                         "role": "admin", "password": "long enough pass"}),
            ("GET", f"/staff/accounts/{other.id}", None),
            ("POST", f"/staff/accounts/{other.id}", {"name": "X", "role": "admin"}),
            ("POST", f"/staff/accounts/{other.id}/active", {"active": "no"}),
            ("POST", f"/staff/accounts/{other.id}/reset-two-factor", {})]:
        assert client.open(url, method=method, data=data).status_code == 403, (method, url)
    person = staff(app, other.email)
    assert (person.role, person.active, person.totp_enabled) == ("intake", True, True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StaffUser).where(
            StaffUser.email == "x@example.org")) == 0


def test_the_case_page_says_when_it_happened_in_words(app, staff_client, file_via_api) -> None:
    client, _ = staff_client("intake")
    month_only = file_via_api(incident_month="2025-01")["receipt"]
    with_day = file_via_api(incident_month="2025-03", incident_day=7)["receipt"]
    assert re.search(r"When</dt>\s*<dd[^>]*>January 2025<",
                     text(client.get(f"/staff/complaints/{month_only}")))
    assert re.search(r"When</dt>\s*<dd[^>]*>March 7, 2025<",
                     text(client.get(f"/staff/complaints/{with_day}")))
