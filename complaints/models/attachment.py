"""Files attached to a complaint, and files received on the public form before it is filed.

The bytes live in attachment storage (complaints/storage), under a key made from their hash; a
row here says what they are. `Attachment.complaint_id` is what a retention rule deletes by
(services/attachments.delete_for_complaint removes the rows and the stored files); `message_id`
is for files a later message of the correspondence with the filer may own (no constraint yet).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from complaints.extensions import db
from complaints.models.types import UTCDateTime, utcnow


class _StoredFile:
    """What is known of one stored file, received or attached."""

    # The person's name for the file: shown, never used as a path.
    name: Mapped[str] = mapped_column(String(255))
    # What the content was found to be, and what the kept copy is (a HEIC photo is kept as
    # JPEG; every image is kept re-encoded without its metadata).
    detected_type: Mapped[str] = mapped_column(String(100))
    stored_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    # The file as it was sent, only when ATTACHMENT_KEEP_ORIGINALS says so (images).
    original_key: Mapped[str | None] = mapped_column(String(200))
    original_size: Mapped[int | None] = mapped_column(BigInteger)
    original_sha256: Mapped[str | None] = mapped_column(String(64))
    # "clean" (the virus scanner found nothing) or "not_scanned" (no scanner configured).
    scan_result: Mapped[str] = mapped_column(String(20))
    scan_detail: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attachment(_StoredFile, db.Model):  # type: ignore[name-defined]
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    # A message of the correspondence with the filer that carried the file (none yet).
    message_id: Mapped[int | None] = mapped_column(Integer)
    # Who sent it: "public", "api" or "staff:<id>".
    added_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_attachments_complaint", "complaint_id", "id"),
        Index("ix_attachments_storage_key", "storage_key"),
        Index("ix_attachments_original_key", "original_key"),
        Index("ix_attachments_message", "message_id"),
    )


class PendingUpload(_StoredFile, db.Model):  # type: ignore[name-defined]
    """A file received on the public form, held for that form (by the hash of its upload key)
    until the complaint is filed, or deleted when it expires."""

    __tablename__ = "pending_uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    upload_key_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_pending_uploads_key", "upload_key_hash", "id"),
        Index("ix_pending_uploads_expires", "expires_at"),
        Index("ix_pending_uploads_storage_key", "storage_key"),
    )
