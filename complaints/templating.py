"""Jinja helpers shared by every template: translating domain labels and ARIA wiring."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from flask_babel import LazyString, gettext

from complaints import dates, office
from complaints.domain import letters


def translate_label(value: Any) -> Any:
    """Translate a domain label marked with N_(); lazy strings from forms are already done."""
    if isinstance(value, str) and not isinstance(value, LazyString):
        return gettext(value) if value else value
    return value


def describedby_ids(field: Any, hint: Any = None) -> str:
    """The ids of a field's hint and error messages, for aria-describedby."""
    ids = [f"{field.id}-hint"] if hint else []
    ids += [f"{field.id}-error-{i}" for i in range(1, len(field.errors or ()) + 1)]
    return " ".join(ids)


def _office() -> dict[str, Any]:
    return {"office": office.from_config(current_app.config)}


def init_app(app: Flask) -> None:
    app.context_processor(_office)
    app.jinja_env.filters["tr"] = translate_label
    app.jinja_env.globals["incident_when"] = dates.incident_when
    app.jinja_env.globals["describedby_ids"] = describedby_ids
    # The words of correspondence with the filer (public messages marked in domain/letters.py).
    app.jinja_env.globals["letters"] = letters
