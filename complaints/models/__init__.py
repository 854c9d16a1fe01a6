"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from complaints.models.attachment import Attachment, PendingUpload
from complaints.models.case_export import CaseExport
from complaints.models.complaint import (
    Complaint,
    ComplaintCategory,
    ComplaintComponent,
    NarrativeSignature,
    PossibleDuplicate,
)
from complaints.models.event import AuditEvent
from complaints.models.message import Message
from complaints.models.outbox import OutboxMessage
from complaints.models.search_document import SearchDocument
from complaints.models.staff import ApiToken, ComplaintNote, SavedView, StaffUser
from complaints.models.stats_rollup import StatsRollup

__all__ = [
    "ApiToken",
    "Attachment",
    "CaseExport",
    "AuditEvent",
    "Complaint",
    "ComplaintCategory",
    "ComplaintNote",
    "ComplaintComponent",
    "Message",
    "NarrativeSignature",
    "OutboxMessage",
    "PendingUpload",
    "PossibleDuplicate",
    "SavedView",
    "SearchDocument",
    "StaffUser",
    "StatsRollup",
]
