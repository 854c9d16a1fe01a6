"""What a file is, decided from its content, and the clean copy kept: real sample files made by
the tests (tests/attachment_samples.py), no app."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from complaints.attachments.inspect import DOCX, HEIC, JPEG, PDF, PNG, TEXT, Refused, inspect
from tests import attachment_samples as samples


def _gps_of(data: bytes) -> dict:
    return dict(Image.open(io.BytesIO(data)).getexif().get_ifd(samples.GPS_IFD))


def test_the_samples_really_carry_a_gps_position() -> None:
    assert _gps_of(samples.png_with_gps())[1] == "N"
    assert _gps_of(samples.jpeg_with_gps())[1] == "N"


@pytest.mark.parametrize(("make", "detected", "stored"), [
    (samples.png_with_gps, PNG, PNG),
    (samples.jpeg_with_gps, JPEG, JPEG),
    (samples.heic_with_gps, HEIC, JPEG),
])
def test_photos_come_back_without_any_metadata(make, detected, stored) -> None:
    kept = inspect(make())
    assert (kept.detected_type, kept.stored_type, kept.reencoded) == (detected, stored, True)
    image = Image.open(io.BytesIO(kept.data))
    assert not image.getexif(), "no EXIF at all: no GPS, camera or software"
    assert not _gps_of(kept.data)
    assert "icc_profile" not in image.info
    assert "comment" not in image.info
    assert b"PhoneMaker" not in kept.data


def test_a_photo_is_turned_upright_as_the_camera_meant() -> None:
    kept = inspect(samples.jpeg_with_gps())  # 64x48, EXIF orientation 6 (turned 90°)
    assert Image.open(io.BytesIO(kept.data)).size == (48, 64)


@pytest.mark.parametrize(("data", "kind"), [
    (samples.pdf(), PDF),
    (samples.docx(), DOCX),
    (b"Notas de la visita: sin agua.\n", TEXT),
    ("\ufeffملاحظات الزيارة\n".encode(), TEXT),
])
def test_documents_are_kept_as_they_are(data, kind) -> None:
    kept = inspect(data)
    assert kept.detected_type == kind == kept.stored_type
    assert not kept.reencoded


def test_utf16_text_is_kept_as_utf8() -> None:
    kept = inspect("\ufeffNotes".encode("utf-16-le"))
    assert kept.data == b"Notes"


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (samples.executable(), "not_accepted"),  # a program renamed photo.jpg: the name is not read
    (samples.zip_archive(), "not_accepted"),
    (b"\x00\x01\x02binary junk\xff", "not_accepted"),
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "not_accepted"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "not_accepted"),
    (samples.docx(macros=True), "macros"),
    (samples.docx(embedded=True), "active_content"),
    (samples.pdf(javascript=True), "active_content"),
    (samples.pdf_with_script_in_object_stream(), "active_content"),
    (samples.pdf_zip_polyglot(), "mixed"),
    (samples.text_with_pdf_header(), "mixed"),
    (b"\xff\xd8\xff\xe0 not really a JPEG", "damaged"),
    (b"%PDF-1.7\nnot really a PDF", "damaged"),
])
def test_what_is_refused_and_why(data, reason) -> None:
    with pytest.raises(Refused) as refused:
        inspect(data)
    assert refused.value.reason == reason


def test_a_photo_with_an_archive_behind_it_is_neutralised() -> None:
    """A JPEG+ZIP polyglot: the copy kept is made from the pixels, so the archive is gone."""
    data = samples.jpeg_zip_polyglot()
    kept = inspect(data)
    assert kept.stored_type == JPEG
    assert b"PK\x03\x04" not in kept.data
    assert b"run.exe" not in kept.data


def test_an_image_too_large_to_decode_safely_is_refused() -> None:
    out = io.BytesIO()
    Image.new("L", (4000, 4000)).save(out, format="PNG")
    with pytest.raises(Refused) as refused:
        inspect(out.getvalue(), max_pixels=1_000_000)
    assert refused.value.reason == "damaged"
