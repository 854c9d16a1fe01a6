"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from complaints.models.complaint import (
    Complaint,
    ComplaintCategory,
    ComplaintComponent,
    NarrativeSignature,
    PossibleDuplicate,
)
from complaints.models.event import AuditEvent
from complaints.models.outbox import OutboxMessage

__all__ = [
    "AuditEvent",
    "Complaint",
    "ComplaintCategory",
    "ComplaintComponent",
    "NarrativeSignature",
    "OutboxMessage",
    "PossibleDuplicate",
]
