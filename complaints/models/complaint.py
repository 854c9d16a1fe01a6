"""The complaint aggregate: the intake record, its categories and components, routing results,
workflow state, and the lookup tables for possible-duplicate detection."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.extensions import db
from complaints.models.types import UTCDateTime, utcnow

# The predicate of the partial indexes on open complaints; queries must say it in these words
# (a literal, not a parameter) for either database to use them.
OPEN_ONLY = text("status <> 'closed'")
OPEN_UNASSIGNED = text("status <> 'closed' AND assignee_id IS NULL")


class Complaint(db.Model):  # type: ignore[name-defined]
    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt: Mapped[str] = mapped_column(String(12), unique=True)
    access_code_hash: Mapped[str] = mapped_column(String(200))
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    channel: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(10))

    # What happened
    primary_category: Mapped[str] = mapped_column(String(40))
    narrative: Mapped[str] = mapped_column(Text)
    incident_month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    incident_day: Mapped[int | None] = mapped_column(SmallInteger)
    city: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str | None] = mapped_column(String(2))
    country: Mapped[str | None] = mapped_column(String(100))
    facility: Mapped[str | None] = mapped_column(String(200))
    officials: Mapped[str | None] = mapped_column(Text)
    witnesses: Mapped[str | None] = mapped_column(Text)
    steps_taken: Mapped[str | None] = mapped_column(Text)

    # Risk questions
    at_risk_now: Mapped[bool] = mapped_column(Boolean, default=False)
    currently_detained: Mapped[bool] = mapped_column(Boolean, default=False)
    detention_location: Mapped[str | None] = mapped_column(String(200))
    us_citizen_held: Mapped[bool] = mapped_column(Boolean, default=False)
    minor_involved: Mapped[bool] = mapped_column(Boolean, default=False)
    private_employer: Mapped[bool] = mapped_column(Boolean, default=False)

    # The person (all optional: anonymous filing is allowed)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    email_key: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    a_number: Mapped[str | None] = mapped_column(String(10), index=True)
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    share_identity: Mapped[bool] = mapped_column(Boolean, default=False)
    privacy_acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)

    # Filing for someone else
    filing_for_other: Mapped[bool] = mapped_column(Boolean, default=False)
    filer_name: Mapped[str | None] = mapped_column(String(200))
    filer_organization: Mapped[str | None] = mapped_column(String(200))
    filer_relationship: Mapped[str | None] = mapped_column(String(20))
    consent_attested: Mapped[bool] = mapped_column(Boolean, default=False)

    # Routing
    section: Mapped[str] = mapped_column(String(4))
    priority: Mapped[str] = mapped_column(String(6))
    priority_rank: Mapped[int] = mapped_column(SmallInteger)  # 0 urgent, 1 high, 2 normal
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    routing_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    possible_duplicate: Mapped[bool] = mapped_column(Boolean, default=False)

    # Workflow
    status: Mapped[str] = mapped_column(String(24), default="received")
    disposition: Mapped[str | None] = mapped_column(String(40))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    first_triaged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    category_rows: Mapped[list[ComplaintCategory]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintCategory.id"
    )
    component_rows: Mapped[list[ComplaintComponent]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintComponent.id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # The queue: what needs attention first, in a section and status.
        Index("ix_complaints_queue", "section", "status", "priority_rank", "received_at", "id"),
        Index("ix_complaints_status_rank", "status", "priority_rank", "received_at", "id"),
        # Open complaints (the queue's default), in attention order: overall, by section, by
        # assignee. Partial, so the order is read from the index whatever the open statuses.
        Index("ix_complaints_open_attention", "priority_rank", "received_at", "id",
              sqlite_where=OPEN_ONLY, postgresql_where=OPEN_ONLY),
        Index("ix_complaints_open_section", "section", "priority_rank", "received_at", "id",
              sqlite_where=OPEN_ONLY, postgresql_where=OPEN_ONLY),
        Index("ix_complaints_open_assignee", "assignee_id", "priority_rank", "received_at", "id",
              sqlite_where=OPEN_ONLY, postgresql_where=OPEN_ONLY),
        Index("ix_complaints_open_unassigned", "section", "priority_rank", "received_at", "id",
              sqlite_where=OPEN_UNASSIGNED, postgresql_where=OPEN_UNASSIGNED),
        # Filters whose values can be rare (a language, fax, the flags): a page and its count
        # find their few rows here instead of walking every open complaint.
        Index("ix_complaints_language_status", "language", "status"),
        Index("ix_complaints_channel_status", "channel", "status"),
        Index("ix_complaints_restricted_status", "restricted", "status"),
        Index("ix_complaints_duplicate_status", "possible_duplicate", "status"),
        Index("ix_complaints_detained_status", "currently_detained", "status"),
        # Newest-first keyset pagination (API) and statistics by period.
        Index("ix_complaints_received", "received_at", "id"),
        Index("ix_complaints_created", "created_at", "id"),
        Index("ix_complaints_assignee", "assignee_id", "status"),
        # Statistics by the date a complaint was first triaged or closed, and the
        # self-reference of duplicates (deleting a complaint checks it).
        Index("ix_complaints_first_triaged", "first_triaged_at"),
        Index("ix_complaints_closed", "closed_at"),
        Index("ix_complaints_duplicate_of", "duplicate_of_id"),
    )

    @property
    def secondary_categories(self) -> list[str]:
        return [row.category for row in self.category_rows if not row.is_primary]

    @property
    def components(self) -> list[str]:
        return [row.component for row in self.component_rows]

    def __repr__(self) -> str:
        return f"<Complaint {self.receipt} {self.status}>"


class ComplaintCategory(db.Model):  # type: ignore[name-defined]
    """One category of a complaint; the primary one is repeated here so 'any category' counts
    are a single indexed join."""

    __tablename__ = "complaint_categories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(40))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    complaint: Mapped[Complaint] = relationship(back_populates="category_rows")

    __table_args__ = (
        Index("ix_complaint_categories_complaint", "complaint_id", "category", unique=True),
        Index("ix_complaint_categories_category", "category", "complaint_id"),
    )


class ComplaintComponent(db.Model):  # type: ignore[name-defined]
    __tablename__ = "complaint_components"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    component: Mapped[str] = mapped_column(String(12))
    complaint: Mapped[Complaint] = relationship(back_populates="component_rows")

    __table_args__ = (
        Index("ix_complaint_components_complaint", "complaint_id", "component", unique=True),
        Index("ix_complaint_components_component", "component", "complaint_id"),
    )


class NarrativeSignature(db.Model):  # type: ignore[name-defined]
    """MinHash band values of a narrative, looked up to find near-identical ones quickly."""

    __tablename__ = "narrative_signatures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    band: Mapped[int] = mapped_column(SmallInteger)
    value: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_narrative_signatures_lookup", "band", "value"),
                      Index("ix_narrative_signatures_complaint", "complaint_id"))


class PossibleDuplicate(db.Model):  # type: ignore[name-defined]
    """A flagged pair: the newer complaint may repeat the older one. Never merged automatically."""

    __tablename__ = "possible_duplicates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20))  # email, a_number, narrative

    __table_args__ = (
        Index("ix_possible_duplicates_pair", "complaint_id", "other_id", "reason", unique=True),
        Index("ix_possible_duplicates_other", "other_id"),
    )
