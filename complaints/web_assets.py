"""Static files and compression, for people on slow links.

Static files are served by WhiteNoise from the fingerprinted copies in static/dist/ (built by
`make assets`): `Cache-Control: public, max-age=31536000, immutable`, and the precompressed
Brotli or gzip twin when the browser accepts it. `url_for('static', filename=...)` gives the
fingerprinted address; without a build, Flask serves the plain file.

Pages and JSON are compressed on the fly, except where BREACH could read a secret from the
compressed size: that needs a response carrying the person's secret beside text an attacker
chose, to a request the attacker can make the person's browser send. Staff pages are left
uncompressed: a link on another site (a top-level GET, which carries SameSite=Lax cookies)
can open a queue page that echoes attacker-chosen search terms beside CSRF tokens and case
data. The public side is compressed: its pages fetched with GET echo nothing from the request,
and a form post from another site carries no session cookie (SameSite=Lax), so its answer
holds no secret of the person's. The JSON API authenticates with headers, not cookies.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from flask_compress import Compress
from whitenoise import WhiteNoise

from complaints import PROJECT_ROOT

STATIC = PROJECT_ROOT / "static"
DIST = STATIC / "dist"
MANIFEST = DIST / "manifest.json"
ONE_YEAR = 365 * 24 * 3600

compress = Compress()


class StaticFiles(WhiteNoise):
    """WhiteNoise with a year's immutability (its own default is ten)."""

    FOREVER = ONE_YEAR


def load_manifest(path: Path = MANIFEST) -> dict[str, str]:
    """Each static file's own path -> its fingerprinted path (empty without a build)."""
    if not path.is_file():
        return {}
    return {name: f"dist/{hashed}" for name, hashed in json.loads(path.read_text()).items()}


def _static_headers(headers: Any, path: str, url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"


def _is_fingerprinted(path: str, url: str) -> bool:
    return not url.endswith("/manifest.json")


@cache
def _fingerprinted_files() -> StaticFiles:
    """The index of static/dist, built once per process (it reads thousands of files); each
    app gets a copy of it in front of its own WSGI application."""
    return StaticFiles(None, root=str(DIST), prefix="static/dist/", allow_all_origins=False,
                       immutable_file_test=_is_fingerprinted,
                       add_headers_function=_static_headers)


def may_compress(response: Response) -> bool:
    """No compression where a secret may sit beside text an attacker chose (BREACH)."""
    return not request.path.startswith("/staff/")


def init_app(app: Flask) -> None:
    manifest = load_manifest()
    if manifest:
        @app.url_defaults
        def _fingerprinted(endpoint: str, values: dict[str, Any]) -> None:
            if endpoint == "static" and values.get("filename") in manifest:
                values["filename"] = manifest[values["filename"]]

    if manifest:
        static_files = copy.copy(_fingerprinted_files())
        static_files.application = app.wsgi_app
        app.wsgi_app = static_files  # type: ignore[method-assign]

    app.config.setdefault("COMPRESS_REGISTER", False)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
        "application/json", "image/svg+xml"])
    compress.init_app(app)

    @app.after_request
    def _compress(response: Response) -> Response:
        return compress.after_request(response) if may_compress(response) else response
