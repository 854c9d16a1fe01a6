"""What a file is, decided from its content (puremagic's magic numbers, then each format's own
structure), and the copy of it that is kept: images re-encoded from their pixels alone, so no
metadata (GPS position, camera, names) and nothing hidden after or inside them survives.

Accepted: PDF, JPEG, PNG, HEIC/HEIF, plain text and Word (.docx). Refused: everything else,
including the old Word format (.doc, an OLE container whose macros and embedded objects have a
long record of attacks), Word files with macros, ActiveX, embedded objects or remote
templates, PDFs with scripts, launch actions or embedded files, and files that are two formats
at once (a PDF or Word file with another format's signature inside or a ZIP behind it).
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile
from dataclasses import dataclass

import puremagic
from PIL import Image, ImageOps, UnidentifiedImageError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
HEIC = "image/heic"
TEXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACCEPTED = (PDF, JPEG, PNG, HEIC, TEXT, DOCX)
IMAGES = (JPEG, PNG, HEIC)
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", HEIC: "heic", TEXT: "txt", DOCX: "docx"}
# The file-picker hint: what the browser offers first (the server decides, not this).
ACCEPT_ATTRIBUTE = (".pdf,.jpg,.jpeg,.png,.heic,.heif,.txt,.docx,application/pdf,image/jpeg,"
                    "image/png,image/heic,image/heif,text/plain," + DOCX)

HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs",
               b"mif1", b"msf1", b"heif"}
# Docx: limits against ZIP bombs (the file is never unpacked, but its parts are read).
DOCX_MAX_ENTRIES = 5000
DOCX_MAX_UNPACKED = 200 * 1024 * 1024
DOCX_MAX_RATIO = 200
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|"
                         rb"ImportData|GoToE)\b")
_MARKUP = re.compile(rb"<\s*(!doctype\s+html|html|script|svg|\?xml|iframe|object|embed)\b",
                     re.IGNORECASE)
_WORD_RISKY_PARTS = ("word/vbaproject.bin", "word/vbadata.xml", "word/activex/",
                     "word/embeddings/", "customui/")
_EXTERNAL_RISKY = re.compile(rb'Type="[^"]*/(attachedTemplate|oleObject|frame|subDocument)"'
                             rb'[^>]*TargetMode="External"|TargetMode="External"[^>]*'
                             rb'Type="[^"]*/(attachedTemplate|oleObject|frame|subDocument)"')
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class Refused(Exception):  # noqa: N818 (a verdict, not a failure of ours)
    """The file is not accepted. `reason` is one of: not_accepted, empty, damaged, macros,
    active_content, mixed."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Inspected:
    """A file accepted: what it was, and the bytes to keep (`data`, of `stored_type`)."""

    detected_type: str
    stored_type: str
    data: bytes
    reencoded: bool

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.stored_type]


def inspect(data: bytes, *, max_pixels: int = 100_000_000) -> Inspected:
    """Decide what `data` is and make the copy to keep; raise Refused when it is not one of
    the accepted kinds or not safe to keep."""
    if not data:
        raise Refused("empty")
    kind = _kind(data)
    if kind in IMAGES:
        return _clean_image(data, kind, max_pixels)
    _refuse_second_format(data, kind)
    if kind == PDF:
        _check_pdf(data)
        return Inspected(PDF, PDF, data, False)
    if kind == DOCX:
        _check_docx(data)
        return Inspected(DOCX, DOCX, data, False)
    return Inspected(TEXT, TEXT, _clean_text(data), False)


def _magic_types(data: bytes) -> set[str]:
    """The MIME types puremagic finds by the signatures it knows."""
    try:
        matches = puremagic.magic_string(data[:65536])
    except (puremagic.PureError, ValueError):
        return set()
    return {m.mime_type for m in matches if m.mime_type} | \
        {"." + m.extension.lstrip(".").lower() for m in matches if m.extension}


def _kind(data: bytes) -> str:
    """The accepted kind the content is, judged by its first bytes (where every reader of the
    format looks), confirmed by puremagic's signatures; Refused otherwise."""
    found = _magic_types(data)
    if data.startswith(b"%PDF-") and (PDF in found or ".pdf" in found):
        return PDF
    if data.startswith(b"\xff\xd8\xff") and (JPEG in found or ".jpg" in found):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n") and (PNG in found or ".png" in found):
        return PNG
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return HEIC
    if data.startswith(b"PK\x03\x04") and DOCX in found and _is_docx(data):
        return DOCX
    if _is_text(data) and not (found & {PDF, JPEG, PNG, ".exe", ".zip"}):
        return TEXT
    raise Refused("not_accepted", ", ".join(sorted(found))[:200])


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _decode_text(data: bytes) -> str | None:
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                          (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _is_text(data: bytes) -> bool:
    text = _decode_text(data)
    if text is None or _TEXT_CONTROLS.search(text):
        return False
    return not _MARKUP.search(text[:4096].encode("utf-8", "replace"))


def _clean_text(data: bytes) -> bytes:
    """Plain text is kept as UTF-8 without a byte-order mark."""
    text = _decode_text(data)
    assert text is not None  # noqa: S101 (checked by _is_text)
    return text.encode("utf-8")


def _refuse_second_format(data: bytes, kind: str) -> None:
    """A PDF, Word or text file that another program would read as something else."""
    head = data[:1024]
    if kind != PDF and b"%PDF-" in head:
        raise Refused("mixed", "a PDF header inside")
    if kind != DOCX and _ends_with_zip(data):
        raise Refused("mixed", "a ZIP archive behind it")
    if kind != TEXT and _MARKUP.search(head):
        raise Refused("mixed", "markup at the start")
    for signature, name in ((b"MZ", "executable"), (b"\x7fELF", "executable"),
                            (b"\xff\xd8\xff", "JPEG"), (b"\x89PNG", "PNG")):
        if kind not in (JPEG, PNG) and data[:len(signature)] == signature:
            raise Refused("mixed", name)


def _ends_with_zip(data: bytes) -> bool:
    try:
        return zipfile.is_zipfile(io.BytesIO(data))
    except (OSError, ValueError):
        return False


def _check_pdf(data: bytes) -> None:
    """Readable by a PDF library, and without scripts, launch actions or files inside,
    whether written plainly or inside compressed object streams."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if _PDF_ACTIVE.search(data):
        raise Refused("active_content", "PDF action or embedded file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise Refused("damaged", "encrypted PDF")
            for number in range(len(reader.pages)):
                reader.pages[number].get_contents()
            for stream in _object_streams(reader):
                if _PDF_ACTIVE.search(stream):
                    raise Refused("active_content", "PDF action in an object stream")
    except Refused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError,
            RecursionError, IndexError, AssertionError) as exc:
        raise Refused("damaged", type(exc).__name__) from exc


def _object_streams(reader: object) -> list[bytes]:
    """The decoded bytes of every object stream (where PDF 1.5+ hides dictionaries)."""
    from pypdf.generic import IndirectObject, StreamObject

    found = []
    xref = getattr(reader, "xref_objStm", {})
    numbers = {number for number, _ in xref.values()} if isinstance(xref, dict) else set()
    for number in sorted(numbers)[:10000]:
        obj = IndirectObject(number, 0, reader).get_object()
        if isinstance(obj, StreamObject):
            found.append(obj.get_data())
    return found


def _check_docx(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > DOCX_MAX_ENTRIES:
                raise Refused("damaged", "too many parts")
            unpacked = sum(e.file_size for e in entries)
            if unpacked > DOCX_MAX_UNPACKED or unpacked > DOCX_MAX_RATIO * max(len(data), 1):
                raise Refused("damaged", "unpacks too large")
            if entries and entries[0].header_offset != 0:
                raise Refused("mixed", "data before the archive")
            names = [e.filename.lower() for e in entries]
            content_types = archive.read("[Content_Types].xml")
            if b"macroEnabled" in content_types or any(
                    n.startswith(("word/vbaproject", "word/vbadata")) for n in names):
                raise Refused("macros")
            if any(n.startswith(_WORD_RISKY_PARTS) for n in names):
                raise Refused("active_content", "ActiveX or embedded objects")
            for name in archive.namelist():
                if name.lower().endswith(".rels") and _EXTERNAL_RISKY.search(archive.read(name)):
                    raise Refused("active_content", "a remote template or object")
    except Refused:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, KeyError,
            RuntimeError, EOFError) as exc:  # RuntimeError: an encrypted part
        raise Refused("damaged", type(exc).__name__) from exc


def _clean_image(data: bytes, kind: str, max_pixels: int) -> Inspected:
    """A new image made from the decoded pixels only, turned upright as the camera meant:
    PNG stays PNG, JPEG and HEIC become JPEG."""
    if kind == HEIC:
        import pillow_heif

        pillow_heif.register_heif_opener()
    expected = {JPEG: {"JPEG", "MPO"}, PNG: {"PNG"}, HEIC: {"HEIF"}}[kind]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=sorted(expected)) as image:
                if image.format not in expected:
                    raise Refused("not_accepted", str(image.format))
                width, height = image.size
                if width * height > max_pixels:
                    raise Refused("damaged", "too many pixels")
                image.seek(0)
                upright = ImageOps.exif_transpose(image) or image
                upright.load()
                pixels = _plain_pixels(upright, keep_alpha=kind == PNG)
    except Refused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
            Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError,
            ZeroDivisionError, struct.error) as exc:
        raise Refused("damaged", type(exc).__name__) from exc
    out = io.BytesIO()
    if kind == PNG:
        pixels.save(out, format="PNG", optimize=False)
        stored = PNG
    else:
        pixels.save(out, format="JPEG", quality=90, optimize=True)
        stored = JPEG
    return Inspected(kind, stored, out.getvalue(), True)


def _plain_pixels(image: Image.Image, *, keep_alpha: bool) -> Image.Image:
    """The pixels in a plain mode, in a new image that carries no `info` at all (no EXIF,
    XMP, ICC profile, text chunks or comments)."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info)
    if keep_alpha and has_alpha:
        mode = "RGBA"
    elif image.mode in ("1", "L", "I", "I;16", "F", "LA"):
        mode = "L"
    else:
        mode = "RGB"
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())
