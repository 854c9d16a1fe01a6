"""Jinja helpers shared by every template: translating domain labels and ARIA wiring."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, current_app
from flask_babel import LazyString, gettext
from markupsafe import Markup, escape

from complaints import dates, office
from complaints.domain import letters, receipts


def translate_label(value: Any) -> Any:
    """Translate a domain label marked with N_(); lazy strings from forms are already done."""
    if isinstance(value, str) and not isinstance(value, LazyString):
        return gettext(value) if value else value
    return value


_CHAR = f"[{receipts.ALPHABET}]"
_RECEIPT = re.compile(rf"\b{receipts.RECEIPT_PREFIX}-{_CHAR}{{4}}-{_CHAR}{{4}}\b")


def receipt_number(receipt: str) -> Markup:
    """A receipt number that never breaks at its hyphens nor reorders inside right-to-left
    text."""
    return Markup('<bdi class="receipt-number">{}</bdi>').format(receipt)


def bidi_lines(text: str | None) -> Markup:
    """Text of several lines (a letter, a reply) with each line in the direction of its own
    first letters: an English question quoted in an Arabic letter keeps its punctuation where
    an English reader expects it. Receipt numbers stay whole."""
    lines = []
    for line in (text or "").split("\n"):
        marked = _RECEIPT.sub(lambda m: receipt_number(m.group(0)), str(escape(line)))
        # `marked` is the escaped line with our own <bdi> tags added.
        lines.append(Markup('<span dir="auto">{}</span>').format(Markup(marked))  # noqa: S704
                     if line else "")
    return Markup("\n").join(lines)


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
    app.jinja_env.filters["bidi_lines"] = bidi_lines
    app.jinja_env.globals["receipt_number"] = receipt_number
    app.jinja_env.globals["incident_when"] = dates.incident_when
    app.jinja_env.globals["describedby_ids"] = describedby_ids
    # The words of correspondence with the filer (public messages marked in domain/letters.py).
    app.jinja_env.globals["letters"] = letters
