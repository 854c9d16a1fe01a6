"""Named queue views each person keeps for themselves: saved, replaced and removed through here,
each change audited."""

from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy import func, select

from complaints.domain.taxonomy import S_
from complaints.extensions import db
from complaints.models import SavedView, StaffUser
from complaints.services import audit
from complaints.services.queue import QueueFilters

MAX_VIEWS = 30
MAX_NAME = 80


class ViewError(ValueError):
    """A saved view was refused; the message says why."""


def views_of(user: StaffUser) -> list[SavedView]:
    return list(db.session.scalars(select(SavedView).where(SavedView.staff_id == user.id)
                                   .order_by(func.lower(SavedView.name), SavedView.id)))


def save(user: StaffUser, name: str | None, filters: QueueFilters) -> SavedView:
    """Keep the filters under a name; the same name again replaces what it held."""
    clean = " ".join((name or "").replace("\x00", "").split())
    if not clean:
        raise ViewError(S_("Give the view a name."))
    if len(clean) > MAX_NAME:
        raise ViewError(S_("Give the view a name of up to 80 characters."))
    query = urlencode(filters.as_args())
    existing = db.session.scalar(select(SavedView).where(SavedView.staff_id == user.id,
                                                         SavedView.name == clean))
    if existing is None:
        if len(views_of(user)) >= MAX_VIEWS:
            raise ViewError(S_("You have 30 saved views: remove one first."))
        existing = SavedView(staff_id=user.id, name=clean, query=query)
        db.session.add(existing)
    else:
        existing.query = query
    db.session.flush()
    audit.record("view_saved", user.actor, None, view_id=existing.id, name=clean, query=query)
    db.session.commit()
    return existing


def remove(user: StaffUser, view_id: int) -> bool:
    """Remove one of the person's own views; False if they have no such view."""
    view = db.session.get(SavedView, view_id)
    if view is None or view.staff_id != user.id:
        return False
    audit.record("view_removed", user.actor, None, view_id=view.id, name=view.name)
    db.session.delete(view)
    db.session.commit()
    return True
