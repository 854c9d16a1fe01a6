"""Evidence files through every door: the public form without JavaScript (kept across steps,
errors and language switches, never re-sent), the multipart API, staff entry, limits and 413s,
and staff access, downloads and audit per role and grant. Real sample files, both databases."""

from __future__ import annotations

import io
import json
import re
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from complaints.extensions import db, limiter
from complaints.models import Attachment, AuditEvent, Complaint, PendingUpload
from complaints.models.types import utcnow
from complaints.services import attachments as service
from tests import attachment_samples as samples
from tests.conftest import valid_intake
from tests.integration.test_public_form import (
    STEP_SAFETY,
    STEP_WHAT,
    STEP_WHERE,
    STEP_YOU,
    hidden_and_visible_values,
)


def post(client, page_html: str, fields: dict, action: str = "next", locale: str = "en",
         files: list[tuple[bytes, str]] = ()):
    """Post the page back as the browser would (multipart), with files chosen."""
    data: dict = {k: v for k, v in hidden_and_visible_values(page_html).items()
                  if k not in ("website", "files")}
    for key, value in fields.items():
        data[key] = value if isinstance(value, list) else [value]
    data["action"] = [action]
    if files:
        data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(f"/{locale}/file", data=data, content_type="multipart/form-data")


def walk_to_files(client) -> str:
    page = client.get("/en/file").get_data(as_text=True)
    for fields in (STEP_WHAT, STEP_WHERE, STEP_SAFETY, STEP_YOU):
        response = post(client, page, fields)
        page = response.get_data(as_text=True)
        assert "There is a problem" not in page, page
    assert "Step 5 of 6" in page
    return page


def stored_files(app) -> list[Path]:
    return [p for p in Path(app.config["ATTACHMENT_DIR"]).rglob("*") if p.is_file()]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# -- the public form --------------------------------------------------------------------------

def test_files_step_explains_what_helps_and_works_without_javascript(client) -> None:
    page = walk_to_files(client)
    assert 'enctype="multipart/form-data"' in page
    assert "What helps" in page
    assert "Please do not send" in page
    assert "You can add up to 10 files, each up to 10 MB." in page
    assert "PDF, JPEG, PNG, HEIC photos, plain text (.txt) and Word (.docx) files" in page
    assert '<input class="usa-input files-input" id="files" name="files" type="file" multiple' \
        in page
    assert "You have not added any files." in page


def test_files_are_held_for_the_form_kept_through_errors_and_languages_and_filed(
        client, app) -> None:
    page = walk_to_files(client)
    added = post(client, page, {}, action="upload",
                 files=[(samples.png_with_gps(), "injury.png"), (samples.pdf(), "letter.pdf")])
    html = added.get_data(as_text=True)
    assert "injury.png" in html
    assert "letter.pdf" in html
    assert "PNG image" in html
    assert "PDF document" in html
    # The page carries only the form's key, never the files: they are not sent again.
    values = hidden_and_visible_values(html)
    assert len(values["upload_key"][0]) >= 32
    # A language switch: the files are listed in the other language's page.
    spanish = post(client, html, {}, action="stay", locale="es").get_data(as_text=True)
    assert "injury.png" in spanish
    assert "Documento PDF" in spanish
    # On to review, back to the first step, an error there, then on again: files stay.
    review = post(client, spanish, {}, locale="en").get_data(as_text=True)
    assert "Step 6 of 6" in review
    assert "injury.png" in review
    first = post(client, review, {}, action="goto:what").get_data(as_text=True)
    error = post(client, first, {"narrative": ""}).get_data(as_text=True)
    assert "Tell us what happened." in error
    fixed = post(client, error, {"narrative": STEP_WHAT["narrative"]}, action="goto:review")
    review = fixed.get_data(as_text=True)
    assert "injury.png" in review
    assert "letter.pdf" in review
    with app.app_context():
        assert count(PendingUpload) == 2
    done = post(client, review, {"privacy_acknowledged": "y"}, action="submit")
    assert "Your complaint was received" in done.get_data(as_text=True)
    with app.app_context():
        assert count(PendingUpload) == 0
        complaint = db.session.scalar(select(Complaint))
        files = service.of_complaint(complaint.id)
        assert [f.name for f in files] == ["injury.png", "letter.pdf"]
        assert [f.stored_type for f in files] == ["image/png", "application/pdf"]
        assert all(f.added_by == "public" and f.message_id is None for f in files)
        kept = service.content(files[0])
        assert "GPS" not in str(Image.open(io.BytesIO(kept)).getexif().get_ifd(0x8825))
        assert not Image.open(io.BytesIO(kept)).getexif()
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.kind == "files_attached")).all()
        assert [f["name"] for f in events[0].data["files"]] == ["injury.png", "letter.pdf"]


def test_a_refused_file_is_explained_and_the_good_ones_kept(client, app) -> None:
    page = walk_to_files(client)
    answer = post(client, page, {}, action="next", files=[
        (samples.executable(), "photo.jpg"), (samples.jpeg_with_gps(), "cell.jpg")])
    html = answer.get_data(as_text=True)
    assert "Step 5 of 6" in html, "a refused file keeps the person on the files step"
    assert "There is a problem" in html
    assert "“photo.jpg” is not a kind of file we accept. We accept PDF, JPEG" in html
    assert 'href="#files"' in html
    assert "cell.jpg" in html
    assert "JPEG photo" in html
    with app.app_context():
        assert [u.name for u in db.session.scalars(select(PendingUpload))] == ["cell.jpg"]


def test_refusals_are_translated(client) -> None:
    page = walk_to_files(client)
    html = post(client, page, {}, action="upload", locale="es",
                files=[(samples.executable(), "foto.jpg")]).get_data(as_text=True)
    assert "“foto.jpg”" in html
    assert "is not a kind of file we accept" not in html


def test_a_file_can_be_removed_before_filing(client, app) -> None:
    page = walk_to_files(client)
    html = post(client, page, {}, action="upload",
                files=[(samples.pdf(), "wrong.pdf")]).get_data(as_text=True)
    upload_id = re.search(r'value="remove:(\d+)"', html).group(1)
    html = post(client, html, {}, action=f"remove:{upload_id}").get_data(as_text=True)
    assert "wrong.pdf" not in html
    assert "You have not added any files." in html
    with app.app_context():
        assert count(PendingUpload) == 0
    assert stored_files(app) == []


def test_no_more_than_the_most_files(app_factory) -> None:
    app = app_factory(ATTACHMENT_MAX_FILES=2)
    client = app.test_client()
    page = walk_to_files(client)
    html = post(client, page, {}, action="upload", files=[
        (samples.pdf(), "a.pdf"), (b"first note\n", "b.txt"), (b"second note\n", "c.txt")]
    ).get_data(as_text=True)
    assert "You can add up to 2 files. Remove one before adding another." in html
    with app.app_context():
        assert sorted(u.name for u in db.session.scalars(select(PendingUpload))) == \
            ["a.pdf", "b.txt"]


def test_a_file_over_the_size_limit_is_refused_with_the_limit(app_factory) -> None:
    app = app_factory(ATTACHMENT_MAX_BYTES=1000)
    client = app.test_client()
    page = walk_to_files(client)
    html = post(client, page, {}, action="upload",
                files=[(b"x" * 1001, "long.txt")]).get_data(as_text=True)
    assert "“long.txt” is larger than 1 kB." in html
    assert stored_files(app) == []


def test_an_oversized_request_is_a_translated_413_with_nothing_kept(app_factory) -> None:
    app = app_factory(ATTACHMENT_MAX_BYTES=1000, ATTACHMENT_MAX_FILES=1)
    client = app.test_client()
    page = walk_to_files(client)
    fields = {k: v[0] for k, v in hidden_and_visible_values(page).items() if v}
    fields.update(action="upload", files=FileStorage(io.BytesIO(b"y" * 4_000_000), "huge.txt"))
    boundary, body = encode_multipart(fields)  # bytes: no temporary file left open
    for locale, words in (("en", "larger than we can receive at once"), ("es", "1 kB")):
        answer = client.post(f"/{locale}/file", data=body,
                             content_type=f"multipart/form-data; boundary={boundary}")
        assert answer.status_code == 413
        assert words in answer.get_data(as_text=True)
    with app.app_context():
        assert count(PendingUpload) == 0
    assert stored_files(app) == []


def test_only_upload_routes_take_large_bodies(client) -> None:
    """Everywhere else the usual 1 MB limit stands (the status look-up here)."""
    boundary, body = encode_multipart({"receipt": "x" * 2_000_000})
    response = client.post("/en/status", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413


def test_a_slow_upload_is_a_413_with_nothing_kept(app_factory) -> None:
    app = app_factory(UPLOAD_TIMEOUT_SECONDS=1)
    client = app.test_client()
    page = walk_to_files(client)
    body = io.BytesIO()
    boundary = "slowboundary"
    values = hidden_and_visible_values(page)
    for name in ("csrf_token", "step", "upload_key", "submission_key"):
        for value in values.get(name, []):
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                       f"{value}\r\n".encode())
    body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
               f'filename="slow.txt"\r\nContent-Type: text/plain\r\n\r\n'.encode())
    payload = body.getvalue()

    class Trickle:
        """The body, a little at a time, slower than the deadline allows."""

        def __init__(self) -> None:
            self.parts = [payload] + [b"slow words\n" * 10] * 6 + [
                f"\r\n--{boundary}--\r\n".encode()]

        def read(self, size: int = -1) -> bytes:
            if not self.parts:
                return b""
            time.sleep(0.3)
            part = self.parts.pop(0)
            if 0 <= size < len(part):
                part, rest = part[:size], part[size:]
                self.parts.insert(0, rest)
            return part

        def readline(self, size: int = -1) -> bytes:
            return self.read(size)

    length = len(payload) + 6 * len(b"slow words\n" * 10) + len(f"\r\n--{boundary}--\r\n")
    response = client.post("/en/file", content_type=f"multipart/form-data; boundary={boundary}",
                           environ_overrides={"wsgi.input": Trickle(),
                                              "CONTENT_LENGTH": str(length)})
    assert response.status_code == 413
    assert "took too long to arrive" in response.get_data(as_text=True)
    with app.app_context():
        assert count(PendingUpload) == 0


@pytest.fixture
def upload_limited_app(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_UPLOADS="2 per minute",
                      RATELIMIT_STORAGE_URI="memory://",
                      RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    yield app
    limiter.reset()
    limiter.enabled = False  # the limiter is shared: leave it as the other tests expect


def test_posts_with_files_are_rate_limited_and_other_steps_are_not(upload_limited_app) -> None:
    client = upload_limited_app.test_client()
    page = walk_to_files(client)
    for number in range(2):
        page = post(client, page, {}, action="upload",
                    files=[(f"note {number}\n".encode(), f"{number}.txt")]).get_data(as_text=True)
    limited = post(client, page, {}, action="upload", files=[(b"one more\n", "2.txt")])
    assert limited.status_code == 429
    assert "Everything you typed is still here." in limited.get_data(as_text=True)
    assert post(client, page, {}, action="stay").status_code == 200


def test_files_held_for_a_form_never_filed_are_cleaned_up(client, app, runner) -> None:
    page = walk_to_files(client)
    post(client, page, {}, action="upload", files=[(samples.pdf(), "left.pdf")])
    assert len(stored_files(app)) == 1
    with app.app_context():
        assert service.clean_expired() == 0
        for upload in db.session.scalars(select(PendingUpload)):
            upload.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    result = runner.invoke(args=["clean-uploads"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output
    with app.app_context():
        assert count(PendingUpload) == 0
    assert stored_files(app) == []


def test_files_that_expired_before_filing_are_asked_for_again(client, app) -> None:
    page = walk_to_files(client)
    html = post(client, page, {}, action="upload",
                files=[(samples.pdf(), "late.pdf")]).get_data(as_text=True)
    review = post(client, html, {}).get_data(as_text=True)
    with app.app_context():
        for upload in db.session.scalars(select(PendingUpload)):
            upload.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    answer = post(client, review, {"privacy_acknowledged": "y"}, action="submit")
    html = answer.get_data(as_text=True)
    assert "were deleted because the form was left unsent for too long" in html
    with app.app_context():
        assert count(Complaint) == 0


# -- the API ------------------------------------------------------------------------------------

def api_file(client, body: dict, files: list[tuple[bytes, str]], **extra):
    data: dict = {"complaint": json.dumps(body), **extra}
    if files:
        data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post("/api/v1/complaints", data=data, content_type="multipart/form-data")


def test_api_files_with_multipart_as_the_contract_says(client, app) -> None:
    response = api_file(client, valid_intake(), [(samples.heic_with_gps(), "IMG_0001.HEIC"),
                                                 (samples.docx(), "letter.docx")])
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["receipt"]
    assert answer["access_code"]
    assert [(a["name"], a["type"]) for a in answer["attachments"]] == [
        ("IMG_0001.HEIC", "image/jpeg"),
        ("letter.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    assert all(isinstance(a["id"], int) and a["size"] > 0 for a in answer["attachments"])
    with app.app_context():
        photo = db.session.get(Attachment, answer["attachments"][0]["id"])
        assert photo.detected_type == "image/heic"
        assert photo.added_by == "api"
        image = Image.open(io.BytesIO(service.content(photo)))
        assert image.format == "JPEG"
        assert not image.getexif()


def test_api_without_files_still_answers_as_before(client) -> None:
    response = api_file(client, valid_intake(), [])
    assert response.status_code == 201
    assert response.get_json()["attachments"] == []


def test_api_refused_file_is_422_with_nothing_stored(client, app) -> None:
    response = api_file(client, valid_intake(), [(samples.pdf(), "fine.pdf"),
                                                 (samples.pdf_zip_polyglot(), "two.pdf")])
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"files": [
        "“two.pdf” is more than one kind of file at once, so we did not accept it."]}}
    with app.app_context():
        assert count(Complaint) == 0
        assert count(Attachment) == 0
    assert stored_files(app) == []


def test_api_invalid_complaint_with_files_stores_nothing(client, app) -> None:
    response = api_file(client, valid_intake(narrative=""), [(samples.pdf(), "fine.pdf")])
    assert response.status_code == 422
    assert "narrative" in response.get_json()["errors"]
    assert stored_files(app) == []


@pytest.mark.parametrize(("data", "field"), [
    ({"complaint": "not json"}, "complaint"),
    ({"complaint": "[1]"}, "complaint"),
    ({}, "complaint"),
    ({"complaint": json.dumps(valid_intake()), "other": "x"}, "other"),
])
def test_api_multipart_shape_errors_are_422(client, data, field) -> None:
    response = client.post("/api/v1/complaints", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_api_too_many_files_is_422(app_factory) -> None:
    app = app_factory(ATTACHMENT_MAX_FILES=1)
    response = api_file(app.test_client(), valid_intake(),
                        [(b"one\n", "1.txt"), (b"two\n", "2.txt")])
    assert response.status_code == 422
    assert response.get_json()["errors"]["files"] == [
        "You can add up to 1 file. Remove one before adding another."]


# -- staff --------------------------------------------------------------------------------------

@pytest.fixture
def filed_with_files(client):
    def _file(**changes):
        response = api_file(client, valid_intake(**changes), [
            (samples.jpeg_with_gps(), "cell.jpg"), (b"<p>not html here</p> notes\n", "n.txt")])
        assert response.status_code == 201, response.get_json()
        return response.get_json()
    return _file


def test_case_page_lists_files_and_downloads_are_safe_and_audited(
        app, staff_client, filed_with_files) -> None:
    filed = filed_with_files()
    client, member = staff_client("intake")
    page = client.get(f"/staff/complaints/{filed['receipt']}").get_data(as_text=True)
    assert "cell.jpg" in page
    assert "JPEG image" in page
    assert "not scanned" in page
    photo, note = (a["id"] for a in filed["attachments"])
    download = client.get(f"/staff/attachments/{photo}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "cell.jpg" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert download.headers["Cache-Control"].startswith("no-store")
    assert not Image.open(io.BytesIO(download.data)).getexif()
    text = client.get(f"/staff/attachments/{note}")
    assert text.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert text.headers["Content-Disposition"].startswith("attachment;")
    preview = client.get(f"/staff/attachments/{photo}/preview")
    assert preview.status_code == 200
    assert preview.headers["Content-Type"] == "image/jpeg"
    assert client.get(f"/staff/attachments/{note}/preview").status_code == 404
    with app.app_context():
        kinds = [(e.kind, e.actor, e.data.get("preview")) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "attachment_downloaded")
            .order_by(AuditEvent.id))]
    actor = f"staff:{member.id}"
    assert kinds == [("attachment_downloaded", actor, False)] * 2 + [
        ("attachment_downloaded", actor, True)] * 2
    timeline = client.get(f"/staff/complaints/{filed['receipt']}").get_data(as_text=True)
    assert "downloaded the file “cell.jpg”" in timeline


def test_access_follows_the_complaint_per_role_and_grant(
        app, staff_client, filed_with_files) -> None:
    restricted = filed_with_files(primary_category="sexual_abuse", categories=[])
    other_section = filed_with_files(primary_category="use_of_force", categories=[])
    restricted_id = restricted["attachments"][0]["id"]
    other_id = other_section["attachments"][0]["id"]
    outcomes = {}
    for role, options in (("supervisor", {"restricted": True}), ("supervisor", {}),
                          ("intake", {}), ("investigator", {"section": "CMP"}),
                          ("investigator", {"section": "IMM"}), ("analyst", {}),
                          ("admin", {})):
        client, _ = staff_client(role, **options)
        key = f"{role}{'+grant' if options.get('restricted') else ''}" \
              f"{':' + options['section'] if 'section' in options else ''}"
        outcomes[key] = (client.get(f"/staff/attachments/{restricted_id}").status_code,
                         client.get(f"/staff/attachments/{other_id}").status_code)
    assert outcomes == {
        "supervisor+grant": (200, 200), "supervisor": (403, 200), "intake": (403, 200),
        "investigator:CMP": (403, 200), "investigator:IMM": (403, 403),
        "analyst": (403, 403), "admin": (403, 403)}
    with app.app_context():
        refused = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.kind == "attachment_refused"))
        allowed = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.kind == "attachment_downloaded"))
    assert (refused, allowed) == (5, 5), "every request is recorded, refused ones too"


def test_staff_api_lists_and_downloads_files(app, make_staff, filed_with_files) -> None:
    filed = filed_with_files()
    member = make_staff("intake")
    headers = {"Authorization": f"Bearer {member.token(app)}"}
    client = app.test_client()
    record = client.get(f"/api/v1/complaints/{filed['receipt']}", headers=headers).get_json()
    assert [(a["name"], a["type"], a["scan"]) for a in record["attachments"]] == [
        ("cell.jpg", "image/jpeg", "not_scanned"), ("n.txt", "text/plain", "not_scanned")]
    one = client.get(f"/api/v1/attachments/{record['attachments'][0]['id']}", headers=headers)
    assert one.status_code == 200
    assert one.headers["Content-Disposition"].startswith("attachment;")
    assert one.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/api/v1/attachments/{record['attachments'][0]['id']}").status_code == 401
    assert client.get("/api/v1/attachments/999999", headers=headers).status_code == 404
    analyst = {"Authorization": f"Bearer {make_staff('analyst').token(app)}"}
    assert client.get(f"/api/v1/attachments/{record['attachments'][0]['id']}",
                      headers=analyst).status_code == 403
    with app.app_context():
        doors = [e.data["door"] for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.kind == "attachment_downloaded"))]
    assert doors == ["api"]


def test_case_exports_count_files_never_their_contents(
        app, staff_client, filed_with_files) -> None:
    filed_with_files()
    client, _ = staff_client("supervisor")
    exported = client.get("/staff/export.csv?status=all").get_data(as_text=True)
    header, row = exported.splitlines()[:2]
    assert header.split(",")[-1] == "attachments"
    assert row.split(",")[-1] == "2"
    assert "cell.jpg" not in exported


def test_staff_entry_takes_files_and_keeps_them_across_errors(app, staff_client) -> None:
    client, member = staff_client("intake")
    page = client.get("/staff/complaints/new").get_data(as_text=True)
    values = {k: v for k, v in hidden_and_visible_values(page).items() if k != "files"}
    values.update({"channel": ["mail"], "narrative": [""],
                   "files": [(io.BytesIO(samples.pdf()), "scan.pdf")]})
    refused = client.post("/staff/complaints/new", data=values,
                          content_type="multipart/form-data")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "scan.pdf" in html
    again = {k: v for k, v in hidden_and_visible_values(html).items() if k != "files"}
    again.update({"channel": ["mail"], "primary_category": ["detention_conditions"],
                  "narrative": ["A letter about the water in unit B."],
                  "components": ["ICE"], "incident_month_m": ["01"],
                  "incident_year": ["2026"], "privacy_acknowledged": ["y"]})
    done = client.post("/staff/complaints/new", data=again, content_type="multipart/form-data")
    assert done.status_code == 302, done.get_data(as_text=True)
    with app.app_context():
        files = db.session.scalars(select(Attachment)).all()
        assert [(f.name, f.added_by) for f in files] == [("scan.pdf", f"staff:{member.id}")]


def test_deleting_a_complaints_files_removes_rows_and_bytes(app, filed_with_files) -> None:
    filed_with_files()
    assert len(stored_files(app)) == 2
    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert service.delete_for_complaint(complaint) == 2
        db.session.commit()
        assert count(Attachment) == 0
    assert stored_files(app) == []
