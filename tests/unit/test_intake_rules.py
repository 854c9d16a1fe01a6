"""The one set of intake rules shared by the form, the API and staff entry."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.services.intake_rules import FIELD_NAMES, FIELDS, validate

TODAY = date(2026, 6, 15)
VALID = {
    "primary_category": "use_of_force",
    "components": ["CBP"],
    "narrative": "An officer pushed me.",
    "incident_month": "2026-05",
    "privacy_acknowledged": True,
}


def check(**changes: object) -> tuple[dict, dict]:
    return validate({**VALID, **changes}, today=TODAY)


def test_valid_minimum_is_accepted_and_completed() -> None:
    clean, errors = check()
    assert errors == {}
    assert set(clean) == set(FIELD_NAMES)
    assert clean["categories"] == []
    assert clean["currently_detained"] is False
    assert clean["email"] is None


def test_required_fields() -> None:
    _, errors = validate({}, today=TODAY)
    assert set(errors) == {"primary_category", "components", "narrative", "incident_month",
                           "privacy_acknowledged"}


@pytest.mark.parametrize(("field", "value"), [
    ("primary_category", "nonsense"),
    ("components", ["CIA"]),
    ("components", "CBP"),
    ("narrative", 42),
    ("narrative", "x" * 10_001),
    ("narrative", " \x00 "),
    ("incident_month", "2026-13"),
    ("incident_month", "2026-07"),
    ("incident_month", "1899-12"),
    ("incident_day", 0),
    ("incident_day", "tenth"),
    ("incident_day", True),
    ("email", "not-an-email"),
    ("a_number", "B12345678"),
    ("a_number", "A1234567"),
    ("a_number", "A1234567890"),
    ("date_of_birth", "2026-02-30"),
    ("date_of_birth", "2030-01-01"),
    ("phone", "call me"),
    ("state", "ZZ"),
    ("language", "tlh"),
    ("currently_detained", "yes"),
    ("privacy_acknowledged", False),
    ("filer_relationship", "neighbour"),
    ("name", "n" * 201),
])
def test_bad_values_are_refused(field: str, value: object) -> None:
    _, errors = check(**{field: value})
    assert field in errors


def test_day_must_exist_in_that_month_and_not_be_in_the_future() -> None:
    assert "incident_day" in check(incident_month="2026-02", incident_day=30)[1]
    assert "incident_day" in check(incident_month="2026-06", incident_day=20)[1]
    assert check(incident_month="2026-06", incident_day=15)[1] == {}


def test_values_are_normalised() -> None:
    clean, errors = check(a_number="a-12 345 678", email="Ana@Example.org", state="ca",
                          language="zh-hant", narrative="  line one\x07\nline two \x00 ",
                          name="  Ana   María  ", categories=["use_of_force", "retaliation"])
    assert errors == {}
    assert clean["a_number"] == "A012345678"
    assert clean["email"] == "Ana@example.org"
    assert clean["state"] == "CA"
    assert clean["language"] == "zh_Hant"
    assert clean["narrative"] == "line one\nline two"
    assert clean["name"] == "Ana María"
    assert clean["categories"] == ["retaliation"], "the primary is not repeated as secondary"


def test_filing_for_someone_else_needs_who_and_consent() -> None:
    _, errors = check(filing_for_other=True)
    assert {"filer_name", "filer_relationship", "consent_attested"} <= set(errors)
    clean, errors = check(filing_for_other=True, filer_name="Rosa", filer_relationship="family",
                          consent_attested=True)
    assert errors == {}
    assert clean["filer_relationship"] == "family"


def test_filer_details_are_dropped_when_not_filing_for_someone_else() -> None:
    clean, errors = check(filing_for_other=False, filer_name="Rosa")
    assert errors == {}
    assert clean["filer_name"] is None


def test_detention_location_only_when_detained() -> None:
    assert check(detention_location="Otay Mesa")[0]["detention_location"] is None
    assert check(currently_detained=True, detention_location="Otay Mesa")[0][
        "detention_location"] == "Otay Mesa"


def test_only_checks_the_fields_asked_for() -> None:
    _, errors = validate({"narrative": ""}, only={"narrative"}, today=TODAY)
    assert set(errors) == {"narrative"}


TEXT_FIELDS = [spec.name for spec in FIELDS if spec.kind in ("text", "longtext", "email",
                                                                "phone", "a_number", "month",
                                                                "date")]


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_text_that_cannot_be_stored_is_refused_with_a_reason(field: str) -> None:
    _, errors = check(**{field: "Ana \ud800 María"})
    assert [str(m) for m in errors[field]] == [
        "This contains characters that cannot be stored. Remove them and try again."]


def test_lengths_count_characters_as_given_and_cleaning_never_overflows_a_column() -> None:
    assert "name" in check(name="Ana" + " " * 198)[1], "201 characters as sent"
    # U+0958 has no composed form: NFC writes it as two characters.
    clean, errors = check(name="\u0958" * 200)
    assert errors == {}
    assert len(clean["name"]) <= 200


def test_choices_are_codes_taken_exactly() -> None:
    assert "state" in check(state=" CA")[1]
    assert "language" in check(language="ES")[1]
    assert check(language="fa-af")[0]["language"] == "fa_AF"


def test_a_day_may_be_digits_or_a_whole_number() -> None:
    assert check(incident_day="07")[0]["incident_day"] == 7
    assert check(incident_day=7.0)[0]["incident_day"] == 7
    assert "incident_day" in check(incident_day=" 7")[1]
    assert "incident_day" in check(incident_day=7.5)[1]
