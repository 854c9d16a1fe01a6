"""Automatic routing: complaint facts -> section, priority, restriction and flags.

Rules are data: each one names itself and says why it fired, so staff can see the reason for every
decision and override it. The first matching section rule wins; every matching priority rule is
recorded and the highest priority applies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from complaints.domain.taxonomy import (
    CATEGORY_BY_CODE,
    HIGH_PRIORITY_CATEGORIES,
    PRIORITY_RANK,
    RESTRICTED_CATEGORIES,
    S_,
)


@dataclass(frozen=True)
class Facts:
    """What routing looks at, taken from an intake record."""

    primary_category: str
    categories: frozenset[str] = frozenset()
    components: frozenset[str] = frozenset()
    at_risk_now: bool = False
    us_citizen_held: bool = False
    minor_involved: bool = False
    currently_detained: bool = False
    interpreter_needed: bool = False
    private_employer: bool = False

    @property
    def all_categories(self) -> frozenset[str]:
        return self.categories | {self.primary_category}


@dataclass(frozen=True)
class Reason:
    """One decision and the rule behind it."""

    decision: str  # "section", "priority", "restricted" or "flag"
    value: str
    rule: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"decision": self.decision, "value": self.value, "rule": self.rule,
                "reason": self.reason}


@dataclass(frozen=True)
class Routing:
    section: str
    priority: str
    restricted: bool
    flags: tuple[str, ...]
    reasons: tuple[Reason, ...] = field(default=())

    def reasons_for(self, decision: str) -> list[Reason]:
        return [r for r in self.reasons if r.decision == decision]


@dataclass(frozen=True)
class Rule:
    name: str
    value: str
    applies: Callable[[Facts], bool]
    reason: str


SECTION_RULES: tuple[Rule, ...] = (
    Rule(
        "profiling_in_travel_screening", "SIIP",
        lambda f: f.primary_category == "profiling"
        and ("TSA" in f.components or "travel_screening" in f.categories),
        S_("Profiling during TSA or travel screening is handled by SIIP."),
    ),
    *(
        Rule(
            f"category_{c.code}", c.section,
            (lambda code: lambda f: f.primary_category == code)(c.code),
            S_("The primary category decides the section."),
        )
        for c in CATEGORY_BY_CODE.values()
    ),
)

PRIORITY_RULES: tuple[Rule, ...] = (
    Rule("at_risk_now", "urgent", lambda f: f.at_risk_now,
         S_("Someone's health or safety is at risk now.")),
    Rule("us_citizen_held", "urgent", lambda f: f.us_citizen_held,
         S_("A U.S. citizen is being held now.")),
    Rule("child_in_custody", "urgent", lambda f: f.minor_involved and f.currently_detained,
         S_("A child is in custody.")),
    Rule("serious_category", "high", lambda f: bool(f.all_categories & HIGH_PRIORITY_CATEGORIES),
         S_("A category involves abuse, force, medical care or victim protection.")),
    Rule("currently_detained", "high", lambda f: f.currently_detained,
         S_("The person is detained now.")),
)

RESTRICTED_RULES: tuple[Rule, ...] = (
    Rule("protected_category", "restricted",
         lambda f: bool(f.all_categories & RESTRICTED_CATEGORIES),
         S_("Sexual abuse and victim-protection complaints are protected by law.")),
)

FLAG_RULES: tuple[Rule, ...] = (
    Rule("at_risk_now", "at_risk_now", lambda f: f.at_risk_now,
         S_("The filer said someone's health or safety is at risk now.")),
    Rule("us_citizen_held", "us_citizen_held", lambda f: f.us_citizen_held,
         S_("The filer said a U.S. citizen is being held now.")),
    Rule("child_in_custody", "child_in_custody",
         lambda f: f.minor_involved and f.currently_detained,
         S_("A minor is involved and the person is detained now.")),
    Rule("currently_detained", "currently_detained", lambda f: f.currently_detained,
         S_("The person is detained now.")),
    Rule("minor_involved", "minor_involved", lambda f: f.minor_involved,
         S_("The filer said a minor is involved.")),
    Rule("interpreter_needed", "interpreter_needed", lambda f: f.interpreter_needed,
         S_("The filer asked for an interpreter.")),
    Rule("verification_private_employer", "suggest_doj_ier_referral",
         lambda f: "verification_misuse" in f.all_categories and f.private_employer,
         S_("Verification misuse by a private employer: DOJ's Immigrant and Employee Rights "
            "Section may handle it.")),
)


def route(facts: Facts) -> Routing:
    """Apply every rule to the facts; return the decisions and the reason for each."""
    if facts.primary_category not in CATEGORY_BY_CODE:
        raise ValueError(f"unknown category {facts.primary_category!r}")
    reasons: list[Reason] = []

    section_rule = next(r for r in SECTION_RULES if r.applies(facts))
    reasons.append(Reason("section", section_rule.value, section_rule.name, section_rule.reason))

    priority = "normal"
    for rule in PRIORITY_RULES:
        if rule.applies(facts):
            reasons.append(Reason("priority", rule.value, rule.name, rule.reason))
            if PRIORITY_RANK[rule.value] < PRIORITY_RANK[priority]:
                priority = rule.value
    if priority == "normal":
        reasons.append(Reason("priority", "normal", "default",
                              S_("No rule raised the priority.")))

    restricted = False
    for rule in RESTRICTED_RULES:
        if rule.applies(facts):
            restricted = True
            reasons.append(Reason("restricted", "true", rule.name, rule.reason))

    flags: list[str] = []
    for rule in FLAG_RULES:
        if rule.applies(facts) and rule.value not in flags:
            flags.append(rule.value)
            reasons.append(Reason("flag", rule.value, rule.name, rule.reason))

    return Routing(section_rule.value, priority, restricted, tuple(flags), tuple(reasons))
