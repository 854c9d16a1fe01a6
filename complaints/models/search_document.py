"""The searchable form of each narrative (domain/search_text.py), kept beside the complaint and
written by the app whenever a narrative is written, so both databases index the same tokens."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Integer, Text, delete, event, insert, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from complaints.domain.search_text import document
from complaints.extensions import db
from complaints.models.complaint import Complaint


class SearchDocument(db.Model):  # type: ignore[name-defined]
    """One row a complaint: its narrative's normalised words (SQLite indexes them with FTS5,
    PostgreSQL with a GIN index on the array of words)."""

    __tablename__ = "complaint_search_documents"

    complaint_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False)
    terms: Mapped[str] = mapped_column(Text, default="")


def document_rows(complaints: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    """Rows for (complaint id, narrative, status) triples, for bulk writers."""
    return [{"complaint_id": ident, "terms": document(text or "", status != "closed")}
            for ident, text, status in complaints]


@event.listens_for(Session, "after_flush")
def _index_narratives(session: Session, flush_context: Any) -> None:
    """Write the search document of every complaint whose narrative or status was just written
    (the document says whether the complaint is open)."""
    changed: list[tuple[int, str, str]] = []
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Complaint) or obj.id is None:
            continue
        state: Any = inspect(obj)
        if (obj in session.new or state.attrs.narrative.history.has_changes()
                or state.attrs.status.history.has_changes()):
            changed.append((obj.id, obj.narrative, obj.status))
    if not changed:
        return
    connection = session.connection()
    table = SearchDocument.__table__
    connection.execute(delete(table).where(table.c.complaint_id.in_([c[0] for c in changed])))
    connection.execute(insert(table), document_rows(changed))
