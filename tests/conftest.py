"""Shared fixtures: databases (SQLite always, PostgreSQL when TEST_DATABASE_URL is set), the app,
clients, and helpers that build data through the same services users go through."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def _postgres_base_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return None
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


BACKENDS = ["sqlite"] + (["postgresql"] if _postgres_base_url() else [])


@contextmanager
def temporary_database(kind: str, directory: Path) -> Iterator[str]:
    """A database of its own for one test run: a SQLite file, or a fresh PostgreSQL schema."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'test.db'}"
        return
    base = _postgres_base_url()
    assert base is not None
    schema = f"test_{uuid.uuid4().hex[:16]}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def build_app(database_url: str, **overrides: Any) -> Any:
    """An app on the given database with its schema migrated to the latest revision."""
    import flask_migrate

    from complaints import create_app

    config = {
        "ENV": "testing",
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
        "MAIL_SERVER": "",
        "PUBLIC_BASE_URL": "http://complaints.test",
        # Files go to a folder of this app's own, never the checkout's instance folder.
        "ATTACHMENT_DIR": tempfile.mkdtemp(prefix="attachments-"),
        "EXPORT_DIR": tempfile.mkdtemp(prefix="exports-"),
        **overrides,
    }
    app = create_app(config)
    with app.app_context():
        flask_migrate.upgrade()
    return app


def empty_all_tables(app: Any) -> None:
    from complaints.extensions import db

    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
    if app.config.get("ATTACHMENT_DIR"):  # the stored files go with their rows
        shutil.rmtree(app.config["ATTACHMENT_DIR"], ignore_errors=True)


def close_app(app: Any) -> None:
    """Release the app's database connections (PostgreSQL warns about unclosed ones)."""
    from complaints.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    for folder in ("ATTACHMENT_DIR", "EXPORT_DIR"):  # the app's own folders, made for it
        if app.config.get(folder):
            shutil.rmtree(app.config[folder], ignore_errors=True)


@pytest.fixture
def app_factory(database_url: str) -> Iterator[Any]:
    """Build extra apps with other settings on this run's database; cleaned up after the test."""
    made: list[Any] = []

    def _make(**overrides: Any) -> Any:
        made.append(build_app(database_url, **overrides))
        return made[-1]

    yield _make
    for extra in made:
        empty_all_tables(extra)
        close_app(extra)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[str]:
    with temporary_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        yield url


@pytest.fixture(scope="session")
def _session_app(database_url: str) -> Iterator[Any]:
    app = build_app(database_url)
    yield app
    close_app(app)


@pytest.fixture
def app(_session_app: Any) -> Iterator[Any]:
    yield _session_app
    empty_all_tables(_session_app)


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def runner(app: Any) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def db_session(app: Any) -> Iterator[Any]:
    from complaints.extensions import db

    with app.app_context():
        yield db.session
        db.session.remove()


def valid_intake(**changes: Any) -> dict[str, Any]:
    """A complete, valid API body; tests change what they are about."""
    body: dict[str, Any] = {
        "primary_category": "detention_conditions",
        "categories": ["language_access"],
        "components": ["ICE"],
        "narrative": "The facility has had no drinking water in our unit for four days and the "
                     "guards ignore our requests.",
        "incident_month": "2026-01",
        "privacy_acknowledged": True,
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


@pytest.fixture
def file_via_api(client: Any) -> Any:
    """File a complaint through the public API and return the JSON answer."""

    def _file(**changes: Any) -> dict[str, Any]:
        response = client.post("/api/v1/complaints", json=valid_intake(**changes))
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return _file


# -- staff -----------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still argon2id, with the cheapest parameters, so signing many accounts in stays fast;
    tests/integration/test_staff_auth.py checks the real parameters."""
    from argon2 import PasswordHasher

    from complaints.services import accounts

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", cheap)
    monkeypatch.setattr(accounts, "_dummy_hash", lambda: cheap.hash("not-a-real-password"))


STAFF_PASSWORD = "a long enough test password"


class StaffMember:
    """A staff account made through the accounts service, with its password and TOTP secret."""

    def __init__(self, app: Any, role: str, section: str | None, restricted: bool,
                 two_factor: bool) -> None:
        import pyotp

        from complaints.extensions import db
        from complaints.services import accounts

        with app.app_context():
            email = f"{role}.{uuid.uuid4().hex[:8]}@example.org"
            user = accounts.create_staff(
                accounts.StaffDetails(email, f"Test {role.title()}", role, section, restricted),
                STAFF_PASSWORD, "test")
            self.secret: str | None = None
            if two_factor:
                self.secret = pyotp.random_base32()
                user.totp_secret = self.secret
                user.totp_enabled = True
                db.session.commit()
            self.id, self.email, self.role, self.section = user.id, email, role, section
            self.restricted = restricted

    def code(self, steps_ahead: int = 0) -> str:
        """A valid code; steps_ahead gives the next step's code when this one was used."""
        import time

        import pyotp

        assert self.secret is not None
        return pyotp.TOTP(self.secret).at(time.time() + 30 * steps_ahead)

    def sign_in(self, client: Any) -> Any:
        """Sign in through the real pages: password, then two-factor code."""
        response = client.post("/staff/login", data={"email": self.email,
                                                     "password": STAFF_PASSWORD})
        if self.secret is None:
            return response
        assert response.status_code == 302, response.get_data(as_text=True)
        return client.post("/staff/login/code", data={"code": self.code()})

    def token(self, app: Any) -> str:
        from complaints.extensions import db
        from complaints.models import StaffUser
        from complaints.services import accounts

        with app.app_context():
            return accounts.create_token(db.session.get(StaffUser, self.id), "test", "test")


@pytest.fixture
def make_staff(app: Any) -> Any:
    """make_staff("investigator", section="IMM", restricted=True) -> StaffMember."""

    def _make(role: str, section: str | None = None, restricted: bool = False,
              two_factor: bool = True) -> StaffMember:
        if role == "investigator" and section is None:
            section = "IMM"
        return StaffMember(app, role, section, restricted, two_factor)

    return _make


@pytest.fixture
def staff_client(app: Any, make_staff: Any) -> Any:
    """staff_client("supervisor", restricted=True) -> (signed-in test client, StaffMember)."""

    def _client(role: str, **options: Any) -> tuple[Any, StaffMember]:
        member = make_staff(role, **options)
        client = app.test_client()
        response = member.sign_in(client)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client, member

    return _client
