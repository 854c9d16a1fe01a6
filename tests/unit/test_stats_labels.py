"""Labels of statistics: codes become the staff-facing names of the domain, unknown codes stay
as they are, and every code of every coded dimension has a label."""

from __future__ import annotations

import pytest

from complaints.domain.taxonomy import (
    CATEGORY_CODES,
    CHANNEL_CODES,
    COMPONENT_CODES,
    DISPOSITION_CODES,
    PRIORITY_CODES,
    SECTION_CODES,
    STATUS_CODES,
)
from complaints.i18n import LOCALE_CODES
from complaints.stats import labels


@pytest.mark.parametrize(("dimension", "code", "label"), [
    ("category", "detention_conditions", "Detention conditions"),
    ("any_category", "retaliation", "Retaliation"),
    ("language", "zh_Hant", "Chinese (Traditional)"),
    ("language", "fa_AF", "Dari"),
    ("component", "ICE", "ICE"),
    ("component", "STATE_LOCAL", "State or local agency"),
    ("section", "SIIP", "Security, Intelligence and Information Policy Section"),
    ("status", "referred_oig", "Referred to the Inspector General"),
    ("disposition", None, "No disposition (not closed)"),
    ("state", "TX", "Texas"),
    ("state", None, "No state given"),
    ("channel", "api", "Partner API"),
    ("month", "2025-10", "October 2025"),
    ("quarter", "FY2026-Q1", "FY2026 Q1 (Oct–Dec 2025)"),
    ("quarter", "FY2026-Q4", "FY2026 Q4 (Jul–Sep 2026)"),
    ("interval", "received_to_first_triage", "Received to first triage"),
    ("age", "over-365", "Over 365 days"),
    ("category", "no_such_code", "no_such_code"),
    ("quarter", "FY2026-Q9", "FY2026-Q9"),
])
def test_codes_read_as_names(dimension: str, code: str | None, label: str) -> None:
    assert labels.value(dimension, code) == label


@pytest.mark.parametrize(("dimension", "codes"), [
    ("category", CATEGORY_CODES), ("component", COMPONENT_CODES), ("section", SECTION_CODES),
    ("status", STATUS_CODES), ("disposition", DISPOSITION_CODES), ("priority", PRIORITY_CODES),
    ("channel", CHANNEL_CODES), ("language", LOCALE_CODES),
])
def test_every_code_has_a_label(dimension: str, codes: tuple[str, ...]) -> None:
    for code in codes:
        label = labels.value(dimension, code)
        assert label, (dimension, code)
        assert label != code or code.isupper(), (dimension, code)
    assert len({labels.value(dimension, c) for c in codes}) == len(codes), "labels are distinct"


def test_dimensions_and_measures_have_headings() -> None:
    assert labels.dimension("category") == "Primary category"
    assert labels.dimension("channel") == "Intake channel"
    assert labels.measure("count") == "Complaints"
    assert labels.measure("median_days") == "Median days"
