"""Complaint ids for demo batches when the app files complaints at the same time.

Demo rows are built with the ids they expect (one after another from the largest id at the
start), because every table of a batch refers to them. A complaint filed while demo data is
being written takes the next free id, which a later batch expected: so each batch first takes
its range under the database's write lock (`reserve`), and if the range moved, the batch's ids
and every reference to a moved id (in this batch or an earlier one) move with it (`Moves`).
Without other writers nothing moves and nothing is rewritten.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

if TYPE_CHECKING:
    from complaints.demo import _Batch as Batch


def reserve(connection: Connection, count: int) -> int:
    """The first of `count` free complaint ids, kept free until the transaction ends: on
    SQLite by holding the write lock from now on; on PostgreSQL by moving the id sequence past
    them, so filings meanwhile take ids after the range."""
    if connection.dialect.name == "postgresql":
        last = connection.execute(text(
            "SELECT setval(s, greatest((SELECT COALESCE(MAX(id), 0) FROM complaints), "
            "pg_sequence_last_value(s)) + :count) "
            "FROM CAST(pg_get_serial_sequence('complaints', 'id') AS regclass) AS s"),
            {"count": count}).scalar_one()
        return int(last) - count + 1
    raw: Any = connection.connection.driver_connection
    if raw is not None and not raw.in_transaction:
        raw.execute("BEGIN IMMEDIATE")  # no other writer until this batch commits
    return int(connection.exec_driver_sql(
        "SELECT COALESCE(MAX(id), 0) + 1 FROM complaints").scalar_one())


@dataclass
class Moves:
    """How far each batch's ids moved: (first expected id, shift), in order."""

    starts: list[int] = field(default_factory=list)
    shifts: list[int] = field(default_factory=list)

    def add(self, expected_first: int, shift: int) -> None:
        self.starts.append(expected_first)
        self.shifts.append(shift)

    @property
    def any(self) -> bool:
        return any(self.shifts)

    def id(self, expected: int | None) -> int | None:
        """Where an expected id is now (ids before the first batch never move)."""
        if expected is None:
            return None
        position = bisect.bisect_right(self.starts, expected) - 1
        return expected if position < 0 else expected + self.shifts[position]

    def apply(self, batch: Batch) -> None:
        """Rewrite the batch's ids and references (new row dicts: the builder may still hold
        the old ones, by their expected ids)."""
        move = self.id
        batch.complaints = [{**row, "id": move(row["id"]),
                             "duplicate_of_id": move(row["duplicate_of_id"])}
                            for row in batch.complaints]
        batch.documents = [(move(i), *rest) for i, *rest in batch.documents]
        batch.categories = [(move(i), *rest) for i, *rest in batch.categories]
        batch.components = [(move(i), *rest) for i, *rest in batch.components]
        batch.duplicates = [(move(i), move(other), reason)
                            for i, other, reason in batch.duplicates]
        batch.events = [self._event(event) for event in batch.events]

    def _event(self, event: tuple[Any, ...]) -> tuple[Any, ...]:
        at, kind, complaint_id, *rest = event
        if kind == "possible_duplicate":
            data = json.loads(rest[-1])
            for match in data["matches"]:
                match["complaint_id"] = self.id(match["complaint_id"])
            rest[-1] = json.dumps(data)
        return (at, kind, self.id(complaint_id), *rest)
