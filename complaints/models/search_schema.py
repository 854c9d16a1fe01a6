"""Names of the narrative-search objects that migration 0003 creates outside the ORM metadata, and
an Alembic filter so autogenerate and schema comparisons leave them alone."""

from __future__ import annotations

from typing import Any

SEARCH_TABLE_PREFIX = "complaint_search_"
# SQLite: FTS5 external-content tables over complaints(narrative), kept in sync by triggers.
WORDS_TABLE = f"{SEARCH_TABLE_PREFIX}words"  # tokenize="unicode61 remove_diacritics 2"
TRIGRAM_TABLE = f"{SEARCH_TABLE_PREFIX}trigram"  # tokenize="trigram"
# PostgreSQL: GIN indexes on complaints.narrative.
TSVECTOR_INDEX = "ix_complaints_narrative_tsv"  # to_tsvector('simple', narrative)
TRIGRAM_INDEX = "ix_complaints_narrative_trgm"  # narrative gin_trgm_ops
SEARCH_INDEXES = frozenset({TSVECTOR_INDEX, TRIGRAM_INDEX})


def is_search_object(name: str | None) -> bool:
    """True for the search tables (and FTS5's shadow tables), triggers and indexes."""
    return bool(name) and (str(name).startswith(SEARCH_TABLE_PREFIX) or name in SEARCH_INDEXES)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool,
                   compare_to: Any) -> bool:
    """Alembic `include_object` hook: False for the search objects, True for everything else."""
    return not is_search_object(name)
