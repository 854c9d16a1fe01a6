"""gunicorn reads this file when started from this folder (`gunicorn wsgi:app`). It sets
nothing: it only tells the operator, once at start, about settings that would surprise them
with this many workers (see complaints.config.startup_warnings)."""

from __future__ import annotations

from typing import Any


def on_starting(server: Any) -> None:
    from complaints import PROJECT_ROOT
    from complaints.config import ConfigError, Settings, startup_warnings

    try:
        settings = Settings.load(str(PROJECT_ROOT / "instance"))
    except ConfigError:
        return  # each worker refuses to start with the reason
    for warning in startup_warnings(settings, workers=server.cfg.workers):
        server.log.warning(warning)
