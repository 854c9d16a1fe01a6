"""indexes for statistics and duplicate references

Revision ID: 0004_statistics_indexes
Revises: 0003_narrative_search

"""
from alembic import op

revision = "0004_statistics_indexes"
down_revision = "0003_narrative_search"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_complaints_first_triaged", "complaints", ["first_triaged_at"])
    op.create_index("ix_complaints_closed", "complaints", ["closed_at"])
    op.create_index("ix_complaints_duplicate_of", "complaints", ["duplicate_of_id"])
    op.create_index("ix_audit_events_kind_to_status", "audit_events",
                    ["kind", "to_status", "complaint_id"])


def downgrade():
    op.drop_index("ix_audit_events_kind_to_status", table_name="audit_events")
    op.drop_index("ix_complaints_duplicate_of", table_name="complaints")
    op.drop_index("ix_complaints_closed", table_name="complaints")
    op.drop_index("ix_complaints_first_triaged", table_name="complaints")
