"""Locale codes, directions and Accept-Language negotiation."""

from __future__ import annotations

import pytest

from complaints import i18n


def test_sixteen_languages_three_right_to_left() -> None:
    assert len(i18n.LANGUAGES) == 16
    assert {lang.code for lang in i18n.LANGUAGES if lang.rtl} == {"ar", "fa_AF", "ps"}


@pytest.mark.parametrize(("code", "url"), [("zh_Hans", "zh-hans"), ("fa_AF", "fa-af"),
                                           ("en", "en")])
def test_url_codes(code: str, url: str) -> None:
    assert i18n.language(code).url_code == url
    assert i18n.from_url_code(url).code == code


@pytest.mark.parametrize(("header", "expected"), [
    (["zh-CN"], "zh_Hans"), (["zh-TW"], "zh_Hant"), (["zh-HK"], "zh_Hant"),
    (["zh-Hant"], "zh_Hant"), (["zh"], "zh_Hans"), (["fa-AF"], "fa_AF"), (["fa"], "fa_AF"),
    (["prs"], "fa_AF"), (["es-MX"], "es"), (["pt-BR"], "pt"), (["fil"], "tl"),
    (["ar-EG"], "ar"), (["ps-AF"], "ps"), (["ht"], "ht"), (["de", "fr"], "fr"),
    (["xx"], "en"), ([], "en"), (["*"], "en"),
])
def test_negotiation(header: list[str], expected: str) -> None:
    assert i18n.negotiate(header) == expected


def test_normalize_locale() -> None:
    assert i18n.normalize_locale("FA-af") == "fa_AF"
    assert i18n.normalize_locale("zh_Hant") == "zh_Hant"
    assert i18n.normalize_locale("klingon") is None
    assert i18n.normalize_locale(None) is None
