"""staff workspace: normalised narrative search, open-queue indexes, saved views

- complaint_search_documents: each narrative's normalised words (complaints/domain/search_text.py),
  filled here for existing complaints and written by the app from then on. SQLite indexes them
  with an FTS5 table kept in sync by triggers on that table; PostgreSQL with a GIN index on the
  array of words. The old accent-keeping word index over the raw narrative goes; the trigram
  index (Chinese, Japanese, Korean substrings) stays.
- Partial indexes on open complaints in attention order (overall, by section, by assignee), and
  indexes for filters whose values can be rare (language, channel, the flags), with the status.
- staff_users.previous_sign_in_at (what is new since a person's last visit) and saved_views.

Revision ID: 0006_staff_workspace
Revises: 0004_statistics_indexes

"""
from alembic import op
import sqlalchemy as sa

from complaints.domain.search_text import document


revision = "0006_staff_workspace"
down_revision = "0004_statistics_indexes"
branch_labels = None
depends_on = None

DOCUMENTS = "complaint_search_documents"
TERMS_FTS = "complaint_search_terms"
OLD_WORDS = "complaint_search_words"
TRIGRAM = "complaint_search_trigram"
TSVECTOR_INDEX = "ix_complaints_narrative_tsv"
TERMS_INDEX = "ix_complaint_search_terms"
OPEN_ONLY = "status <> 'closed'"
OPEN_UNASSIGNED = "status <> 'closed' AND assignee_id IS NULL"
UNASSIGNED_INDEX = "ix_complaints_open_unassigned"
OPEN_INDEXES = {
    "ix_complaints_open_attention": ["priority_rank", "received_at", "id"],
    "ix_complaints_open_section": ["section", "priority_rank", "received_at", "id"],
    "ix_complaints_open_assignee": ["assignee_id", "priority_rank", "received_at", "id"],
}
FILTER_INDEXES = {
    "ix_complaints_language_status": ["language", "status"],
    "ix_complaints_channel_status": ["channel", "status"],
    "ix_complaints_restricted_status": ["restricted", "status"],
    "ix_complaints_duplicate_status": ["possible_duplicate", "status"],
    "ix_complaints_detained_status": ["currently_detained", "status"],
}
BATCH = 5000


def _fill_documents(bind):
    complaints = sa.table("complaints", sa.column("id"), sa.column("narrative"),
                          sa.column("status"))
    documents = sa.table(DOCUMENTS, sa.column("complaint_id"), sa.column("terms"))
    last = 0
    while True:
        rows = bind.execute(sa.select(complaints.c.id, complaints.c.narrative,
                                      complaints.c.status)
                            .where(complaints.c.id > last).order_by(complaints.c.id)
                            .limit(BATCH)).all()
        if not rows:
            return
        bind.execute(sa.insert(documents), [
            {"complaint_id": i, "terms": document(n or "", s != "closed")} for i, n, s in rows])
        last = rows[-1][0]


def _sqlite_search():
    # The complaints triggers copied narratives into both FTS tables: keep only the trigram one.
    for trigger in ("complaint_search_ai", "complaint_search_ad", "complaint_search_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute(f"DROP TABLE IF EXISTS {OLD_WORDS}")
    op.execute("CREATE TRIGGER complaint_search_ai AFTER INSERT ON complaints BEGIN "
               f"INSERT INTO {TRIGRAM}(rowid, narrative) VALUES (new.id, new.narrative); END")
    op.execute("CREATE TRIGGER complaint_search_ad AFTER DELETE ON complaints BEGIN "
               f"INSERT INTO {TRIGRAM}({TRIGRAM}, rowid, narrative) "
               "VALUES ('delete', old.id, old.narrative); END")
    op.execute("CREATE TRIGGER complaint_search_au AFTER UPDATE OF narrative ON complaints BEGIN "
               f"INSERT INTO {TRIGRAM}({TRIGRAM}, rowid, narrative) "
               "VALUES ('delete', old.id, old.narrative); "
               f"INSERT INTO {TRIGRAM}(rowid, narrative) VALUES (new.id, new.narrative); END")
    # The words are already normalised: the tokenizer only splits them at spaces.
    op.execute(f"CREATE VIRTUAL TABLE {TERMS_FTS} USING fts5(terms, content='{DOCUMENTS}', "
               "content_rowid='complaint_id', tokenize='unicode61 remove_diacritics 0')")
    # How many narratives hold each word: tells a common word from a rare one at query time.
    op.execute(f"CREATE VIRTUAL TABLE {TERMS_FTS}_vocab USING fts5vocab({TERMS_FTS}, 'row')")
    add = f"INSERT INTO {TERMS_FTS}(rowid, terms) VALUES (new.complaint_id, new.terms);"
    remove = (f"INSERT INTO {TERMS_FTS}({TERMS_FTS}, rowid, terms) "
              "VALUES ('delete', old.complaint_id, old.terms);")
    op.execute(f"CREATE TRIGGER complaint_search_terms_ai AFTER INSERT ON {DOCUMENTS} "
               f"BEGIN {add} END")
    op.execute(f"CREATE TRIGGER complaint_search_terms_ad AFTER DELETE ON {DOCUMENTS} "
               f"BEGIN {remove} END")
    op.execute(f"CREATE TRIGGER complaint_search_terms_au AFTER UPDATE ON {DOCUMENTS} "
               f"BEGIN {remove} {add} END")


def _sqlite_search_down():
    for trigger in ("complaint_search_terms_ai", "complaint_search_terms_ad",
                    "complaint_search_terms_au", "complaint_search_ai", "complaint_search_ad",
                    "complaint_search_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute(f"DROP TABLE IF EXISTS {TERMS_FTS}_vocab")
    op.execute(f"DROP TABLE IF EXISTS {TERMS_FTS}")
    op.execute(f"CREATE VIRTUAL TABLE {OLD_WORDS} USING fts5(narrative, content='complaints', "
               "content_rowid='id', tokenize='unicode61 remove_diacritics 2')")
    tables = (OLD_WORDS, TRIGRAM)
    add = " ".join(f"INSERT INTO {t}(rowid, narrative) VALUES (new.id, new.narrative);"
                   for t in tables)
    remove = " ".join(f"INSERT INTO {t}({t}, rowid, narrative) "
                      "VALUES ('delete', old.id, old.narrative);" for t in tables)
    op.execute(f"CREATE TRIGGER complaint_search_ai AFTER INSERT ON complaints BEGIN {add} END")
    op.execute(f"CREATE TRIGGER complaint_search_ad AFTER DELETE ON complaints BEGIN {remove} END")
    op.execute("CREATE TRIGGER complaint_search_au AFTER UPDATE OF narrative ON complaints "
               f"BEGIN {remove} {add} END")
    op.execute(f"INSERT INTO {OLD_WORDS}({OLD_WORDS}) VALUES ('rebuild')")


def upgrade():
    bind = op.get_bind()
    op.create_table(
        DOCUMENTS,
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"], ondelete="CASCADE",
                                name="fk_complaint_search_documents_complaint_id_complaints"),
        sa.PrimaryKeyConstraint("complaint_id", name="pk_complaint_search_documents"),
    )
    if bind.dialect.name == "sqlite":
        _sqlite_search()
    _fill_documents(bind)
    if bind.dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {TSVECTOR_INDEX}")
        op.execute(f"CREATE INDEX {TERMS_INDEX} ON {DOCUMENTS} "
                   "USING gin (string_to_array(terms, '  '))")
    for name, columns in OPEN_INDEXES.items():
        op.create_index(name, "complaints", columns, sqlite_where=sa.text(OPEN_ONLY),
                        postgresql_where=sa.text(OPEN_ONLY))
    # "Unassigned in my section", a standing view of the queue.
    op.create_index(UNASSIGNED_INDEX, "complaints", OPEN_INDEXES["ix_complaints_open_section"],
                    sqlite_where=sa.text(OPEN_UNASSIGNED),
                    postgresql_where=sa.text(OPEN_UNASSIGNED))
    for name, columns in FILTER_INDEXES.items():
        op.create_index(name, "complaints", columns)
    op.add_column("staff_users", sa.Column("previous_sign_in_at", sa.DateTime(timezone=True),
                                           nullable=True))
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_users.id"], ondelete="CASCADE",
                                name="fk_saved_views_staff_id_staff_users"),
        sa.PrimaryKeyConstraint("id", name="pk_saved_views"),
    )
    op.create_index("ix_saved_views_staff_name", "saved_views", ["staff_id", "name"],
                    unique=True)


def downgrade():
    bind = op.get_bind()
    op.drop_index("ix_saved_views_staff_name", table_name="saved_views")
    op.drop_table("saved_views")
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("previous_sign_in_at")
    for name in [*OPEN_INDEXES, UNASSIGNED_INDEX, *FILTER_INDEXES]:
        op.drop_index(name, table_name="complaints")
    if bind.dialect.name == "sqlite":
        _sqlite_search_down()
    elif bind.dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {TERMS_INDEX}")
        op.execute(f"CREATE INDEX {TSVECTOR_INDEX} ON complaints "
                   "USING gin (to_tsvector('simple', narrative))")
    op.drop_table(DOCUMENTS)
