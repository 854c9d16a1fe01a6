"""Database engine behaviour the app relies on: SQLite tuned for many writers, write
transactions that take their lock up front, and telling lock contention from real failures.

SQLite runs in WAL mode (readers never wait for the writer) with a busy timeout. The driver
keeps its own transaction handling (reads outside transactions, BEGIN before the first write),
except in a transaction begun with `begin_write()`: that one starts with BEGIN IMMEDIATE, so it
waits for the write lock at its start instead of failing later, when its first write would
need a lock that another writer took after its reads began.

SQLite's busy timeout waits by sleeping and polling (1, 2, 5 … 100 ms), so writers that queue
for its lock leave it idle between them. Filings therefore first take their turn with
`writer_turn()`: a lock the operating system hands from one process to the next the moment it
is released (flock on a file beside the database), and a thread lock within the process.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

try:
    import fcntl
except ImportError:  # not on Windows: writers then queue on SQLite's busy timeout alone
    fcntl = None  # type: ignore[assignment]

from flask import Flask
from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

WRITE_INTENT = "complaints_write_intent"
# PostgreSQL: serialization failure, deadlock, lock not available.
_PG_CONTENTION = frozenset({"40001", "40P01", "55P03"})
_SQLITE_CONTENTION = ("SQLITE_BUSY", "SQLITE_LOCKED")


def configure_engine(engine: Engine, busy_timeout_ms: int, synchronous: str) -> None:
    """Install the SQLite connection settings and explicit BEGINs (no-op on other databases)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            if not _is_memory(engine):
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute(f"PRAGMA synchronous={synchronous}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(WRITE_INTENT):
            driver = connection.connection.driver_connection
            if driver is not None and not driver.in_transaction:
                connection.exec_driver_sql("BEGIN IMMEDIATE")


def _is_memory(engine: Engine) -> bool:
    return engine.url.database in (None, "", ":memory:")


def init_app(app: Flask) -> None:
    """Configure the engine of this app once it exists."""
    from complaints.extensions import db

    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"],
                         app.config["SQLITE_SYNCHRONOUS"])


_turns: dict[str, tuple[threading.Lock, int]] = {}
_turns_guard = threading.Lock()


def _turn_for(path: str) -> tuple[threading.Lock, int]:
    with _turns_guard:
        if path not in _turns:
            descriptor = os.open(path + "-writers.lock", os.O_RDWR | os.O_CREAT, 0o600)
            _turns[path] = (threading.Lock(), descriptor)
        return _turns[path]


@contextmanager
def writer_turn(engine: Engine) -> Iterator[None]:
    """On a SQLite file, wait for this writer's turn among every process's writers (a no-op
    elsewhere, and where flock does not exist)."""
    path = engine.url.database
    if engine.dialect.name != "sqlite" or _is_memory(engine) or fcntl is None or not path:
        yield
        return
    thread_lock, descriptor = _turn_for(os.path.abspath(path))
    with thread_lock:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)


def begin_write(session: Session) -> Connection:
    """Start a fresh transaction that will write: on SQLite it holds the write lock from its
    start. Commit or roll it back through the session.

    Whatever read-only transaction the session had open is ended first; pending changes there
    would be a programming error, so they are refused rather than silently dropped.
    """
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("begin_write() with unflushed changes in the session")
    if session.in_transaction():
        session.rollback()
    return session.connection(execution_options={WRITE_INTENT: True})


def is_contention(error: BaseException) -> bool:
    """True when the database refused because others held locks: worth trying again."""
    if not isinstance(error, DBAPIError) or error.connection_invalidated:
        return False
    original = error.orig
    if getattr(original, "sqlstate", None) in _PG_CONTENTION:
        return True
    name = getattr(original, "sqlite_errorname", "") or ""
    if name.startswith(_SQLITE_CONTENTION):
        return True
    return "database is locked" in str(original) or "database table is locked" in str(original)


def copy_rows(connection: Connection, table: str, columns: Sequence[str],
              rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL: add rows already in storage form to a table with one COPY in the
    connection's transaction (several times faster than INSERTs for thousands of rows)."""
    quote = connection.dialect.identifier_preparer.quote
    raw: Any = connection.connection.driver_connection
    command = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(command) as copy:
        for row in rows:
            copy.write_row(row)
