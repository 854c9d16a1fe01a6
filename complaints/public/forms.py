"""The public complaint form: its fields, its steps, and the mapping to intake field names.

Fields do no validation of their own: the intake rules (services/intake_rules.py) decide, so the
form, the API and staff entry agree. Everything typed travels with every step as hidden inputs,
so nothing is lost between steps and no draft is stored on the server.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from complaints import dates, i18n
from complaints.domain.taxonomy import (
    CATEGORIES,
    COMPONENTS,
    RELATIONSHIPS,
    US_STATES,
)


def options(pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]
# Fields never copied into hidden inputs: they are rendered on every step themselves.
HIDDEN_NEVER = frozenset({"step", "csrf_token", "submission_key", "upload_key", "website"})


@dataclass(frozen=True)
class Step:
    id: str
    title: Any
    fields: tuple[str, ...]  # intake field names checked at this step


STEPS: tuple[Step, ...] = (
    Step("what", _l("What happened"),
         ("primary_category", "categories", "narrative", "incident_month", "incident_day")),
    Step("where", _l("Where and who"),
         ("components", "private_employer", "city", "state", "country", "facility", "officials",
          "witnesses", "steps_taken")),
    Step("safety", _l("Safety"),
         ("at_risk_now", "currently_detained", "detention_location", "us_citizen_held",
          "minor_involved")),
    Step("you", _l("About you"),
         ("filing_for_other", "filer_name", "filer_organization", "filer_relationship",
          "consent_attested", "name", "email", "phone", "address", "date_of_birth", "a_number",
          "language", "interpreter_needed", "share_identity")),
    # Files are checked as they arrive (services/attachments.py), not by the intake rules.
    Step("files", _l("Files and photos"), ()),
    Step("review", _l("Review and submit"), ("privacy_acknowledged",)),
)
STEP_BY_ID = {s.id: s for s in STEPS}
STEP_IDS = tuple(STEP_BY_ID)

# Intake fields that the form splits into parts; errors on them show on the group.
GROUPED = {"incident_month": "incident_month_m", "date_of_birth": "dob_month"}
BOOLEAN_RADIOS = ("at_risk_now", "currently_detained", "us_citizen_held", "minor_involved",
                  "private_employer", "filing_for_other", "share_identity")
BOOLEAN_CHECKBOXES = ("interpreter_needed", "consent_attested", "privacy_acknowledged")
TEXT_FIELDS = ("narrative", "city", "country", "facility", "officials", "witnesses",
               "steps_taken", "detention_location", "filer_name", "filer_organization", "name",
               "email", "phone", "address", "a_number", "incident_day")
CHOICE_FIELDS = ("primary_category", "state", "filer_relationship", "language")


class CheckboxesField(SelectMultipleField):
    """Several checkboxes under one name; choices are checked by the intake rules."""

    def pre_validate(self, form: Any) -> None:
        return None


class ComplaintForm(FlaskForm):
    step = HiddenField()
    submission_key = HiddenField()
    # Binds the files received to this form (services/attachments.py); made when first needed.
    upload_key = HiddenField()
    # Honeypot: hidden from people and assistive technology; bots fill it in.
    # Translators: never shown to people; only automated spam programs see this field.
    website = StringField(_l("Leave this field empty"))

    primary_category = RadioField(
        _l("What is your complaint mainly about?"),
        choices=options((c.code, c.label) for c in CATEGORIES), validate_choice=False)
    categories = CheckboxesField(_l("Is it also about any of these? (optional)"),
                                 choices=options((c.code, c.label) for c in CATEGORIES))
    narrative = TextAreaField(_l("What happened?"))
    # Translators: parts of a date: month, year and day.
    incident_month_m = SelectField(_l("Month"), validate_choice=False)
    incident_year = StringField(_l("Year"))
    incident_day = StringField(_l("Day (optional)"))

    components = CheckboxesField(_l("Who was involved?"),
                                 choices=options(COMPONENTS.items()))
    private_employer = RadioField(_l("Was a private employer involved?"), choices=options(YES_NO),
                                  validate_choice=False)
    city = StringField(_l("City or town"))
    state = SelectField(_l("State or territory"), validate_choice=False)
    country = StringField(_l("Country, if outside the United States"))
    facility = StringField(_l("Name of the place, such as an airport, jail or detention center"))
    officials = TextAreaField(_l("Names or badge numbers of officials involved"))
    witnesses = TextAreaField(_l("Names and contact details of witnesses"))
    steps_taken = TextAreaField(_l("What have you already done about it?"))

    at_risk_now = RadioField(_l("Is anyone's health or safety in danger right now?"),
                             choices=options(YES_NO), validate_choice=False)
    currently_detained = RadioField(_l("Is the person this happened to detained now?"),
                                    choices=options(YES_NO), validate_choice=False)
    detention_location = StringField(_l("Where are they detained?"))
    us_citizen_held = RadioField(
        _l("Is a U.S. citizen being held by immigration authorities right now?"),
        choices=options(YES_NO), validate_choice=False)
    minor_involved = RadioField(_l("Is a child under 18 involved?"), choices=options(YES_NO),
                                validate_choice=False)

    filing_for_other = RadioField(_l("Are you filing for someone else?"), choices=options(YES_NO),
                                  validate_choice=False)
    filer_name = StringField(_l("Your name"))
    filer_organization = StringField(_l("Your organization (optional)"))
    filer_relationship = SelectField(_l("How are you related to the person?"),
                                     validate_choice=False)
    consent_attested = BooleanField(_l("The person agreed that I may file this complaint for "
                                       "them."))
    name = StringField(_l("Full name"))
    email = StringField(_l("Email address"))
    phone = StringField(_l("Phone number"))
    address = TextAreaField(_l("Mailing address"))
    dob_month = SelectField(_l("Month"), validate_choice=False)
    dob_day = StringField(_l("Day"))
    dob_year = StringField(_l("Year"))
    a_number = StringField(_l("A-number (Alien registration number)"))
    language = SelectField(_l("Which language should we use to contact you?"),
                           validate_choice=False)
    interpreter_needed = BooleanField(_l("I need an interpreter to talk with staff."))
    share_identity = RadioField(
        _l("May we share your name with the agency involved, if that helps us look into "
           "your complaint?"), choices=options(YES_NO), validate_choice=False)

    privacy_acknowledged = BooleanField(_l("I have read how my information will be used."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank = [("", _l("- Select -"))]
        month_choices = options(blank + [(f"{number:02d}", name) for number, name
                                         in enumerate(dates.month_names(), start=1)])
        self.incident_month_m.choices = month_choices
        self.dob_month.choices = month_choices
        self.state.choices = options(blank + sorted(US_STATES.items(), key=lambda item: item[1]))
        self.filer_relationship.choices = options(blank + list(RELATIONSHIPS.items()))
        self.language.choices = options((lang.code, lang.native_name) for lang in i18n.LANGUAGES)
        if not self.submission_key.data:
            self.submission_key.data = secrets.token_urlsafe(24)
        if not self.upload_key.data:
            self.upload_key.data = secrets.token_urlsafe(32)

    # -- mapping to the intake rules --------------------------------------------------------

    def intake_values(self) -> dict[str, Any]:
        """The typed values under the intake field names, as the intake rules expect them."""
        values: dict[str, Any] = {}
        for name in TEXT_FIELDS + CHOICE_FIELDS:
            values[name] = self[name].data or None
        for name in BOOLEAN_RADIOS:
            values[name] = self[name].data == "yes"
        for name in BOOLEAN_CHECKBOXES:
            values[name] = bool(self[name].data)
        values["categories"] = list(self.categories.data or [])
        values["components"] = list(self.components.data or [])
        values["incident_month"] = _join_month(self.incident_year.data,
                                               self.incident_month_m.data)
        values["date_of_birth"] = _join_date(self.dob_year.data, self.dob_month.data,
                                             self.dob_day.data)
        return values

    def form_field_for(self, intake_name: str) -> Field:
        """The field that shows errors for an intake field (the first part of a group)."""
        return self[GROUPED.get(intake_name, intake_name)]

    def hidden_values(self, visible: set[str]) -> Iterator[tuple[str, str]]:
        """(name, value) pairs for every filled field not shown on this step."""
        for field in self:
            if field.name in visible or field.name in HIDDEN_NEVER:
                continue
            data = field.data
            if isinstance(field, BooleanField):
                if data:
                    yield field.name, "y"
            elif isinstance(data, list):
                for item in data:
                    yield field.name, str(item)
            elif data not in (None, ""):
                yield field.name, str(data)


def _join_month(year: str | None, month: str | None) -> str | None:
    year, month = (year or "").strip(), (month or "").strip()
    if not year and not month:
        return None
    return f"{year}-{month}" if year.isdigit() and month.isdigit() else f"{year}-{month}-invalid"


def _join_date(year: str | None, month: str | None, day: str | None) -> str | None:
    parts = [(p or "").strip() for p in (year, month, day)]
    if not any(parts):
        return None
    if all(p.isdigit() for p in parts):
        return f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
    return "invalid"


# Which form fields belong to each step (for showing and for keeping the rest hidden).
STEP_FORM_FIELDS: dict[str, set[str]] = {
    "what": {"primary_category", "categories", "narrative", "incident_month_m", "incident_year",
             "incident_day"},
    "where": {"components", "private_employer", "city", "state", "country", "facility",
              "officials", "witnesses", "steps_taken"},
    "safety": {"at_risk_now", "currently_detained", "detention_location", "us_citizen_held",
               "minor_involved"},
    "you": {"filing_for_other", "filer_name", "filer_organization", "filer_relationship",
            "consent_attested", "name", "email", "phone", "address", "dob_month", "dob_day",
            "dob_year", "a_number", "language", "interpreter_needed", "share_identity"},
    "files": set(),
    "review": {"privacy_acknowledged"},
}
