"""The translation checker catches what would break a page or mislead a reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaints.tools import translations

CATALOG = '''msgid ""
msgstr ""
"Language: es\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Received on: %(date)s"
msgstr "{date}"

msgid "Skip to <b>main</b> content"
msgstr "{tag}"

msgid "Please wait %(num)d minute."
msgid_plural "Please wait %(num)d minutes."
msgstr[0] "{one}"
msgstr[1] "Espere %(num)d minutos."
'''


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(translations, "TRANSLATIONS", tmp_path)

    def write(**values: str) -> list[str]:
        po = tmp_path / "es" / "LC_MESSAGES" / "messages.po"
        po.parent.mkdir(parents=True, exist_ok=True)
        po.write_text(CATALOG.format(**values), encoding="utf-8")
        return translations.problems(only="es")

    return write


def test_a_good_catalog_passes(catalog) -> None:
    assert catalog(date="Recibida el %(date)s", tag="Ir al contenido <b>principal</b>",
                   one="Espere un minuto.") == []


def test_a_dropped_or_renamed_placeholder_is_caught(catalog) -> None:
    assert catalog(date="Recibida el %(fecha)s", tag="<b>x</b>", one="Un minuto.")
    assert catalog(date="Recibida", tag="<b>x</b>", one="Un minuto.")


def test_a_lost_tag_is_caught(catalog) -> None:
    assert catalog(date="%(date)s", tag="Ir al contenido principal", one="Un minuto.")


def test_untranslated_messages_are_caught(catalog) -> None:
    problems = catalog(date="", tag="<b>x</b>", one="Un minuto.")
    assert any("untranslated" in p for p in problems)


def test_a_message_missing_from_a_catalog_is_caught(catalog, tmp_path: Path) -> None:
    (tmp_path / "messages.pot").write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "Received on: %(date)s"\nmsgstr ""\n\n'
        'msgid "A brand new message"\nmsgstr ""\n', encoding="utf-8")
    problems = catalog(date="Recibida el %(date)s", tag="<b>x</b>", one="Un minuto.")
    assert any("not in the catalog" in p and "brand new" in p for p in problems)
