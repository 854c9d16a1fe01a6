"""statistics rollup: exact daily and monthly counts kept by the write path; case export jobs

- stats_rollup: (measure, grain, day, a, b) -> n; see complaints/stats/rollup.py. Filled here
  from the existing complaints (the office time zone of the app running the migration; after
  changing TIMEZONE, run `flask --app complaints check-stats --rebuild`).
- case_exports: case exports prepared in the background (complaints/services/case_exports.py).

Revision ID: 0009_statistics_rollup
Revises: 0008_attachments

"""
import sqlalchemy as sa
from alembic import op

revision = "0009_statistics_rollup"
down_revision = "0008_attachments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stats_rollup",
        sa.Column("measure", sa.String(48), nullable=False),
        sa.Column("grain", sa.String(1), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("a", sa.String(40), nullable=False),
        sa.Column("b", sa.String(40), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("measure", "grain", "day", "a", "b"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "case_exports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("requested_by_id", sa.Integer(), sa.ForeignKey("staff_users.id"),
                  nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("format", sa.String(4), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("include_restricted", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("rows", sa.Integer()),
        sa.Column("file_name", sa.String(100)),
        sa.Column("error", sa.Text()),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_case_exports_requester", "case_exports",
                    ["requested_by_id", "requested_at"])
    from complaints.stats import rollup

    connection = op.get_bind()
    if connection.execute(sa.text("SELECT 1 FROM complaints LIMIT 1")).first() is not None:
        rollup.rebuild(connection)


def downgrade() -> None:
    op.drop_index("ix_case_exports_requester", table_name="case_exports")
    op.drop_table("case_exports")
    op.drop_table("stats_rollup")
