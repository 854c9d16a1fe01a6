"""Degrade, don't fail: with the rate-limit storage down or hanging, filing, status look-ups and
sign-in still work, limits still apply (counted per process), one warning is logged and
/healthz says so; memory limits under several workers are called out at start."""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from complaints.config import Settings, startup_warnings
from complaints.extensions import limiter
from tests.conftest import valid_intake


@pytest.fixture
def hanging_redis() -> Iterator[str]:
    """An address that takes connections and never answers them (a hung server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        server.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(params=["refused", "hanging"])
def redis_down_app(request, app_factory, hanging_redis) -> Iterator[Any]:
    uri = f"redis://127.0.0.1:{_closed_port()}/0" if request.param == "refused" \
        else hanging_redis
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=uri,
                      RATELIMIT_FILING="2 per minute", RATELIMIT_STATUS="3 per minute",
                      RATELIMIT_SIGNIN="3 per minute", RATELIMIT_SIGNIN_ACCOUNT="3 per minute",
                      RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    yield app
    limiter.enabled = False  # the limiter is shared: leave it as the other tests expect


def test_filing_works_and_is_still_limited_while_redis_is_down(redis_down_app, caplog) -> None:
    client = redis_down_app.test_client()
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        started = time.monotonic()
        codes = [client.post("/api/v1/complaints", json=valid_intake()).status_code
                 for _ in range(3)]
        elapsed = time.monotonic() - started
    assert codes == [201, 201, 429], "limits fall back to memory, they do not disappear"
    assert elapsed < 5, "a hung storage costs a request its short timeout, not a hang"
    fallbacks = [r for r in caplog.records if "falling back to in-memory" in r.getMessage()]
    assert len(fallbacks) == 1, "one warning for the outage, not one per request"


def test_status_look_ups_work_while_redis_is_down(redis_down_app) -> None:
    client = redis_down_app.test_client()
    filed = client.post("/api/v1/complaints", json=valid_intake()).get_json()
    response = client.get(f"/api/v1/complaints/{filed['receipt']}/status",
                          headers={"X-Access-Code": filed["access_code"]})
    assert response.status_code == 200
    assert response.get_json()["public_status_text"] == "Received"
    page = client.post("/en/status", data={"receipt": filed["receipt"],
                                           "access_code": filed["access_code"]})
    assert page.status_code == 200
    assert "Received" in page.get_data(as_text=True)
    for _ in range(3):
        client.post("/en/status", data={"receipt": "CR-2345-6789", "access_code": "x"})
    assert client.post("/en/status", data={"receipt": "CR-2345-6789",
                                           "access_code": "x"}).status_code == 429


def test_staff_sign_in_works_while_redis_is_down(redis_down_app) -> None:
    from tests.conftest import StaffMember

    member = StaffMember(redis_down_app, "intake", None, False, two_factor=True)
    client = redis_down_app.test_client()
    assert member.sign_in(client).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_healthz_reports_the_degraded_rate_limit_storage(redis_down_app) -> None:
    response = redis_down_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "degraded",
                                   "checks": {"database": "ok", "rate_limits": "fallback"}}


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="needs TEST_REDIS_URL")
def test_healthz_is_ok_with_redis_answering(app_factory) -> None:
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=os.environ["TEST_REDIS_URL"])
    try:
        response = app.test_client().get("/healthz")
    finally:
        limiter.enabled = False
    assert response.get_json() == {"status": "ok",
                                   "checks": {"database": "ok", "rate_limits": "ok"}}


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path) -> None:
    from complaints import create_app

    missing = tmp_path / "no-such-folder" / "complaints.db"
    app = create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{missing}",
                      "RATELIMIT_ENABLED": False})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
    assert response.get_json()["checks"]["database"] == "unavailable"


def _settings(**values: Any) -> Settings:
    return Settings.load("/nonexistent", {"ENV": "production", "SECRET_KEY": "s" * 40,
                                          **values})


def test_memory_limits_under_several_production_workers_are_called_out() -> None:
    [warning] = startup_warnings(_settings(), workers=4)
    assert "each of 4 workers on its own" in warning
    assert startup_warnings(_settings(), workers=1) == []
    assert startup_warnings(_settings(RATELIMIT_STORAGE_URI="redis://r:6379/0"), workers=4) == []
    assert startup_warnings(_settings(RATELIMIT_ENABLED=False), workers=4) == []


def test_gunicorn_warns_once_at_start(monkeypatch) -> None:
    import runpy

    from complaints import PROJECT_ROOT

    monkeypatch.setenv("COMPLAINTS_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    hooks = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    said: list[str] = []
    server = SimpleNamespace(cfg=SimpleNamespace(workers=4),
                             log=SimpleNamespace(warning=said.append))
    hooks["on_starting"](server)
    assert len(said) == 1
    assert "4 times every limit" in said[0]


@pytest.mark.parametrize(("name", "value", "message"), [
    ("RATELIMIT_FILING", "ten per hour", "RATELIMIT_FILING is not a rate limit"),
    ("SQLITE_SYNCHRONOUS", "sometimes", "SQLITE_SYNCHRONOUS must be one of"),
    ("SQLITE_BUSY_TIMEOUT_MS", "-1", "must not be negative"),
    ("ACCESS_CODE_KEY", "short", "ACCESS_CODE_KEY must be at least 32"),
])
def test_settings_that_cannot_work_stop_the_app_with_the_reason(name, value, message) -> None:
    from complaints.config import ConfigError

    with pytest.raises(ConfigError, match=message):
        _settings(**{name: value})
