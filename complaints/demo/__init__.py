"""Realistic synthetic complaints for demonstrations and benchmarks, written in bulk.

`generate(count, seed)` writes complaints in all 16 languages (narratives in each language, made of
short sentences about what each category covers), every category, component, status and
disposition, over the three years before today, with categories, components and an audit trail
(`filed`, `routed`, a `transition` per status change; actor `system:demo`) in bulk inserts.
Routing is the real one (`complaints.domain.routing.route`), so section, priority, restriction,
flags and reasons are what filing would have given; timelines follow the workflow table.

Deterministic: the same seed gives the same complaints (receipts included), relative to the day
it runs (times are counted back from midnight UTC today; ids follow whatever is already stored,
and move past complaints filed while it runs: `numbering`).
Every demo complaint shares one access code, made when the command runs and printed then; only
its keyed hash is stored. Demo rows get no narrative signatures, so new filings are not matched
against demo narratives as possible duplicates. With `count >= 24`, every language, category,
component, status and disposition is present (the last 24 rows make sure of it).

Fast: rows are plain tuples already in the form the database stores (JSON written once per
routing outcome), written per batch with one DB-API `executemany` per table on SQLite and one
`COPY` per table on PostgreSQL, one transaction per batch; SQLAlchemy's per-value processing
cost more than SQLite's own work. On SQLite, the full-text search trigger (migration 0003) is
set aside inside each batch's transaction and its tables filled with one `INSERT ... SELECT`,
then the trigger is put back from its own SQL: a failure rolls all of it back. On an empty
database, the next batch is built while the database writes the current one: in a child
process for large runs, in a thread for small ones (`ahead`).
Each batch's statistics rollup rows are counted as the batch is built (`rollup.batch_rows`,
from the facts the rows were made of) and added in the batch's transaction.
"""

from __future__ import annotations

import bisect
import json
import math
import operator
import random
import re
import time as clock
from collections import deque
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text

from complaints import database
from complaints.demo import ahead, numbering
from complaints.domain import receipts
from complaints.domain.routing import Facts, route
from complaints.domain.search_text import document as search_document
from complaints.domain.taxonomy import (
    CATEGORY_CODES,
    COMPONENT_CODES,
    DISPOSITION_CODES,
    PRIORITY_RANK,
    STATUS_CODES,
)
from complaints.domain.workflow import TRANSITIONS
from complaints.extensions import db
from complaints.i18n import LOCALE_CODES
from complaints.models import Complaint
from complaints.services import access_codes
from complaints.stats import rollup

ACTOR = "system:demo"
YEARS = 3
DEFAULT_BATCH = 5000
DOCUMENT_CACHE_SIZE = 100_000  # search documents kept by narrative (about 60 MB at most)
IN_PROCESS_FROM = 50_000  # below this, starting a builder process costs more than it saves
COVERAGE_ROWS = 24  # the last rows of a run cover every language, category, component, status

# -- weights ---------------------------------------------------------------------------------------

LANGUAGE_WEIGHTS = {
    "en": 50, "es": 28, "zh_Hans": 2.5, "zh_Hant": 1, "vi": 2, "ko": 1.2, "tl": 1.5, "ar": 2.5,
    "ht": 2.5, "fr": 2, "pt": 2, "ru": 1.5, "so": 1, "uk": 1.2, "fa_AF": 1, "ps": 0.6,
}
CATEGORY_WEIGHTS = {
    "profiling": 11, "detention_conditions": 18, "medical_care": 12, "use_of_force": 9,
    "sexual_abuse": 2, "due_process": 10, "verification_misuse": 5, "language_access": 7,
    "disability_access": 3, "retaliation": 4, "victim_protection": 2, "travel_screening": 7,
    "state_local_enforcement": 5, "other": 5,
}
CHANNEL_WEIGHTS = {"web": 76, "api": 12, "mail": 5, "email": 4, "phone": 2, "fax": 1}
STATE_WEIGHTS = {
    "TX": 18, "CA": 16, "AZ": 8, "FL": 8, "NY": 7, "NJ": 4, "IL": 4, "GA": 4, "LA": 3, "NM": 3,
    "WA": 3, "MA": 2, "PA": 2, "VA": 2, "MD": 2, "NC": 2, "CO": 2, "NV": 2, "MI": 1.5, "OH": 1.5,
    "MN": 1, "OR": 1, "UT": 1, "PR": 1, "DC": 1, "TN": 1, "AL": 0.8, "SC": 0.8, "OK": 0.6,
    "KS": 0.5, "NE": 0.5, "IA": 0.4, "WI": 0.6, "IN": 0.6, "MO": 0.6, "KY": 0.4, "AR": 0.4,
    "MS": 0.4, "CT": 0.6, "RI": 0.3, "DE": 0.3, "NH": 0.2, "VT": 0.2, "ME": 0.3, "ID": 0.4,
    "MT": 0.2, "WY": 0.1, "ND": 0.2, "SD": 0.2, "WV": 0.1, "AK": 0.2, "HI": 0.4, "GU": 0.2,
    "VI": 0.1, "MP": 0.1, "AS": 0.05,
}
CITIES = {
    "TX": ("Houston", "El Paso", "San Antonio", "Dallas", "Laredo"),
    "CA": ("Los Angeles", "San Diego", "Adelanto", "Sacramento", "Fresno"),
    "AZ": ("Phoenix", "Tucson", "Eloy", "Nogales"), "FL": ("Miami", "Orlando", "Tampa"),
    "NY": ("New York", "Buffalo", "Batavia"), "NJ": ("Newark", "Elizabeth", "Paterson"),
    "IL": ("Chicago", "Aurora"), "GA": ("Atlanta", "Lumpkin"), "LA": ("New Orleans", "Jena"),
    "NM": ("Albuquerque", "Las Cruces"), "WA": ("Seattle", "Tacoma"), "MA": ("Boston",),
}
COUNTRIES_ABROAD = ("Mexico", "Canada", "Guatemala", "Dominican Republic", "Philippines")
FACILITIES = (
    "Harbor Point Processing Center", "Desert Springs Detention Facility",
    "North River County Jail", "Pine Valley Service Processing Center",
    "Lakeside Contract Detention Facility", "Mesa Ridge Family Residential Center",
)
# Components usually involved, by primary category.
CATEGORY_COMPONENTS = {
    "profiling": ("CBP", "TSA", "STATE_LOCAL", "ICE"),
    "detention_conditions": ("ICE", "CONTRACTOR", "CONTRACTOR", "ICE", "CBP"),
    "medical_care": ("ICE", "CONTRACTOR", "CBP"),
    "use_of_force": ("CBP", "ICE", "STATE_LOCAL", "CONTRACTOR"),
    "sexual_abuse": ("ICE", "CONTRACTOR", "CBP"),
    "due_process": ("ICE", "STATE_LOCAL", "CBP"),
    "verification_misuse": ("USCIS", "OTHER_DHS", "UNKNOWN"),
    "language_access": ("ICE", "CBP", "USCIS", "FEMA", "TSA"),
    "disability_access": ("TSA", "FEMA", "CBP", "ICE"),
    "retaliation": ("ICE", "CONTRACTOR", "STATE_LOCAL"),
    "victim_protection": ("USCIS", "ICE"),
    "travel_screening": ("TSA", "CBP"),
    "state_local_enforcement": ("STATE_LOCAL", "ICE"),
    "other": ("FEMA", "USCG", "USSS", "FLETC", "OTHER_DHS", "UNKNOWN"),
}
RELATED_CATEGORIES = {
    "profiling": ("language_access", "travel_screening", "retaliation"),
    "detention_conditions": ("medical_care", "language_access", "retaliation",
                             "disability_access"),
    "medical_care": ("detention_conditions", "disability_access", "language_access"),
    "use_of_force": ("profiling", "retaliation", "medical_care"),
    "sexual_abuse": ("use_of_force", "retaliation", "detention_conditions"),
    "due_process": ("language_access", "state_local_enforcement", "detention_conditions"),
    "verification_misuse": ("profiling", "retaliation"),
    "language_access": ("due_process", "profiling"),
    "disability_access": ("medical_care", "language_access"),
    "retaliation": ("detention_conditions", "use_of_force"),
    "victim_protection": ("due_process", "retaliation"),
    "travel_screening": ("profiling", "language_access"),
    "state_local_enforcement": ("due_process", "profiling"),
    "other": ("language_access", "disability_access"),
}
DETAINED_SHARE = {
    "detention_conditions": 0.75, "medical_care": 0.7, "due_process": 0.6, "sexual_abuse": 0.6,
    "retaliation": 0.4, "state_local_enforcement": 0.4, "use_of_force": 0.3,
    "language_access": 0.2, "disability_access": 0.15,
}
# Workflow: where a complaint goes next from each status, and how long it stays (median days).
NEXT_WEIGHTS: dict[str, dict[str, float]] = {
    "received": {"intake_review": 94, "closed": 6},
    "intake_review": {"awaiting_information": 18, "referred_oig": 4, "referred_component": 30,
                      "investigating": 14, "closed": 34},
    "awaiting_information": {"intake_review": 55, "closed": 45},
    "referred_oig": {"intake_review": 45, "closed": 55},
    "referred_component": {"investigating": 15, "recommendations": 15, "closed": 70},
    "investigating": {"recommendations": 45, "closed": 55},
    "recommendations": {"closed": 100},
    "closed": {"intake_review": 2, "": 98},  # "" = stays closed
}
STAY_DAYS = {
    "received": 6.0, "intake_review": 14.0, "awaiting_information": 25.0, "referred_oig": 40.0,
    "referred_component": 110.0, "investigating": 160.0, "recommendations": 140.0,
    "closed": 90.0,
}
CLOSING_DISPOSITIONS: dict[str, dict[str, float]] = {
    "received": {"withdrawn": 40, "duplicate": 40, "insufficient_information": 20},
    "intake_review": {"no_jurisdiction_referred_out": 35, "insufficient_information": 25,
                      "withdrawn": 15, "duplicate": 10, "unsubstantiated": 15},
    "awaiting_information": {"insufficient_information": 70, "withdrawn": 30},
    "referred_oig": {"referred_to_oig": 100},
    "referred_component": {"resolved_by_component": 55, "unsubstantiated": 35,
                           "insufficient_information": 10},
    "investigating": {"unsubstantiated": 45, "resolved_by_component": 30,
                      "insufficient_information": 15, "withdrawn": 10},
    "recommendations": {"recommendations_issued": 100},
}


def _check_workflow() -> None:
    """Every move the generator makes is one the workflow allows."""
    for source, targets in NEXT_WEIGHTS.items():
        for target in targets:
            if target and target not in TRANSITIONS[source]:
                raise AssertionError(f"demo data would move {source} -> {target}")
    for path in (*STATUS_PATHS.values(), *DISPOSITION_PATHS.values()):
        status = "received"
        for target in path:
            if target not in TRANSITIONS[status]:
                raise AssertionError(f"demo path {path} breaks the workflow")
            status = target


# Paths that end in each status or disposition, used by the coverage rows.
STATUS_PATHS: dict[str, tuple[str, ...]] = {
    "received": (), "intake_review": ("intake_review",),
    "awaiting_information": ("intake_review", "awaiting_information"),
    "referred_oig": ("intake_review", "referred_oig"),
    "referred_component": ("intake_review", "referred_component"),
    "investigating": ("intake_review", "investigating"),
    "recommendations": ("intake_review", "investigating", "recommendations"),
}
DISPOSITION_PATHS: dict[str, tuple[str, ...]] = {
    "recommendations_issued": ("intake_review", "investigating", "recommendations", "closed"),
    "resolved_by_component": ("intake_review", "referred_component", "closed"),
    "unsubstantiated": ("intake_review", "investigating", "closed"),
    "insufficient_information": ("intake_review", "awaiting_information", "closed"),
    "referred_to_oig": ("intake_review", "referred_oig", "closed"),
    "no_jurisdiction_referred_out": ("intake_review", "closed"),
    "withdrawn": ("closed",),
    "duplicate": ("closed",),
}

# -- narratives ------------------------------------------------------------------------------------

NARRATIVES = Path(__file__).with_name("narratives")


def _load_narratives() -> tuple[dict[str, dict[str, str]], dict[str, tuple[str, ...]]]:
    """Each language's sentences and names, from `narratives/<locale>.json`: one sentence per
    category (`sentences`), four general ones (`general`; in the first, `{n}` is a number of
    days) and six names (`names`)."""
    sentences: dict[str, dict[str, str]] = {}
    names: dict[str, tuple[str, ...]] = {}
    for locale in LOCALE_CODES:
        data = json.loads((NARRATIVES / f"{locale}.json").read_text(encoding="utf-8"))
        missing = set(CATEGORY_CODES) - set(data["sentences"])
        if missing or len(data["general"]) != 4 or "{n}" not in data["general"][0]:
            raise RuntimeError(f"demo narratives for {locale} are incomplete: "
                               f"{sorted(missing) or 'general sentences'}")
        sentences[locale] = {**data["sentences"],
                             **{f"g{i}": text for i, text in enumerate(data["general"], 1)}}
        names[locale] = tuple(data["names"])
    return sentences, names


# One sentence per category and four general ones ({n} is a number of days), in each language.
SENTENCES, NAMES = _load_narratives()
# Scripts written without spaces between sentences.
_NO_SPACE = frozenset({"zh_Hans", "zh_Hant"})
RELATIONSHIPS = ("attorney", "representative", "family", "advocate", "other")
ORGANIZATIONS = ("Example Legal Aid", "Sample Immigrant Rights Project",
                 "Demo Community Advocates", "Placeholder Law Clinic")


_check_workflow()


def narrative(rng: random.Random, language: str, categories: Sequence[str]) -> str:
    """A short narrative in `language` about the given categories (the first one first)."""
    bank = SENTENCES[language]
    parts = [bank[c] for c in categories[:2]]
    parts.append(bank["g1"].format(n=2 + int(rng.random() * 59)))
    parts.append(bank[("g2", "g3", "g4")[int(rng.random() * 3)]])
    return ("" if language in _NO_SPACE else " ").join(parts)


# -- helpers ---------------------------------------------------------------------------------------

class _Picker:
    """Weighted choice by bisecting cumulative weights (one random number per pick)."""

    def __init__(self, weights: Mapping[str, float]) -> None:
        self.values = list(weights)
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights.values():
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random) -> str:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


_RECEIPT_HALF = len(receipts.ALPHABET) ** 4  # 810,000 values of one 4-character group
_PAIRS = [a + b for a in receipts.ALPHABET for b in receipts.ALPHABET]  # 2 characters, base 30


def demo_receipt(index: int, seed: int) -> str:
    """A receipt for the `index`-th demo complaint of a seed: a keyed permutation (Feistel
    network) of the index over every possible receipt, so receipts never repeat within a seed
    and look random."""
    left, right = divmod(index % (_RECEIPT_HALF * _RECEIPT_HALF), _RECEIPT_HALF)
    for round_key in range(4):
        mixed = (right * 2_654_435_761 + seed * 97_531 + round_key * 40_503) & 0xFFFFFFFF
        mixed ^= mixed >> 15
        mixed = (mixed * 2_246_822_519) & 0xFFFFFFFF
        mixed ^= mixed >> 13
        left, right = right, (left + mixed) % _RECEIPT_HALF
    pairs = len(_PAIRS)
    return (f"{receipts.RECEIPT_PREFIX}-{_PAIRS[left // pairs]}{_PAIRS[left % pairs]}-"
            f"{_PAIRS[right // pairs]}{_PAIRS[right % pairs]}")


def _received_fraction(p: float) -> float:
    """Inverse of the arrival distribution over the span (0 = oldest, 1 = now): filings grow
    over time, density 0.6 at the start to 1.4 at the end."""
    return (-0.6 + math.sqrt(0.36 + 1.6 * p)) / 0.8


def _json(value: Any) -> str:
    return json.dumps(value)


class _Storage:
    """Values in the form each database stores them (what the models' types would send), so
    rows go to the driver as they are, without per-value processing."""

    def __init__(self, dialect: str) -> None:
        if dialect not in ("sqlite", "postgresql"):
            raise RuntimeError(f"demo data supports SQLite and PostgreSQL, not {dialect}")
        self.sqlite = dialect == "sqlite"

    def instant(self, value: datetime | None) -> Any:
        """A UTC datetime: SQLite keeps text like `2025-10-01 03:00:00.000000`."""
        if value is None or not self.sqlite:
            return value
        return value.isoformat(" ", "microseconds")[:26]

    def day(self, value: date | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.isoformat()


@dataclass
class DemoReport:
    count: int
    seconds: float
    access_code: str
    first_receipt: str | None
    last_receipt: str | None
    events: int
    writing_seconds: float = 0.0  # spent in the database's writes (the rest: waiting for rows)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else float("inf")


@dataclass
class _Batch:
    complaints: list[dict[str, Any]] = field(default_factory=list)
    categories: list[tuple[Any, ...]] = field(default_factory=list)
    components: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    duplicates: list[tuple[Any, ...]] = field(default_factory=list)
    documents: list[tuple[Any, ...]] = field(default_factory=list)
    facts: list[rollup.Facts] = field(default_factory=list)  # for the statistics rollup
    rollup_rows: rollup.Rows = field(default_factory=list)


DOCUMENT_COLUMNS = ("complaint_id", "terms")
CATEGORY_COLUMNS = ("complaint_id", "category", "is_primary")
COMPONENT_COLUMNS = ("complaint_id", "component")
DUPLICATE_COLUMNS = ("complaint_id", "other_id", "reason")
EVENT_COLUMNS = ("at", "kind", "complaint_id", "actor", "from_status", "to_status", "note",
                 "data")


@dataclass(frozen=True)
class _Routed:
    """What routing decided for one set of facts, with its JSON already written."""

    section: str
    priority: str
    restricted: bool
    flags_json: str
    flags_with_duplicate_json: str
    reasons_json: str
    event_json: str


class _Generator:
    """Builds rows; everything random comes from one seeded `random.Random`, in row order."""

    def __init__(self, count: int, seed: int, anchor: datetime, code_hash: str, first_id: int,
                 storage: _Storage, zone: ZoneInfo) -> None:
        self.count = count
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
        self.anchor = anchor
        self.span = timedelta(days=365 * YEARS + 1)
        self.code_hash = code_hash
        self.first_id = first_id
        self.storage = storage
        self.language = _Picker(LANGUAGE_WEIGHTS)
        self.category = _Picker(CATEGORY_WEIGHTS)
        self.channel = _Picker(CHANNEL_WEIGHTS)
        self.state = _Picker(STATE_WEIGHTS)
        self.next_status = {status: _Picker(w) for status, w in NEXT_WEIGHTS.items()}
        self.closing = {status: _Picker(w) for status, w in CLOSING_DISPOSITIONS.items()}
        self.stay_mu = {status: math.log(days) for status, days in STAY_DAYS.items()}
        self.routes: dict[tuple[Any, ...], _Routed] = {}
        self.filed_json: dict[tuple[str, str], str] = {}
        self.transition_json: dict[str | None, str] = {}
        self.recent: deque[dict[str, Any]] = deque(maxlen=300)
        self.zone = zone
        self.documents: dict[tuple[str, bool], str] = {}

    def _pick(self, values: Sequence[str]) -> str:
        return values[int(self.rng.random() * len(values))]

    def _route(self, primary: str, secondary: list[str], components: list[str],
               *answers: bool) -> _Routed:
        """Routing for these facts (the real rules; cached, as the same facts recur)."""
        key = (primary, *sorted(secondary), "|", *sorted(components), *answers)
        found = self.routes.get(key)
        if found is None:
            at_risk, citizen, minor, detained, interpreter, employer = answers
            routing = route(Facts(
                primary_category=primary, categories=frozenset(secondary),
                components=frozenset(components), at_risk_now=at_risk, us_citizen_held=citizen,
                minor_involved=minor, currently_detained=detained,
                interpreter_needed=interpreter, private_employer=employer))
            flags = list(routing.flags)
            reasons = [r.as_dict() for r in routing.reasons]
            found = _Routed(
                routing.section, routing.priority, routing.restricted, _json(flags),
                _json([*flags, "possible_duplicate"]), _json(reasons),
                _json({"section": routing.section, "priority": routing.priority,
                       "restricted": routing.restricted, "flags": flags, "reasons": reasons}))
            self.routes[key] = found
        return found

    def _document(self, narrative_text: str, is_open: bool) -> str:
        """The search document of a narrative: demo narratives are made of a few hundred
        sentences per language, so most recur and their documents are kept (a pure function
        of its arguments, so the result is the same; bounded, as a run may be long)."""
        key = (narrative_text, is_open)
        found = self.documents.get(key)
        if found is None:
            if len(self.documents) >= DOCUMENT_CACHE_SIZE:
                self.documents.clear()
            found = self.documents[key] = search_document(narrative_text, is_open)
        return found

    def _stay(self, status: str, priority: str) -> timedelta:
        mu = self.stay_mu[status]
        if status == "received" and priority != "normal":
            mu = math.log(0.5 if priority == "urgent" else 2.0)
        return timedelta(days=math.exp(mu + 0.8 * self.rng.gauss(0.0, 1.0)))

    def _path(self, start: datetime, priority: str, forced: tuple[str, ...] | None,
              forced_disposition: str | None) -> list[tuple[str, str, datetime, str | None]]:
        """The moves a complaint made: (from, to, at, disposition), all before the anchor."""
        moves: list[tuple[str, str, datetime, str | None]] = []
        status, at = "received", start
        if forced is not None:
            step = min(timedelta(days=1), (self.anchor - start) / (len(forced) + 1))
            for target in forced:
                at += step
                disposition = None
                if target == "closed":
                    disposition = forced_disposition or self.closing[status](self.rng)
                moves.append((status, target, at, disposition))
                status = target
            return moves
        while True:
            target = self.next_status[status](self.rng)
            if not target:
                break
            at = at + self._stay(status, priority)
            if at >= self.anchor:
                break
            disposition = self.closing[status](self.rng) if target == "closed" else None
            moves.append((status, target, at, disposition))
            status = target
        return moves

    def batch(self, start: int, stop: int) -> _Batch:
        out = _Batch()
        for index in range(start, stop):
            self._one(index, out)
        out.rollup_rows = rollup.batch_rows(out.facts)
        out.facts.clear()
        return out

    def _one(self, index: int, out: _Batch) -> None:
        rng, random_ = self.rng, self.rng.random
        instant = self.storage.instant
        complaint_id = self.first_id + index
        coverage = index - (self.count - COVERAGE_ROWS)
        received = self.anchor - self.span * (1 - _received_fraction((index + random_())
                                                                      / self.count))
        received = min(received, self.anchor - timedelta(seconds=1))

        # What happened.
        if coverage >= 0:
            language = LOCALE_CODES[coverage % len(LOCALE_CODES)]
            primary = CATEGORY_CODES[coverage % len(CATEGORY_CODES)]
        else:
            language = self.language(rng)
            primary = self.category(rng)
        duplicate_of: dict[str, Any] | None = None
        duplicate_reason = None
        if coverage < 0 and self.recent and random_() < 0.03:
            duplicate_of = self.recent[int(random_() * len(self.recent))]
            duplicate_reason = ("email" if duplicate_of["email"] and random_() < 0.4
                                else "narrative")
            if duplicate_reason == "narrative":
                language = duplicate_of["language"]
                primary = duplicate_of["primary_category"]
        secondary: list[str] = []
        roll = random_()
        if roll < 0.45:
            secondary.append(self._pick(RELATED_CATEGORIES[primary]))
            if roll < 0.1:
                extra = self._pick(CATEGORY_CODES)
                if extra != primary and extra not in secondary:
                    secondary.append(extra)
        usual = CATEGORY_COMPONENTS[primary]
        components = [self._pick(usual)]
        if random_() < 0.2:
            other = self._pick(usual)
            if other not in components:
                components.append(other)
        if random_() < 0.05:
            components = ["UNKNOWN"]
        if coverage >= 0:
            forced_component = COMPONENT_CODES[coverage % len(COMPONENT_CODES)]
            if forced_component not in components:
                components.append(forced_component)

        detained = random_() < DETAINED_SHARE.get(primary, 0.05)
        at_risk = random_() < (0.12 if primary in ("medical_care", "sexual_abuse") else 0.03)
        citizen = random_() < {"due_process": 0.08, "state_local_enforcement": 0.06}.get(
            primary, 0.003)
        minor = random_() < 0.05
        interpreter = random_() < (0.02 if language == "en" else 0.55)
        employer = primary == "verification_misuse" and random_() < 0.45
        routed = self._route(primary, secondary, components, at_risk, citizen, minor, detained,
                             interpreter, employer)

        if duplicate_reason == "narrative" and duplicate_of is not None:
            text_body = duplicate_of["narrative"]
        else:
            text_body = narrative(rng, language, [primary, *secondary])
        state = None if random_() < 0.08 else self.state(rng)
        if state:
            country: str | None = "United States"
        else:
            country = self._pick(COUNTRIES_ABROAD) if random_() < 0.5 else None
        cities = CITIES.get(state or "")
        city = self._pick(cities) if cities and random_() < 0.8 else None
        facility = None
        if detained or primary in ("detention_conditions", "medical_care"):
            facility = self._pick(FACILITIES) if random_() < 0.8 else None
        elif primary == "travel_screening" and city:
            facility = f"{city} International Airport"
        incident = (received - timedelta(days=int(random_() * 61))).date()
        channel = self.channel(rng)
        created = received
        if channel not in ("web", "api"):  # entered by staff from a letter, call, email, fax
            created = min(received + timedelta(hours=1 + int(random_() * 96)),
                          self.anchor - timedelta(seconds=1))

        # Who (fictitious; example.org addresses, 555-01xx numbers).
        name = self._pick(NAMES[language]) if random_() < 0.65 else None
        email = f"demo{complaint_id}@example.org" if random_() < 0.4 else None
        if duplicate_reason == "email" and duplicate_of is not None:
            email = duplicate_of["email"]
        phone = f"+1 202-555-01{int(random_() * 100):02d}" if random_() < 0.2 else None
        a_number = (f"A{100_000_000 + int(random_() * 900_000_000)}"
                    if detained and random_() < 0.5 else None)
        birth = (date(1950 + int(random_() * 56), 1 + int(random_() * 12),
                      1 + int(random_() * 28)) if random_() < 0.3 else None)
        for_other = random_() < (0.5 if detained else 0.15)

        # What happened to it.
        forced: tuple[str, ...] | None = None
        forced_disposition = None
        if 0 <= coverage < len(STATUS_PATHS):
            forced = STATUS_PATHS[STATUS_CODES[coverage]]
        elif len(STATUS_PATHS) <= coverage < len(STATUS_PATHS) + len(DISPOSITION_CODES):
            forced_disposition = DISPOSITION_CODES[coverage - len(STATUS_PATHS)]
            forced = DISPOSITION_PATHS[forced_disposition]
        moves = self._path(created, routed.priority, forced, forced_disposition)
        status = moves[-1][1] if moves else "received"
        disposition = moves[-1][3] if moves and status == "closed" else None
        original = None
        if disposition == "duplicate":
            original = duplicate_of or (self.recent[int(random_() * len(self.recent))]
                                        if self.recent else None)
            if original is None:
                disposition = "withdrawn"
                source, target, at, _ = moves[-1]
                moves[-1] = (source, target, at, disposition)

        receipt = demo_receipt(index, self.seed)
        row = {
            "id": complaint_id, "receipt": receipt, "access_code_hash": self.code_hash,
            "submission_key": None, "received_at": instant(received),
            "created_at": instant(created),
            "updated_at": instant(moves[-1][2] if moves else created),
            "channel": channel, "language": language, "primary_category": primary,
            "narrative": text_body,
            "incident_month": f"{incident.year:04d}-{incident.month:02d}",
            "incident_day": incident.day if random_() < 0.5 else None,
            "city": city, "state": state, "country": country, "facility": facility,
            "officials": None, "witnesses": None, "steps_taken": None,
            "at_risk_now": at_risk, "currently_detained": detained,
            "detention_location": facility if detained else None, "us_citizen_held": citizen,
            "minor_involved": minor, "private_employer": employer, "name": name, "email": email,
            "email_key": email.lower() if email else None, "phone": phone, "address": None,
            "date_of_birth": self.storage.day(birth), "a_number": a_number,
            "interpreter_needed": interpreter, "share_identity": random_() < 0.5,
            "privacy_acknowledged": True, "filing_for_other": for_other,
            "filer_name": self._pick(NAMES["en"]) if for_other else None,
            "filer_organization": (self._pick(ORGANIZATIONS)
                                   if for_other and random_() < 0.6 else None),
            "filer_relationship": self._pick(RELATIONSHIPS) if for_other else None,
            "consent_attested": for_other, "section": routed.section,
            "priority": routed.priority, "priority_rank": PRIORITY_RANK[routed.priority],
            "restricted": routed.restricted,
            "flags": (routed.flags_with_duplicate_json if duplicate_of is not None
                      else routed.flags_json),
            "routing_reasons": routed.reasons_json,
            "possible_duplicate": duplicate_of is not None, "status": status,
            "disposition": disposition,
            "duplicate_of_id": original["id"] if original else None, "assignee_id": None,
            "first_triaged_at": instant(moves[0][2] if moves else None),
            "closed_at": instant(moves[-1][2] if status == "closed" else None),
            "version": 1 + len(moves),
        }
        out.complaints.append(row)
        out.documents.append((complaint_id, self._document(text_body, status != "closed")))
        out.categories.append((complaint_id, primary, True))
        out.categories.extend((complaint_id, c, False) for c in secondary)
        out.components.extend((complaint_id, c) for c in components)

        at_received = row["received_at"]
        filed = self.filed_json.get((channel, language))
        if filed is None:
            filed = self.filed_json[(channel, language)] = _json(
                {"channel": channel, "language": language})
        out.events.append((at_received, "filed", complaint_id, ACTOR, None, "received", None,
                           filed))
        out.events.append((at_received, "routed", complaint_id, ACTOR, None, None, None,
                           routed.event_json))
        if duplicate_of is not None:
            out.duplicates.append((complaint_id, duplicate_of["id"], duplicate_reason))
            out.events.append((at_received, "possible_duplicate", complaint_id, ACTOR, None,
                               None, None, _json({"matches": [
                                   {"complaint_id": duplicate_of["id"],
                                    "reason": duplicate_reason}]})))
        for source, target, at, move_disposition in moves:
            if move_disposition == "duplicate" and original is not None:
                data = _json({"disposition": "duplicate", "duplicate_of": original["receipt"]})
            else:
                cached = self.transition_json.get(move_disposition)
                if cached is None:
                    cached = self.transition_json[move_disposition] = _json(
                        {"disposition": move_disposition, "duplicate_of": None})
                data = cached
            out.events.append((instant(at), "transition", complaint_id, ACTOR, source, target,
                               "Reopened for review." if source == "closed" else None, data))
        self.recent.append(row)
        out.facts.append(self._facts(received, moves, row, [primary, *secondary], components))

    def _facts(self, received: datetime, moves: list[tuple[str, str, datetime, str | None]],
               row: dict[str, Any], categories: list[str], components: list[str]
               ) -> rollup.Facts:
        """What the statistics rollup counts of this complaint, from the values it was built
        from (the same facts `rollup.read_facts` would read back from its rows)."""
        zone = self.zone
        moved_to = {target for _, target, _, _ in moves}
        return rollup.Facts(
            received=received.astimezone(zone).date(),
            values={"category": row["primary_category"], "section": row["section"],
                    "status": row["status"], "disposition": row["disposition"],
                    "priority": row["priority"], "language": row["language"],
                    "channel": row["channel"], "state": row["state"]},
            categories=tuple(dict.fromkeys(categories)),
            components=tuple(dict.fromkeys(components)),
            status=row["status"],
            triaged=moves[0][2].astimezone(zone).date() if moves else None,
            closed=(moves[-1][2].astimezone(zone).date() if row["status"] == "closed"
                    else None),
            referral=rollup.referral_flags(
                "referred_oig" in moved_to or row["disposition"] == "referred_to_oig",
                "referred_component" in moved_to, "investigating" in moved_to))


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    """`INSERT INTO table (columns) VALUES (placeholders)` in the driver's parameter style."""
    dialect = db.session.get_bind().dialect
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    # Names come from our own metadata, never from input.
    return (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
            f"VALUES ({', '.join([mark] * len(columns))})")


def _write(table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Write rows already in storage form: one DB-API executemany on SQLite, one COPY on
    PostgreSQL (psycopg; several times faster than row-by-row INSERTs there)."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql(_insert_sql(table, columns), list(rows))
        return
    database.copy_rows(connection, table, columns, rows)


def _existing_receipts(candidates: Sequence[str]) -> set[str]:
    found = db.session.scalars(select(Complaint.receipt).where(Complaint.receipt.in_(candidates)))
    return set(found)


_RETRY_STRIDE = 1_000_000_007  # beyond any run's indices, so retries never meet first tries


def _resolve_collisions(batch: _Batch, seed: int, start: int) -> None:
    """Give a fresh receipt to any complaint whose receipt is already in the database (one that
    holds other complaints, or demo data from the same seed), and to references to it."""
    renamed: dict[str, str] = {}
    for attempt in range(1, 200):
        taken = _existing_receipts([r["receipt"] for r in batch.complaints])
        if not taken:
            break
        for offset, row in enumerate(batch.complaints):
            if row["receipt"] in taken:
                new = demo_receipt(start + offset + attempt * _RETRY_STRIDE, seed)
                first = next((old for old, now in renamed.items() if now == row["receipt"]),
                             row["receipt"])
                renamed[first] = new
                row["receipt"] = new
    else:
        raise RuntimeError("could not find free receipts for demo data")
    if not renamed:
        return
    for position, event in enumerate(batch.events):
        data = event[-1]
        if event[1] == "transition" and '"duplicate_of": "' in data:
            old = json.loads(data)["duplicate_of"]
            if old in renamed:
                batch.events[position] = (*event[:-1], _json(
                    {"disposition": "duplicate", "duplicate_of": renamed[old]}))


# An AFTER INSERT trigger on complaints whose only work is copying each new narrative into
# full-text tables (SQLite search, migration 0003). Only a trigger of exactly this shape is set
# aside during a batch; anything else keeps firing row by row.
_COPY_TRIGGER = re.compile(
    r"CREATE TRIGGER (?P<name>\w+) AFTER INSERT ON complaints BEGIN "
    r"(?P<body>(?:INSERT INTO \w+\(rowid, narrative\) VALUES \(new\.id, new\.narrative\); )+)"
    r"END", re.IGNORECASE)
_COPY_TARGET = re.compile(r"INSERT INTO (\w+)\(rowid, narrative\)", re.IGNORECASE)


@dataclass(frozen=True)
class _CopyTrigger:
    name: str
    sql: str
    tables: tuple[str, ...]


def _copy_triggers() -> list[_CopyTrigger] | None:
    """SQLite: the insert triggers on complaints, if every one only copies narratives into
    full-text tables (then a batch can fill those tables in one statement instead); None when
    there is another kind of trigger, or on other databases."""
    if db.session.get_bind().dialect.name != "sqlite":
        return None
    found = []
    rows = db.session.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'complaints'"))
    for name, sql in rows:
        normalized = " ".join(str(sql).split())
        if "INSERT ON" not in normalized.split(" BEGIN ", 1)[0].upper():
            continue  # a delete or update trigger: not fired by inserts
        match = _COPY_TRIGGER.fullmatch(normalized)
        if match is None or match["name"] != name:
            return None
        found.append(_CopyTrigger(name, str(sql), tuple(_COPY_TARGET.findall(match["body"]))))
    return found


def _insert_complaints(rows: list[dict[str, Any]], triggers: list[_CopyTrigger] | None) -> None:
    """Insert a batch of complaints; on SQLite with copy-only triggers, fill their full-text
    tables in bulk instead, inside the same transaction (so a failure undoes all of it, the
    dropped trigger included)."""
    columns = list(rows[0])
    values = list(map(operator.itemgetter(*columns), rows))
    if not triggers:
        _write("complaints", columns, values)
        return
    raw = db.session.connection().connection.driver_connection
    if raw is not None and not raw.in_transaction:
        raw.execute("BEGIN")  # DDL does not open a transaction by itself in sqlite3
    for trigger in triggers:
        db.session.execute(text(f'DROP TRIGGER "{trigger.name}"'))
    _write("complaints", columns, values)
    first, last = rows[0]["id"], rows[-1]["id"]
    for trigger in triggers:
        for table in trigger.tables:
            db.session.execute(
                # The table name is a \w+ word read from the trigger itself.
                text(f'INSERT INTO "{table}"(rowid, narrative) SELECT id, narrative '  # noqa: S608
                     "FROM complaints WHERE id BETWEEN :first AND :last"),
                {"first": first, "last": last})
        db.session.execute(text(trigger.sql))


@contextmanager
def _large_sqlite_cache(megabytes: int = 256) -> Iterator[None]:
    """SQLite: a bigger page cache while loading, so index pages stay in memory."""
    if db.session.get_bind().dialect.name != "sqlite":
        yield
        return
    before = db.session.execute(text("PRAGMA cache_size")).scalar()
    db.session.execute(text(f"PRAGMA cache_size = {-1024 * int(megabytes)}"))
    try:
        yield
    finally:
        db.session.execute(text(f"PRAGMA cache_size = {int(before or -2000)}"))


def generate(count: int, seed: int = 1, *, batch_size: int = DEFAULT_BATCH,
             access_code: str | None = None,
             progress: Callable[[int, int, float], None] | None = None,
             in_process_from: int = IN_PROCESS_FROM) -> DemoReport:
    """Write `count` demo complaints with their categories, components and audit trail.

    Rows are built as plain tuples and written with one executemany per table and batch of
    `batch_size` complaints, then committed. `progress(done, count, seconds)` is called after
    each batch. The shared access code is `access_code` or a new random one; the report
    carries it. From `in_process_from` complaints on, batches are built in a child process
    (`ahead`).
    """
    if count < 0:
        raise ValueError("count must not be negative")
    started = clock.perf_counter()
    code = access_code or receipts.new_access_code()
    code_hash = access_codes.hash_code(code)
    first_id = int(db.session.scalar(select(func.max(Complaint.id))) or 0) + 1
    check_receipts = first_id > 1
    anchor = datetime.combine(datetime.now(UTC).date(), time(0), UTC)
    storage = _Storage(db.session.get_bind().dialect.name)
    generator = _Generator(count, seed, anchor, code_hash, first_id, storage,
                           rollup.office_zone())
    triggers = _copy_triggers()
    events = 0
    writing = 0.0
    moves = numbering.Moves()
    first_receipt = last_receipt = None
    ranges = [(start, min(start + batch_size, count)) for start in range(0, count, batch_size)]
    # On an empty database no receipt is ever renamed (renaming changes rows the generator
    # still refers to), so the next batch can be built while the database writes this one.
    batches: Generator[_Batch, None, None] = (
        ahead.built_ahead(generator.batch, ranges, in_process=count >= in_process_from)
        if not check_receipts else (generator.batch(start, stop) for start, stop in ranges))
    try:
        with _large_sqlite_cache():
            for (start, stop), batch in zip(ranges, batches, strict=True):
                if check_receipts:
                    _resolve_collisions(batch, seed, start)
                began = clock.perf_counter()
                events += _write_batch(batch, triggers, moves)
                writing += clock.perf_counter() - began
                first_receipt = first_receipt or batch.complaints[0]["receipt"]
                last_receipt = batch.complaints[-1]["receipt"]
                if progress is not None:
                    progress(stop, count, clock.perf_counter() - started)
    finally:
        batches.close()  # stops the builder (thread or process), even when writing failed
    db.session.commit()
    return DemoReport(count, clock.perf_counter() - started, code, first_receipt, last_receipt,
                      events, writing)


def _write_batch(batch: _Batch, triggers: list[_CopyTrigger] | None,
                 moves: numbering.Moves) -> int:
    """Write one batch of complaints and their rows in one transaction, under ids taken for
    it (`numbering`: moved if others filed meanwhile); return events written."""
    try:
        expected = batch.complaints[0]["id"]
        first = numbering.reserve(db.session.connection(), len(batch.complaints))
        moves.add(expected, first - expected)
        if moves.any:
            moves.apply(batch)
        _insert_complaints(batch.complaints, triggers)
        _write("complaint_search_documents", DOCUMENT_COLUMNS, batch.documents)
        _write("complaint_categories", CATEGORY_COLUMNS, batch.categories)
        _write("complaint_components", COMPONENT_COLUMNS, batch.components)
        _write("possible_duplicates", DUPLICATE_COLUMNS, batch.duplicates)
        _write("audit_events", EVENT_COLUMNS, batch.events)
        rollup.write_rows(db.session.connection(), batch.rollup_rows)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return len(batch.events)
