"""Names of the narrative-search objects that migrations create outside the ORM metadata, and
an Alembic filter so autogenerate and schema comparisons leave them alone."""

from __future__ import annotations

from typing import Any

SEARCH_TABLE_PREFIX = "complaint_search_"
# The normalised words of each narrative (an ORM model: SearchDocument).
DOCUMENTS_TABLE = f"{SEARCH_TABLE_PREFIX}documents"
# SQLite: FTS5 external-content tables. Terms over the documents (split at spaces only); trigram
# over complaints(narrative), for substrings in Chinese, Japanese and Korean.
TERMS_TABLE = f"{SEARCH_TABLE_PREFIX}terms"
TRIGRAM_TABLE = f"{SEARCH_TABLE_PREFIX}trigram"
# PostgreSQL: GIN indexes on the documents' word arrays and on complaints.narrative (trigrams).
TERMS_INDEX = "ix_complaint_search_terms"  # string_to_array(terms, '  ')
TRIGRAM_INDEX = "ix_complaints_narrative_trgm"  # narrative gin_trgm_ops
SEARCH_INDEXES = frozenset({TERMS_INDEX, TRIGRAM_INDEX})


def is_search_object(name: str | None) -> bool:
    """True for the FTS tables (and FTS5's shadow tables), their triggers and the GIN indexes;
    the documents table is an ordinary model."""
    if not name or name == DOCUMENTS_TABLE:
        return False
    return str(name).startswith(SEARCH_TABLE_PREFIX) or name in SEARCH_INDEXES


def include_object(obj: Any, name: str | None, type_: str, reflected: bool,
                   compare_to: Any) -> bool:
    """Alembic `include_object` hook: False for the search objects, True for everything else."""
    return not is_search_object(name)
