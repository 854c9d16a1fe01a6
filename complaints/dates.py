"""Dates in the reader's language: Babel's CLDR data, corrected where it is wrong for ours.

CLDR has no Haitian Creole month names (Babel falls back to French), and writes Somali and Pashto
long dates month-first or year-first where our readers expect day, month, year. Every date shown
to the public (form month lists, status page, emails) goes through here.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.core import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton, get_date_format, get_month_names
from flask_babel import get_locale, to_user_timezone

# Month names CLDR lacks or gets wrong, January first (IPN orthography for Haitian Creole).
_MONTHS: dict[str, tuple[str, ...]] = {
    "ht": ("janvye", "fevriye", "mas", "avril", "me", "jen", "jiyè", "out", "septanm",
           "oktòb", "novanm", "desanm"),
}
# Languages whose month names take another form in a list than inside a date (Russian
# "январь" but "19 января"); Babel's stand-alone data is only trusted for these.
_STAND_ALONE = frozenset({"ru", "uk", "vi"})
# Long-date patterns where CLDR's order is not the one our readers write.
_LONG_PATTERNS: dict[str, str] = {"ht": "d MMMM y", "so": "d MMMM y", "ps": "d MMMM y",
                                  "ru": "d MMMM y 'года'", "uk": "d MMMM y"}
_MONTH_YEAR_PATTERNS: dict[str, str] = {"ht": "MMMM y", "ps": "MMMM y"}


def _locale(locale: Locale | str | None) -> Locale:
    if locale is None:
        found = get_locale()
        return found if found is not None else Locale.parse("en")
    return locale if isinstance(locale, Locale) else Locale.parse(locale)


def month_names(locale: Locale | str | None = None) -> list[str]:
    """The twelve month names as a person picks one from a list (stand-alone form)."""
    loc = _locale(locale)
    if loc.language in _MONTHS:
        return list(_MONTHS[loc.language])
    if loc.language in _STAND_ALONE:
        names = get_month_names("wide", context="stand-alone", locale=loc)
    else:
        names = get_month_names("wide", context="format", locale=loc)
    return [names[m] for m in range(1, 13)]


def long_date(value: date | datetime, locale: Locale | str | None = None) -> str:
    """A date written out in full, such as "19 January 2000", in the office's time zone."""
    loc = _locale(locale)
    if isinstance(value, datetime):
        value = to_user_timezone(value).date()
    pattern = _LONG_PATTERNS.get(loc.language)
    if pattern is None:
        return babel_format_date(value, "long", locale=loc)
    return babel_format_date(value, _with_own_month(pattern, value, loc), locale=loc)


def field_order(locale: Locale | str | None = None) -> tuple[str, ...]:
    """"day", "month" and "year" in the order the reader writes a date, for date fields."""
    loc = _locale(locale)
    pattern = _LONG_PATTERNS.get(loc.language) or get_date_format("long", locale=loc).pattern
    pattern = re.sub(r"'[^']*'", "", pattern)
    first = {kind: pattern.find(letter) for kind, letter in
             (("day", "d"), ("month", "M"), ("year", "y"))}
    return tuple(sorted(first, key=first.__getitem__))


def month_year(value: date, locale: Locale | str | None = None) -> str:
    """A month of a year, such as "February 2026", for "when did it happen"."""
    loc = _locale(locale)
    pattern = _MONTH_YEAR_PATTERNS.get(loc.language)
    if pattern is None:
        return format_skeleton("yMMMM", value, locale=loc)
    return babel_format_date(value, _with_own_month(pattern, value, loc), locale=loc)


def _with_own_month(pattern: str, value: date, loc: Locale) -> str:
    """The pattern with our month name quoted in, where CLDR has none of its own."""
    if loc.language not in _MONTHS:
        return pattern
    month = _MONTHS[loc.language][value.month - 1].replace("'", "''")
    return pattern.replace("MMMM", f"'{month}'")


def incident_when(month: str, day: int | None = None, locale: Locale | str | None = None) -> str:
    """When it happened, from the stored "YYYY-MM" and optional day, written out in words."""
    try:
        year, month_number = (int(part) for part in month.split("-"))
        if day:
            return long_date(date(year, month_number, day), locale)
        return month_year(date(year, month_number, 1), locale)
    except (ValueError, AttributeError):
        return f"{month}-{day:02d}" if day else str(month)
