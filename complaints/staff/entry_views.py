"""Staff entry of complaints that arrived by mail, phone, email or fax, through the same intake
service as the public form, with the channel and the date it was received."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, StringField

from complaints.domain.taxonomy import CHANNELS, STAFF_ENTRY_CHANNELS
from complaints.public.forms import STEPS, ComplaintForm, options
from complaints.services import access, attachments
from complaints.services.attachments import UploadsGone
from complaints.services.intake import file_complaint
from complaints.services.intake_rules import ValidationFailed, validate
from complaints.staff import bp
from complaints.uploads import limits_for_page, receive_form_files


class StaffEntryForm(ComplaintForm):
    channel = SelectField(_l("How it arrived"), validate_choice=False)
    received_on = StringField(_l("Date received (YYYY-MM-DD)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channel.choices = options((c, CHANNELS[c]) for c in STAFF_ENTRY_CHANNELS)


def _received_at(value: str | None) -> datetime | None:
    """The typed date as noon UTC that day; None if it is not a date (the intake service
    refuses dates in the future)."""
    try:
        day = date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return datetime.combine(day, time(12, 0), tzinfo=UTC) if day.year >= 1900 else None


def _page(form: StaffEntryForm, errors: dict[str, list[Any]]) -> str:
    return render_template("staff/entry.html", form=form, errors=errors, steps=STEPS,
                           uploads=attachments.held(form.upload_key.data),
                           upload_limits=limits_for_page())


@bp.route("/complaints/new", methods=["GET", "POST"])
def enter_complaint() -> Any:
    if not access.may_enter_complaints(current_user):
        abort(403)
    form = StaffEntryForm()
    if request.method == "GET":
        form.language.data = "en"
        form.received_on.data = date.today().isoformat()
        return _page(form, {})
    # What only this door asks: how the complaint arrived and a readable date.
    door_errors: dict[str, list[Any]] = {}
    if form.channel.data not in STAFF_ENTRY_CHANNELS:
        door_errors["channel"] = [_("Choose how the complaint arrived.")]
    file_errors = receive_form_files(form, actor=current_user.actor)
    if file_errors:
        door_errors["files"] = file_errors
    received_at = _received_at(form.received_on.data)
    if received_at is None:
        door_errors["received_on"] = [_("Enter the date it was received, not in the future, "
                                        "as YYYY-MM-DD.")]
    try:
        if door_errors:  # still report every intake error in the same answer
            raise ValidationFailed(validate(form.intake_values())[1])
        held = attachments.held(form.upload_key.data)
        filed = file_complaint(form.intake_values(), channel=form.channel.data or "",
                               default_language="en", actor=current_user.actor,
                               received_at=received_at,
                               submission_key=form.submission_key.data or None,
                               attachments=attachments.from_held(held, current_user.actor))
    except UploadsGone:
        return _page(form, {"files": [_("The files added earlier expired. Add them again.")]}
                     ), 422
    except ValidationFailed as failed:
        errors = {**failed.errors, **door_errors}
        if "received_at" in errors:
            errors["received_on"] = errors.pop("received_at")
        for name, messages in errors.items():
            if name != "files":
                form.form_field_for(name).errors = list(messages)
        return _page(form, errors), 422
    flash(_("Complaint %(receipt)s entered.", receipt=filed.complaint.receipt), "success")
    return redirect(url_for("staff.case", receipt=filed.complaint.receipt))
