"""Case exports prepared in the background, for exports too large to stream within a request.

A supervisor asks for an export of the queue's current filter (`request_export`: the job and
an audit event, committed). The job runs in a thread of the process that took the request
(`start`), with its own database session, and writes the file under the instance folder as
`<name>.part`, renamed into place only once every row is written: a file in `exports/` is
always complete. The queue page lists the person's recent exports (`recent`): being prepared,
ready with a download link, or failed with the reason. Each step is audited
(`case_export_requested`, `case_export_ready` / `case_export_failed`,
`case_export_downloaded`). A job interrupted by a restart stays `running` until
`RUNNING_LIMIT` has passed, then shows as failed. `clean_expired` (`flask --app complaints
clean-exports`, from cron) deletes files past the seven days the page lists them.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from complaints.extensions import db
from complaints.models import CaseExport, StaffUser
from complaints.models.types import utcnow
from complaints.services import audit
from complaints.services import queue as queue_service
from complaints.stats import exporters

FORMATS = ("csv", "xlsx")
RUNNING_LIMIT = timedelta(hours=2)
KEEP = timedelta(days=7)
SHOWN = 5


def directory(app: Flask | None = None) -> Path:
    """Where finished exports are kept: EXPORT_DIR, or `exports/` in the instance folder."""
    app = app or current_app
    folder = Path(app.config.get("EXPORT_DIR") or Path(app.instance_path) / "exports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def request_export(user: StaffUser, filters: queue_service.QueueFilters, fmt: str) -> CaseExport:
    """Record an export job for the person and the filter (committed, audited)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    job = CaseExport(requested_by_id=user.id, format=fmt, filters=filters.as_args(),
                     include_restricted=bool(user.restricted_access), state="queued")
    db.session.add(job)
    db.session.flush()
    audit.record("case_export_requested", user.actor, None, export_id=job.id, format=fmt,
                 filters=filters.as_args(), include_restricted=job.include_restricted)
    db.session.commit()
    return job


def start(job_id: int) -> None:
    """Run the job in a background thread (inline under tests, or when EXPORT_JOBS_INLINE is
    set)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("EXPORT_JOBS_INLINE", app.testing):
        run(app, job_id)
        return
    threading.Thread(target=run, args=(app, job_id), name=f"case-export-{job_id}",
                     daemon=True).start()


def run(app: Flask, job_id: int) -> None:
    """Write the job's file (`.part` first, renamed when complete) and record the outcome."""
    with app.app_context():
        job = db.session.get(CaseExport, job_id)
        user = db.session.get(StaffUser, job.requested_by_id) if job else None
        if job is None or user is None or job.state != "queued":
            db.session.remove()
            return
        job.state = "running"
        db.session.commit()
        name = f"complaints-{job.requested_at:%Y%m%d-%H%M}-{job.id}.{job.format}"
        final = directory(app) / name
        partial = final.with_name(name + ".part")
        try:
            filters = queue_service.QueueFilters.from_args(job.filters)
            statement = queue_service.filtered(user, filters, walk=False)
            rows = _write(statement, partial, job.format, job.include_restricted)
            os.replace(partial, final)  # only a complete file ever has the final name
        except Exception as exc:  # recorded for the person, then logged
            db.session.rollback()
            partial.unlink(missing_ok=True)
            job = db.session.get(CaseExport, job_id)
            assert job is not None  # noqa: S101 - it was there a moment ago
            job.state, job.error, job.finished_at = "failed", _reason(exc), utcnow()
            audit.record("case_export_failed", "system", None, export_id=job.id,
                         error=job.error)
            db.session.commit()
            app.logger.exception("case export %s failed", job_id)
            db.session.remove()
            return
        job.state, job.rows, job.file_name, job.finished_at = "done", rows, name, utcnow()
        audit.record("case_export_ready", "system", None, export_id=job.id, rows=rows)
        db.session.commit()
        db.session.remove()


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return "The file could not be written (the server's disk may be full)."
    return "The database stopped answering while the export was read."


def _write(statement: Any, path: Path, fmt: str, include_restricted: bool) -> int:
    if fmt == "xlsx":
        return exporters.write_cases_xlsx(statement, path, include_restricted=include_restricted)
    lines = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        for chunk in exporters.stream_cases_csv(statement,
                                                include_restricted=include_restricted):
            out.write(chunk)
            lines += chunk.count("\n")
    return lines - 2  # the header and the line saying it is complete


def recent(user: StaffUser) -> list[CaseExport]:
    """The person's exports of the last `KEEP` days, newest first; jobs stuck in `running`
    past `RUNNING_LIMIT` (their process stopped) are marked failed."""
    since = utcnow() - KEEP
    jobs = list(db.session.scalars(
        select(CaseExport).where(CaseExport.requested_by_id == user.id,
                                 CaseExport.requested_at >= since)
        .order_by(CaseExport.requested_at.desc(), CaseExport.id.desc()).limit(SHOWN)))
    stale = [j for j in jobs if j.state in ("queued", "running")
             and j.requested_at < utcnow() - RUNNING_LIMIT]
    for job in stale:
        job.state, job.error, job.finished_at = (
            "failed", "The export was interrupted (the server restarted).", utcnow())
    if stale:
        db.session.commit()
    return jobs


def file_for(user: StaffUser, job_id: int) -> tuple[CaseExport, Path] | None:
    """The finished export's file, for the person who asked for it (None otherwise)."""
    job = db.session.get(CaseExport, job_id)
    if job is None or job.requested_by_id != user.id or job.state != "done" or not job.file_name:
        return None
    path = directory() / job.file_name
    if not path.is_file():
        return None
    audit.record("case_export_downloaded", user.actor, None, export_id=job.id)
    db.session.commit()
    return job, path


def clean_expired(now: datetime | None = None) -> int:
    """Delete the files of exports older than `KEEP` (the queue page no longer offers them)
    and `.part` files left by jobs whose worker stopped (older than `RUNNING_LIMIT`); return
    how many files went. Case data should not outlive its use; the deletion is audited."""
    now = now or utcnow()
    removed = []
    for path in directory().iterdir():
        if not path.is_file() or not path.name.startswith("complaints-"):
            continue
        age = now - datetime.fromtimestamp(path.stat().st_mtime, UTC)
        if age > (RUNNING_LIMIT if path.suffix == ".part" else KEEP):
            path.unlink(missing_ok=True)
            removed.append(path.name)
    if removed:
        audit.record("case_exports_removed", "system", None, files=sorted(removed))
        db.session.commit()
    return len(removed)
