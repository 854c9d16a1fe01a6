"""Real sample files for the attachment tests, made here: photos with a GPS position in their
EXIF, a PDF, a Word document, a renamed program, polyglots and a ClamAV test file."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

GPS_IFD = 0x8825
# The spot a photo must never give away (latitude 31°45'N, longitude 106°29'W).
GPS = {1: "N", 2: (31.0, 45.0, 0.0), 3: "W", 4: (106.0, 29.0, 0.0)}
# A harmless stand-in for a virus, written by the tests (ClamAV knows it only through the
# signature database the tests give it).
TEST_VIRUS = b"complaints-test-virus-signature-" + b"X" * 64 + b"\n"


def _exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0131] = "Camera app 1.0"
    exif[0x0112] = 6  # orientation: turned 90°
    exif.get_ifd(GPS_IFD).update(GPS)
    return exif


def photo(size: tuple[int, int] = (64, 48)) -> Image.Image:
    image = Image.new("RGB", size, (200, 30, 30))
    for x in range(size[0] // 2):
        image.putpixel((x, 0), (0, 0, 255))
    return image


def png_with_gps() -> bytes:
    out = io.BytesIO()
    photo().save(out, format="PNG", exif=_exif_with_gps())
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    out = io.BytesIO()
    photo().save(out, format="JPEG", exif=_exif_with_gps(), comment=b"taken at home")
    return out.getvalue()


def heic_with_gps() -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    photo().save(out, format="HEIF", exif=_exif_with_gps())
    return out.getvalue()


def pdf(javascript: bool = False) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if javascript:  # a script that runs when the document opens
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx(macros: bool = False, embedded: bool = False) -> bytes:
    out = io.BytesIO()
    kind = "application/vnd.ms-word.document.macroEnabled.main+xml" if macros else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="xml" ContentType="application'
            f'/xml"/><Override PartName="/word/document.xml" ContentType="{kind}"/></Types>'))
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", (
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Letter from the facility</w:t></w:r></w:p></w:body>"
            "</w:document>"))
        if macros:
            archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
        if embedded:
            archive.writestr("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0object")
    return out.getvalue()


def executable() -> bytes:
    """The start of a Windows program (an MZ header and a PE signature)."""
    header = bytearray(b"MZ" + b"\x90\x00" * 29 + b"\x00" * 2)
    header[0x3C:0x40] = (64).to_bytes(4, "little")
    return bytes(header[:64]) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 400


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("run.exe", executable())
    return out.getvalue()


def jpeg_zip_polyglot() -> bytes:
    """A real JPEG with a ZIP archive behind it: image viewers show the photo, unzip tools
    find the archive."""
    return jpeg_with_gps() + zip_archive()


def pdf_zip_polyglot() -> bytes:
    return pdf() + zip_archive()


def text_with_pdf_header() -> bytes:
    return b"Notes about the visit\n%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"


def pdf_with_script_in_object_stream() -> bytes:
    """A PDF 1.5 whose opening script sits inside a compressed object stream, where a search
    of the raw bytes cannot see it."""
    import zlib

    action = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    header = b"4 0 "
    packed = zlib.compress(header + action)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>")
    add(5, b"<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\nstream\n"
        % (len(header), len(packed)) + packed + b"\nendstream")
    offsets[6] = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    for number in range(1, 7):
        if number == 4:
            rows.append(b"\x02" + (5).to_bytes(4, "big") + (0).to_bytes(2, "big"))
        else:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
    table = b"".join(rows)
    out.extend(b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
               % len(table) + table + b"\nendstream\nendobj\n")
    out.extend(b"startxref\n%d\n%%%%EOF\n" % offsets[6])
    return bytes(out)
