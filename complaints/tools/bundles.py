"""One stylesheet per public page: the design system trimmed to what the pages use, the fonts
the page's language needs, and our own styles, in a single request.

- `public.css` (left to right) and `public.rtl.css` (Arabic, Dari, Pashto: USWDS mirrored by
  rtlcss; our own styles use logical properties and need no mirroring);
- `public.zh_Hans.css`, `public.zh_Hant.css`, `public.ko.css`: the left-to-right bundle with the
  language's own small page font (complaints/tools/fonts.py), and the full font's slices behind
  it for characters a person types that the page font lacks.
Every bundle declares Noto Sans and Noto Sans Arabic by unicode-range (fetched only for the
characters a page shows) and a tiny font for the Chinese and Korean names in the picker.
Bundles are written to static/vendor/bundles/; url()s are relative to that folder.
"""

from __future__ import annotations

import os
import re
import subprocess
import urllib.parse
from pathlib import Path

from complaints import PROJECT_ROOT
from complaints.tools import fonts

STATIC = PROJECT_ROOT / "static"
VENDOR = STATIC / "vendor"
BUNDLES = VENDOR / "bundles"
NODE_BIN = PROJECT_ROOT / "node_modules" / ".bin"
USWDS_PACKAGES = PROJECT_ROOT / "node_modules" / "@uswds" / "uswds" / "packages"
_LOCAL_URL = re.compile(r"url\(\s*(['\"]?)\./")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")
# Icons this small cost more as a request of their own than inside the stylesheet.
INLINE_SVG_BYTES = 1536


def _run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def compile_uswds(target: Path) -> None:
    """USWDS from its Sass source, with only the components in static/scss/public.scss."""
    _run(NODE_BIN / "sass", f"--load-path={USWDS_PACKAGES}", "--style=compressed",
         "--no-source-map", "--quiet", STATIC / "scss" / "public.scss", target)


def font_faces(package: str) -> str:
    """A Fontsource stylesheet (as copied to vendor/fonts) with its url()s made relative to
    the bundles' folder."""
    css = (VENDOR / "fonts" / package / f"{package}.css").read_text(encoding="utf-8")
    return _LOCAL_URL.sub(rf"url(\1../fonts/{package}/", css)


def rebase_urls(css: str, source_dir: Path) -> str:
    """Relative url()s of a stylesheet in `source_dir`, made relative to the bundles' folder,
    with small SVG icons inlined as data: URIs."""

    def replace(match: re.Match[str]) -> str:
        quote, url = match.groups()
        if url.startswith(("data:", "/", "http:", "https:", "#")):
            return match.group(0)
        target = (source_dir / url.split("?")[0].split("#")[0]).resolve()
        if target.suffix == ".svg" and target.is_file() \
                and target.stat().st_size <= INLINE_SVG_BYTES:
            svg = " ".join(target.read_text(encoding="utf-8").split())
            return f'url("data:image/svg+xml,{quote_svg(svg)}")'
        return f"url({quote}{os.path.relpath(target, BUNDLES)}{quote})"

    return _CSS_URL.sub(replace, css)


def quote_svg(svg: str) -> str:
    """An SVG as the readable, still valid body of a data: URI."""
    return urllib.parse.quote(svg.replace('"', "'"), safe=" /:=',;()-._!*~")


def fallback_faces(package: str) -> str:
    """The package's regular-weight slices by unicode-range, declared before the page font so
    a character that font lacks (in text the person typed) still draws, fetched on demand."""
    regular = [face for face in re.findall(r"@font-face\s*\{[^}]*\}", font_faces(package))
               if "font-weight: 400" in face]
    return "\n".join(regular)


def build() -> dict[str, Path]:
    """Write every bundle; return them by name."""
    BUNDLES.mkdir(parents=True, exist_ok=True)
    uswds, uswds_rtl = BUNDLES / "uswds-public.css", BUNDLES / "uswds-public.rtl.css"
    compile_uswds(uswds)
    _run(NODE_BIN / "rtlcss", uswds, uswds_rtl)
    page_faces, picker_faces = fonts.build(BUNDLES / "fonts", "fonts/")
    shared_faces = font_faces("noto-sans") + font_faces("noto-sans-arabic")
    ours = rebase_urls((STATIC / "css" / "app.css").read_text(encoding="utf-8"), STATIC / "css")

    def bundle(name: str, design: Path, own_font: str | None) -> Path:
        pickers = [face for code, face in picker_faces.items() if code != own_font]
        own = [fallback_faces(fonts.CJK_FONTS[own_font][1]), page_faces[own_font]] \
            if own_font else []
        parts = [rebase_urls(design.read_text(encoding="utf-8"), BUNDLES), shared_faces, *pickers,
                 *own, ours]
        target = BUNDLES / name
        target.write_text("\n".join(parts), encoding="utf-8")
        return target

    built = {"public.css": bundle("public.css", uswds, None),
             "public.rtl.css": bundle("public.rtl.css", uswds_rtl, None)}
    for code in fonts.CJK_FONTS:
        name = f"public.{code}.css"
        built[name] = bundle(name, uswds, code)
    uswds.unlink()
    uswds_rtl.unlink()
    return built
