"""Correspondence with the filer: each message the office sent or the filer wrote, as sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from complaints.extensions import db
from complaints.models.types import UTCDateTime, utcnow

# Predicates of the partial indexes; queries say them in these words so both databases use them.
UNREAD_REPLY = text("direction = 'filer' AND read_at IS NULL")
TO_PRINT = text("delivery = 'print' AND printed_at IS NULL")


class Message(db.Model):  # type: ignore[name-defined]
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    # "office" (staff wrote it) or "filer" (an answer on the status page or through the API).
    direction: Mapped[str] = mapped_column(String(6))
    # The letter template it was rendered from (domain/letters.py), or None for free text.
    template: Mapped[str | None] = mapped_column(String(40))
    # The language the body is written in (a locale code).
    language: Mapped[str] = mapped_column(String(10))
    # The text exactly as the filer sees it (a letter rendered in their language).
    body: Mapped[str] = mapped_column(Text)
    # The free part of a letter (such as the questions asked), as staff typed it.
    note: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # Who acted, as the audit trail names them ("staff:<id>", "public", "api").
    actor: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # How an office message reaches the filer: "email" (a notification without its text is
    # queued) or "print" (no email: staff print and post a letter).
    delivery: Mapped[str | None] = mapped_column(String(6))
    # Office messages: when the filer first read it. Filer messages: when staff dealt with it
    # (answered it, or marked it read); until then the queue shows "filer replied".
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    printed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))

    __table_args__ = (
        # A complaint's conversation, in order.
        Index("ix_messages_complaint", "complaint_id", "created_at", "id"),
        # Requests for information per complaint, by date (overdue requests, statistics).
        Index("ix_messages_template", "template", "complaint_id", "created_at"),
        # The queue's "filer replied": the few unread answers.
        Index("ix_messages_unread_replies", "complaint_id",
              sqlite_where=UNREAD_REPLY, postgresql_where=UNREAD_REPLY),
        # Letters waiting to be printed, oldest first.
        Index("ix_messages_to_print", "created_at", "id",
              sqlite_where=TO_PRINT, postgresql_where=TO_PRINT),
    )
