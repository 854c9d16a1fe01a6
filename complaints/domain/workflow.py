"""The complaint workflow: allowed moves, who may make them and what each one requires.

`check_move` is the single authority on transitions; services apply what it allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from complaints.domain.taxonomy import DISPOSITION_CODES, S_, STATUS_CODES

TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"intake_review", "closed"}),
    "intake_review": frozenset(
        {"awaiting_information", "referred_oig", "referred_component", "investigating", "closed"}
    ),
    "awaiting_information": frozenset({"intake_review", "closed"}),
    "referred_oig": frozenset({"intake_review", "closed"}),
    "referred_component": frozenset({"investigating", "recommendations", "closed"}),
    "investigating": frozenset({"recommendations", "closed"}),
    "recommendations": frozenset({"closed"}),
    "closed": frozenset({"intake_review"}),
}

ROLES_THAT_MOVE = frozenset({"intake", "investigator", "supervisor"})


@dataclass(frozen=True)
class Actor:
    """Who is asking: a role, and for investigators the section they work."""

    role: str
    section: str | None = None


@dataclass(frozen=True)
class Move:
    current_status: str
    section: str
    to: str
    disposition: str | None = None
    duplicate_of: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Verdict(True)


def is_reopen(current_status: str, to: str) -> bool:
    return current_status == "closed" and to == "intake_review"


def allowed_targets(current_status: str) -> frozenset[str]:
    return TRANSITIONS.get(current_status, frozenset())


def check_move(actor: Actor, move: Move) -> Verdict:
    """Say whether this actor may make this move, and if not, why not."""
    if move.current_status not in STATUS_CODES or move.to not in STATUS_CODES:
        return Verdict(False, S_("That status does not exist."))
    if move.to not in allowed_targets(move.current_status):
        return Verdict(False, S_("The workflow does not allow this move."))
    if actor.role not in ROLES_THAT_MOVE:
        return Verdict(False, S_("Your role may not move complaints."))
    if actor.role == "investigator" and actor.section != move.section:
        return Verdict(False, S_("Investigators may only move complaints in their own section."))
    if is_reopen(move.current_status, move.to):
        if actor.role != "supervisor":
            return Verdict(False, S_("Only supervisors may reopen a closed complaint."))
        if not (move.reason or "").strip():
            return Verdict(False, S_("Reopening requires a reason."))
    if move.to == "closed":
        if move.disposition not in DISPOSITION_CODES:
            return Verdict(False, S_("Closing requires a disposition."))
        if move.disposition == "duplicate" and not move.duplicate_of:
            return Verdict(False, S_("A duplicate must name the original complaint."))
    elif move.disposition:
        return Verdict(False, S_("Only closing takes a disposition."))
    return ALLOWED


def moves_for(actor: Actor, current_status: str, section: str) -> list[str]:
    """Targets this actor could choose, before the details a move requires are given."""
    result = []
    for target in sorted(allowed_targets(current_status), key=STATUS_CODES.index):
        probe = Move(current_status, section, target, disposition="withdrawn" if target == "closed"
                     else None, reason="probe")
        if check_move(actor, probe):
            result.append(target)
    return result
