"""The access code is shown once: in the answer to the filing, and never in a cookie, a URL, a
log line or any later page (a shared or seized phone must not give it away)."""

from __future__ import annotations

import base64
import logging
import re
import zlib

from tests.integration.test_public_form import post_step, walk_to_review


def _cookie_texts(client) -> list[str]:
    """Every cookie value, and the session cookie's payload decoded as the browser holds it."""
    texts = []
    for cookie in client._cookies.values():
        texts.append(cookie.value)
        payload = cookie.value.lstrip(".").split(".")[0]
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        if cookie.value.startswith("."):
            raw = zlib.decompress(raw)
        texts.append(raw.decode("utf-8", "replace"))
    return texts


def test_access_code_appears_in_exactly_one_response(app, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    responses = []
    review = walk_to_review(client)
    responses.append(post_step(client, review, {"privacy_acknowledged": "y"}, action="submit"))
    html = responses[0].get_data(as_text=True)
    code = re.search(r'data-testid="access-code">([^<]+)<', html).group(1)
    receipt = re.search(r'data-testid="receipt">([^<]+)<', html).group(1)
    bare = code.replace("-", "")

    # Reloading the answer (the browser re-posts it), and every later page.
    responses.append(post_step(client, review, {"privacy_acknowledged": "y"}, action="submit"))
    for path in ("/en/file/confirmation", "/en/status", "/en/", "/en/file", "/es/"):
        responses.append(client.get(path, follow_redirects=True))
    responses.append(client.post("/en/status", data={"receipt": receipt, "access_code": code}))

    shown_in = [i for i, r in enumerate(responses) if code in r.get_data(as_text=True)]
    assert shown_in == [0], "only the answer to the filing shows the code"
    assert "This complaint had already been sent" in responses[1].get_data(as_text=True)
    for response in responses:
        for name, value in response.headers.items():
            assert code not in value, name
            assert bare not in value, name
    for text in _cookie_texts(client):
        assert code not in text
        assert bare not in text
        assert receipt not in text
    for record in caplog.records:
        assert code not in record.getMessage()
        assert bare not in record.getMessage()
