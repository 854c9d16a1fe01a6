"""Writing the audit trail; callers add events inside their own transaction."""

from __future__ import annotations

from typing import Any

from complaints.extensions import db
from complaints.models import AuditEvent, Complaint
from complaints.models.types import utcnow


def record(kind: str, actor: str, complaint: Complaint | None = None, *,
           from_status: str | None = None, to_status: str | None = None,
           note: str | None = None, **data: Any) -> AuditEvent:
    """Add one event to the session (committed with the change it describes)."""
    event = AuditEvent(kind=kind, actor=actor, from_status=from_status, to_status=to_status,
                       note=note, data=data)
    if complaint is not None:
        event.complaint_id = complaint.id
    db.session.add(event)
    return event


def values(kind: str, actor: str, complaint_id: int | None, *, from_status: str | None = None,
           to_status: str | None = None, note: str | None = None, **data: Any) -> dict[str, Any]:
    """One event as a row for a bulk INSERT in the caller's transaction (the filing writes
    all of its events at once)."""
    return {"at": utcnow(), "kind": kind, "actor": actor, "complaint_id": complaint_id,
            "from_status": from_status, "to_status": to_status, "note": note, "data": data}
