"""The regular expressions that intake validation applies to raw values, written once so the
OpenAPI document can publish exactly what the server checks.

Each pattern is valid both for Python's `re` and for ECMA-262 (the dialect of JSON Schema), so
it uses explicit character classes, never `\\d`, `\\s` or `\\w`, which mean different things in the
two. Dates and months depend on today, so their patterns are built for a given day.
"""

from __future__ import annotations

import re
from datetime import date

# What clean_text() removes (C0 controls but tab, newline and carriage return; DEL) and what
# Python counts as white space (str.strip and str.split remove it).
REMOVED_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


def _escape_class(chars: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in chars)


# A text that still has something in it once controls and white space are removed.
NON_BLANK = "[^" + _escape_class("".join(sorted(
    {chr(c) for c in [*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f]}
    | set(_WHITESPACE)))) + "]"

# Digits people type: ASCII, Arabic-Indic and Eastern Arabic-Indic (Arabic, Dari, Pashto).
DIGIT = "[0-9\\u0660-\\u0669\\u06f0-\\u06f9]"
_NOT_DIGIT = "[^0-9\\u0660-\\u0669\\u06f0-\\u06f9]"
# A phone number: at least seven digits, with the usual separators, and an optional extension.
PHONE = (f"^(?=(?:{_NOT_DIGIT}*{DIGIT}){{7}})\\+?[0-9\\u0660-\\u0669\\u06f0-\\u06f9 ().\\-/]{{7,}}"
         "(?: *(?:x|X|ext|Ext|EXT)\\.? *[0-9]{1,6})?$")
# An A-number: the letter A (optional) and 8 or 9 digits, with spaces, dots, dashes or # anywhere.
A_NUMBER = "^[ .#\\-]*[Aa]?[ .#\\-]*(?:[0-9][ .#\\-]*){8,9}$"
# A day of the month given as a string of digits.
DAY_STRING = "^(?:0?[1-9]|[12][0-9]|3[01])$"
EARLIEST_YEAR = 1900

_MONTHS = "(?:0[1-9]|1[0-2])"
_DAYS = "(?:0[1-9]|[12][0-9]|3[01])"


def _two_digits_up_to(last: int) -> str:
    """01 … last (1 <= last <= 31) as a regular expression."""
    return "(?:" + "|".join(f"{n:02d}" for n in range(1, last + 1)) + ")"


def years_between(first: int, last: int) -> str:
    """Four-digit years first … last as a compact alternation (whole decades as one branch)."""
    if last < first:
        return "(?!)"
    parts: list[str] = []
    year = first
    while year <= last:
        if year % 10 == 0 and year + 9 <= last:
            parts.append(f"{year // 10}[0-9]")
            year += 10
        else:
            parts.append(str(year))
            year += 1
    return "(?:" + "|".join(parts) + ")"


def months_through(today: date) -> str:
    """YYYY-MM from January 1900 to today's month."""
    earlier = f"{years_between(EARLIEST_YEAR, today.year - 1)}-{_MONTHS}"
    this_year = f"{today.year:04d}-{_two_digits_up_to(today.month)}"
    return f"^(?:{earlier}|{this_year})$"


def _month_days(month: int) -> str:
    """Valid days of a month in a common year (29 February is added for leap years)."""
    last = 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31
    return f"{month:02d}-{_two_digits_up_to(last)}"


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def dates_through(today: date) -> str:
    """Real calendar dates YYYY-MM-DD from 1 January 1900 to today."""
    all_months = "(?:" + "|".join(_month_days(m) for m in range(1, 13)) + ")"
    branches = [f"{years_between(EARLIEST_YEAR, today.year - 1)}-{all_months}"]
    leap_years = [y for y in range(EARLIEST_YEAR, today.year) if _is_leap(y)]
    if leap_years:
        branches.append("(?:" + "|".join(map(str, leap_years)) + ")-02-29")
    if today.month > 1:
        branches.append(f"{today.year:04d}-(?:"
                        + "|".join(_month_days(m) for m in range(1, today.month)) + ")")
        if _is_leap(today.year) and today.month > 2:
            branches.append(f"{today.year:04d}-02-29")
    branches.append(f"{today.year:04d}-{today.month:02d}-{_two_digits_up_to(today.day)}")
    return "^(?:" + "|".join(branches) + ")$"


def matches(pattern: str, text: str) -> bool:
    """JSON Schema semantics: the pattern may match anywhere (ours anchor themselves)."""
    return re.search(pattern, text) is not None
