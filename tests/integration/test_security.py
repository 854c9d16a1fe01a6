"""Safe by default: headers, CSP, no-store, CSRF, request limits, rate limits, and no 500 for
anything a user can send."""

from __future__ import annotations

import os
import re
import uuid

import pytest

from complaints.extensions import limiter
from tests.conftest import valid_intake

PUBLIC_PAGES = ["/en/", "/en/file", "/en/status", "/es/", "/ar/file"]


@pytest.mark.parametrize("path", PUBLIC_PAGES + ["/api/v1/openapi.json", "/healthz"])
def test_security_headers(client, path) -> None:
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/en/file", "/en/status", "/en/file/confirmation"])
def test_pages_with_complaint_data_are_not_cached(client, path) -> None:
    assert client.get(path).headers["Cache-Control"].startswith("no-store")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_no_inline_script_or_style(client, path) -> None:
    html = client.get(path).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"
    assert not re.search(r'(?:src|href|action)="(?:https?:)?//', html), \
        "everything is served locally"


@pytest.fixture
def csrf_app(app_factory):
    return app_factory(WTF_CSRF_ENABLED=True)


def test_csrf_is_required_and_nothing_typed_is_lost(csrf_app) -> None:
    client = csrf_app.test_client()
    response = client.post("/en/file", data={
        "step": "what", "action": "next", "narrative": "Kept narrative text",
        "primary_category": "retaliation", "incident_year": "2025"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your session expired" in html
    assert "Kept narrative text</textarea>" in html
    assert 'value="retaliation" checked' in html
    assert client.post("/en/status", data={"receipt": "x", "access_code": "y"}).status_code == 400


def test_csrf_token_lets_the_form_through(csrf_app) -> None:
    client = csrf_app.test_client()
    page = client.get("/en/file").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/en/file", data={"csrf_token": token, "step": "what",
                                              "action": "next"})
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)


def test_api_does_not_need_csrf(csrf_app) -> None:
    response = csrf_app.test_client().post("/api/v1/complaints", json=valid_intake())
    assert response.status_code == 201


@pytest.fixture
def limited_app(app_factory):
    """An app with rate limits on, counted in Redis when TEST_REDIS_URL is set."""
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_FILING="2 per minute",
                    RATELIMIT_STATUS="2 per minute",
                    RATELIMIT_STORAGE_URI=os.environ.get("TEST_REDIS_URL", "memory://"),
                    RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    yield app
    limiter.reset()
    limiter.enabled = False  # the limiter is shared: leave it as the other tests expect


def test_filing_is_rate_limited_per_address(limited_app) -> None:
    client = limited_app.test_client()
    codes = [client.post("/api/v1/complaints", json=valid_intake()).status_code
             for _ in range(3)]
    assert codes == [201, 201, 429]
    limited = client.post("/api/v1/complaints", json=valid_intake())
    assert int(limited.headers["Retry-After"]) > 0
    other = limited_app.test_client().post("/api/v1/complaints", json=valid_intake(),
                                           environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other.status_code == 201


def test_status_lookups_are_rate_limited_with_a_page(limited_app) -> None:
    client = limited_app.test_client()
    for _ in range(2):
        client.post("/en/status", data={"receipt": "CR-2345-6789", "access_code": "x"})
    response = client.post("/en/status", data={"receipt": "CR-2345-6789", "access_code": "x"})
    assert response.status_code == 429
    assert response.headers["Retry-After"]
    html = response.get_data(as_text=True)
    assert "You have tried this too many times in a short time." in html
    assert "Please wait 1 minute and try again." in html
    assert 'value="CR-2345-6789"' in html, "what was typed is kept"
    assert response.headers["Cache-Control"].startswith("no-store")


def test_form_steps_are_not_limited_only_submission(limited_app) -> None:
    client = limited_app.test_client()
    codes = {client.post("/en/file", data={"step": "what", "action": "next"}).status_code
             for _ in range(5)}
    assert codes == {200}


NASTY = ["\x00", "%00", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
         "A" * 5000, "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "💥" * 50]


@pytest.mark.parametrize("value", NASTY)
def test_nothing_a_user_sends_gives_a_500(client, value) -> None:
    form_fields = ["narrative", "primary_category", "components", "incident_year",
                   "incident_month_m", "incident_day", "email", "a_number", "dob_year", "state",
                   "language", "step", "action", "submission_key", "receipt", "access_code"]
    for step in ("what", "where", "safety", "you", "files", "review"):
        for action in ("next", "back", "submit", "stay", "goto:what", value):
            data = {name: value for name in form_fields}
            data.update(step=step, action=action)
            assert client.post("/en/file", data=data).status_code < 500
    assert client.post("/en/status", data={"receipt": value, "access_code": value}
                       ).status_code < 500
    assert client.get("/api/v1/complaints/x/status",
                      headers={"X-Access-Code": value.encode().decode("latin-1")}
                      ).status_code == 404
    assert client.post("/api/v1/complaints", json={k: value for k in valid_intake()}
                       ).status_code == 422
    assert client.get("/en/" + value).status_code < 500
    assert client.get("/", headers={"Accept-Language": value.encode().decode("latin-1")}
                      ).status_code == 302


def test_wrong_methods_and_bad_paths(client) -> None:
    assert client.delete("/en/file").status_code == 405
    assert client.get("/api/v1/complaints").status_code in (401, 405)
    assert client.get("/api/nothing").get_json()["error"] == 404


def test_failed_submissions_never_count_toward_the_filing_limit(limited_app) -> None:
    from tests.integration.test_public_form import post_step, walk_to_review

    client = limited_app.test_client()
    review = walk_to_review(client)
    for _ in range(5):  # the privacy box forgotten, again and again
        forgot = post_step(client, review, {}, action="submit")
        assert forgot.status_code == 200
        assert "Confirm that you have read how we use your information." in forgot.get_data(
            as_text=True)
    filed = post_step(client, review, {"privacy_acknowledged": "y"}, action="submit")
    assert filed.status_code == 200
    assert 'data-testid="access-code"' in filed.get_data(as_text=True)


def test_over_the_filing_limit_the_form_keeps_every_typed_value(limited_app) -> None:
    from tests.integration.test_public_form import (
        STEP_WHAT,
        hidden_and_visible_values,
        post_step,
        walk_to_review,
    )

    client = limited_app.test_client()
    for _ in range(2):
        review = walk_to_review(client)
        assert post_step(client, review, {"privacy_acknowledged": "y"},
                         action="submit").status_code == 200
    review = walk_to_review(client)
    limited = post_step(client, review, {"privacy_acknowledged": "y"}, action="submit")
    html = limited.get_data(as_text=True)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.headers["Cache-Control"].startswith("no-store")
    assert "Your complaint has not been sent yet" in html
    assert "Everything you typed is still here." in html
    assert "Please wait 1 minute and try again." in html
    kept = hidden_and_visible_values(html)
    sent = hidden_and_visible_values(review)
    for name, values in sent.items():
        if name not in ("csrf_token", "action"):
            assert kept.get(name) == values, name
    assert kept["narrative"] == [STEP_WHAT["narrative"]]
    assert kept["privacy_acknowledged"] == ["y"]
    assert "Step 6 of 6" in html
