"""Migration 0010 recomputes every stored narrative signature, and its downgrade restores the
earlier values, on both databases."""

from __future__ import annotations

from typing import Any

import flask_migrate
from sqlalchemy import select

from complaints.domain import duplicates
from complaints.models import NarrativeSignature
from tests.unit.test_duplicates import _reference_signature

NARRATIVE = ("Guards at the detention center took away my mother's blood pressure medicine "
             "and did not give it back for a week although she asked every day.")


def _stored(db_session: Any) -> list[int]:
    db_session.remove()
    return list(db_session.scalars(select(NarrativeSignature.value)
                                   .order_by(NarrativeSignature.band)))


def test_signatures_follow_the_scheme_of_each_revision(file_via_api: Any, db_session: Any,
                                                       app: Any) -> None:
    file_via_api(narrative=NARRATIVE)
    assert _stored(db_session) == duplicates.signature(NARRATIVE)
    db_session.remove()
    try:
        flask_migrate.downgrade(revision="0009_statistics_rollup")
        assert _stored(db_session) == _reference_signature(NARRATIVE)
    finally:
        db_session.remove()
        flask_migrate.upgrade()
    assert _stored(db_session) == duplicates.signature(NARRATIVE)


def test_a_filing_after_the_migration_finds_one_filed_before_it(file_via_api: Any,
                                                                db_session: Any) -> None:
    first = file_via_api(narrative=NARRATIVE)
    db_session.remove()
    try:
        flask_migrate.downgrade(revision="0009_statistics_rollup")
    finally:
        db_session.remove()
        flask_migrate.upgrade()
    db_session.remove()
    second = file_via_api(narrative=NARRATIVE.upper() + "!!")  # the same after normalising
    assert first["receipt"] != second["receipt"]
    from complaints.models import Complaint

    flagged = db_session.scalar(select(Complaint.possible_duplicate)
                                .where(Complaint.receipt == second["receipt"]))
    assert flagged is True
