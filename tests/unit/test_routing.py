"""Routing rules checked against a table of expected cases: every category, every priority rule,
restriction and flags, each with the reason that fired."""

from __future__ import annotations

import pytest

from complaints.domain.routing import Facts, route
from complaints.domain.taxonomy import CATEGORY_CODES

SECTION_BY_PRIMARY = [
    ("profiling", set(), {"CBP"}, "ADG"),
    ("profiling", set(), {"TSA"}, "SIIP"),
    ("profiling", {"travel_screening"}, {"CBP"}, "SIIP"),
    ("detention_conditions", set(), {"ICE"}, "IMM"),
    ("medical_care", set(), {"CONTRACTOR"}, "IMM"),
    ("use_of_force", set(), {"CBP"}, "CMP"),
    ("sexual_abuse", set(), {"ICE"}, "CMP"),
    ("due_process", set(), {"STATE_LOCAL"}, "IMM"),
    ("verification_misuse", set(), {"USCIS"}, "IMM"),
    ("language_access", set(), {"USCIS"}, "ADG"),
    ("disability_access", set(), {"FEMA"}, "ADG"),
    ("retaliation", set(), {"ICE"}, "IMM"),
    ("victim_protection", set(), {"USCIS"}, "IMM"),
    ("travel_screening", set(), {"TSA"}, "SIIP"),
    ("state_local_enforcement", set(), {"STATE_LOCAL"}, "IMM"),
    ("other", set(), {"UNKNOWN"}, "INT"),
]


def test_the_table_covers_every_category() -> None:
    assert {row[0] for row in SECTION_BY_PRIMARY} == set(CATEGORY_CODES)


@pytest.mark.parametrize(("primary", "secondary", "components", "section"), SECTION_BY_PRIMARY)
def test_primary_category_decides_the_section(primary: str, secondary: set[str],
                                              components: set[str], section: str) -> None:
    routing = route(Facts(primary, frozenset(secondary), frozenset(components)))
    assert routing.section == section
    [reason] = routing.reasons_for("section")
    assert reason.value == section
    assert reason.reason


PRIORITY_CASES = [
    # (facts, expected priority, rules that must have fired)
    (dict(at_risk_now=True), "urgent", {"at_risk_now"}),
    (dict(us_citizen_held=True), "urgent", {"us_citizen_held"}),
    (dict(minor_involved=True, currently_detained=True), "urgent",
     {"child_in_custody", "currently_detained"}),
    (dict(minor_involved=True), "normal", {"default"}),
    (dict(currently_detained=True), "high", {"currently_detained"}),
    (dict(primary_category="sexual_abuse"), "high", {"serious_category"}),
    (dict(primary_category="victim_protection"), "high", {"serious_category"}),
    (dict(primary_category="medical_care"), "high", {"serious_category"}),
    (dict(primary_category="use_of_force"), "high", {"serious_category"}),
    (dict(categories=frozenset({"use_of_force"})), "high", {"serious_category"}),
    (dict(categories=frozenset({"medical_care"}), at_risk_now=True), "urgent",
     {"serious_category", "at_risk_now"}),
    (dict(), "normal", {"default"}),
]


@pytest.mark.parametrize(("changes", "priority", "rules"), PRIORITY_CASES)
def test_priority_rules(changes: dict, priority: str, rules: set[str]) -> None:
    facts = Facts(**{"primary_category": "detention_conditions", **changes})
    routing = route(facts)
    assert routing.priority == priority
    assert {r.rule for r in routing.reasons_for("priority")} == rules


@pytest.mark.parametrize(("primary", "secondary", "restricted"), [
    ("sexual_abuse", set(), True),
    ("victim_protection", set(), True),
    ("detention_conditions", {"sexual_abuse"}, True),
    ("due_process", {"victim_protection"}, True),
    ("use_of_force", set(), False),
    ("other", {"medical_care"}, False),
])
def test_protected_categories_restrict(primary: str, secondary: set[str],
                                       restricted: bool) -> None:
    routing = route(Facts(primary, frozenset(secondary)))
    assert routing.restricted is restricted
    assert bool(routing.reasons_for("restricted")) is restricted


def test_flags_carry_their_reasons() -> None:
    routing = route(Facts("verification_misuse", at_risk_now=True, interpreter_needed=True,
                          private_employer=True, minor_involved=True, currently_detained=True))
    assert set(routing.flags) == {"at_risk_now", "interpreter_needed", "suggest_doj_ier_referral",
                                  "minor_involved", "currently_detained", "child_in_custody"}
    assert {r.value for r in routing.reasons_for("flag")} == set(routing.flags)


def test_private_employer_only_matters_for_verification() -> None:
    assert "suggest_doj_ier_referral" not in route(
        Facts("profiling", private_employer=True)).flags


def test_unknown_category_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown category"):
        route(Facts("not_a_category"))
