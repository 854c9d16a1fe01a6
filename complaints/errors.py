"""Error responses: translated HTML pages on the public side, JSON under /api. Nothing a user
can send produces an unhandled 500."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from complaints.domain.taxonomy import S_

log = logging.getLogger(__name__)

PAGES: dict[int, tuple[Any, Any]] = {
    400: (_l("Something was wrong with that request"),
          _l("We could not understand what your browser sent. Go back and try again.")),
    403: (_l("You do not have access to this page"),
          _l("If you think you should, contact the office.")),
    404: (_l("Page not found"),
          _l("We could not find that page. Check the address, or start from the home page.")),
    405: (_l("That action is not allowed here"),
          _l("Go back and try again from the page you were on.")),
    413: (_l("What you sent is too large"),
          _l("Please shorten your text and try again.")),
    429: (_l("Too many attempts"),
          _l("You have tried this too many times in a short time. This protects everyone's "
             "complaints.")),
    500: (_l("Something went wrong on our side"),
          _l("Your information was not saved. Please try again later.")),
    503: (_l("We are very busy right now"),
          _l("Your request could not be completed. Please wait a minute and try again.")),
}
FILING_LIMIT_MESSAGE = _l("Your complaint has not been sent yet: many complaints were sent from "
                          "this connection in a short time. Everything you typed is still here.")
BUSY_FILING_MESSAGE = _l("We could not save your complaint just now. Nothing you typed was "
                         "lost: please wait a minute and send it again.")
# Seconds a client is asked to wait when the database is unavailable or too busy.
UNAVAILABLE_RETRY_AFTER = 30
CSRF_MESSAGE = _l("Your session expired, for your safety. Nothing you typed was lost: please "
                  "check your answers and send them again.")


# Staff pages are English for now: this one is extracted with the staff strings.
STAFF_CSRF_MESSAGE = S_("The form expired, for your safety. Go back, reload the page and try "
                        "again.")


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _json_error(code: int, message: str, retry_after: str | None = None) -> Response:
    response = jsonify({"error": code, "message": message})
    response.status_code = code
    if retry_after:
        response.headers["Retry-After"] = retry_after
    return response


def _minutes(retry_after: str | None) -> int | None:
    """Retry-After seconds as whole minutes for people (at least one)."""
    if retry_after and retry_after.isdigit():
        return max(1, (int(retry_after) + 59) // 60)
    return None


def _wait_message(minutes: int | None) -> str:
    minutes = minutes or 1
    return ngettext("Please wait %(num)d minute and try again.",
                    "Please wait %(num)d minutes and try again.", minutes)


def _rerender_public_form(code: int, messages: list[Any]) -> Any:
    """On the complaint form and the status look-up, an error shows the same page again with
    everything typed, or None where that does not apply."""
    if request.method != "POST" or request.endpoint not in ("public.file", "public.status"):
        return None
    g.no_store = True  # the page carries what the person typed
    if request.endpoint == "public.file":
        from complaints.public.views import rerender_form

        return rerender_form(messages, code)
    if request.endpoint == "public.status":
        from complaints.public.views import rerender_status

        return rerender_status(messages, code)
    return None


def _upload_message(error: HTTPException) -> Any:
    """On routes that take files, a 413 says what to do about the files."""
    from complaints.attachments import text
    from complaints.services.attachments import max_size_text
    from complaints.uploads import UploadTooSlow

    if isinstance(error, UploadTooSlow):
        return text.UPLOAD_TOO_SLOW
    return text.say(text.UPLOAD_TOO_LARGE, size=max_size_text())


def handle_http_error(error: HTTPException) -> Response | tuple[str, int]:
    from complaints.uploads import takes_files

    code = error.code or 500
    title, message = PAGES.get(code, (error.name, error.description or ""))
    upload_refused = code == 413 and takes_files()
    if upload_refused:
        message = _upload_message(error)
    original = error.get_response().headers
    # Rate limits: keep the limiter's Retry-After on our own page.
    retry_after = original.get("Retry-After") if code in (429, 503) else None
    if wants_json():
        response = _json_error(code, str(message if upload_refused else title), retry_after)
    elif code == 429 and (again := _rerender_public_form(
            code, [FILING_LIMIT_MESSAGE if request.endpoint == "public.file" else message,
                   _wait_message(_minutes(retry_after))])) is not None:
        response = Response(again[0], status=code, mimetype="text/html")
        if retry_after:
            response.headers["Retry-After"] = retry_after
    else:
        template = "staff/error.html" if request.path.startswith("/staff/") \
            else "errors/error.html"
        body = render_template(template, title=title, message=message,
                               retry_after=_minutes(retry_after))
        response = Response(body, status=code, mimetype="text/html")
        if retry_after:
            response.headers["Retry-After"] = retry_after
    if "Allow" in original:  # 405: which methods the URL does take (RFC 9110)
        response.headers["Allow"] = original["Allow"]
    return response


def handle_unavailable(error: Exception) -> Any:
    """The database is unreachable or stayed too busy: nothing was stored, say so with 503 and
    Retry-After; on the complaint form, show the form again with everything typed."""
    from complaints.extensions import db

    log.warning("database unavailable on %s %s", request.method, request.path, exc_info=error)
    db.session.rollback()
    retry_after = str(UNAVAILABLE_RETRY_AFTER)
    if request.endpoint == "public.file" and request.method == "POST":
        from complaints.public.views import rerender_form

        g.no_store = True
        body, _status = rerender_form([BUSY_FILING_MESSAGE], 503)
        return Response(body, status=503, mimetype="text/html",
                        headers={"Retry-After": retry_after})
    return handle_http_error(ServiceUnavailable(retry_after=UNAVAILABLE_RETRY_AFTER))


def handle_csrf_error(error: CSRFError) -> Any:
    """An expired or missing CSRF token: on the complaint form, show the form again with every
    typed value and a clear message, instead of losing the person's work."""
    again = _rerender_public_form(400, [CSRF_MESSAGE])
    if again is not None:
        return again
    if request.path.startswith("/staff/"):
        body = render_template("staff/error.html", title=PAGES[400][0],
                               message=_(STAFF_CSRF_MESSAGE))
    else:
        body = render_template("errors/error.html", title=PAGES[400][0], message=CSRF_MESSAGE)
    return Response(body, status=400, mimetype="text/html")


def handle_unexpected(error: Exception) -> Any:
    log.exception("unhandled error on %s %s", request.method, request.path)
    if wants_json():
        return _json_error(500, _("Internal error"))
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    from complaints.services.intake import IntakeBusy

    app.register_error_handler(IntakeBusy, handle_unavailable)
    app.register_error_handler(OperationalError, handle_unavailable)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
