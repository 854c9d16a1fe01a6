"""Copy the front-end packages installed by npm into static/vendor, in the shape the app serves,
then build the public pages' stylesheets (complaints/tools/bundles.py) and the fingerprinted,
precompressed copies of everything (complaints/tools/digest.py).

- USWDS: css, js, fonts and img side by side (the CSS refers to ../fonts and ../img), plus a
  right-to-left build of its CSS made by rtlcss for Arabic, Dari and Pashto pages.
- Noto fonts from Fontsource for the scripts USWDS's fonts lack: only the weights we use, only
  WOFF2, with the unicode-range subsets kept so browsers fetch only the characters a page needs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from complaints import PROJECT_ROOT

NODE_MODULES = PROJECT_ROOT / "node_modules"
VENDOR = PROJECT_ROOT / "static" / "vendor"
USWDS = NODE_MODULES / "@uswds" / "uswds" / "dist"
FONT_PACKAGES = ("noto-sans", "noto-sans-arabic", "noto-sans-sc", "noto-sans-tc",
                 "noto-sans-kr")
WEIGHTS = ("400", "700")
_WOFF_FALLBACK = re.compile(r",\s*url\(\./files/[^)]+\.woff\)\s*format\('woff'\)")
_WOFF2 = re.compile(r"url\(\./files/([^)]+\.woff2)\)")


def copy_uswds() -> None:
    target = VENDOR / "uswds"
    shutil.rmtree(target, ignore_errors=True)
    for folder in ("css", "js", "fonts", "img"):
        shutil.copytree(USWDS / folder, target / folder)
    rtlcss = NODE_MODULES / ".bin" / "rtlcss"
    subprocess.run([str(rtlcss), str(target / "css" / "uswds.min.css"),  # noqa: S603
                    str(target / "css" / "uswds.rtl.min.css")], check=True,
                   stdout=subprocess.DEVNULL)


def copy_fonts() -> None:
    for package in FONT_PACKAGES:
        source = NODE_MODULES / "@fontsource" / package
        target = VENDOR / "fonts" / package
        shutil.rmtree(target, ignore_errors=True)
        (target / "files").mkdir(parents=True)
        parts = []
        for weight in WEIGHTS:
            css = _WOFF_FALLBACK.sub("", (source / f"{weight}.css").read_text(encoding="utf-8"))
            for name in _WOFF2.findall(css):
                shutil.copy2(source / "files" / name, target / "files" / name)
            parts.append(css)
        (target / f"{package}.css").write_text("\n".join(parts), encoding="utf-8")


_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_RANGE = re.compile(r"unicode-range:\s*([^;]+);")


def _covers(face: str, text: str) -> bool:
    match = _RANGE.search(face)
    if not match:
        return False
    for part in match.group(1).split(","):
        low, _, high = part.strip().removeprefix("U+").partition("-")
        start, end = int(low, 16), int(high or low, 16)
        if any(start <= ord(ch) <= end for ch in text):
            return True
    return False


def write_picker_fonts() -> None:
    """The few CJK font subsets that draw the language names in the picker on every page, so
    the big CJK stylesheets load only on Chinese and Korean pages."""
    from complaints.i18n import LANGUAGES

    faces = []
    for lang in LANGUAGES:
        if not lang.extra_font:
            continue
        css = (VENDOR / "fonts" / lang.extra_font / f"{lang.extra_font}.css").read_text(
            encoding="utf-8")
        for face in _FACE.findall(css):
            if "font-weight: 400" in face and _covers(face, lang.native_name):
                faces.append(face.replace("./files/", f"../{lang.extra_font}/files/"))
    target = VENDOR / "fonts" / "picker"
    target.mkdir(parents=True, exist_ok=True)
    (target / "picker.css").write_text("\n".join(faces) + "\n", encoding="utf-8")


def main() -> int:
    from complaints.tools import bundles, digest

    if not USWDS.is_dir():
        print("node_modules is missing: run `npm ci` first", file=sys.stderr)
        return 1
    copy_uswds()
    copy_fonts()
    write_picker_fonts()
    bundles.build()
    digest.publish()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
