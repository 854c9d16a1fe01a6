"""Small fonts for Chinese and Korean pages: only the characters those pages use.

A Chinese page written with Fontsource's unicode-range slices fetches some 20 slices of 40 KB per
weight, because its few hundred characters are spread over them. Here the characters of a
language's catalog (and the dates and language names the pages print) are cut out of those
slices and merged into one font per weight, about 100 KB. Text a person types that the font
lacks falls back to the phone's own fonts. The language picker gets a tiny font of its own
for the Chinese and Korean language names on every other page.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from babel.messages.pofile import read_po

from complaints import PROJECT_ROOT, dates, i18n

NODE_MODULES = PROJECT_ROOT / "node_modules"
TRANSLATIONS = PROJECT_ROOT / "translations"
# Our family name for each language's page font, and the Fontsource package it is cut from.
CJK_FONTS = {"zh_Hans": ("Noto Sans SC", "noto-sans-sc"),
             "zh_Hant": ("Noto Sans TC", "noto-sans-tc"),
             "ko": ("Noto Sans KR", "noto-sans-kr")}
WEIGHTS = ("400", "700")
# Latin letters, digits and punctuation, so codes and examples need no second font.
_ASCII = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u00a0–—‘’“”…·×"
_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_RANGE = re.compile(r"unicode-range:\s*([^;]+);")
_FILE = re.compile(r"url\(\./files/([^)]+\.woff2)\)")


def page_text(code: str) -> str:
    """Every character a page in this language may print: its translations, its month names
    and dates, and the names of all languages (the picker)."""
    catalog = read_po((TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb"))
    parts: list[str] = []
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            parts.extend(str(s) for s in strings if s)
    parts += dates.month_names(code)
    parts += [dates.long_date(date(2026, month, 28), code) for month in range(1, 13)]
    parts += [lang.native_name for lang in i18n.LANGUAGES]
    return "".join(parts) + _ASCII


def _codepoints(unicode_range: str) -> set[int]:
    points: set[int] = set()
    for part in unicode_range.split(","):
        low, _, high = part.strip().removeprefix("U+").partition("-")
        points.update(range(int(low, 16), int(high or low, 16) + 1))
    return points


def subset(package: str, weight: str, text: str, target: Path) -> set[int]:
    """Cut `text`'s characters out of the package's slices of one weight and merge them into
    one WOFF2 font at `target`; return the code points it holds. A font already cut for the
    same characters is kept."""
    from fontTools import subset as ft_subset
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    wanted = {ord(ch) for ch in text}
    # The characters asked for last time sit beside the font: the same ask, the same font.
    asked = target.with_name(target.name + ".asked")
    if target.is_file() and asked.is_file() and asked.read_text() == unicode_range(wanted):
        return set(TTFont(target).getBestCmap() or {})
    source = NODE_MODULES / "@fontsource" / package
    css = (source / f"{weight}.css").read_text(encoding="utf-8")
    held: set[int] = set()
    with tempfile.TemporaryDirectory() as tmp:
        parts: list[str] = []
        for face in _FACE.findall(css):
            range_match, file_match = _RANGE.search(face), _FILE.search(face)
            if not range_match or not file_match:
                continue
            hits = wanted & _codepoints(range_match.group(1))
            if not hits:
                continue
            font = TTFont(source / "files" / file_match.group(1))
            hits &= set(font.getBestCmap() or {})
            if not hits:
                continue
            options = ft_subset.Options()
            options.layout_features = ["*"]
            options.notdef_outline = True
            subsetter = ft_subset.Subsetter(options)
            subsetter.populate(unicodes=hits)
            subsetter.subset(font)
            held |= hits
            part = Path(tmp) / f"part{len(parts)}.ttf"
            font.save(part)
            parts.append(str(part))
        merged = Merger().merge(parts) if len(parts) > 1 else TTFont(parts[0])
        merged.flavor = "woff2"
        target.parent.mkdir(parents=True, exist_ok=True)
        merged.save(target)
    asked.write_text(unicode_range(wanted))
    return held


def unicode_range(points: Iterable[int]) -> str:
    """`U+4e00-4e02,U+4e0b` for a set of code points."""
    ordered = sorted(set(points))
    runs: list[str] = []
    start = prev = ordered[0]
    for point in [*ordered[1:], None]:
        if point is not None and point == prev + 1:
            prev = point
            continue
        runs.append(f"U+{start:x}" + (f"-{prev:x}" if prev != start else ""))
        if point is not None:
            start = prev = point
    return ",".join(runs)


def face(family: str, weight: str, url: str, points: Iterable[int]) -> str:
    return (f"@font-face{{font-family:'{family}';font-style:normal;font-display:swap;"
            f"font-weight:{weight};src:url({url}) format('woff2');"
            f"unicode-range:{unicode_range(points)}}}")


def build(target_dir: Path, url_prefix: str) -> tuple[dict[str, str], dict[str, str]]:
    """Page fonts for each CJK language and picker fonts for their names, written to
    `target_dir`; returns the @font-face rules declaring each: (page faces by language code,
    picker face by language code)."""
    page_faces: dict[str, str] = {}
    picker_faces: dict[str, str] = {}
    for code, (family, package) in CJK_FONTS.items():
        text = page_text(code)
        faces = []
        for weight in WEIGHTS:
            name = f"{package}-{code}-{weight}.woff2"
            held = subset(package, weight, text, target_dir / name)
            faces.append(face(family, weight, url_prefix + name, held))
        page_faces[code] = "\n".join(faces)
        name = f"{package}-picker.woff2"
        held = subset(package, "400", i18n.language(code).native_name, target_dir / name)
        picker_faces[code] = face(family, "400", url_prefix + name, held)
    return page_faces, picker_faces
