"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from complaints.models.case_export import CaseExport
from complaints.models.complaint import (
    Complaint,
    ComplaintCategory,
    ComplaintComponent,
    NarrativeSignature,
    PossibleDuplicate,
)
from complaints.models.event import AuditEvent
from complaints.models.outbox import OutboxMessage
from complaints.models.search_document import SearchDocument
from complaints.models.staff import ApiToken, ComplaintNote, SavedView, StaffUser
from complaints.models.stats_rollup import StatsRollup

__all__ = [
    "ApiToken",
    "CaseExport",
    "AuditEvent",
    "Complaint",
    "ComplaintCategory",
    "ComplaintNote",
    "ComplaintComponent",
    "NarrativeSignature",
    "OutboxMessage",
    "PossibleDuplicate",
    "SavedView",
    "SearchDocument",
    "StaffUser",
    "StatsRollup",
]
