"""The public JSON API exactly as CONTRACT.md: filing, status, errors, OpenAPI, health."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import AuditEvent, Complaint, OutboxMessage
from tests.conftest import valid_intake


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_filing_returns_receipt_code_and_status(client, app) -> None:
    response = client.post("/api/v1/complaints", json=valid_intake())
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) >= {"receipt", "access_code", "status", "public_status"}
    assert body["status"] == "received"
    assert body["public_status"] == "received"
    assert response.headers["Location"].endswith(f"/api/v1/complaints/{body['receipt']}/status")
    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert complaint.receipt == body["receipt"]
        assert complaint.channel == "api"
        assert body["access_code"] not in complaint.access_code_hash
        assert complaint.section == "IMM"
        assert complaint.components == ["ICE"]
        assert complaint.secondary_categories == ["language_access"]
        kinds = [e.kind for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert kinds == ["filed", "routed"]


def test_status_with_the_right_code(client, file_via_api) -> None:
    filed = file_via_api()
    response = client.get(f"/api/v1/complaints/{filed['receipt']}/status",
                          headers={"X-Access-Code": filed["access_code"]})
    assert response.status_code == 200
    body = response.get_json()
    assert body["receipt"] == filed["receipt"]
    assert body["public_status"] == "received"
    assert body["updated_at"]
    assert response.headers["Cache-Control"].startswith("no-store")


def test_wrong_code_and_unknown_receipt_look_the_same(client, file_via_api) -> None:
    filed = file_via_api()
    wrong = client.get(f"/api/v1/complaints/{filed['receipt']}/status",
                       headers={"X-Access-Code": "AAAA-BBBB-CCCC-DDDD"})
    unknown = client.get("/api/v1/complaints/CR-2345-6789/status",
                         headers={"X-Access-Code": filed["access_code"]})
    missing = client.get(f"/api/v1/complaints/{filed['receipt']}/status")
    garbage = client.get("/api/v1/complaints/%00%ff/status", headers={"X-Access-Code": "x"})
    for response in (wrong, unknown, missing, garbage):
        assert response.status_code == 404
    assert wrong.get_json() == unknown.get_json() == missing.get_json()


def test_routing_and_acknowledgement(client, app) -> None:
    response = client.post("/api/v1/complaints", json=valid_intake(
        primary_category="sexual_abuse", currently_detained=True, minor_involved=True,
        email="filer@example.org", language="es"))
    assert response.status_code == 201
    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert (complaint.section, complaint.priority, complaint.restricted) == (
            "CMP", "urgent", True)
        assert complaint.language == "es"
        rules = {r["rule"] for r in complaint.routing_reasons}
        assert {"category_sexual_abuse", "child_in_custody", "protected_category"} <= rules
        message = db.session.scalar(select(OutboxMessage))
        assert message.recipient == "filer@example.org"
        assert message.state == "pending"
        assert complaint.receipt in message.subject


def test_language_defaults_to_accept_language(client, app) -> None:
    client.post("/api/v1/complaints", json=valid_intake(),
                headers={"Accept-Language": "zh-TW,zh;q=0.8"})
    with app.app_context():
        assert db.session.scalar(select(Complaint.language)) == "zh_Hant"


@pytest.mark.parametrize(("changes", "field"), [
    ({"surprise": 1}, "surprise"),
    ({"narrative": 12}, "narrative"),
    ({"components": "ICE"}, "components"),
    ({"currently_detained": "yes"}, "currently_detained"),
    ({"incident_day": "first"}, "incident_day"),
    ({"incident_month": "2999-01"}, "incident_month"),
    ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
    ({"a_number": "12345"}, "a_number"),
    ({"email": "someone@"}, "email"),
    ({"narrative": "x" * 10_001}, "narrative"),
    ({"privacy_acknowledged": False}, "privacy_acknowledged"),
    ({"primary_category": None}, "primary_category"),
    ({"language": "xx"}, "language"),
])
def test_invalid_bodies_get_field_errors(client, app, changes, field) -> None:
    response = client.post("/api/v1/complaints", json=valid_intake(**changes) | changes)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert field in errors
    assert all(isinstance(m, str) and m for m in errors[field])
    assert count(app, Complaint) == 0


def test_unknown_fields_are_reported_with_other_errors(client) -> None:
    response = client.post("/api/v1/complaints", json={"extra": True, "narrative": 5})
    errors = response.get_json()["errors"]
    assert response.status_code == 422
    assert {"extra", "narrative", "primary_category"} <= set(errors)


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\"text\"", b"\xff\xfe\x00",
                                  b"", b"null", b"{\"narrative\": \"\\u0000\"}",
                                  b"[" * 5000 + b"]" * 5000])
def test_malformed_bodies_are_422_not_500(client, app, body) -> None:
    response = client.post("/api/v1/complaints", data=body, content_type="application/json")
    assert response.status_code == 422
    assert "errors" in response.get_json()


def test_nul_bytes_are_stripped_not_stored(client, app) -> None:
    body = valid_intake(narrative="Before\x00 after, with enough words to matter here.",
                        name="Ana\x00")
    response = client.post("/api/v1/complaints", data=json.dumps(body),
                           content_type="application/json")
    assert response.status_code == 201
    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert "\x00" not in complaint.narrative
        assert complaint.name == "Ana"


def test_huge_bodies_are_refused(client, app) -> None:
    body = json.dumps(valid_intake(narrative="x" * 2_000_000))
    response = client.post("/api/v1/complaints", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"] == 413


def test_errors_follow_accept_language(client) -> None:
    response = client.post("/api/v1/complaints", json={"narrative": 5},
                           headers={"Accept-Language": "en-US"})
    assert response.get_json()["errors"]["narrative"] == ["Must be text."]


def test_openapi_document_describes_the_contract(client) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/complaints", "/api/v1/complaints/{receipt}/status", "/healthz"} <= set(
        doc["paths"])
    intake = doc["components"]["schemas"]["Intake"]
    assert intake["additionalProperties"] is False
    assert set(intake["required"]) == {"primary_category", "components", "narrative",
                                       "incident_month", "privacy_acknowledged"}
    assert intake["properties"]["narrative"]["maxLength"] == 10_000


def test_healthz(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok",
                                                             "rate_limits": "disabled"}}


def test_possible_duplicates_are_flagged_not_merged(client, app, file_via_api) -> None:
    first = file_via_api(email="same@example.org")
    second = file_via_api(email="SAME@example.org", narrative="A different story entirely, "
                          "about a search at the airport that felt like profiling.")
    third = file_via_api(a_number="A98765432")
    fourth = file_via_api(a_number="098765432", primary_category="other")
    with app.app_context():
        rows = {c.receipt: c for c in db.session.scalars(select(Complaint))}
        assert len(rows) == 4
        assert not rows[first["receipt"]].possible_duplicate
        assert rows[second["receipt"]].possible_duplicate
        assert "possible_duplicate" in rows[second["receipt"]].flags
        # The third repeats the first two's narrative; the fourth repeats the third's A-number.
        assert rows[third["receipt"]].possible_duplicate
        assert rows[fourth["receipt"]].possible_duplicate


FREE_TEXT_FIELDS = ["narrative", "name", "address", "city", "country", "facility", "officials",
                    "witnesses", "steps_taken", "detention_location", "filer_name",
                    "filer_organization", "email", "phone", "a_number"]


@pytest.mark.parametrize("field", FREE_TEXT_FIELDS)
def test_a_lone_surrogate_in_any_text_field_is_a_translated_422(client, app, field) -> None:
    body = json.dumps(valid_intake()).replace('"privacy_acknowledged"',
                                              f'"{field}": "Ana \\ud800 Mar\\u00eda", '
                                              '"privacy_acknowledged"')
    response = client.post("/api/v1/complaints", data=body, content_type="application/json",
                           headers={"Accept-Language": "es"})
    assert response.status_code == 422
    assert response.get_json()["errors"][field] == [
        "Contiene caracteres que no se pueden guardar. Quítelos e intente de nuevo."]
    assert count(app, Complaint) == 0


@pytest.mark.parametrize("key", ["x" * 65, "short", "bad key with spaces and more than 16"])
def test_a_submission_key_our_form_never_makes_is_ignored_not_a_500(app, key) -> None:
    from complaints.services.intake import file_complaint

    with app.test_request_context():
        filed = file_complaint(valid_intake(), channel="web", default_language="en",
                               actor="public", submission_key=key)
        stored = db.session.get(Complaint, filed.complaint.id)
        assert stored is not None
        assert stored.submission_key is None
