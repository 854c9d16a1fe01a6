"""Human labels for the codes, dimensions and measures of statistics (staff-facing English, marked
for staff.pot), so pages, charts and exports read "Detention conditions" where the data says
`detention_conditions`; exports keep the codes beside the labels."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from complaints.domain.taxonomy import (
    CATEGORY_REPORT_LABELS,
    CHANNELS,
    DISPOSITIONS,
    PRIORITIES,
    S_,
    SECTIONS,
    STATUSES,
    US_STATES,
)
from complaints.i18n import BY_CODE as LANGUAGES_BY_CODE

DIMENSION_LABELS: dict[str, str] = {
    "category": S_("Primary category"),
    "any_category": S_("Any category"),
    "component": S_("Component"),
    "section": S_("Section"),
    "status": S_("Status"),
    "disposition": S_("Disposition"),
    "priority": S_("Priority"),
    "language": S_("Language"),
    "channel": S_("Intake channel"),
    "state": S_("State"),
    "month": S_("Month"),
    "quarter": S_("Fiscal quarter"),
    "age": S_("Days since received"),
    "outcome": S_("Outcome"),
    "interval": S_("Interval"),
}

MEASURE_LABELS: dict[str, str] = {
    "count": S_("Complaints"),
    "complaints": S_("Complaints"),
    "received": S_("Received"),
    "opened": S_("Opened"),
    "closed": S_("Closed"),
    "median_days": S_("Median days"),
    "previous": S_("A year earlier"),
    "change": S_("Change"),
}

# What each measure and row of the standard report means (the Excel "About" sheet, the page).
DEFINITIONS: dict[str, str] = {
    "received": S_("Complaints received in the period, by the date received in the office's "
                   "time zone."),
    "opened": S_("Complaints first moved out of Received (first triage) in the period, by the "
                 "date of that move."),
    "closed": S_("Complaints closed in the period, by the date of closure."),
    "count": S_("Complaints received in the period. By any category and by component, one "
                "complaint counts under each of its categories or components."),
    "received_to_first_triage": S_("Median days from received to the first move out of "
                                   "Received, over the complaints of the period triaged so "
                                   "far."),
    "received_to_closure": S_("Median days from received to closure, over the complaints of "
                              "the period closed so far."),
    "backlog": S_("Complaints not closed at the end of the period (today for an open period), "
                  "by days since received."),
    "referrals": S_("Referred: sent to the Inspector General or a component at least once. "
                    "Retained: investigated by the office. Rows overlap."),
}

VALUE_LABELS: dict[str, Mapping[str, str]] = {
    "category": CATEGORY_REPORT_LABELS,
    "any_category": CATEGORY_REPORT_LABELS,
    # Components by the names reports use: the agencies' own abbreviations.
    "component": {
        "CBP": S_("CBP"), "ICE": S_("ICE"), "TSA": S_("TSA"), "USCIS": S_("USCIS"),
        "FEMA": S_("FEMA"), "USCG": S_("Coast Guard"), "USSS": S_("Secret Service"),
        "FLETC": S_("FLETC"), "OTHER_DHS": S_("Other DHS office"),
        "STATE_LOCAL": S_("State or local agency"), "CONTRACTOR": S_("Detention contractor"),
        "UNKNOWN": S_("Unknown (the filer did not know)"),
    },
    "section": SECTIONS,
    "status": STATUSES,
    "disposition": DISPOSITIONS,
    "priority": PRIORITIES,
    "channel": CHANNELS,
    "state": US_STATES,
    "age": {"0-30": S_("0–30 days"), "31-90": S_("31–90 days"), "91-180": S_("91–180 days"),
            "181-365": S_("181–365 days"), "over-365": S_("Over 365 days")},
    "outcome": {
        "referred": S_("Referred (Inspector General or component)"),
        "referred_oig": S_("Referred to the Inspector General"),
        "referred_component": S_("Referred to a component"),
        "retained": S_("Retained and investigated"),
        "neither": S_("Neither referred nor investigated (yet)"),
    },
    "interval": {"received_to_first_triage": S_("Received to first triage"),
                 "received_to_closure": S_("Received to closure")},
}

NONE_LABELS: dict[str, str] = {
    "disposition": S_("No disposition (not closed)"),
    "state": S_("No state given"),
    "component": S_("No component"),
    "any_category": S_("No category"),
}
NONE_LABEL = S_("(none)")

_MONTHS = (S_("January"), S_("February"), S_("March"), S_("April"), S_("May"), S_("June"),
           S_("July"), S_("August"), S_("September"), S_("October"), S_("November"),
           S_("December"))


def dimension(name: str) -> str:
    """The heading of a dimension, e.g. "Primary category" for `category`."""
    return DIMENSION_LABELS.get(name, name.replace("_", " ").capitalize())


def measure(name: str) -> str:
    return MEASURE_LABELS.get(name, name.replace("_", " ").capitalize())


def _month(code: str) -> str:
    try:
        year, month = (int(part) for part in code.split("-"))
        return f"{_MONTHS[month - 1]} {year}"
    except (ValueError, IndexError):
        return code


def _quarter(code: str) -> str:
    """`FY2026-Q1` -> `FY2026 Q1 (Oct–Dec 2025)`."""
    try:
        fy_text, number_text = code.removeprefix("FY").split("-Q")
        fy, number = int(fy_text), int(number_text)
    except ValueError:
        return code
    if not 1 <= number <= 4:
        return code
    first = (number - 1) * 3 + 10
    year = fy - 1 if first <= 12 else fy
    first = first if first <= 12 else first - 12
    start = date(year, first, 1).strftime("%b")
    end = date(year, first + 2, 1).strftime("%b")
    return f"FY{fy} Q{number} ({start}–{end} {year})"


def value(dimension_name: str, code: Any) -> str:
    """The label of one value of a dimension; unknown codes are shown as they are."""
    if code is None:
        return NONE_LABELS.get(dimension_name, NONE_LABEL)
    text = str(code)
    if dimension_name == "language":
        found = LANGUAGES_BY_CODE.get(text)
        return found.english_name if found else text
    if dimension_name == "month":
        return _month(text)
    if dimension_name == "quarter":
        return _quarter(text)
    return str(VALUE_LABELS.get(dimension_name, {}).get(text, text))
