"""The review step: what the person is about to send, in words of the page's language.

Every value is turned here into finished text (a str, or a list of str for several answers), so
the template never has to guess whether a value is a word or a list of words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

from complaints import dates, i18n
from complaints.domain.taxonomy import CATEGORY_BY_CODE, COMPONENTS, RELATIONSHIPS, US_STATES
from complaints.public.forms import BOOLEAN_RADIOS, STEPS, ComplaintForm, Step

Shown = str | list[str] | None

# Questions that only apply when another answer makes them relevant.
_FOR_SOMEONE_ELSE = ("filer_name", "filer_organization", "filer_relationship",
                     "consent_attested")


@dataclass(frozen=True)
class ReviewItem:
    name: str
    label: str
    value: Shown


@dataclass(frozen=True)
class ReviewSection:
    step: Step
    items: list[ReviewItem]


def is_verification(values: dict[str, Any]) -> bool:
    """The complaint is about E-Verify, SAVE or Form I-9 (asks about a private employer)."""
    return "verification_misuse" in {values.get("primary_category"),
                                      *values.get("categories", [])}


def review_rows(form: ComplaintForm) -> list[ReviewSection]:
    """Each step but the last, with every question that applies and its answer as text."""
    values = form.intake_values()
    sections = []
    for step in STEPS[:-1]:
        items = [ReviewItem(name, _label(form, name), _shown(form, values, name))
                 for name in step.fields if _applies(values, name)]
        sections.append(ReviewSection(step, items))
    return sections


def _applies(values: dict[str, Any], name: str) -> bool:
    if name in _FOR_SOMEONE_ELSE:
        return bool(values.get("filing_for_other"))
    if name == "detention_location":
        return bool(values.get("currently_detained"))
    if name == "private_employer":
        return is_verification(values)
    return True


def _label(form: ComplaintForm, name: str) -> str:
    if name == "incident_month":
        return _("When it happened")
    if name == "date_of_birth":
        return _("Date of birth")
    return str(form.form_field_for(name).label.text)


def _shown(form: ComplaintForm, values: dict[str, Any], name: str) -> Shown:
    value = values.get(name)
    if name in BOOLEAN_RADIOS:
        answer = form[name].data
        return None if answer not in ("yes", "no") else _("Yes") if answer == "yes" else _("No")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if not value:
        return None
    if name == "primary_category":
        return _(CATEGORY_BY_CODE[value].label) if value in CATEGORY_BY_CODE else None
    if name == "categories":
        return [_(CATEGORY_BY_CODE[c].label) for c in value if c in CATEGORY_BY_CODE]
    if name == "components":
        return [_(COMPONENTS[c]) for c in value if c in COMPONENTS]
    if name == "state":
        return _(US_STATES[value]) if value in US_STATES else str(value)
    if name == "filer_relationship":
        return _(RELATIONSHIPS[value]) if value in RELATIONSHIPS else str(value)
    if name == "language":
        return i18n.language(value).native_name
    if name == "incident_month":
        return _month_and_year(value)
    if name == "date_of_birth":
        return _full_date(value)
    return str(value)


def _month_and_year(value: str) -> str:
    """"2026-02" as "February 2026" in the page's language; anything else as typed."""
    return dates.incident_when(value)


def _full_date(value: str) -> str:
    try:
        return dates.long_date(date.fromisoformat(value))
    except ValueError:
        return value
