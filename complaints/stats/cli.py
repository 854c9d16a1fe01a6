"""Statistics commands: export-stats and demo-data."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Add the statistics commands to `flask`."""
