"""Staff account commands: create-staff and create-token."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Add the staff commands to `flask`."""
