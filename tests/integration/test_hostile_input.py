"""Hostile input, generated: every intake field given lone surrogates, NUL and other controls,
right-to-left overrides, 100,000-character strings, wrong JSON types and deeply nested JSON,
on SQLite and PostgreSQL. Nothing a client sends may produce a 5xx: the answer is a filing
(201), a field error (422) or a body too large (413), and a filing stores what it said."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.models import Complaint
from complaints.services.intake_rules import FIELDS
from tests.conftest import valid_intake

HOSTILE_CHARACTERS = [
    "\x00", "\x07", "\x1b", "\x7f", "\r\n", "\t",
    "\u202e", "\u202d", "\u2066", "\u200f", "\u200b", "\ufeff", "\u2028",  # bidi, zero-width
    "\u0301", "\u0958", "\ufdfa",  # combining, no composed form, longest expansion
    "\U0001f4a5", "\U000e0041", "\uffff", "\U0010ffff",
    "\ud800", "\udfff", "\udbff\udc00",  # lone surrogates (and a valid pair written apart)
    "'", '"', "\\", "%", "_", "<script>", "${x}", "{{7*7}}", "--", ";",
]
characters = st.one_of(st.characters(), st.sampled_from(HOSTILE_CHARACTERS),
                       st.characters(categories=["Cs"]))
hostile_text = st.one_of(
    st.lists(characters, max_size=40).map("".join),
    st.sampled_from(HOSTILE_CHARACTERS).map(lambda c: c * 100_000),
    st.just("\u202e" + "x" * 9_998 + "\u202c"),
    st.just("a" * 10_001),
)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70),
                                                               max_value=2**70),
                         st.floats(allow_nan=False, allow_infinity=False), hostile_text)
hostile_value = st.one_of(
    hostile_text,
    json_scalars,
    st.lists(json_scalars, max_size=5),
    st.dictionaries(hostile_text, json_scalars, max_size=3),
    st.integers(min_value=50, max_value=900).map(lambda depth: "[" * depth + "]" * depth),
)
SETTINGS = settings(deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


def _post(client: Any, body: Any, raw: bool = False) -> Any:
    data = body if raw else json.dumps(body)  # lone surrogates travel as \\ud800 escapes
    return client.post("/api/v1/complaints", data=data, content_type="application/json")


def _nested(value: Any) -> Any:
    """Strings made of brackets stand for that deep a JSON value, sent as JSON itself."""
    if isinstance(value, str) and value.startswith("[[") and set(value) <= {"[", "]"}:
        return json.loads(value)
    return value


@pytest.mark.parametrize("field", [spec.name for spec in FIELDS])
def test_no_hostile_value_in_any_field_gives_a_server_error(client, app, field) -> None:
    @settings(SETTINGS, max_examples=12)
    @given(value=hostile_value)
    def attempt(value: Any) -> None:
        body = {**valid_intake(), field: _nested(value)}
        response = _post(client, body)
        assert response.status_code in (201, 413, 422), (field, value, response.get_json())
        if response.status_code == 422:
            assert all(isinstance(m, str) and m for m in response.get_json()["errors"][field])

    attempt()


def test_no_body_of_hostile_values_gives_a_server_error(client, app) -> None:
    filed = 0

    @settings(SETTINGS, max_examples=60)
    @given(changes=st.dictionaries(st.sampled_from([spec.name for spec in FIELDS]),
                                   hostile_value, max_size=8))
    def attempt(changes: dict[str, Any]) -> None:
        nonlocal filed
        response = _post(client, {**valid_intake(), **changes})
        assert response.status_code in (201, 413, 422), (changes, response.get_json())
        filed += response.status_code == 201

    attempt()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == filed


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"narrative": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    b'{"narrative": "\\ud800"}',
    b'{"\\ud800": 1}',
    b'{"narrative": "' + b"\\u0000" * 20_000 + b'"}',
    "{\"narrative\": \"\u202e\u202e\u202e\"}".encode(),
    b"\xed\xa0\x80",
    b'{"incident_day": 1e400}',
    b'{"incident_day": ' + b"9" * 5000 + b"}",
])
def test_malformed_and_deep_bodies_are_refused_not_500(client, body) -> None:
    response = _post(client, body, raw=True)
    assert response.status_code in (413, 422)


def test_hostile_text_that_is_stored_comes_back_as_sent_but_tidied(client, app) -> None:
    narrative = "\u202eRight-to-left override, then normal text about the guards.\u202c"
    name = "Ana\x00 \u0645\u0631\u064a\u0645"
    filed = _post(client, valid_intake(narrative=narrative, name=name))
    assert filed.status_code == 201
    with app.app_context():
        stored = db.session.scalar(select(Complaint))
        assert stored.narrative == narrative
        assert stored.name == "Ana \u0645\u0631\u064a\u0645"


@settings(SETTINGS, max_examples=40)
@given(receipt=hostile_text,
       code=st.text(st.characters(codec="latin-1", exclude_characters="\r\n\x00"), max_size=200))
def test_no_status_look_up_gives_a_server_error(client, receipt, code) -> None:
    path = "/api/v1/complaints/" + json.dumps(receipt)[1:-1].replace("/", "%2F")[:500] + "/status"
    response = client.get(path, headers={"X-Access-Code": code})
    assert response.status_code in (308, 404), response.status_code  # 308: an empty segment
