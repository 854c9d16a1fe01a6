"""Public pages. Views translate requests into intake values and back; the rules live in
services."""

from __future__ import annotations

from typing import Any

from babel.core import Locale, UnknownLocaleError
from flask import (
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, refresh
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.wrappers import Response

from complaints import i18n
from complaints.domain import receipts
from complaints.domain.taxonomy import (
    CATEGORY_BY_CODE,
    NEEDS_INFORMATION_NOTE,
    PUBLIC_STATUS_OF,
    PUBLIC_STATUSES,
)
from complaints.extensions import db, limiter
from complaints.models import Complaint
from complaints.public import bp
from complaints.public.forms import STEP_BY_ID, STEP_FORM_FIELDS, STEP_IDS, STEPS, ComplaintForm
from complaints.public.review import is_verification, review_rows
from complaints.public.status_form import ReplyForm, StatusForm
from complaints.security import no_store
from complaints.services import access_codes, attachments, correspondence, status_tokens
from complaints.services.attachments import UploadsGone
from complaints.services.intake import file_complaint
from complaints.services.intake_rules import ValidationFailed, validate
from complaints.uploads import limits_for_page, receive_form_files


def _filing_limit() -> str:
    return str(current_app.config["RATELIMIT_FILING"])


def _status_limit() -> str:
    return str(current_app.config["RATELIMIT_STATUS"])


def _is_final_submit() -> bool:
    return request.method == "POST" and request.form.get("action") == "submit"


@bp.url_value_preprocessor
def _pull_locale(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values and "locale" in values:
        g.locale = values.pop("locale")


@bp.url_defaults
def _add_locale(endpoint: str, values: dict[str, Any]) -> None:
    if "locale" not in values and g.get("locale"):
        values["locale"] = g.locale


@bp.route("/")
def root() -> Response:
    """Send visitors to their language, chosen from the browser's Accept-Language."""
    locale = i18n.negotiate(request.accept_languages.values())
    response = redirect(url_for("public.landing", locale=locale), code=302)
    response.headers["Vary"] = "Accept-Language"
    return response


@bp.route("/<locale:locale>/")
def landing() -> str:
    return render_template("public/landing.html", categories=CATEGORY_BY_CODE.values())


@bp.route("/<locale:locale>/privacy")
def privacy() -> str:
    return render_template("public/privacy.html")


@bp.route("/<locale:locale>/accessibility")
def accessibility() -> str:
    return render_template("public/accessibility.html")


def _filing_succeeded(response: Response) -> bool:
    """Only a complaint actually filed counts toward the filing limit: a person who forgot a
    box and pressed Submit again must never be locked out of sending what they typed."""
    return bool(g.get("filed_complaint"))


def _upload_limit() -> str:
    return str(current_app.config["RATELIMIT_UPLOADS"])


def _sends_files() -> bool:
    return request.method == "POST" and any(f.filename for f in request.files.getlist("files"))


@bp.route("/<locale:locale>/file", methods=["GET", "POST"])
@limiter.limit(_filing_limit, methods=["POST"], exempt_when=lambda: not _is_final_submit(),
               deduct_when=_filing_succeeded)
@limiter.limit(_upload_limit, methods=["POST"], exempt_when=lambda: not _sends_files(),
               scope="file-uploads")
@no_store
def file() -> Response | str:
    form = _complaint_form()
    if request.method == "GET":
        return _render_step(form, "what")
    if form.website.data:
        abort(400)
    action = request.form.get("action", "next")
    current = form.step.data if form.step.data in STEP_BY_ID else "what"
    file_errors = receive_form_files(form, actor="public")
    if file_errors:
        return _render_step(form, "files", {"files": file_errors})
    if action.startswith("remove:") and action[7:].isdigit():
        attachments.release(form.upload_key.data, int(action[7:]))
        return _render_step(form, "files")
    if action == "upload":
        return _render_step(form, "files")
    if action == "stay":
        return _render_step(form, current)
    if action.startswith("goto:") and action[5:] in STEP_BY_ID:
        return _render_step(form, action[5:])
    if action == "back":
        return _render_step(form, STEP_IDS[max(STEP_IDS.index(current) - 1, 0)])
    if action == "submit":
        return _submit(form)
    _, errors = validate(form.intake_values(), only=STEP_BY_ID[current].fields)
    if errors:
        return _render_step(form, current, errors)
    return _render_step(form, STEP_IDS[min(STEP_IDS.index(current) + 1, len(STEP_IDS) - 1)])


def _complaint_form() -> ComplaintForm:
    """The posted form, its contact language following the page's language until the person
    picks another one (a hidden `page_locale` says which language the last page was in)."""
    form = ComplaintForm()
    previous_page_locale = request.form.get("page_locale") if request.method == "POST" else None
    if not form.language.data or form.language.data == previous_page_locale:
        form.language.data = g.locale
    return form


def _submit(form: ComplaintForm) -> Response | str:
    """File the complaint and answer with the confirmation itself: the access code travels in
    this one response only, never in a cookie, a redirect or a later page."""
    if attachments.expired_for(form.upload_key.data):
        return _render_step(form, "files", {"files": [attachments.text.GONE]})
    held = attachments.held(form.upload_key.data)
    try:
        filed = file_complaint(
            form.intake_values(), channel="web", default_language=g.locale, actor="public",
            submission_key=form.submission_key.data or None,
            attachments=attachments.from_held(held),
        )
    except ValidationFailed as failed:
        first_step = next(s.id for s in STEPS if set(s.fields) & set(failed.errors))
        return _render_step(form, first_step, failed.errors)
    except UploadsGone:
        return _render_step(form, "files", {"files": [attachments.text.GONE]})
    g.filed_complaint = not filed.repeated
    return render_template("public/confirmation.html", receipt=filed.complaint.receipt,
                           access_code=filed.access_code)


def _render_step(form: ComplaintForm, step_id: str,
                 errors: dict[str, list[Any]] | None = None, status: int | None = None
                 ) -> Any:
    """Show one step, with every other typed value carried along as hidden inputs."""
    form.step.data = step_id
    errors = errors or {}
    for name, messages in errors.items():
        if name not in ("_form", "files"):
            form.form_field_for(name).errors = list(messages)
    values = form.intake_values()
    uploads = attachments.held(form.upload_key.data)
    body = render_template(
        "public/file.html", form=form, step=STEP_BY_ID[step_id], steps=STEPS,
        step_index=STEP_IDS.index(step_id), errors=errors,
        review=review_rows(form, [u.name for u in uploads]) if step_id == "review" else [],
        uploads=[{"id": u.id, "name": u.name, "kind": attachments.kind_label(u.detected_type),
                  "size": attachments.size_text(u.size)} for u in uploads],
        files_errors=errors.get("files", []),
        upload_limits=limits_for_page(),
        hidden=list(form.hidden_values(STEP_FORM_FIELDS[step_id])),
        step_order=[name for s in STEPS for name in s.fields],
        category_examples={c.code: c.example for c in CATEGORY_BY_CODE.values()},
        show_private_employer=is_verification(values),
        restored=request.form.get("restored") == "1",
    )
    return (body, status) if status else body


@bp.route("/<locale:locale>/file/confirmation")
@no_store
def confirmation() -> Response:
    """The codes are shown once, in the answer to the filing itself; this address only sends
    old links and bookmarks on to the status look-up."""
    return redirect(url_for("public.status"))


def _is_status_lookup() -> bool:
    return request.method == "POST" and request.form.get("action") != "stay"


@bp.route("/<locale:locale>/status", methods=["GET", "POST"])
@limiter.limit(_status_limit, methods=["POST"], exempt_when=lambda: not _is_status_lookup())
@no_store
def status() -> str:
    """Look up the public status, read the office's messages and answer them. The answer
    speaks the language the complaint was filed in, with a way back to the page's language.
    The access code is never shown again: the message form carries a short-lived signed
    token instead (services/status_tokens.py), in its own hidden field."""
    form = StatusForm()
    reply_form = ReplyForm()
    errors: dict[str, list[Any]] = {}
    if not _is_status_lookup():
        return render_template("public/status.html", form=form, result=None, not_found=False,
                               errors=errors)
    token = request.form.get("reply_token", "")
    complaint = status_tokens.complaint_for(token) if token and request.form.get(
        "action") == "reply" else None
    if complaint is None:
        if not (form.receipt.data or "").strip():
            errors["receipt"] = [_l("Enter your receipt number, such as CR-7K4M-9QX2.")]
        if not (form.access_code.data or "").strip():
            errors["access_code"] = [_l("Enter the access code you were given with your "
                                        "receipt.")]
        for name, messages in errors.items():
            form[name].errors = messages
        if errors:
            return render_template("public/status.html", form=form, result=None,
                                   not_found=False, errors=errors,
                                   pending_reply=_pending_reply())
        receipt = receipts.normalize_receipt(form.receipt.data or "")
        complaint = db.session.scalar(
            select(Complaint).where(Complaint.receipt == receipt)) if receipt else None
        ok = access_codes.verify(complaint.access_code_hash if complaint else None,
                                 form.access_code.data or "")
        if complaint is None or not ok:
            return render_template("public/status.html", form=form, result=None,
                                   not_found=True, errors=errors,
                                   pending_reply=_pending_reply())
    form.receipt.data = complaint.receipt
    form.access_code.data = ""  # never echoed back: the code is not shown again
    in_page_language = None
    if complaint.language != g.locale and request.form.get("in_page_language") != "1":
        # The answer speaks the complaint's language; the page's language is one click away
        # in the same page, so the code never has to be sent again.
        rendered = render_template("public/_status_result.html",
                                   result=_status_result(complaint),
                                   testid="public-status-page-language")
        in_page_language = Markup(rendered)  # noqa: S704 (an autoescaped template)
        g.locale = complaint.language
        refresh()
    reply_errors: dict[str, list[Any]] = {}
    reply_sent = False
    if request.form.get("action") == "reply":
        try:
            correspondence.reply(complaint, reply_form.message.data, actor="public")
        except ValidationFailed as failed:
            db.session.rollback()
            reply_errors = {"message": list(failed.errors.get("body", []))}
            reply_form.message.errors = reply_errors["message"]
        else:
            reply_sent = True
            reply_form.message.data = ""
    messages = correspondence.conversation(complaint)
    correspondence.mark_read_by_filer(complaint)
    return render_template("public/status.html", form=form, result=_status_result(complaint),
                           not_found=False, errors=errors, in_page_language=in_page_language,
                           messages=messages, reply_form=reply_form, reply_errors=reply_errors,
                           reply_sent=reply_sent,
                           reply_token=status_tokens.token_for(complaint),
                           language_name=_language_name,
                           language=i18n.language)


def _status_result(complaint: Complaint) -> dict[str, Any]:
    return {
        "receipt": complaint.receipt,
        "public_status": PUBLIC_STATUSES[PUBLIC_STATUS_OF[complaint.status]],
        "needs_information": complaint.status == "awaiting_information",
        "needs_information_note": NEEDS_INFORMATION_NOTE,
        "received_at": complaint.received_at,
        "updated_at": complaint.updated_at,
        "filer_language": i18n.language(complaint.language),
        "page_language": i18n.language(g.locale),
    }


def _language_name(code: str) -> str:
    """A language's name in the reader's language (its own name when Babel has none)."""
    lang = i18n.language(code)
    try:
        name = Locale.parse(lang.code).get_display_name(get_locale() or "en")
    except (ValueError, TypeError, UnknownLocaleError):
        name = None
    return name or lang.native_name


def _pending_reply() -> str | None:
    """A message the filer typed, when the look-up that carried it failed: shown again so
    nothing typed is lost."""
    if request.form.get("action") != "reply":
        return None
    return request.form.get("message") or None


def rerender_form(messages: list[Any], status: int) -> tuple[str, int]:
    """Show the current step again with every typed value and the messages on top: for an
    expired session or a rate limit, which must never cost a person what they wrote."""
    form = _complaint_form()
    current = form.step.data if form.step.data in STEP_BY_ID else "what"
    return _render_step(form, current, {"_form": messages}, status=status)


def rerender_status(messages: list[Any], status: int) -> tuple[str, int]:
    """The status look-up again, with what was typed (a message to the office too) and the
    messages on top."""
    return render_template("public/status.html", form=StatusForm(), result=None,
                           not_found=False, errors={}, form_errors=messages,
                           pending_reply=_pending_reply()), status
