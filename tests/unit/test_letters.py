"""Letter templates: one for each closing disposition, only known placeholders, and every
message of every letter translated in all 15 catalogs with exactly its placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from complaints.domain import letters
from complaints.domain.taxonomy import DISPOSITION_CODES
from complaints.i18n import DEFAULT_LOCALE, LOCALE_CODES

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _messages(template: letters.Template) -> list[str]:
    return [letters.GREETING, *template.paragraphs, template.note_heading, letters.KEEP_CODES,
            letters.SIGN_OFF, letters.SUBJECT]


def test_every_disposition_has_its_closing_letter_and_the_contract_codes_exist() -> None:
    codes = set(letters.TEMPLATE_CODES)
    assert {f"closed_{d}" for d in DISPOSITION_CODES} <= codes
    assert {"acknowledgement", "request_information", "referred_component", "referred_oig",
            "no_jurisdiction", "closed"} <= codes
    assert letters.TEMPLATE_BY_CODE["request_information"].note_required
    assert letters.TEMPLATE_BY_CODE["request_information"].moves_to == "awaiting_information"


@pytest.mark.parametrize("template", letters.TEMPLATES, ids=lambda t: t.code)
def test_letters_use_only_the_details_a_letter_can_fill(template: letters.Template) -> None:
    for message in _messages(template):
        assert set(PLACEHOLDER.findall(message)) <= letters.PLACEHOLDERS, message
    assert "%(receipt)s" in " ".join(template.paragraphs) + letters.SUBJECT


@pytest.mark.parametrize("code", [c for c in LOCALE_CODES if c != DEFAULT_LOCALE])
def test_every_letter_is_complete_in_every_catalog(code: str) -> None:
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=code)
    wanted = {m for t in letters.TEMPLATES for m in _messages(t)} | {
        letters.PRINTED_HOW_TO_ANSWER, letters.NOTIFICATION_SUBJECT,
        letters.NOTIFICATION_WAITING, letters.NOTIFICATION_SAFETY, letters.NOTIFICATION_HOW,
        letters.OTHER_LANGUAGE, letters.REPLY_REQUIRED}
    for msgid in wanted:
        message = catalog.get(msgid)
        assert message is not None, f"{code}: missing {msgid!r}"
        assert message.string, f"{code}: untranslated {msgid!r}"
        assert not message.fuzzy, f"{code}: fuzzy {msgid!r}"
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(
            PLACEHOLDER.findall(msgid)), f"{code}: placeholders differ in {msgid!r}"
