"""Who may see and do what: the one place that answers for roles, sections and the restricted
grant. Every door (dashboard, API, exports) asks here."""

from __future__ import annotations

from typing import Protocol

from complaints.domain.workflow import Actor

CASE_ROLES = frozenset({"intake", "investigator", "supervisor"})


class StaffLike(Protocol):
    role: str
    section: str | None
    restricted_access: bool


class ComplaintLike(Protocol):
    section: str
    restricted: bool


def actor(user: StaffLike) -> Actor:
    return Actor(user.role, user.section)


def works_cases(user: StaffLike) -> bool:
    """Roles that see complaints at all (analysts and admins never do)."""
    return user.role in CASE_ROLES


def sees_complaint(user: StaffLike, complaint: ComplaintLike) -> bool:
    """Whether the complaint is in this person's scope (it may still be restricted)."""
    if not works_cases(user):
        return False
    return user.role != "investigator" or complaint.section == user.section


def sees_details(user: StaffLike, complaint: ComplaintLike) -> bool:
    """Whether the person may read the complaint's contents."""
    return sees_complaint(user, complaint) and (not complaint.restricted or
                                                user.restricted_access)


def may_change_section(user: StaffLike) -> bool:
    return user.role in ("intake", "supervisor")


def may_assign_person(user: StaffLike, complaint: ComplaintLike) -> bool:
    return sees_details(user, complaint)


def may_override_routing(user: StaffLike) -> bool:
    return user.role in ("intake", "supervisor")


def may_unrestrict(user: StaffLike) -> bool:
    return user.role == "supervisor" and user.restricted_access


def may_enter_complaints(user: StaffLike) -> bool:
    return user.role in ("intake", "supervisor")


def may_bulk_edit(user: StaffLike) -> bool:
    return user.role in ("intake", "supervisor")


def may_export_cases(user: StaffLike) -> bool:
    return user.role == "supervisor"


def may_view_stats(user: StaffLike) -> bool:
    return user.role in ("analyst", "supervisor")


def may_manage_accounts(user: StaffLike) -> bool:
    return user.role == "admin"
