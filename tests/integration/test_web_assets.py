"""Static files fingerprinted and kept for a year; pages compressed except where BREACH could
read a secret (staff pages)."""

from __future__ import annotations

import os
import re

import pytest

from complaints import web_assets
from tests.integration.test_public_form import hidden_and_visible_values

BROTLI = {"Accept-Encoding": "br, gzip"}


@pytest.fixture
def manifest() -> dict[str, str]:
    found = web_assets.load_manifest()
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("static/dist/manifest.json is missing: `make assets` builds it")
        pytest.skip("no static build (run `make assets`)")
    return found


def test_pages_link_fingerprinted_files_kept_for_a_year(client, manifest) -> None:
    html = client.get("/en/file").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert links
    for link in links:
        assert link.startswith("/static/dist/"), link
        with client.get(link, headers=BROTLI) as response:
            assert response.status_code == 200, link
            assert response.headers["Cache-Control"] == "max-age=31536000, public, immutable"
            assert response.headers["X-Content-Type-Options"] == "nosniff"
    stylesheet = next(link for link in links if link.endswith(".css"))
    with client.get(stylesheet, headers=BROTLI) as response:
        assert response.headers["Content-Encoding"] == "br"


def test_one_stylesheet_a_page_by_language(client, manifest) -> None:
    for locale, bundle in (("en", "public.css"), ("ar", "public.rtl.css"),
                           ("zh-hant", "public.zh_Hant.css"), ("ko", "public.ko.css")):
        html = client.get(f"/{locale}/").get_data(as_text=True)
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert sheets == [f"/static/{manifest['vendor/bundles/' + bundle]}"], locale


def test_public_pages_and_json_are_compressed(client) -> None:
    assert client.get("/en/", headers=BROTLI).headers.get("Content-Encoding") == "br"
    step = client.post("/en/file", data={"step": "what", "action": "next"}, headers=BROTLI)
    assert step.headers.get("Content-Encoding") == "br"
    assert client.get("/api/v1/openapi.json", headers=BROTLI
                      ).headers.get("Content-Encoding") == "br"
    plain = client.get("/en/", headers={"Accept-Encoding": "gzip"})
    assert plain.headers.get("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in plain.headers["Vary"]


def test_staff_pages_are_never_compressed(client, staff_client) -> None:
    assert "Content-Encoding" not in client.get("/staff/login", headers=BROTLI).headers
    signed_in, _ = staff_client("intake")
    queue = signed_in.get("/staff/?q=" + "interpreter" * 20, headers=BROTLI)
    assert queue.status_code == 200
    assert "Content-Encoding" not in queue.headers


def test_a_cross_site_form_post_answers_with_no_secret_of_the_person(app_factory) -> None:
    """Why public form answers may be compressed: the session cookie is SameSite=Lax, so a
    post another site makes the browser send arrives without it, and its answer carries a
    token for a new, empty session rather than the person's."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    client = app.test_client()
    page = client.get("/en/file").get_data(as_text=True)
    own_token = hidden_and_visible_values(page)["csrf_token"][0]
    other_site = app.test_client()  # no cookie, as a cross-site post arrives
    answer = other_site.post("/en/file", data={"narrative": "attacker text", "step": "what",
                                               "action": "next"}).get_data(as_text=True)
    assert own_token not in answer
