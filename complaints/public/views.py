"""Public pages. Views translate requests into intake values and back; the rules live in
services."""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from sqlalchemy import select
from werkzeug.wrappers import Response

from complaints import i18n
from complaints.domain import receipts
from complaints.domain.taxonomy import (
    CATEGORY_BY_CODE,
    COMPONENTS,
    NEEDS_INFORMATION_NOTE,
    PUBLIC_STATUS_OF,
    PUBLIC_STATUSES,
    RELATIONSHIPS,
    US_STATES,
)
from complaints.extensions import db, limiter
from complaints.models import Complaint
from complaints.public import bp
from complaints.public.forms import STEP_BY_ID, STEP_FORM_FIELDS, STEP_IDS, STEPS, ComplaintForm
from complaints.public.status_form import StatusForm
from complaints.security import no_store
from complaints.services import access_codes
from complaints.services.intake import file_complaint
from complaints.services.intake_rules import ValidationFailed, validate


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


@bp.route("/<locale:locale>/file", methods=["GET", "POST"])
@limiter.limit(_filing_limit, methods=["POST"], exempt_when=lambda: not _is_final_submit())
@no_store
def file() -> Response | str:
    form = ComplaintForm()
    if form.language.data is None:
        form.language.data = g.locale
    if request.method == "GET":
        return _render_step(form, "what")
    if form.website.data:
        abort(400)
    action = request.form.get("action", "next")
    current = form.step.data if form.step.data in STEP_BY_ID else "what"
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


def _submit(form: ComplaintForm) -> Response | str:
    try:
        filed = file_complaint(
            form.intake_values(), channel="web", default_language=g.locale, actor="public",
            submission_key=form.submission_key.data or None,
        )
    except ValidationFailed as failed:
        first_step = next(s.id for s in STEPS if set(s.fields) & set(failed.errors))
        return _render_step(form, first_step, failed.errors)
    if filed.access_code is not None:
        session["filed"] = {"receipt": filed.complaint.receipt, "access_code": filed.access_code}
    return redirect(url_for("public.confirmation"), code=303)


def _render_step(form: ComplaintForm, step_id: str,
                 errors: dict[str, list[Any]] | None = None, status: int | None = None
                 ) -> Any:
    """Show one step, with every other typed value carried along as hidden inputs."""
    form.step.data = step_id
    errors = errors or {}
    for name, messages in errors.items():
        if name != "_form":
            form.form_field_for(name).errors = list(messages)
    values = form.intake_values()
    review = _review_rows(values) if step_id == "review" else []
    body = render_template(
        "public/file.html", form=form, step=STEP_BY_ID[step_id], steps=STEPS,
        step_index=STEP_IDS.index(step_id), errors=errors, values=values, review=review,
        hidden=list(form.hidden_values(STEP_FORM_FIELDS[step_id])),
        step_order=[name for s in STEPS for name in s.fields],
        category_examples={c.code: c.example for c in CATEGORY_BY_CODE.values()},
        show_private_employer=_is_verification(values),
    )
    return (body, status) if status else body


def _review_rows(values: dict[str, Any]) -> list[dict[str, Any]]:
    """What the person will send, step by step, in words rather than codes."""
    yes, no = _l("Yes"), _l("No")

    def show(name: str) -> Any:
        value = values.get(name)
        if name == "primary_category" and value in CATEGORY_BY_CODE:
            return CATEGORY_BY_CODE[value].label
        if name == "categories":
            return [CATEGORY_BY_CODE[c].label for c in value or [] if c in CATEGORY_BY_CODE]
        if name == "components":
            return [COMPONENTS[c] for c in value or [] if c in COMPONENTS]
        if name == "state":
            return US_STATES.get(value or "", value)
        if name == "filer_relationship":
            return RELATIONSHIPS.get(value or "", value)
        if name == "language":
            return i18n.language(value).native_name if value else None
        if isinstance(value, bool):
            return yes if value else no
        return value

    form = ComplaintForm(formdata=None)
    rows = []
    for step in STEPS[:-1]:
        items = []
        for name in step.fields:
            if name in ("filer_name", "filer_organization", "filer_relationship",
                        "consent_attested") and not values.get("filing_for_other"):
                continue
            if name == "detention_location" and not values.get("currently_detained"):
                continue
            if name == "private_employer" and not _is_verification(values):
                continue
            label = form.form_field_for(name).label.text
            if name == "incident_month":
                label = _l("When it happened")
            elif name == "date_of_birth":
                label = _l("Date of birth")
            items.append({"name": name, "label": label, "value": show(name)})
        rows.append({"step": step, "items": items})
    return rows


def _is_verification(values: dict[str, Any]) -> bool:
    return "verification_misuse" in {values.get("primary_category"),
                                      *values.get("categories", [])}


@bp.route("/<locale:locale>/file/confirmation")
@no_store
def confirmation() -> Response | str:
    filed = session.get("filed")
    if not filed:
        return redirect(url_for("public.status"))
    return render_template("public/confirmation.html", receipt=filed["receipt"],
                           access_code=filed["access_code"])


def _is_status_lookup() -> bool:
    return request.method == "POST" and request.form.get("action") != "stay"


@bp.route("/<locale:locale>/status", methods=["GET", "POST"])
@limiter.limit(_status_limit, methods=["POST"], exempt_when=lambda: not _is_status_lookup())
@no_store
def status() -> str:
    """Look up the public status. The answer speaks the language the complaint was filed in,
    with a way back to the page's language."""
    form = StatusForm()
    errors: dict[str, list[Any]] = {}
    if not _is_status_lookup():
        return render_template("public/status.html", form=form, result=None, not_found=False,
                               errors=errors)
    if not (form.receipt.data or "").strip():
        errors["receipt"] = [_l("Enter your receipt number, such as CR-7K4M-9QX2.")]
    if not (form.access_code.data or "").strip():
        errors["access_code"] = [_l("Enter the access code you were given with your receipt.")]
    for name, messages in errors.items():
        form[name].errors = messages
    if errors:
        return render_template("public/status.html", form=form, result=None, not_found=False,
                               errors=errors)
    receipt = receipts.normalize_receipt(form.receipt.data or "")
    complaint = db.session.scalar(
        select(Complaint).where(Complaint.receipt == receipt)) if receipt else None
    ok = access_codes.verify(complaint.access_code_hash if complaint else None,
                             form.access_code.data or "")
    if complaint is None or not ok:
        return render_template("public/status.html", form=form, result=None, not_found=True,
                               errors=errors)
    page_language = i18n.language(g.locale)
    if complaint.language != g.locale and request.form.get("in_page_language") != "1":
        g.locale = complaint.language
        refresh()
    result = {
        "receipt": complaint.receipt,
        "public_status": PUBLIC_STATUSES[PUBLIC_STATUS_OF[complaint.status]],
        "needs_information": complaint.status == "awaiting_information",
        "needs_information_note": NEEDS_INFORMATION_NOTE,
        "received_at": complaint.received_at,
        "updated_at": complaint.updated_at,
        "filer_language": i18n.language(complaint.language),
        "page_language": page_language,
    }
    return render_template("public/status.html", form=form, result=result, not_found=False,
                           errors=errors)


def rerender_after_csrf_failure(message: Any) -> tuple[str, int]:
    """Show the current step again, keeping everything typed, with the session-expired message."""
    form = ComplaintForm()
    if form.language.data is None:
        form.language.data = g.locale
    current = form.step.data if form.step.data in STEP_BY_ID else "what"
    return _render_step(form, current, {"_form": [message]}, status=400)


def status_after_csrf_failure(message: Any) -> tuple[str, int]:
    form = StatusForm()
    return render_template("public/status.html", form=form, result=None, not_found=False,
                           errors={}, form_error=message), 400
