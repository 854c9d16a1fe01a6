"""Rate limits that degrade instead of failing: the limiter's storage, its fallback, its health.

Limits are counted in RATELIMIT_STORAGE_URI (Redis in production, so every process shares the
counts). When that storage stops answering, Flask-Limiter's own in-memory fallback takes over:
every limit keeps working, counted per process, and the limiter logs one warning when it falls
back (and a note when the storage answers again, which it checks with growing pauses). Redis
gets short socket timeouts, so an unreachable server costs a request half a second at most
rather than hanging it. /healthz reports the state (`storage_health`).
"""

from __future__ import annotations

import logging
import sys

from flask import Flask

from complaints.extensions import limiter

# Seconds a request may wait for the limits storage before the fallback takes over.
STORAGE_TIMEOUT = 0.5
_REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://", "redis+sentinel://",
                  "redis+cluster://")


def uses_shared_storage(uri: str) -> bool:
    """False for memory:// (counts per process), True for storages processes share."""
    return not uri.startswith("memory://")


def init_app(app: Flask) -> None:
    config = app.config
    uri = str(config.get("RATELIMIT_STORAGE_URI", "memory://"))
    config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    # Whatever else goes wrong inside the limiter (a deduction after the storage died
    # mid-request) is logged, never turned into an error for the person filing.
    config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    if uri.startswith(_REDIS_SCHEMES):
        config.setdefault("RATELIMIT_STORAGE_OPTIONS", {
            "socket_connect_timeout": STORAGE_TIMEOUT, "socket_timeout": STORAGE_TIMEOUT})
    _make_limiter_warnings_visible()
    limiter.init_app(app)


def _make_limiter_warnings_visible() -> None:
    """Flask-Limiter logs to "flask-limiter" behind a NullHandler, which hides its warnings
    (such as falling back to memory) unless the host configured logging; give them stderr."""
    logger = logging.getLogger("flask-limiter")
    if any(isinstance(h, logging.StreamHandler) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)


def storage_health(app: Flask) -> str:
    """"ok" when the limits storage answers (memory always does), "fallback" when it does
    not and limits are counted per process, "disabled" when rate limits are off."""
    if not app.config.get("RATELIMIT_ENABLED", True) or not limiter.enabled:
        return "disabled"
    return "ok" if limiter.storage.check() else "fallback"
