"""Configuration, migrations and the schema they build."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from complaints import create_app
from complaints.config import ConfigError
from complaints.extensions import db
from complaints.models.search_schema import include_object
from tests.conftest import close_app


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    with pytest.raises(ConfigError, match="at least 32"):
        create_app({"ENV": "production", "SECRET_KEY": "short",
                    "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    app = create_app({"ENV": "production", "SECRET_KEY": "k" * 40,
                      "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    close_app(app)


def test_environment_overrides_defaults(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("MAIL_PORT", "2525")
    app = create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["RATELIMIT_ENABLED"] is False
    assert app.config["MAIL_PORT"] == 2525
    close_app(app)


def test_bad_numbers_in_the_environment_are_explained(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("MAIL_PORT", "twenty-five")
    with pytest.raises(ConfigError, match="MAIL_PORT"):
        create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_migrations_build_exactly_the_models(app) -> None:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object})
        assert compare_metadata(context, db.metadata) == []


def test_commands_explain_a_configuration_error_in_one_line(tmp_path) -> None:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("SECRET_KEY", "COMPLAINTS_ENV")}
    environment.update({"COMPLAINTS_ENV": "production",
                        "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    done = subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "flask", "--app", "complaints", "check-stats"],
        env=environment, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("Error: SECRET_KEY is not set.")
    assert "Traceback" not in done.stderr
