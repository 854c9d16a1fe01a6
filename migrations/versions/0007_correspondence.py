"""correspondence with the filer: messages

One row per message the office sent (a letter template rendered in the complaint's language, or
free text in a stated language) or the filer wrote, with its delivery (email notification or
printed letter) and its read and printed marks.

Revision ID: 0007_correspondence
Revises: 0006_staff_workspace

"""
from alembic import op
import sqlalchemy as sa


revision = "0007_correspondence"
down_revision = "0006_staff_workspace"
branch_labels = None
depends_on = None

UNREAD_REPLY = "direction = 'filer' AND read_at IS NULL"
TO_PRINT = "delivery = 'print' AND printed_at IS NULL"


def upgrade():
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=6), nullable=False),
        sa.Column("template", sa.String(length=40), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivery", sa.String(length=6), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("printed_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"], ondelete="CASCADE",
                                name="fk_messages_complaint_id_complaints"),
        sa.ForeignKeyConstraint(["author_id"], ["staff_users.id"],
                                name="fk_messages_author_id_staff_users"),
        sa.ForeignKeyConstraint(["printed_by"], ["staff_users.id"],
                                name="fk_messages_printed_by_staff_users"),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
    )
    op.create_index("ix_messages_complaint", "messages", ["complaint_id", "created_at", "id"])
    op.create_index("ix_messages_template", "messages",
                    ["template", "complaint_id", "created_at"])
    op.create_index("ix_messages_unread_replies", "messages", ["complaint_id"],
                    sqlite_where=sa.text(UNREAD_REPLY), postgresql_where=sa.text(UNREAD_REPLY))
    op.create_index("ix_messages_to_print", "messages", ["created_at", "id"],
                    sqlite_where=sa.text(TO_PRINT), postgresql_where=sa.text(TO_PRINT))


def downgrade():
    for name in ("ix_messages_to_print", "ix_messages_unread_replies", "ix_messages_template",
                 "ix_messages_complaint"):
        op.drop_index(name, table_name="messages")
    op.drop_table("messages")
