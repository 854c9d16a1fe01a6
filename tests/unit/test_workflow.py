"""The workflow table and who may make each move."""

from __future__ import annotations

import pytest

from complaints.domain.taxonomy import STATUS_CODES
from complaints.domain.workflow import TRANSITIONS, Actor, Move, check_move, moves_for

EXPECTED = {
    "received": {"intake_review", "closed"},
    "intake_review": {"awaiting_information", "referred_oig", "referred_component",
                      "investigating", "closed"},
    "awaiting_information": {"intake_review", "closed"},
    "referred_oig": {"intake_review", "closed"},
    "referred_component": {"investigating", "recommendations", "closed"},
    "investigating": {"recommendations", "closed"},
    "recommendations": {"closed"},
    "closed": {"intake_review"},
}
SUPERVISOR = Actor("supervisor")
INTAKE = Actor("intake")


def test_table_matches_the_domain() -> None:
    assert {k: set(v) for k, v in TRANSITIONS.items()} == EXPECTED
    assert set(TRANSITIONS) == set(STATUS_CODES)


@pytest.mark.parametrize("current", STATUS_CODES)
@pytest.mark.parametrize("target", STATUS_CODES)
def test_every_pair_is_allowed_only_if_listed(current: str, target: str) -> None:
    move = Move(current, "IMM", target,
                disposition="withdrawn" if target == "closed" else None, reason="because")
    assert bool(check_move(SUPERVISOR, move)) is (target in EXPECTED[current])


@pytest.mark.parametrize(("actor", "allowed"), [
    (Actor("intake"), True),
    (Actor("investigator", "IMM"), True),
    (Actor("investigator", "ADG"), False),
    (Actor("supervisor"), True),
    (Actor("analyst"), False),
    (Actor("admin"), False),
])
def test_roles_and_sections(actor: Actor, allowed: bool) -> None:
    verdict = check_move(actor, Move("received", "IMM", "intake_review"))
    assert bool(verdict) is allowed
    if not allowed:
        assert verdict.reason


@pytest.mark.parametrize("role", ["intake", "investigator"])
def test_only_supervisors_reopen(role: str) -> None:
    move = Move("closed", "IMM", "intake_review", reason="new evidence")
    verdict = check_move(Actor(role, "IMM"), move)
    assert not verdict
    assert "supervisor" in verdict.reason.lower()
    assert check_move(SUPERVISOR, move)


def test_reopening_needs_a_reason() -> None:
    verdict = check_move(SUPERVISOR, Move("closed", "IMM", "intake_review", reason="  "))
    assert not verdict
    assert "reason" in verdict.reason


def test_closing_needs_a_disposition() -> None:
    assert not check_move(INTAKE, Move("received", "INT", "closed"))
    assert not check_move(INTAKE, Move("received", "INT", "closed", disposition="made_up"))
    assert check_move(INTAKE, Move("received", "INT", "closed", disposition="withdrawn"))


def test_duplicate_names_the_original() -> None:
    assert not check_move(INTAKE, Move("received", "INT", "closed", disposition="duplicate"))
    assert check_move(INTAKE, Move("received", "INT", "closed", disposition="duplicate",
                                   duplicate_of="CR-2345-6789"))


def test_only_closing_takes_a_disposition() -> None:
    assert not check_move(INTAKE, Move("received", "INT", "intake_review",
                                       disposition="withdrawn"))


def test_moves_offered_to_each_role() -> None:
    assert moves_for(INTAKE, "closed", "IMM") == []
    assert moves_for(SUPERVISOR, "closed", "IMM") == ["intake_review"]
    assert moves_for(Actor("investigator", "CMP"), "received", "IMM") == []
    assert moves_for(Actor("investigator", "IMM"), "received", "IMM") == [
        "intake_review", "closed"]
