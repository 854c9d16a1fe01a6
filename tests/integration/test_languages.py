"""Language access: every public page in every language, negotiation, complete catalogs, and
the filer's language following the complaint."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from complaints import i18n
from complaints.extensions import db
from complaints.models import OutboxMessage
from complaints.tools import translations

LOCALES = [lang.url_code for lang in i18n.LANGUAGES]
PAGES = ["/{l}/", "/{l}/file", "/{l}/status", "/{l}/no-such-page"]


def html_lang_dir(html: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="(ltr|rtl)">', html)
    assert match, "every page starts with <html lang dir>"
    return match.group(1), match.group(2)


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


@pytest.mark.parametrize("url_locale", LOCALES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_every_language(client, url_locale, page) -> None:
    lang = i18n.from_url_code(url_locale)
    response = client.get(page.format(l=url_locale))
    html = response.get_data(as_text=True)
    assert html_lang_dir(html) == (lang.html_lang, lang.direction)
    if lang.code != "en":
        english = client.get(page.format(l="en")).get_data(as_text=True)
        assert title(html) != title(english), "the page is translated"


@pytest.mark.parametrize("url_locale", LOCALES)
def test_form_errors_are_translated(client, url_locale) -> None:
    html = client.post(f"/{url_locale}/file", data={"step": "what", "action": "next"}
                       ).get_data(as_text=True)
    lang = i18n.from_url_code(url_locale)
    with client.application.test_request_context(), force_locale(lang.code):
        expected = gettext("Tell us what happened.")
    assert expected in html
    if lang.code != "en":
        assert "Tell us what happened." not in html


@pytest.mark.parametrize(("header", "expected"), [
    ("zh-CN,zh;q=0.9", "/zh-hans/"), ("zh-TW", "/zh-hant/"), ("zh-HK", "/zh-hant/"),
    ("fa-AF", "/fa-af/"), ("es-MX,es;q=0.9,en;q=0.5", "/es/"), ("de-DE,de;q=0.9", "/en/"),
    ("ps-AF,ps;q=0.9", "/ps/"), ("so", "/so/"), ("uk-UA", "/uk/"),
])
def test_root_negotiates_the_language(client, header, expected) -> None:
    response = client.get("/", headers={"Accept-Language": header})
    assert response.headers["Location"].endswith(expected)


def test_all_catalogs_exist_and_are_complete() -> None:
    for code in translations.catalog_locales():
        assert (translations.TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").is_file()
    assert translations.problems() == []


def test_api_errors_follow_accept_language(client) -> None:
    response = client.post("/api/v1/complaints", json={"narrative": 5},
                           headers={"Accept-Language": "es-MX"})
    with client.application.test_request_context(), force_locale("es"):
        expected = gettext("Must be text.")
    assert response.get_json()["errors"]["narrative"] == [expected]
    assert expected != "Must be text."


def test_acknowledgement_is_written_in_the_filers_language(client, app, file_via_api) -> None:
    filed = file_via_api(language="fa-af", email="dari@example.org")
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert message.language == "fa_AF"
        with app.test_request_context(), force_locale("fa_AF"):
            expected = gettext("We received your complaint %(receipt)s",
                               receipt=filed["receipt"])
        assert message.subject == expected
        assert 'dir="rtl"' in message.body_html


def test_status_answers_in_the_complaints_language(client, file_via_api) -> None:
    filed = file_via_api(language="ko")
    html = client.post("/en/status", data={"receipt": filed["receipt"],
                                           "access_code": filed["access_code"]}
                       ).get_data(as_text=True)
    assert html_lang_dir(html) == ("ko", "ltr")
    with client.application.test_request_context(), force_locale("ko"):
        received = gettext("Received")
    assert f"<strong>{received}</strong>" in html
    assert 'data-testid="public-status-page-language"><strong>Received</strong>' in html, \
        "the page's own language is one click away, without sending the code again"
    assert filed["access_code"] not in html
    back = client.post("/en/status", data={"receipt": filed["receipt"],
                                           "access_code": filed["access_code"],
                                           "in_page_language": "1"}).get_data(as_text=True)
    assert html_lang_dir(back) == ("en", "ltr")
    assert "<strong>Received</strong>" in back
