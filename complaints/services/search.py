"""Full-text search of complaint narratives: one SQLAlchemy condition, with the same answers on
SQLite and PostgreSQL, for narratives in any of the 16 languages.

Every typed term must appear; typed text is data, never query syntax. Words are compared in the
normalised form of domain/search_text.py (case, accents, Arabic-script letter variants and
clitics do not count), looked up in each narrative's search document: SQLite through FTS5,
PostgreSQL through a GIN index on the document's array of words -- exact tokens on both.
Terms in scripts without spaces (Chinese, Japanese, Korean, Thai...) match as substrings of the
narrative: two letters through the documents' indexed letter pairs, three or more through
trigram indexes; a single character has neither and falls back to LIKE (a scan of the rows the
other terms leave).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import ARRAY, array

from complaints.domain.search_text import (
    OPEN_TOKEN,
    SEPARATOR,
    is_bigram,
    is_unspaced,
    query_words,
)
from complaints.extensions import db
from complaints.models import Complaint, SearchDocument
from complaints.models.search_schema import TERMS_TABLE, TRIGRAM_TABLE

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MIN_TRIGRAM_CHARS = 3
# SQLite: past this many narratives holding the rarest word, a page is found faster by walking
# the queue's order and checking each complaint than by sorting every hit.
WALK_THRESHOLD = 2000


@dataclass(frozen=True)
class SearchTerms:
    """A typed query split by how each term is looked up: `words` in their normalised lookup
    form, `substrings` as typed."""

    words: tuple[str, ...] = ()
    substrings: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.substrings)


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
    for raw in _clean(query).split():
        if any(map(is_unspaced, raw)):
            for piece in _pieces(raw):
                if is_bigram(unicodedata.normalize("NFC", piece)):
                    words.append(unicodedata.normalize("NFC", piece))  # an indexed pair
                elif any(map(is_unspaced, piece)):
                    substrings.append(piece)
                else:
                    words.extend(query_words([piece]))
        else:
            words.extend(query_words([raw]))
    words = list(dict.fromkeys(words))
    substrings = list(dict.fromkeys(substrings))
    words = words[:MAX_TERMS]
    substrings = substrings[:MAX_TERMS - len(words)]
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


def _inline(value: str) -> ColumnElement[str]:
    """A value written into the SQL itself, so PostgreSQL plans with it (never a generic plan
    that cannot tell a common word from a rare one)."""
    return bindparam(None, value, type_=Text, literal_execute=True)


def _contains(narrative: ColumnElement[str], term: str) -> ColumnElement[bool]:
    """ILIKE only when case matters: on non-ASCII text LIKE is several times faster."""
    pattern = like_contains(term)
    if term.lower() == term.upper():  # Chinese, Korean, Japanese, digits: no case
        return narrative.like(pattern, escape="\\")
    return narrative.ilike(pattern, escape="\\")


def _fts5_rowids(table_name: str, column_name: str, terms: tuple[str, ...]) -> Select[Any]:
    fts = table(table_name, column("rowid"), column(column_name))
    expression = " ".join(fts5_string(term) for term in terms)  # juxtaposed strings: AND
    return select(fts.c.rowid).where(fts.c[column_name].match(expression))


def _word_array(documents: object) -> ColumnElement[object]:
    """string_to_array(terms, '  '), written exactly as the GIN index is."""
    return func.string_to_array(documents.c.terms,  # type: ignore[attr-defined]
                                literal_column(f"'{SEPARATOR}'"), type_=ARRAY(Text))


def _sqlite_condition(terms: SearchTerms, walk: bool) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    # id + 0 hides the id from the planner, so it walks the page's order instead of sorting.
    key = (Complaint.id + 0) if walk else Complaint.id
    if terms.words:
        conditions.append(key.in_(_fts5_rowids(TERMS_TABLE, "terms", terms.words)))
    long = tuple(t for t in terms.substrings if len(t) >= MIN_TRIGRAM_CHARS)
    if long:
        conditions.append(key.in_(_fts5_rowids(TRIGRAM_TABLE, "narrative", long)))
    conditions += [Complaint.narrative.like(like_contains(t), escape="\\")
                   for t in terms.substrings if len(t) < MIN_TRIGRAM_CHARS]
    return _all(conditions)


def _postgresql_condition(terms: SearchTerms) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if terms.words:
        documents = SearchDocument.__table__
        wanted = cast(array([_inline(w) for w in terms.words]), ARRAY(Text))
        conditions.append(Complaint.id.in_(
            select(documents.c.complaint_id).where(_word_array(documents).contains(wanted))))
    short = [t for t in terms.substrings if len(t) < MIN_TRIGRAM_CHARS]
    long = [t for t in terms.substrings if len(t) >= MIN_TRIGRAM_CHARS]
    if long:
        # OFFSET 0 keeps the substring look-up planned on its own, through the trigram index:
        # pg_trgm's estimates are rough, and a row-by-row scan under a LIMIT is slow on few hits.
        hits = Complaint.__table__.alias("narrative_hits")
        fenced = (select(hits.c.id).where(*[_contains(hits.c.narrative, t) for t in long])
                  .offset(literal_column("0", Integer)))
        conditions.append(Complaint.id.in_(fenced))
    conditions += [_contains(Complaint.__table__.c.narrative, t) for t in short]
    return _all(conditions)


def narrative_condition(query: str, dialect: str, *, walk: bool = False,
                        open_only: bool = False) -> ColumnElement[bool] | None:
    """A condition for `select(Complaint).where(...)` keeping complaints whose narrative matches
    every term of `query`; None when the query has nothing searchable. `dialect` is
    `engine.dialect.name`: "sqlite" or "postgresql". `walk` (SQLite) asks for a plan that
    follows the query's ORDER BY index and checks each complaint: right when hits are many.
    `open_only` lets the word index leave out closed complaints (the caller keeps only open
    ones anyway)."""
    terms = search_terms(query)
    if not terms:
        return None
    if open_only and terms.words and dialect == "postgresql":
        terms = SearchTerms((*terms.words, OPEN_TOKEN), terms.substrings)
    if dialect == "sqlite":
        return _sqlite_condition(terms, walk)
    if dialect == "postgresql":
        return _postgresql_condition(terms)
    raise ValueError(f"narrative search does not support the {dialect!r} database")


def word_hits(query: str, open_only: bool = False) -> Select[Any] | None:
    """The ids (as column `id`) of complaints whose search document holds every word of the
    query (and, with `open_only`, that are not closed), straight from the word index; None
    when the query has no words (only substrings, or nothing)."""
    terms = search_terms(query)
    if not terms.words:
        return None
    if db.engine.dialect.name == "sqlite":
        # Newest first: FTS5 reads each word's list backwards and stops at the caller's LIMIT,
        # and recent complaints are the open ones (cheaper than intersecting the open marker's
        # long list, which GIN's bitmaps do well and FTS5 does not).
        fts = table(TERMS_TABLE, column("rowid"), column("terms"))
        expression = " ".join(fts5_string(term) for term in terms.words)
        return (select(fts.c.rowid.label("id")).where(fts.c.terms.match(expression))
                .order_by(fts.c.rowid.desc()))
    if open_only:
        terms = SearchTerms((*terms.words, OPEN_TOKEN), terms.substrings)
    documents = SearchDocument.__table__
    wanted = cast(array([_inline(w) for w in terms.words]), ARRAY(Text))
    return select(documents.c.complaint_id.label("id")).where(
        _word_array(documents).contains(wanted))


def substring_condition(query: str) -> ColumnElement[bool] | None:
    """The query's substring terms alone (Chinese, Japanese, Korean...), as a condition."""
    terms = search_terms(query)
    if not terms.substrings:
        return None
    return narrative_condition(" ".join(terms.substrings), db.engine.dialect.name)


def _fewest_documents(words: tuple[str, ...]) -> int:
    """SQLite: how many narratives hold the rarest of these words (FTS5's own counts)."""
    vocabulary = table(f"{TERMS_TABLE}_vocab", column("term"), column("doc"))
    counts = db.session.execute(select(vocabulary.c.term, vocabulary.c.doc)
                                .where(vocabulary.c.term.in_(words))).all()
    found = {term: doc for term, doc in counts}
    return min(int(found.get(word, 0)) for word in words)


def is_common(query: str) -> bool:
    """Whether a query's words are common enough that walking the order beats sorting hits."""
    if db.engine.dialect.name != "sqlite":
        return False
    terms = search_terms(query)
    return bool(terms.words) and _fewest_documents(terms.words) > WALK_THRESHOLD


def matching(query: str, *, walk: bool | None = None,
             open_only: bool = False) -> ColumnElement[bool] | None:
    """narrative_condition() for the app's own database (needs an app context); `walk` is
    chosen from the words' frequency unless given."""
    if walk is None:
        walk = is_common(query)
    return narrative_condition(query, db.engine.dialect.name, walk=walk, open_only=open_only)


def relevance(query: str) -> ColumnElement[int] | None:
    """How often the query's terms occur in a complaint's narrative: the same number on both
    databases (whole normalised words in the search document, substrings in the narrative)."""
    terms = search_terms(query)
    if not terms:
        return None
    parts: list[ColumnElement[int]] = []
    if terms.words:
        documents = SearchDocument.__table__
        padded = literal(" ") + documents.c.terms + literal(" ")
        occurrences = [
            (func.length(padded) - func.length(func.replace(padded, _inline(f" {w} "), "")))
            // (len(w) + 2) for w in terms.words]
        total = occurrences[0]
        for extra in occurrences[1:]:
            total = total + extra
        parts.append(select(total).where(documents.c.complaint_id == Complaint.id)
                     .scalar_subquery())
    for substring in terms.substrings:
        narrative = Complaint.__table__.c.narrative
        parts.append((func.length(narrative) - func.length(
            func.replace(narrative, _inline(substring), ""))) // len(substring))
    score = parts[0]
    for part in parts[1:]:
        score = score + part
    return score


def rebuild_documents(batch: int = 5000) -> int:
    """Write every complaint's search document again from its narrative (after narratives were
    changed outside the app, e.g. by SQL); returns how many were written."""
    from sqlalchemy import delete, insert

    from complaints.models.search_document import document_rows

    documents = SearchDocument.__table__
    written = last = 0
    while True:
        rows = db.session.execute(select(Complaint.id, Complaint.narrative, Complaint.status)
                                  .where(Complaint.id > last).order_by(Complaint.id)
                                  .limit(batch)).all()
        if not rows:
            return written
        ids = [row[0] for row in rows]
        db.session.execute(delete(documents).where(documents.c.complaint_id.in_(ids)))
        db.session.execute(insert(documents), document_rows([(i, n, s) for i, n, s in rows]))
        db.session.commit()
        written += len(rows)
        last = ids[-1]
