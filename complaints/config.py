"""Typed configuration: defaults here, then environment variables, then instance/config.py.

The app refuses to start in production without a real SECRET_KEY; development and tests get a
generated one so `make run` works on a fresh machine.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import click
from limits import parse_many

from complaints.domain.taxonomy import N_


class ConfigError(click.ClickException, RuntimeError):
    """Raised when the configuration cannot run safely. A click exception, so the `flask`
    commands print it as one line (`Error: ...`, exit status 1) instead of a traceback."""


ENVIRONMENTS = ("production", "development", "testing")
SQLITE_SYNCHRONOUS_MODES = ("OFF", "NORMAL", "FULL", "EXTRA")
RATE_LIMIT_SETTINGS = ("RATELIMIT_FILING", "RATELIMIT_UPLOADS", "RATELIMIT_STATUS",
                       "RATELIMIT_SIGNIN",
                       "RATELIMIT_SIGNIN_ACCOUNT")


def _as_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class Settings:
    """Every setting the app reads, with its type and a safe default."""

    ENV: str = "production"
    SECRET_KEY: str = ""
    # Old secrets, newest first: Flask signs sessions with them too, and access codes hashed
    # under them stay verifiable (comma-separated in the environment).
    SECRET_KEY_FALLBACKS: list[str] = field(default_factory=list)
    # The secret access codes are hashed with; SECRET_KEY when empty.
    ACCESS_CODE_KEY: str = ""
    DATABASE_URL: str = ""
    # SQLite only: how long a writer waits for the lock (ms), and how hard commits reach disk.
    SQLITE_BUSY_TIMEOUT_MS: int = 5000
    SQLITE_SYNCHRONOUS: str = "FULL"
    RATELIMIT_STORAGE_URI: str = "memory://"
    RATELIMIT_ENABLED: bool = True
    RATELIMIT_FILING: str = "10 per hour;3 per minute"
    # Posts of the public form that carry files (each may store up to the per-file limit).
    RATELIMIT_UPLOADS: str = "60 per hour;20 per minute"
    RATELIMIT_STATUS: str = "30 per hour;10 per minute"
    RATELIMIT_SIGNIN: str = "20 per hour;5 per minute"
    RATELIMIT_SIGNIN_ACCOUNT: str = "10 per hour;5 per 15 minutes"
    STAFF_IDLE_MINUTES: int = 30
    STAFF_SESSION_HOURS: int = 12
    # Two-factor sign-in is required in production; development may switch it off.
    STAFF_REQUIRE_TWO_FACTOR: bool = True
    MAIL_SERVER: str = ""
    MAIL_PORT: int = 25
    MAIL_USE_TLS: bool = False
    MAIL_USERNAME: str = ""
    MAIL_PASSWORD: str = ""
    MAIL_DEFAULT_SENDER: str = "no-reply@complaints.invalid"
    MAIL_TIMEOUT: int = 20
    MAIL_MAX_ATTEMPTS: int = 8
    MAX_CONTENT_LENGTH: int = 1024 * 1024
    # Evidence files (README "Evidence files"): how many a complaint may have, how large each
    # may be, how long files received on the public form wait for it to be filed, and whether
    # the original of a re-encoded image is kept beside the clean copy.
    ATTACHMENT_MAX_FILES: int = 10
    ATTACHMENT_MAX_BYTES: int = 10_000_000  # shown as "10 MB"
    ATTACHMENT_MAX_PIXELS: int = 100_000_000
    ATTACHMENT_PENDING_HOURS: int = 24
    ATTACHMENT_KEEP_ORIGINALS: bool = False
    # Where files are kept: "local" (ATTACHMENT_DIR, default instance/attachments) or "s3".
    ATTACHMENT_STORAGE: str = "local"
    ATTACHMENT_DIR: str = ""
    ATTACHMENT_S3_BUCKET: str = ""
    ATTACHMENT_S3_PREFIX: str = ""
    ATTACHMENT_S3_ENDPOINT_URL: str = ""
    ATTACHMENT_S3_REGION: str = ""
    # ClamAV's daemon: a Unix socket, or a host and port; none set means files are not scanned.
    CLAMD_SOCKET: str = ""
    CLAMD_HOST: str = ""
    CLAMD_PORT: int = 3310
    CLAMD_TIMEOUT: int = 60
    # An upload whose body takes longer than this to arrive is refused (413), nothing kept.
    UPLOAD_TIMEOUT_SECONDS: int = 300
    PROXY_FIX_X_FOR: int = 0
    WTF_CSRF_TIME_LIMIT: int = 6 * 3600
    SESSION_COOKIE_SECURE: bool = True
    OFFICE_NAME: str = N_("Office for Civil Rights and Civil Liberties")
    # How people reach the office without the web form (shown on the landing, privacy and
    # accessibility pages and in the footer). The postal address stays as the post office
    # needs it, one line per line (newlines, or ";" in an environment variable).
    OFFICE_DEPARTMENT: str = N_("U.S. Department of Homeland Security")
    OFFICE_MAILING_ADDRESS: str = ("2707 Martin Luther King, Jr. Avenue SE\n"
                                   "Mail Stop #0190\nWashington, DC 20528-0190")
    OFFICE_PHONE: str = "1-866-644-8360"
    OFFICE_TTY: str = "711"
    # "An official website of the United States government" banner, for government offices.
    OFFICIAL_SITE_BANNER: bool = True
    TIMEZONE: str = "America/New_York"
    PUBLIC_BASE_URL: str = ""
    # Days a filer has to answer a request for information before the queue shows it overdue.
    INFORMATION_REQUEST_DAYS: int = 30
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, instance_path: str, overrides: dict[str, Any] | None = None) -> Settings:
        """Build settings from defaults, the environment, instance/config.py and overrides."""
        settings = cls()
        env = os.environ
        if env.get("COMPLAINTS_ENV"):
            settings.ENV = env["COMPLAINTS_ENV"]
        for f in fields(cls):
            if f.name in ("extra", "ENV") or f.name not in env:
                continue
            settings._set(f.name, env[f.name])
        instance_file = Path(instance_path) / "config.py"
        if instance_file.is_file():
            namespace: dict[str, Any] = {}
            exec(compile(instance_file.read_text(), str(instance_file), "exec"), namespace)  # noqa: S102
            for key, value in namespace.items():
                if key.isupper():
                    settings._set(key, value)
        for key, value in (overrides or {}).items():
            settings._set(key, value)
        settings._finish(instance_path)
        return settings

    def _set(self, name: str, value: Any) -> None:
        known = {f.name: f for f in fields(self)}
        if name not in known or name == "extra":
            self.extra[name] = value
            return
        current = getattr(self, name)
        if isinstance(value, str) and isinstance(current, list):
            value = [part.strip() for part in value.split(",") if part.strip()]
        elif isinstance(value, str) and isinstance(current, bool):
            value = _as_bool(value)
        elif isinstance(value, str) and isinstance(current, int):
            try:
                value = int(value)
            except ValueError as exc:
                raise ConfigError(f"{name} must be a whole number, not {value!r}") from exc
        setattr(self, name, value)

    def _finish(self, instance_path: str) -> None:
        if self.ENV not in ENVIRONMENTS:
            raise ConfigError(f"COMPLAINTS_ENV must be one of {', '.join(ENVIRONMENTS)}")
        if not self.DATABASE_URL:
            self.DATABASE_URL = "sqlite:///" + str(Path(instance_path) / "complaints.db")
        if self.DATABASE_URL.startswith("postgresql://"):
            self.DATABASE_URL = "postgresql+psycopg://" + self.DATABASE_URL[len("postgresql://"):]
        if self.ENV != "production":
            self.SESSION_COOKIE_SECURE = False
        if not self.SECRET_KEY:
            if self.ENV == "production":
                raise ConfigError(
                    "SECRET_KEY is not set. Set it in the environment or instance/config.py "
                    "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
                )
            self.SECRET_KEY = _development_secret(instance_path, self.ENV)
        elif self.ENV == "production" and len(self.SECRET_KEY) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters long in production.")
        if self.ENV == "production" and self.ACCESS_CODE_KEY and len(self.ACCESS_CODE_KEY) < 32:
            raise ConfigError("ACCESS_CODE_KEY must be at least 32 characters long in "
                              "production.")
        self.SQLITE_SYNCHRONOUS = str(self.SQLITE_SYNCHRONOUS).upper()
        if self.SQLITE_SYNCHRONOUS not in SQLITE_SYNCHRONOUS_MODES:
            raise ConfigError("SQLITE_SYNCHRONOUS must be one of "
                              f"{', '.join(SQLITE_SYNCHRONOUS_MODES)}")
        if self.SQLITE_BUSY_TIMEOUT_MS < 0:
            raise ConfigError("SQLITE_BUSY_TIMEOUT_MS must not be negative")
        if self.ATTACHMENT_STORAGE not in ("local", "s3"):
            raise ConfigError("ATTACHMENT_STORAGE must be 'local' or 's3'")
        if self.ATTACHMENT_STORAGE == "s3" and not self.ATTACHMENT_S3_BUCKET:
            raise ConfigError("ATTACHMENT_STORAGE is 's3' but ATTACHMENT_S3_BUCKET is not set")
        for name in ("ATTACHMENT_MAX_FILES", "ATTACHMENT_MAX_BYTES", "ATTACHMENT_MAX_PIXELS",
                     "ATTACHMENT_PENDING_HOURS", "CLAMD_TIMEOUT", "UPLOAD_TIMEOUT_SECONDS"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1")
        for name in RATE_LIMIT_SETTINGS:
            try:
                parse_many(str(getattr(self, name)))
            except ValueError as exc:
                raise ConfigError(f"{name} is not a rate limit such as '10 per hour;3 per "
                                  f"minute': {getattr(self, name)!r}") from exc

    def as_flask_config(self) -> dict[str, Any]:
        """The mapping handed to app.config, with Flask's and extensions' own names."""
        values = {k: v for k, v in asdict(self).items() if k != "extra"}
        values.update(self.extra)
        values.update(
            SQLALCHEMY_DATABASE_URI=self.DATABASE_URL,
            SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
            TESTING=self.ENV == "testing",
            DEBUG=False,
            SESSION_COOKIE_HTTPONLY=True,
            SESSION_COOKIE_SAMESITE="Lax",
            RATELIMIT_HEADERS_ENABLED=True,
            RATELIMIT_STORAGE_URI=self.RATELIMIT_STORAGE_URI,
            RATELIMIT_STRATEGY="moving-window",
            WTF_CSRF_SSL_STRICT=self.ENV == "production",
            BABEL_DEFAULT_TIMEZONE=self.TIMEZONE,
        )
        return values


def _development_secret(instance_path: str, env: str) -> str:
    """A random key kept in the instance folder so development sessions survive restarts."""
    if env == "testing":
        return secrets.token_hex(32)
    path = Path(instance_path) / "secret_key"
    if path.is_file():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def startup_warnings(settings: Settings, workers: int) -> list[str]:
    """What an operator should hear about when `workers` processes start with `settings`:
    choices that work but not as people would expect."""
    found = []
    if settings.ENV == "production" and settings.RATELIMIT_ENABLED and workers > 1 \
            and settings.RATELIMIT_STORAGE_URI.startswith("memory://"):
        found.append(
            f"Rate limits are counted in memory ({settings.RATELIMIT_STORAGE_URI}) by each of "
            f"{workers} workers on its own, so a client gets up to {workers} times every limit. "
            "Point RATELIMIT_STORAGE_URI at Redis (redis://host:6379/0).")
    return found
