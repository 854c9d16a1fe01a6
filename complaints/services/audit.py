"""Writing the audit trail; callers add events inside their own transaction."""

from __future__ import annotations

from typing import Any

from complaints.extensions import db
from complaints.models import AuditEvent, Complaint


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
