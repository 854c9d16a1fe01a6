"""attachments: files attached to complaints, and files held for a public form until it is filed

Revision ID: 0008_attachments
Revises: 0007_correspondence

"""
from alembic import op
import sqlalchemy as sa


revision = "0008_attachments"
down_revision = "0007_correspondence"
branch_labels = None
depends_on = None


def _file_columns():
    return [
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("detected_type", sa.String(100), nullable=False),
        sa.Column("stored_type", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storage_key", sa.String(200), nullable=False),
        sa.Column("original_key", sa.String(200), nullable=True),
        sa.Column("original_size", sa.BigInteger(), nullable=True),
        sa.Column("original_sha256", sa.String(64), nullable=True),
        sa.Column("scan_result", sa.String(20), nullable=False),
        sa.Column("scan_detail", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade():
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("complaint_id", sa.Integer(),
                  sa.ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("added_by", sa.String(64), nullable=False),
        *_file_columns(),
    )
    op.create_index("ix_attachments_complaint", "attachments", ["complaint_id", "id"])
    op.create_index("ix_attachments_storage_key", "attachments", ["storage_key"])
    op.create_index("ix_attachments_original_key", "attachments", ["original_key"])
    op.create_index("ix_attachments_message", "attachments", ["message_id"])
    op.create_table(
        "pending_uploads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("upload_key_hash", sa.String(64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        *_file_columns(),
    )
    op.create_index("ix_pending_uploads_key", "pending_uploads", ["upload_key_hash", "id"])
    op.create_index("ix_pending_uploads_expires", "pending_uploads", ["expires_at"])
    op.create_index("ix_pending_uploads_storage_key", "pending_uploads", ["storage_key"])


def downgrade():
    op.drop_table("pending_uploads")
    op.drop_table("attachments")
