"""full-text search of complaint narratives

SQLite: two FTS5 external-content tables over complaints(narrative) -- words (unicode61, accents
removed) and trigram (substrings, for Chinese/Korean/Japanese) -- kept in sync by triggers.
PostgreSQL: GIN indexes on to_tsvector('simple', narrative) and on narrative gin_trgm_ops.
complaints/services/search.py queries them; complaints/models/search_schema.py names them.

Caution for later SQLite migrations: a batch ("move and copy") alter of `complaints` drops and
recreates the table, which drops these triggers. Such a migration must recreate the three
triggers below and rebuild both FTS tables, or search silently goes stale.

Revision ID: 0003_narrative_search
Revises: 0002_staff

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0003_narrative_search"
down_revision = "0002_staff"
branch_labels = None
depends_on = None

WORDS = "complaint_search_words"
TRIGRAM = "complaint_search_trigram"
FTS_TABLES = {WORDS: "unicode61 remove_diacritics 2", TRIGRAM: "trigram"}
TRIGGERS = ("complaint_search_ai", "complaint_search_ad", "complaint_search_au")
TSVECTOR_INDEX = "ix_complaints_narrative_tsv"
TRIGRAM_INDEX = "ix_complaints_narrative_trgm"


def _index_new(table):
    return f"INSERT INTO {table}(rowid, narrative) VALUES (new.id, new.narrative);"


def _unindex_old(table):
    return (f"INSERT INTO {table}({table}, rowid, narrative) "
            f"VALUES ('delete', old.id, old.narrative);")


def _upgrade_sqlite():
    for table, tokenizer in FTS_TABLES.items():
        op.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(narrative, content='complaints', "
                   f"content_rowid='id', tokenize='{tokenizer}')")
    add = " ".join(_index_new(t) for t in FTS_TABLES)
    remove = " ".join(_unindex_old(t) for t in FTS_TABLES)
    op.execute(f"CREATE TRIGGER complaint_search_ai AFTER INSERT ON complaints BEGIN {add} END")
    op.execute(f"CREATE TRIGGER complaint_search_ad AFTER DELETE ON complaints BEGIN {remove} END")
    op.execute("CREATE TRIGGER complaint_search_au AFTER UPDATE OF narrative ON complaints "
               f"BEGIN {remove} {add} END")
    for table in FTS_TABLES:
        op.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")


def _downgrade_sqlite():
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in FTS_TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table}")


def _pg_trgm_schema(bind):
    return bind.execute(sa.text(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
    )).scalar()


def _ensure_pg_trgm(bind):
    """Create pg_trgm if missing (in `public` when it exists, so it outlives any one schema) and
    return the schema that holds it; the operator class is qualified with it."""
    if op.get_context().as_sql:  # offline SQL script: no catalog to ask
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        return "public"
    schema = _pg_trgm_schema(bind)
    if schema is None:
        has_public = bind.execute(sa.text("SELECT to_regnamespace('public') IS NOT NULL")).scalar()
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm"
                   + (" WITH SCHEMA public" if has_public else ""))
        schema = _pg_trgm_schema(bind)
    return schema


def _upgrade_postgresql(bind):
    schema = _ensure_pg_trgm(bind)
    op.execute(f"CREATE INDEX {TSVECTOR_INDEX} ON complaints "
               "USING gin (to_tsvector('simple', narrative))")
    op.execute(f"CREATE INDEX {TRIGRAM_INDEX} ON complaints "
               f"USING gin (narrative {schema}.gin_trgm_ops)")


def _downgrade_postgresql():
    # pg_trgm stays: it is database-wide and other schemas or applications may use it.
    op.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    op.execute(f"DROP INDEX IF EXISTS {TSVECTOR_INDEX}")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _upgrade_sqlite()
    elif bind.dialect.name == "postgresql":
        _upgrade_postgresql(bind)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _downgrade_sqlite()
    elif bind.dialect.name == "postgresql":
        _downgrade_postgresql()
