"""Full-text search of complaint narratives: one SQLAlchemy condition, on SQLite (FTS5) and
PostgreSQL (tsvector + pg_trgm), for narratives in any of the 16 languages.

Every typed term must appear, case-insensitively; typed text is data, never query syntax. Terms in
scripts without spaces (Chinese, Japanese, Korean, Thai, ...) match as substrings through trigram
indexes, other terms as whole words. SQLite ignores accents in words (`interprete` finds
`intérprete`); PostgreSQL's 'simple' configuration keeps them. Substrings of 1-2 characters have no
trigram to look up: they fall back to LIKE on the narrative -- correct, but a scan of the rows the
other terms leave (all rows when alone: see bench/search.py).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    column,
    func,
    literal_column,
    select,
    table,
)

from complaints.extensions import db
from complaints.models import Complaint
from complaints.models.search_schema import TRIGRAM_TABLE, WORDS_TABLE

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MIN_TRIGRAM_CHARS = 3

# Scripts written without spaces between words (or, for Korean, with particles glued to words):
# Thai, Lao, Myanmar, Khmer, Hangul, CJK ideographs, kana, Bopomofo.
_UNSPACED_RANGES = (
    (0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1100, 0x11FF), (0x1780, 0x17FF),
    (0x2E80, 0x2FDF), (0x3040, 0x30FF), (0x3100, 0x318F), (0x31A0, 0x31FF),
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF), (0xFF66, 0xFFDC), (0x20000, 0x3FFFF),
)


@dataclass(frozen=True)
class SearchTerms:
    """A typed query split by how each term is looked up."""

    words: tuple[str, ...] = ()
    substrings: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.substrings)


def _is_unspaced(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _UNSPACED_RANGES)


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"


def _clean(query: str) -> str:
    """Capped, NFC, without control characters (NUL included) or lone surrogates."""
    text = "".join(
        " " if unicodedata.category(c) == "Cc" else c
        for c in query[:MAX_QUERY_CHARS] if unicodedata.category(c) != "Cs"
    )
    return unicodedata.normalize("NFC", text)


def _pieces(term: str) -> list[str]:
    """A term with unspaced-script characters, cut at punctuation (`警察，拘留` is two pieces)."""
    return "".join(c if _is_word_char(c) else " " for c in term).split()


def search_terms(query: str) -> SearchTerms:
    """At most MAX_TERMS distinct searchable terms of a typed query, each routed to its path."""
    words: list[str] = []
    substrings: list[str] = []
    seen: set[str] = set()
    for raw in _clean(query).split():
        for term in _pieces(raw) if any(map(_is_unspaced, raw)) else [raw]:
            key = term.casefold()
            if key in seen or not any(c.isalnum() for c in term):
                continue
            seen.add(key)
            (substrings if any(map(_is_unspaced, term)) else words).append(term)
            if len(seen) == MAX_TERMS:
                return SearchTerms(tuple(words), tuple(substrings))
    return SearchTerms(tuple(words), tuple(substrings))


def fts5_string(term: str) -> str:
    """An FTS5 string: operators, `*`, `^`, `:` and parentheses inside it are plain text."""
    return '"' + term.replace('"', '""') + '"'


def like_contains(term: str) -> str:
    r"""A LIKE pattern (escape character `\`) matching `term` anywhere."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _all(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    return conditions[0] if len(conditions) == 1 else and_(*conditions)


def _contains(narrative: ColumnElement[str], term: str) -> ColumnElement[bool]:
    """ILIKE only when case matters: on non-ASCII text LIKE is several times faster."""
    pattern = like_contains(term)
    if term.lower() == term.upper():  # Chinese, Korean, Japanese, digits: no case
        return narrative.like(pattern, escape="\\")
    return narrative.ilike(pattern, escape="\\")


def _fts5_match(table_name: str, terms: tuple[str, ...]) -> ColumnElement[bool]:
    fts = table(table_name, column("rowid"), column("narrative"))
    expression = " ".join(fts5_string(term) for term in terms)  # juxtaposed strings: AND
    return Complaint.id.in_(select(fts.c.rowid).where(fts.c.narrative.match(expression)))


def _sqlite_condition(terms: SearchTerms) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if terms.words:
        conditions.append(_fts5_match(WORDS_TABLE, terms.words))
    long = tuple(t for t in terms.substrings if len(t) >= MIN_TRIGRAM_CHARS)
    if long:
        conditions.append(_fts5_match(TRIGRAM_TABLE, long))
    conditions += [Complaint.narrative.like(like_contains(t), escape="\\")
                   for t in terms.substrings if len(t) < MIN_TRIGRAM_CHARS]
    return _all(conditions)


def _postgresql_condition(terms: SearchTerms) -> ColumnElement[bool]:
    short = [t for t in terms.substrings if len(t) < MIN_TRIGRAM_CHARS]
    long = [t for t in terms.substrings if len(t) >= MIN_TRIGRAM_CHARS]
    if not terms.words and not long:
        # No index can serve these: a plain filter, so a LIMIT can stop the scan early.
        return _all([_contains(Complaint.__table__.c.narrative, t) for t in short])
    hits = Complaint.__table__.alias("narrative_hits")
    conditions: list[ColumnElement[bool]] = []
    if terms.words:
        # A literal 'simple' (not a bound parameter) so the expression matches the GIN index.
        simple = literal_column("'simple'", String)
        vector = func.to_tsvector(simple, hits.c.narrative)
        query = func.plainto_tsquery(simple, " ".join(terms.words))
        conditions.append(vector.bool_op("@@")(query))
    conditions += [_contains(hits.c.narrative, t) for t in long + short]
    # OFFSET 0 stops PostgreSQL from merging this subquery into the caller's: it is planned on
    # its own, through the GIN indexes, whatever LIMIT and ORDER BY surround it. Merged, a queue
    # page's LIMIT 50 can make a row-by-row scan look cheaper (always so in the generic plan
    # psycopg's automatically prepared statements end up with), which is slow on no or few hits.
    fenced = select(hits.c.id).where(*conditions).offset(literal_column("0", Integer))
    return Complaint.id.in_(fenced)


def narrative_condition(query: str, dialect: str) -> ColumnElement[bool] | None:
    """A condition for `select(Complaint).where(...)` keeping complaints whose narrative matches
    every term of `query`; None when the query has nothing searchable. `dialect` is
    `engine.dialect.name`: "sqlite" or "postgresql"."""
    terms = search_terms(query)
    if not terms:
        return None
    if dialect == "sqlite":
        return _sqlite_condition(terms)
    if dialect == "postgresql":
        return _postgresql_condition(terms)
    raise ValueError(f"narrative search does not support the {dialect!r} database")


def matching(query: str) -> ColumnElement[bool] | None:
    """narrative_condition() for the app's own database (needs an app context)."""
    return narrative_condition(query, db.engine.dialect.name)
