"""The HTTP side of receiving files: the request size limit is raised only on the routes that
take files, a body that arrives too slowly is cut off, and either ends in a translated 413 with
nothing kept (the body is read whole before anything is checked or stored)."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from complaints import storage

# Endpoints whose requests may carry files.
UPLOAD_ENDPOINTS = frozenset({"public.file", "api.file_complaint_api", "staff.enter_complaint"})


class UploadTooSlow(RequestEntityTooLarge):
    """The body took longer than UPLOAD_TIMEOUT_SECONDS to arrive."""

    description = "The request body took too long to arrive."


class _Deadline:
    """A WSGI input stream that gives up once its time is over."""

    def __init__(self, stream: Any, seconds: float) -> None:
        self._stream = stream
        self._deadline = time.monotonic() + seconds

    def _check(self) -> None:
        if time.monotonic() > self._deadline:
            raise UploadTooSlow()

    def read(self, *args: Any) -> bytes:
        self._check()
        data: bytes = self._stream.read(*args)
        self._check()
        return data

    def readline(self, *args: Any) -> bytes:
        self._check()
        line: bytes = self._stream.readline(*args)
        return line

    def __iter__(self) -> Any:
        return iter(self.readline, b"")


def takes_files() -> bool:
    """A POST of multipart/form-data to a route that takes files (JSON keeps the usual
    limit)."""
    rule = request.url_rule
    return (rule is not None and rule.endpoint in UPLOAD_ENDPOINTS and request.method == "POST"
            and request.mimetype == "multipart/form-data")


def _upload_limits() -> None:
    """On upload routes: the larger body limit, and a deadline for the body to arrive."""
    if takes_files():
        from complaints.services.attachments import limits

        request.max_content_length = max(current_app.config["MAX_CONTENT_LENGTH"] or 0,
                                         limits().request_bytes)
        seconds = float(current_app.config["UPLOAD_TIMEOUT_SECONDS"])
        request.environ["wsgi.input"] = _Deadline(request.environ["wsgi.input"], seconds)


def init_app(app: Flask) -> None:
    storage.init_app(app)
    # First of all before_request functions: CSRF protection reads the body.
    app.before_request_funcs.setdefault(None, []).insert(0, _upload_limits)


def receive_form_files(form: Any, actor: str) -> list[str]:
    """Check, store and hold for this form (its `upload_key`) the files that came with the
    request; the messages for those refused. Used on every button of the public form (a
    language switch included, so a file chosen is never lost) and by staff entry."""
    from complaints.services import attachments
    from complaints.services.attachments import Received

    sent = [f for f in request.files.getlist("files") if f.filename]
    if not sent:
        return []
    key = form.upload_key.data or ""
    if not attachments.UPLOAD_KEY.fullmatch(key):
        key = form.upload_key.data = attachments.new_upload_key()
    attachments.clean_expired(limit=attachments.CLEAN_PER_REQUEST)
    received = [Received(attachments.display_name(f.filename), f.read()) for f in sent]
    room = max(attachments.limits().files - len(attachments.held(key)), 0)
    stored, messages = attachments.accept(received, actor=actor, room=room,
                                          all_or_nothing=False)
    if stored:
        attachments.hold(key, stored)
    return messages


def limits_for_page() -> dict[str, Any]:
    """What the pages say about the limits, in the page's language."""
    from complaints.attachments import text
    from complaints.attachments.inspect import ACCEPT_ATTRIBUTE
    from complaints.services import attachments

    most = attachments.limits()
    return {"files": most.files, "size": attachments.size_text(most.size_bytes),
            "kinds": text.ACCEPTED_KINDS, "hours": most.hours, "accept": ACCEPT_ATTRIBUTE}
