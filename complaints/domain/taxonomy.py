"""Codes of the domain: categories, sections, components, statuses, dispositions, roles, flags.

Codes are stable (CONTRACT.md). Labels are English source strings marked with N_() so that the
translation tools extract them; doors translate them when they render.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a public-side string for extraction without translating it here (gettext_noop)."""
    return message


def S_(message: str) -> str:
    """Mark a staff-side string: extracted into staff.pot, not into the public catalogs."""
    return message


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    example: str
    section: str


CATEGORIES: tuple[Category, ...] = (
    Category(
        "profiling",
        N_("Treated differently because of who I am"),
        N_("For example: an officer stopped or searched you because of your race, religion, "
           "language or disability."),
        "ADG",
    ),
    Category(
        "detention_conditions",
        N_("Conditions in immigration detention"),
        N_("For example: no clean water, no phone calls, no religious meals, or being kept "
           "alone for a long time."),
        "IMM",
    ),
    Category(
        "medical_care",
        N_("Medical or mental health care in custody"),
        N_("For example: you asked for a doctor or your medicine in detention and did not "
           "get it."),
        "IMM",
    ),
    Category(
        "use_of_force",
        N_("Force, abuse or threats by an officer"),
        N_("For example: an officer hit, pushed, insulted or threatened you."),
        "CMP",
    ),
    Category(
        "sexual_abuse",
        N_("Sexual abuse or assault in custody"),
        N_("For example: someone touched you sexually or harassed you while you were held."),
        "CMP",
    ),
    Category(
        "due_process",
        N_("Detained or held without fair process"),
        N_("For example: you were not told why you were held, could not call a lawyer, or you "
           "are a U.S. citizen held for immigration."),
        "IMM",
    ),
    Category(
        "verification_misuse",
        N_("Problems with E-Verify, SAVE or Form I-9"),
        N_("For example: an employer or agency said your papers did not match and would not "
           "let you fix it."),
        "IMM",
    ),
    Category(
        "language_access",
        N_("I did not get an interpreter or translated information"),
        N_("For example: you asked for an interpreter and officers kept speaking only "
           "English."),
        "ADG",
    ),
    Category(
        "disability_access",
        N_("My disability was not accommodated"),
        N_("For example: you could not use a wheelchair, get a sign language interpreter, or "
           "use a website."),
        "ADG",
    ),
    Category(
        "retaliation",
        N_("Punished for complaining or for helping an investigation"),
        N_("For example: you were moved, threatened or punished after you complained."),
        "IMM",
    ),
    Category(
        "victim_protection",
        N_("My protection as a crime victim was not respected"),
        N_("For example: information about your VAWA, T visa or U visa case was shared with "
           "the person who hurt you."),
        "IMM",
    ),
    Category(
        "travel_screening",
        N_("Airport, border or watch-list screening"),
        N_("For example: you are always stopped for extra screening when you fly, or you were "
           "searched at the border."),
        "SIIP",
    ),
    Category(
        "state_local_enforcement",
        N_("Local police acting on immigration"),
        N_("For example: a local jail kept you for immigration officers after you should have "
           "been released."),
        "IMM",
    ),
    Category(
        "other",
        N_("Something else"),
        N_("For example: a civil rights problem with a DHS program that is not listed here."),
        "INT",
    ),
)
CATEGORY_BY_CODE = {c.code: c for c in CATEGORIES}
CATEGORY_CODES = tuple(CATEGORY_BY_CODE)

SECTIONS: dict[str, str] = {
    "INT": S_("Intake"),
    "CMP": S_("Compliance Branch"),
    "IMM": S_("Immigration Section"),
    "SIIP": S_("Security, Intelligence and Information Policy Section"),
    "ADG": S_("Antidiscrimination Group"),
}
SECTION_CODES = tuple(SECTIONS)

COMPONENTS: dict[str, str] = {
    "CBP": N_("U.S. Customs and Border Protection (CBP)"),
    "ICE": N_("U.S. Immigration and Customs Enforcement (ICE)"),
    "TSA": N_("Transportation Security Administration (TSA)"),
    "USCIS": N_("U.S. Citizenship and Immigration Services (USCIS)"),
    "FEMA": N_("Federal Emergency Management Agency (FEMA)"),
    "USCG": N_("U.S. Coast Guard"),
    "USSS": N_("U.S. Secret Service"),
    "FLETC": N_("Federal Law Enforcement Training Centers (FLETC)"),
    "OTHER_DHS": N_("Another part of the Department of Homeland Security"),
    "STATE_LOCAL": N_("A state or local agency working with DHS, such as police or a jail"),
    # Translators: a company the government pays to run a detention center or to work in one
    # (guards, food, medical care); not a company hired by the detention center.
    "CONTRACTOR": N_("A private company that runs or works in a detention center"),
    # Translators: an answer to "Who was involved?".
    "UNKNOWN": N_("I don't know"),
}
COMPONENT_CODES = tuple(COMPONENTS)

STATUSES: dict[str, str] = {
    "received": S_("Received"),
    "intake_review": S_("Intake review"),
    "awaiting_information": S_("Awaiting information"),
    "referred_oig": S_("Referred to the Inspector General"),
    "referred_component": S_("Referred to the component"),
    "investigating": S_("Investigating"),
    "recommendations": S_("Recommendations"),
    "closed": S_("Closed"),
}
STATUS_CODES = tuple(STATUSES)

# What the filer sees: a plain public status per internal status, never internal detail.
PUBLIC_STATUSES: dict[str, str] = {
    # Translators: the status of a complaint as shown to the person who filed it.
    "received": N_("Received"),
    "under_review": N_("Under review"),
    "under_investigation": N_("Under investigation"),
    "closed": N_("Closed"),
}
PUBLIC_STATUS_OF: dict[str, str] = {
    "received": "received",
    "intake_review": "under_review",
    "awaiting_information": "under_review",
    "referred_oig": "under_investigation",
    "referred_component": "under_investigation",
    "investigating": "under_investigation",
    "recommendations": "under_investigation",
    "closed": "closed",
}
NEEDS_INFORMATION_NOTE = N_("We need more information")

DISPOSITIONS: dict[str, str] = {
    "recommendations_issued": S_("Recommendations issued"),
    "resolved_by_component": S_("Resolved by the component"),
    "unsubstantiated": S_("Unsubstantiated"),
    "insufficient_information": S_("Insufficient information"),
    "referred_to_oig": S_("Referred to the Inspector General"),
    "no_jurisdiction_referred_out": S_("No jurisdiction; referred elsewhere"),
    "withdrawn": S_("Withdrawn"),
    "duplicate": S_("Duplicate"),
}
DISPOSITION_CODES = tuple(DISPOSITIONS)

PRIORITIES: dict[str, str] = {
    "urgent": S_("Urgent"),
    "high": S_("High"),
    "normal": S_("Normal"),
}
PRIORITY_CODES = tuple(PRIORITIES)
PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2}

ROLES: dict[str, str] = {
    "intake": S_("Intake"),
    "investigator": S_("Investigator"),
    "supervisor": S_("Supervisor"),
    "analyst": S_("Analyst"),
    "admin": S_("Administrator"),
}
ROLE_CODES = tuple(ROLES)

CHANNELS: dict[str, str] = {
    "web": S_("Web form"),
    "api": S_("Partner API"),
    "mail": S_("Mail"),
    "phone": S_("Phone"),
    "email": S_("Email"),
    "fax": S_("Fax"),
}
CHANNEL_CODES = tuple(CHANNELS)
STAFF_ENTRY_CHANNELS = ("mail", "phone", "email", "fax")

RELATIONSHIPS: dict[str, str] = {
    "attorney": N_("Attorney"),
    "representative": N_("Accredited representative"),
    "family": N_("Family member"),
    "advocate": N_("Advocate or community organization"),
    # Translators: another relationship to the person the complaint is about.
    "other": N_("Other"),
}
RELATIONSHIP_CODES = tuple(RELATIONSHIPS)

# Categories that make a complaint restricted (protected by law) and high priority.
RESTRICTED_CATEGORIES = frozenset({"sexual_abuse", "victim_protection"})
HIGH_PRIORITY_CATEGORIES = frozenset(
    {"sexual_abuse", "victim_protection", "medical_care", "use_of_force"}
)

# Flags that routing may raise; staff filter on them.
FLAGS: dict[str, str] = {
    "at_risk_now": S_("Health or safety at risk now"),
    "us_citizen_held": S_("U.S. citizen held now"),
    "child_in_custody": S_("Child in custody"),
    "currently_detained": S_("Currently detained"),
    "minor_involved": S_("Minor involved"),
    "interpreter_needed": S_("Interpreter needed"),
    "suggest_doj_ier_referral": S_("Consider referral to DOJ Immigrant and Employee Rights"),
    "possible_duplicate": S_("Possible duplicate"),
}

# U.S. states, the District of Columbia and territories, by USPS code (for statistics by state).
US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands", "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
}

# Short staff-facing names of the categories, for statistics and reports (the public labels
# above speak to the filer: "Punished for complaining…"; a report says "Retaliation").
CATEGORY_REPORT_LABELS: dict[str, str] = {
    "profiling": S_("Profiling and discrimination"),
    "detention_conditions": S_("Detention conditions"),
    "medical_care": S_("Medical and mental health care"),
    "use_of_force": S_("Use of force and abuse"),
    "sexual_abuse": S_("Sexual abuse and assault"),
    "due_process": S_("Due process"),
    "verification_misuse": S_("E-Verify, SAVE and Form I-9"),
    "language_access": S_("Language access"),
    "disability_access": S_("Disability access"),
    "retaliation": S_("Retaliation"),
    "victim_protection": S_("Crime victim protection"),
    "travel_screening": S_("Travel and border screening"),
    "state_local_enforcement": S_("State and local enforcement"),
    "other": S_("Other"),
}
