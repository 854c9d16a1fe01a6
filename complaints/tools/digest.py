"""Fingerprinted, precompressed static files, so browsers keep them for a year and never ask
again.

Every file under static/ (but the Sass sources) is copied to static/dist/ with a hash of its
content in its name (`app.3f9c2a1b.css`); url()s inside stylesheets are rewritten to the hashed
names; text files get `.gz` and `.br` twins, which WhiteNoise serves to browsers that accept
them. static/dist/manifest.json maps each file's own path to its hashed one.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import posixpath
import re
from pathlib import Path

from complaints import PROJECT_ROOT

STATIC = PROJECT_ROOT / "static"
DIST = STATIC / "dist"
MANIFEST = DIST / "manifest.json"
SKIP = ("dist/", "scss/")
COMPRESSIBLE = (".css", ".js", ".svg", ".json", ".txt", ".map")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")


def _hashed_name(path: str, content: bytes) -> str:
    stem, dot, ext = posixpath.basename(path).rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:12]
    name = f"{stem}.{digest}.{ext}" if dot else f"{ext}.{digest}"
    return posixpath.join(posixpath.dirname(path), name)


def _rewrite_css(path: str, css: str, manifest: dict[str, str]) -> str:
    """Point each relative url() of a stylesheet at the hashed name of what it names."""

    def replace(match: re.Match[str]) -> str:
        quote, url = match.groups()
        if url.startswith(("data:", "/", "http:", "https:", "#")):
            return match.group(0)
        clean, _, suffix = url.partition("?")
        clean, _, fragment = clean.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), clean))
        if target not in manifest:
            return match.group(0)
        relative = posixpath.relpath(manifest[target], posixpath.dirname(manifest[path]))
        return f"url({quote}{relative}{'#' + fragment if fragment else ''}{quote})"

    return _CSS_URL.sub(replace, css)


def _compress(target: Path) -> None:
    import brotli

    data = target.read_bytes()
    if len(data) < 512:
        return
    target.with_name(target.name + ".gz").write_bytes(gzip.compress(data, 9, mtime=0))
    target.with_name(target.name + ".br").write_bytes(brotli.compress(data, quality=11))


def publish() -> dict[str, str]:
    """Write static/dist/ and its manifest; return the manifest. A file whose hashed name is
    already there is unchanged and left alone, so a rebuild after one edit takes seconds."""
    sources = sorted(p for p in STATIC.rglob("*") if p.is_file() and p.suffix != ".asked"
                     and not p.relative_to(STATIC).as_posix().startswith(SKIP))
    # Stylesheets last: their url()s need the hashed names of what they point at.
    sources.sort(key=lambda p: p.suffix == ".css")
    manifest: dict[str, str] = {}
    for source in sources:
        path = source.relative_to(STATIC).as_posix()
        content = source.read_bytes()
        if source.suffix == ".css":
            manifest[path] = _hashed_name(path, content)  # provisional, for relative paths
            content = _rewrite_css(path, content.decode("utf-8"), manifest).encode("utf-8")
        manifest[path] = _hashed_name(path, content)
        target = DIST / manifest[path]
        if target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        if source.suffix in COMPRESSIBLE:
            _compress(target)
    MANIFEST.write_text(json.dumps(manifest, indent=0, sort_keys=True), encoding="utf-8")
    _remove_stale(set(manifest.values()))
    return manifest


def _remove_stale(current: set[str]) -> None:
    """Drop hashed files (and their compressed twins) that no source has any more."""
    for path in DIST.rglob("*"):
        if not path.is_file() or path == MANIFEST:
            continue
        name = path.relative_to(DIST).as_posix().removesuffix(".gz").removesuffix(".br")
        if name not in current:
            path.unlink()
