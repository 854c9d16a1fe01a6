"""Evidence files, from arrival to download: check (content type, clean copy, virus scan),
store, hold for a public form until it is filed, attach in the filing's own transaction, show
and hand out to the staff who may see the complaint (every download audited), and delete.

Files are checked and stored before any row names them; a row is only written once its bytes
are safely stored, and bytes a failed request stored are removed again, so nothing is ever
half-stored. Stored bytes are shared by content (their key is their hash): a file is deleted
only when no row of either table still names it.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from babel.units import format_unit
from flask import current_app
from flask_babel import get_locale
from sqlalchemy import delete, exists, func, or_, select

from complaints.attachments import text
from complaints.attachments.inspect import Inspected, Refused, inspect
from complaints.attachments.scan import Scanner, ScanUnavailable
from complaints.extensions import db
from complaints.models import Attachment, Complaint, PendingUpload
from complaints.models.types import utcnow
from complaints.services import audit
from complaints.storage import storage

UPLOAD_KEY = re.compile(r"[A-Za-z0-9_\-]{32,64}")
NAME_MAX = 255
# Expired held files removed per request that brings new ones (the CLI removes the rest).
CLEAN_PER_REQUEST = 50

REFUSAL_MESSAGES = {
    "not_accepted": text.NOT_ACCEPTED,
    "empty": text.EMPTY,
    "damaged": text.DAMAGED,
    "macros": text.MACROS,
    "active_content": text.ACTIVE_CONTENT,
    "mixed": text.MIXED,
}


class UploadsGone(Exception):  # noqa: N818
    """Files held for a form were removed (expired) before it was filed."""


@dataclass(frozen=True)
class Received:
    """A file as it arrived: the person's name for it and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class StoredFile:
    """A file checked and stored, ready to be a row of either table."""

    name: str
    detected_type: str
    stored_type: str
    size: int
    sha256: str
    storage_key: str
    original_key: str | None
    original_size: int | None
    original_sha256: str | None
    scan_result: str
    scan_detail: str | None

    def row(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Limits:
    files: int
    size_bytes: int
    hours: int

    @property
    def request_bytes(self) -> int:
        """The largest request body a route that takes files accepts: every file at its
        largest, with room for the multipart framing and the form's other fields."""
        return self.files * (self.size_bytes + 64 * 1024) + 2 * 1024 * 1024


def limits() -> Limits:
    config = current_app.config
    return Limits(int(config["ATTACHMENT_MAX_FILES"]), int(config["ATTACHMENT_MAX_BYTES"]),
                  int(config["ATTACHMENT_PENDING_HOURS"]))


def scanner() -> Scanner:
    config = current_app.config
    return Scanner(config.get("CLAMD_SOCKET", ""), config.get("CLAMD_HOST", ""),
                   int(config.get("CLAMD_PORT", 3310)), float(config.get("CLAMD_TIMEOUT", 60)))


def size_text(size: int) -> str:
    """A size for people, in the page's language: "10 MB", "850 kB"."""
    locale = str(get_locale() or "en")
    if size >= 1000 * 1000:
        value, unit = round(size / (1000 * 1000), 1), "digital-megabyte"
    elif size >= 1000:
        value, unit = round(size / 1000), "digital-kilobyte"
    else:
        value, unit = size, "digital-byte"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(format_unit(value, unit, length="short", locale=locale))


def max_size_text() -> str:
    return size_text(limits().size_bytes)


def display_name(raw: str | None) -> str:
    """The person's name for a file, for showing only: the last part of any path, without
    control or formatting characters, at most 255 characters."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:NAME_MAX] or "file"


def download_name(attachment: Attachment) -> str:
    """The name a download is saved under: the shown name with the kept copy's extension."""
    from complaints.attachments.inspect import EXTENSIONS

    stem = display_name(attachment.name).rsplit(".", 1)[0] or "file"
    return f"{stem}.{EXTENSIONS.get(attachment.stored_type, 'bin')}"


def kind_label(detected_type: str) -> str:
    label = text.KIND_LABELS.get(detected_type)
    return str(label) if label is not None else detected_type


# -- checking and storing --------------------------------------------------------------------

def check(files: Sequence[Received], *, actor: str, room: int) -> tuple[list[Inspected | None],
                                                                        list[str]]:
    """Inspect and scan each file; `room` is how many more the complaint may have. Returns,
    per file, what to keep (None for a refused one) and the messages for people. An infected
    file is recorded in the audit trail (its hash and what was found, never its bytes)."""
    config = current_app.config
    most = limits()
    found: list[Inspected | None] = []
    messages: list[str] = []
    scan = scanner()
    for number, received in enumerate(files):
        name = received.name
        if number >= room:
            messages.append(text.too_many(most.files))
            found.extend([None] * (len(files) - number))
            break
        if len(received.data) > most.size_bytes:
            messages.append(text.say(text.TOO_LARGE, name=name, size=max_size_text()))
            found.append(None)
            continue
        try:
            inspected = inspect(received.data, max_pixels=int(config["ATTACHMENT_MAX_PIXELS"]))
        except Refused as refused:
            messages.append(text.say(REFUSAL_MESSAGES[refused.reason], name=name,
                                     kinds=str(text.ACCEPTED_KINDS)))
            found.append(None)
            continue
        if scan.configured:
            try:
                verdict = scan.scan(received.data)
            except ScanUnavailable:
                current_app.logger.warning("virus scanner unavailable; file not accepted")
                messages.append(text.say(text.SCAN_UNAVAILABLE, name=name))
                found.append(None)
                continue
            if not verdict.clean:
                audit.record("file_refused", actor, None, reason="infected",
                             signature=verdict.signature,
                             sha256=hashlib.sha256(received.data).hexdigest(),
                             size=len(received.data), name=name)
                db.session.commit()
                messages.append(text.say(text.INFECTED, name=name))
                found.append(None)
                continue
        found.append(inspected)
    return found, messages


def store(files: Sequence[Received], inspected: Sequence[Inspected]) -> list[StoredFile]:
    """Put each checked file in storage (and its original, when the settings keep those).
    On failure, what this call stored is removed again before the error goes on."""
    keep_originals = bool(current_app.config["ATTACHMENT_KEEP_ORIGINALS"])
    scanned = "clean" if scanner().configured else "not_scanned"
    store_ = storage()
    written: list[str] = []
    result = []
    try:
        for received, checked in zip(files, inspected, strict=True):
            key = store_.put(checked.data)
            written.append(key)
            original_key = original_size = original_sha = None
            if keep_originals and checked.reencoded:
                original_key = store_.put(received.data)
                written.append(original_key)
                original_size = len(received.data)
                original_sha = hashlib.sha256(received.data).hexdigest()
            result.append(StoredFile(
                name=received.name, detected_type=checked.detected_type,
                stored_type=checked.stored_type, size=len(checked.data),
                sha256=hashlib.sha256(checked.data).hexdigest(), storage_key=key,
                original_key=original_key, original_size=original_size,
                original_sha256=original_sha, scan_result=scanned,
                scan_detail="ClamAV" if scanned == "clean" else None))
    except BaseException:
        forget(written)
        raise
    return result


def accept(files: Sequence[Received], *, actor: str, room: int,
           all_or_nothing: bool) -> tuple[list[StoredFile], list[str]]:
    """Check and store files. With `all_or_nothing` (the API, staff entry) one refused file
    means none is stored; otherwise the good ones are stored and the others explained."""
    inspected, messages = check(files, actor=actor, room=room)
    if messages and all_or_nothing:
        return [], messages
    good = [(f, i) for f, i in zip(files, inspected, strict=True) if i is not None]
    return store([f for f, _ in good], [i for _, i in good]), messages


def _referenced(key: str) -> bool:
    return bool(db.session.scalar(select(
        exists().where(or_(Attachment.storage_key == key, Attachment.original_key == key))
        | exists().where(or_(PendingUpload.storage_key == key,
                             PendingUpload.original_key == key)))))


def forget(keys: Iterable[str]) -> None:
    """Delete stored bytes that no row names any more."""
    store_ = storage()
    for key in set(keys):
        if not _referenced(key):
            store_.delete(key)


def keys_of(files: Iterable[Any]) -> list[str]:
    return [k for f in files for k in (f.storage_key, f.original_key) if k]


# -- held for a public form -------------------------------------------------------------------

def new_upload_key() -> str:
    return secrets.token_urlsafe(32)


def _key_hash(upload_key: str) -> str:
    return hashlib.sha256(upload_key.encode()).hexdigest()


def held(upload_key: str | None, now: datetime | None = None) -> list[PendingUpload]:
    """The files held for this form, oldest first (none for a key our form did not make)."""
    if not upload_key or not UPLOAD_KEY.fullmatch(upload_key):
        return []
    return list(db.session.scalars(
        select(PendingUpload).where(PendingUpload.upload_key_hash == _key_hash(upload_key),
                                    PendingUpload.expires_at > (now or utcnow()))
        .order_by(PendingUpload.id)))


def expired_for(upload_key: str | None, now: datetime | None = None) -> bool:
    """Whether files held for this form have expired (they are then removed)."""
    if not upload_key or not UPLOAD_KEY.fullmatch(upload_key):
        return False
    expired = list(db.session.scalars(select(PendingUpload).where(
        PendingUpload.upload_key_hash == _key_hash(upload_key),
        PendingUpload.expires_at <= (now or utcnow()))))
    if not expired:
        return False
    keys = keys_of(expired)
    for upload in expired:
        db.session.delete(upload)
    db.session.commit()
    forget(keys)
    return True


def hold(upload_key: str, files: Sequence[StoredFile]) -> None:
    """Keep stored files for the form with this key until it is filed or they expire."""
    expires = utcnow() + timedelta(hours=limits().hours)
    try:
        for stored in files:
            db.session.add(PendingUpload(upload_key_hash=_key_hash(upload_key),
                                         expires_at=expires, **stored.row()))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        forget(keys_of(files))
        raise


def release(upload_key: str | None, upload_id: int) -> None:
    """Remove one held file from the form (the person changed their mind)."""
    for upload in held(upload_key):
        if upload.id == upload_id:
            keys = keys_of([upload])
            db.session.delete(upload)
            db.session.commit()
            forget(keys)
            return


def clean_expired(now: datetime | None = None, limit: int | None = None) -> int:
    """Delete held files whose form was never filed; returns how many."""
    query = select(PendingUpload).where(PendingUpload.expires_at <= (now or utcnow())) \
        .order_by(PendingUpload.expires_at)
    if limit is not None:
        query = query.limit(limit)
    expired = list(db.session.scalars(query))
    if not expired:
        return 0
    keys = keys_of(expired)
    db.session.execute(delete(PendingUpload).where(
        PendingUpload.id.in_([u.id for u in expired])))
    db.session.commit()
    forget(keys)
    return len(expired)


# -- attaching at filing ----------------------------------------------------------------------

@dataclass(frozen=True)
class ToAttach:
    """What a filing attaches: stored files, and the held rows it takes them from."""

    files: tuple[StoredFile, ...] = ()
    pending_ids: tuple[int, ...] = ()
    actor: str = "public"


def from_held(uploads: Sequence[PendingUpload], actor: str = "public") -> ToAttach:
    files = tuple(StoredFile(**{name: getattr(u, name) for name in StoredFile.__dataclass_fields__})
                  for u in uploads)
    return ToAttach(files, tuple(u.id for u in uploads), actor)


def attachment_rows(to_attach: ToAttach, complaint_id: int) -> list[dict[str, Any]]:
    now = utcnow()
    return [{**f.row(), "complaint_id": complaint_id, "message_id": None,
             "added_by": to_attach.actor, "created_at": now} for f in to_attach.files]


def summary(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """The API's view of attached files: id, name, type (of the kept copy) and size."""
    return [{"id": r.id, "name": r.name, "type": r.stored_type, "size": r.size} for r in rows]


# -- staff side -------------------------------------------------------------------------------

def of_complaint(complaint_id: int) -> list[Attachment]:
    return list(db.session.scalars(select(Attachment).where(
        Attachment.complaint_id == complaint_id).order_by(Attachment.id)))


def counts(complaint_ids: Sequence[int]) -> dict[int, int]:
    if not complaint_ids:
        return {}
    rows = db.session.execute(
        select(Attachment.complaint_id, func.count()).where(
            Attachment.complaint_id.in_(complaint_ids)).group_by(Attachment.complaint_id))
    return {complaint_id: count for complaint_id, count in rows}


def record_download(actor: str, attachment: Attachment, *, door: str, preview: bool = False,
                    allowed: bool = True) -> None:
    """Every request for a file's contents goes into the audit trail, refused ones too."""
    audit.record("attachment_downloaded" if allowed else "attachment_refused", actor,
                 None, attachment_id=attachment.id, name=attachment.name,
                 sha256=attachment.sha256, door=door, preview=preview).complaint_id = \
        attachment.complaint_id
    db.session.commit()


def content(attachment: Attachment) -> bytes:
    return storage().get(attachment.storage_key)


def is_image(attachment: Attachment) -> bool:
    return attachment.stored_type in ("image/jpeg", "image/png")


def delete_for_complaint(complaint: Complaint) -> int:
    """Remove a complaint's files, rows and stored bytes (for a retention rule); the caller's
    transaction deletes the complaint after. Returns how many files."""
    rows = of_complaint(complaint.id)
    keys = keys_of(rows)
    db.session.execute(delete(Attachment).where(Attachment.complaint_id == complaint.id))
    db.session.flush()
    forget(keys)
    return len(rows)


# Files are handed out as downloads that nothing renders: no scripts, no plugins, no frames.
DOWNLOAD_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; " \
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def download_response(attachment: Attachment, *, inline: bool = False) -> Any:
    """The kept copy as a response: an attachment (an image preview is inline), never
    sniffed, sandboxed, never cached."""
    from flask import send_file

    data = content(attachment)
    response = send_file(io.BytesIO(data), mimetype=attachment.stored_type,
                         as_attachment=not inline, download_name=download_name(attachment),
                         conditional=False, etag=False, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOWNLOAD_POLICY
    response.headers["Cache-Control"] = "no-store, max-age=0"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def staff_row(attachment: Attachment) -> dict[str, Any]:
    """What the case page shows of a file (staff pages are English)."""
    return {"id": attachment.id, "name": attachment.name,
            "kind": STAFF_KINDS.get(attachment.detected_type, attachment.detected_type),
            "stored_kind": STAFF_KINDS.get(attachment.stored_type, attachment.stored_type),
            "converted": attachment.detected_type != attachment.stored_type,
            "reencoded": attachment.detected_type in ("image/jpeg", "image/png", "image/heic"),
            "size": _plain_size(attachment.size), "scan": attachment.scan_result,
            "image": is_image(attachment)}


STAFF_KINDS = {"application/pdf": "PDF", "image/jpeg": "JPEG image", "image/png": "PNG image",
               "image/heic": "HEIC photo", "text/plain": "Plain text",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
                   "Word document"}


def _plain_size(size: int) -> str:
    if size >= 1000 * 1000:
        return f"{size / 1e6:.1f} MB"
    if size >= 1000:
        return f"{round(size / 1000)} kB"
    return f"{size} bytes"


def for_download(user: Any, attachment_id: int, door: str, preview: bool = False
                 ) -> Attachment | int:
    """The file if this person may have it, else the HTTP status that refuses it: 404 for a
    file that does not exist, 403 (audited) when its complaint is not theirs to read."""
    from complaints.services import access

    if not 0 < attachment_id < 2**31:  # beyond any id (and PostgreSQL's integer)
        return 404
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        return 404
    complaint = db.session.get(Complaint, attachment.complaint_id)
    allowed = complaint is not None and access.sees_details(user, complaint)
    record_download(user.actor, attachment, door=door, preview=preview, allowed=allowed)
    return attachment if allowed else 403
