"""Reporting periods: presets for the U.S. federal fiscal year (1 October to 30 September) and
its quarters, the calendar year, the last 12 full months, custom dates, and the same period one
year earlier for comparison. Pure functions of `today` (the office's local date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from complaints.domain.taxonomy import S_

MAX_COMPARED_DAYS = 366  # a longer period would overlap its own comparison


@dataclass(frozen=True)
class Period:
    """A range of received dates (inclusive; None: open-ended) and how to name it."""

    date_from: date | None
    date_to: date | None
    label: str
    preset: str = "custom"

    @property
    def days(self) -> int | None:
        if self.date_from is None or self.date_to is None:
            return None
        return (self.date_to - self.date_from).days + 1


def fiscal_year(day: date) -> int:
    """FY2026 runs from 2025-10-01 to 2026-09-30."""
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_year_span(fy: int) -> tuple[date, date]:
    return date(fy - 1, 10, 1), date(fy, 9, 30)


def fiscal_quarter_span(fy: int, quarter: int) -> tuple[date, date]:
    """Q1 is October-December of the year before `fy`, Q4 July-September of `fy`."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"not a quarter: {quarter}")
    month = (quarter - 1) * 3 + 10
    year = fy - 1 if month <= 12 else fy
    month = month if month <= 12 else month - 12
    start = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 10 else date(year, month + 3, 1)
    return start, following - timedelta(days=1)


def year_earlier(day: date) -> date:
    """The same day one year earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _to_date(end: date, today: date) -> tuple[date, bool]:
    """A period that has not ended yet stops at today ("to date")."""
    return (today, True) if end > today else (end, False)


def _span_label(base: str, start: date, end: date, partial: bool) -> str:
    shown = f"{base} ({start:%-d %b %Y} – {end:%-d %b %Y}"
    return shown + (", to date)" if partial else ")")


def presets(today: date) -> dict[str, Period]:
    """Every preset, keyed by its code, as of `today`. Quarters of this fiscal year that have
    not started are left out."""
    found: dict[str, Period] = {}
    this_fy = fiscal_year(today)
    for key, fy, base in (("this_fy", this_fy, S_("This fiscal year")),
                          ("last_fy", this_fy - 1, S_("Last fiscal year"))):
        start, end = fiscal_year_span(fy)
        end, partial = _to_date(end, today)
        found[key] = Period(start, end, _span_label(f"{base}, FY{fy}", start, end, partial), key)
        for quarter in range(1, 5):
            q_start, q_end = fiscal_quarter_span(fy, quarter)
            if q_start > today:
                continue
            q_end, q_partial = _to_date(q_end, today)
            code = f"{key}_q{quarter}"
            found[code] = Period(q_start, q_end, _span_label(
                f"FY{fy} Q{quarter}", q_start, q_end, q_partial), code)
    for key, year, base in (("this_year", today.year, S_("This calendar year")),
                            ("last_year", today.year - 1, S_("Last calendar year"))):
        start, end = date(year, 1, 1), date(year, 12, 31)
        end, partial = _to_date(end, today)
        found[key] = Period(start, end, _span_label(f"{base}, {year}", start, end, partial), key)
    month_start = today.replace(day=1)
    end = month_start - timedelta(days=1)
    start = date(month_start.year - 1, month_start.month, 1)
    found["last_12_months"] = Period(start, end, _span_label(
        S_("Last 12 full months"), start, end, False), "last_12_months")
    return found


PRESET_CODES = ("this_fy", "last_fy", *(f"{k}_q{q}" for k in ("this_fy", "last_fy")
                                        for q in range(1, 5)),
                "this_year", "last_year", "last_12_months")


def custom(date_from: date | None, date_to: date | None) -> Period:
    if date_from is None and date_to is None:
        return Period(None, None, S_("All dates"), "all")
    start = f"{date_from:%-d %b %Y}" if date_from else S_("the first complaint")
    end = f"{date_to:%-d %b %Y}" if date_to else S_("today")
    return Period(date_from, date_to, f"{start} – {end}", "custom")


def resolve(preset: str | None, date_from: date | None, date_to: date | None,
            today: date) -> Period:
    """The period a request asks for: a preset from the list wins over dates ("all" and
    "custom" take the dates, if any); raises ValueError for an unknown preset or one that has
    not started yet."""
    if preset and preset not in ("custom", "all"):
        if preset not in PRESET_CODES:
            raise ValueError(f"unknown period {preset[:40]!r}")
        found = presets(today).get(preset)
        if found is None:
            raise ValueError("that quarter has not started yet")
        return found
    return custom(date_from, date_to)  # "all" with dates typed in: the dates


def comparison(period: Period) -> Period:
    """The same period one year earlier. Raises ValueError when it cannot be compared: open
    periods, and periods longer than a year (they would overlap their comparison)."""
    if period.date_from is None or period.date_to is None:
        raise ValueError("choose a period with a start and an end to compare it with a year "
                         "earlier")
    if (period.days or 0) > MAX_COMPARED_DAYS:
        raise ValueError("only periods of up to a year can be compared with a year earlier")
    start, end = year_earlier(period.date_from), year_earlier(period.date_to)
    return Period(start, end, f"{start:%-d %b %Y} – {end:%-d %b %Y}", "comparison")
