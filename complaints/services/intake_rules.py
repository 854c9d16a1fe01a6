"""The one definition of intake validation, shared by the public form, the API and staff entry.

`validate()` takes raw values keyed by the contract's field names and returns cleaned values and
translatable error messages per field. Doors only translate their input into that mapping.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import LazyString, format_number
from flask_babel import lazy_gettext as _l

from complaints.domain.taxonomy import (
    CATEGORY_CODES,
    COMPONENT_CODES,
    RELATIONSHIP_CODES,
    US_STATES,
)
from complaints.i18n import BY_URL_CODE, LOCALE_CODES
from complaints.services import intake_patterns as patterns

NARRATIVE_MAX = 10_000
LONG_TEXT_MAX = 2_000
Errors = dict[str, list[LazyString | str]]


@dataclass(frozen=True)
class FieldSpec:
    """One intake field: its JSON type, its limits and whether it is required."""

    name: str
    kind: str  # text, longtext, bool, choice, choices, month, day, date, email, phone, a_number
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    required: bool = False
    description: str = ""

    @property
    def json_type(self) -> str:
        return {"bool": "boolean", "choices": "array", "day": "integer"}.get(self.kind, "string")

    @cached_property
    def accepted(self) -> dict[str, str]:
        """Every string a choice accepts, and the code each stands for: the codes themselves,
        the URL spellings of languages (`fa-af`), and states in lower case (`ny`)."""
        accepted = {code: code for code in self.choices}
        if self.name == "language":
            accepted |= {url: lang.code for url, lang in BY_URL_CODE.items()}
        elif self.name == "state":
            accepted |= {code.lower(): code for code in self.choices}
        return accepted


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("primary_category", "choice", choices=CATEGORY_CODES, required=True,
              description="What the complaint is mainly about."),
    FieldSpec("categories", "choices", choices=CATEGORY_CODES,
              description="Other categories that also apply."),
    FieldSpec("components", "choices", choices=COMPONENT_CODES, required=True,
              description="Who was involved (UNKNOWN is always valid)."),
    FieldSpec("narrative", "longtext", NARRATIVE_MAX, required=True,
              description="What happened, in the filer's words."),
    FieldSpec("incident_month", "month", required=True,
              description="Month and year it happened, YYYY-MM; never in the future."),
    FieldSpec("incident_day", "day", description="Day of the month, if known."),
    FieldSpec("language", "choice", choices=LOCALE_CODES,
              description="The filer's language; defaults to the form's or request's language."),
    FieldSpec("name", "text", 200),
    FieldSpec("email", "email", 254),
    FieldSpec("phone", "phone", 40),
    FieldSpec("address", "longtext", 500),
    FieldSpec("date_of_birth", "date", description="YYYY-MM-DD"),
    FieldSpec("a_number", "a_number", description="Alien registration number: A + 8 or 9 digits."),
    FieldSpec("city", "text", 200),
    FieldSpec("state", "choice", choices=tuple(US_STATES),
              description="U.S. state or territory (USPS code), if it happened in the U.S."),
    FieldSpec("country", "text", 100),
    FieldSpec("facility", "text", 200, description="Facility name, if it happened in one."),
    FieldSpec("officials", "longtext", LONG_TEXT_MAX, description="Officials involved."),
    FieldSpec("witnesses", "longtext", LONG_TEXT_MAX),
    FieldSpec("steps_taken", "longtext", LONG_TEXT_MAX,
              description="What the filer has already done about it."),
    FieldSpec("currently_detained", "bool"),
    FieldSpec("detention_location", "text", 200,
              description="Where the person is detained now."),
    FieldSpec("interpreter_needed", "bool"),
    FieldSpec("at_risk_now", "bool"),
    FieldSpec("minor_involved", "bool"),
    FieldSpec("us_citizen_held", "bool"),
    FieldSpec("private_employer", "bool",
              description="A private employer was involved (verification complaints)."),
    FieldSpec("filing_for_other", "bool"),
    FieldSpec("filer_name", "text", 200),
    FieldSpec("filer_organization", "text", 200),
    FieldSpec("filer_relationship", "choice", choices=RELATIONSHIP_CODES),
    FieldSpec("consent_attested", "bool"),
    FieldSpec("share_identity", "bool"),
    FieldSpec("privacy_acknowledged", "bool", required=True, description="Must be true."),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}
FIELD_NAMES = tuple(FIELD_BY_NAME)

REQUIRED_MESSAGES = {
    "primary_category": _l("Choose what your complaint is mainly about."),
    "components": _l("Choose at least one agency, or choose “I don't know”."),
    "narrative": _l("Tell us what happened."),
    "incident_month": _l("Enter the month and year when it happened."),
    "privacy_acknowledged": _l("Confirm that you have read how we use your information."),
}
UNSTORABLE = _l("This contains characters that cannot be stored. Remove them and try again.")
_CONTROL = re.compile(f"[{patterns.REMOVED_CONTROLS}]")
_A_NUMBER_SEPARATORS = re.compile(r"[ .#\-]")
EARLIEST_YEAR = patterns.EARLIEST_YEAR


class ValidationFailed(Exception):
    """The input broke one or more rules; `errors` maps field names to messages."""

    def __init__(self, errors: Errors) -> None:
        super().__init__("intake validation failed")
        self.errors = errors


@dataclass
class _Result:
    clean: dict[str, Any] = field(default_factory=dict)
    errors: Errors = field(default_factory=dict)

    def add(self, name: str, message: LazyString | str) -> None:
        self.errors.setdefault(name, []).append(message)


def today_anywhere() -> date:
    """The latest calendar date on Earth now (UTC+14), so no filer's 'today' counts as future."""
    return datetime.now(timezone(timedelta(hours=14))).date()


def _number(value: int) -> LazyString:
    """A number written the way the reader's locale writes numbers, when the message is shown."""
    return LazyString(format_number, value)


def clean_text(value: str) -> str:
    """Normalise typed text: NFC, no control characters (NUL included), trimmed."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", value)).strip()


def storable(text: str) -> bool:
    """False for text no database can hold: lone surrogates, which JSON's \\u escapes allow."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def validate(raw: Mapping[str, Any], only: Collection[str] | None = None,
             today: date | None = None) -> tuple[dict[str, Any], Errors]:
    """Check raw intake values; return (clean values, errors by field).

    `only` limits the check to some fields (one step of the form); cross-field rules run when
    their fields are included.
    """
    result = _Result()
    today = today or today_anywhere()
    names = [n for n in FIELD_NAMES if only is None or n in only]
    for name in names:
        _check_field(FIELD_BY_NAME[name], raw.get(name), result, today)
    _check_cross_field(result, names, today)
    return result.clean, result.errors


def validate_text(name: str, value: Any, *, required: LazyString | str,
                  max_length: int = NARRATIVE_MAX) -> tuple[str | None, Errors]:
    """One piece of free text outside a filing (such as a filer's answer to the office),
    checked by the same rules as the intake's long text fields: (clean text, errors)."""
    result = _Result()
    if value is None or value == "":
        result.add(name, required)
        return None, result.errors
    _check_text(FieldSpec(name, "longtext", max_length), value, result, today_anywhere())
    if not result.errors and not result.clean.get(name):
        result.add(name, required)
    return result.clean.get(name), result.errors


def _check_field(spec: FieldSpec, value: Any, result: _Result, today: date) -> None:
    name = spec.name
    if value is None or value == "" or value == []:
        if spec.kind == "bool":
            result.clean[name] = False
        elif spec.kind == "choices":
            result.clean[name] = []
        else:
            result.clean[name] = None
        if spec.required:
            result.add(name, REQUIRED_MESSAGES.get(name, _l("This is required.")))
        return
    checker = _CHECKERS[spec.kind]
    checker(spec, value, result, today)


def _too_long(spec: FieldSpec, text: str, result: _Result) -> bool:
    """Lengths count the characters as given, as JSON Schema's maxLength does."""
    if spec.max_length is not None and len(text) > spec.max_length:
        result.add(spec.name, _l("Use %(max)s characters or fewer (you have %(count)s).",
                                 max=_number(spec.max_length), count=_number(len(text))))
        return True
    return False


def _expect_string(spec: FieldSpec, value: Any, result: _Result) -> str | None:
    """The raw string, or None after recording why it is not one that can be stored."""
    if not isinstance(value, str):
        result.add(spec.name, _l("Must be text."))
        return None
    if not storable(value):
        result.add(spec.name, UNSTORABLE)
        return None
    return value


def _cleaned(spec: FieldSpec, text: str) -> str:
    """Typed text made tidy without making it longer than its limit (NFC can lengthen a few
    characters; then only controls and surrounding space are removed)."""
    cleaned = clean_text(text)
    if spec.max_length is not None and len(cleaned) > spec.max_length:
        cleaned = _CONTROL.sub("", text).strip()
    return " ".join(cleaned.split()) if spec.kind == "text" else cleaned


def _check_text(spec: FieldSpec, value: Any, result: _Result, today: date) -> None:
    text = _expect_string(spec, value, result)
    if text is None or _too_long(spec, text, result):
        return
    cleaned = _cleaned(spec, text)
    if not cleaned:
        result.clean[spec.name] = None
        if spec.required:
            result.add(spec.name, REQUIRED_MESSAGES.get(spec.name, _l("This is required.")))
        return
    result.clean[spec.name] = cleaned


def _check_bool(spec: FieldSpec, value: Any, result: _Result, today: date) -> None:
    if not isinstance(value, bool):
        result.add(spec.name, _l("Must be true or false."))
        return
    result.clean[spec.name] = value
    if spec.required and not value:
        result.add(spec.name, REQUIRED_MESSAGES.get(spec.name, _l("This is required.")))


def _check_choice(spec: FieldSpec, value: Any, result: _Result, today: date) -> None:
    """Codes are taken exactly as listed: they come from the form's options or the API's
    enumerations, never typed by people."""
    text = _expect_string(spec, value, result)
    if text is None:
        return
    code = spec.accepted.get(text)
    if code is None:
        result.add(spec.name, _l("Choose one of the options given."))
        return
    result.clean[spec.name] = code


def _check_choices(spec: FieldSpec, value: Any, result: _Result, today: date) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        result.add(spec.name, _l("Must be a list of choices."))
        return
    chosen: list[str] = []
    for item in value:
        if item not in spec.choices:
            result.add(spec.name, _l("Choose one of the options given."))
            return
        if item not in chosen:
            chosen.append(item)
    result.clean[spec.name] = chosen
    if spec.required and not chosen:
        result.add(spec.name, REQUIRED_MESSAGES.get(spec.name, _l("This is required.")))


def _check_month(spec: FieldSpec, value: Any, result: _Result, today: date) -> None:
    text = _expect_string(spec, value, result)
    if text is None:
        return
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        result.add(spec.name, _l("Enter a real month and year."))
        return
    year, month = int(match.group(1)), int(match.group(2))
    if year < EARLIEST_YEAR:
        result.add(spec.name, _l("Enter a year after %(year)s.", year=EARLIEST_YEAR))
    elif (year, month) > (today.year, today.month):
        result.add(spec.name, _l("The date cannot be in the future."))
    else:
        result.clean[spec.name] = f"{year:04d}-{month:02d}"


def _check_day(spec: FieldSpec, value: Any, result: _Result, today: date) -> None:
    if isinstance(value, str) and re.fullmatch("[0-9]{1,2}", value):
        value = int(value)
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e6:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        result.add(spec.name, _l("Enter the day as a number."))
        return
    if not 1 <= value <= 31:
        result.add(spec.name, _l("Enter a day from 1 to 31."))
        return
    result.clean[spec.name] = value


def _check_date(spec: FieldSpec, value: Any, result: _Result, today: date) -> None:
    text = _expect_string(spec, value, result)
    if text is None:
        return
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    try:
        parsed = date(*(int(p) for p in match.groups())) if match else None
    except ValueError:
        parsed = None
    if parsed is None:
        result.add(spec.name, _l("Enter a real date."))
    elif parsed.year < EARLIEST_YEAR:
        result.add(spec.name, _l("Enter a year after %(year)s.", year=EARLIEST_YEAR))
    elif parsed > today:
        result.add(spec.name, _l("The date cannot be in the future."))
    else:
        result.clean[spec.name] = parsed


def _check_email(spec: FieldSpec, value: Any, result: _Result, today: date) -> None:
    text = _expect_string(spec, value, result)
    if text is None or _too_long(spec, text, result):
        return
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        result.add(spec.name, _l("Enter an email address like name@example.com."))
        return
    result.clean[spec.name] = checked.normalized


def _check_phone(spec: FieldSpec, value: Any, result: _Result, today: date) -> None:
    text = _expect_string(spec, value, result)
    if text is None or _too_long(spec, text, result):
        return
    if not patterns.matches(patterns.PHONE, text):
        result.add(spec.name, _l("Enter a phone number using digits, such as 202 555 0123."))
    else:
        result.clean[spec.name] = text.strip()


def _check_a_number(spec: FieldSpec, value: Any, result: _Result, today: date) -> None:
    text = _expect_string(spec, value, result)
    if text is None:
        return
    compact = _A_NUMBER_SEPARATORS.sub("", text).upper().lstrip("A")
    if not patterns.matches(patterns.A_NUMBER, text):
        result.add(spec.name, _l("An A-number is the letter A and 8 or 9 digits, such as "
                                 "A012345678."))
    else:
        # 8-digit A-numbers are the same number as their 9-digit form with a leading zero.
        result.clean[spec.name] = "A" + compact.zfill(9)


_CHECKERS = {
    "text": _check_text,
    "longtext": _check_text,
    "bool": _check_bool,
    "choice": _check_choice,
    "choices": _check_choices,
    "month": _check_month,
    "day": _check_day,
    "date": _check_date,
    "email": _check_email,
    "phone": _check_phone,
    "a_number": _check_a_number,
}


def _check_cross_field(result: _Result, names: list[str], today: date) -> None:
    clean, has = result.clean, set(names)
    if {"incident_month", "incident_day"} <= has and clean.get("incident_month") and clean.get(
        "incident_day"
    ):
        year, month = (int(p) for p in clean["incident_month"].split("-"))
        try:
            day = date(year, month, clean["incident_day"])
        except ValueError:
            result.add("incident_day", _l("That month does not have that many days."))
            clean["incident_day"] = None
        else:
            if day > today:
                result.add("incident_day", _l("The date cannot be in the future."))
                clean["incident_day"] = None
    if {"primary_category", "categories"} <= has and clean.get("primary_category"):
        clean["categories"] = [c for c in clean.get("categories") or []
                               if c != clean["primary_category"]]
    if "filing_for_other" in has and clean.get("filing_for_other"):
        if "filer_name" in has and not clean.get("filer_name") and "filer_name" not in \
                result.errors:
            result.add("filer_name", _l("Enter your name, because you are filing for someone "
                                        "else."))
        if "filer_relationship" in has and not clean.get("filer_relationship") and \
                "filer_relationship" not in result.errors:
            result.add("filer_relationship", _l("Choose how you are related to the person."))
        if "consent_attested" in has and not clean.get("consent_attested"):
            result.add("consent_attested", _l("Confirm that the person agreed to this "
                                              "complaint being filed for them."))
    if "filing_for_other" in has and not clean.get("filing_for_other"):
        for name in ("filer_name", "filer_organization", "filer_relationship", "consent_attested"):
            if name in has:
                clean[name] = False if name == "consent_attested" else None
    if {"currently_detained", "detention_location"} <= has and not clean.get(
        "currently_detained"
    ):
        clean["detention_location"] = None
