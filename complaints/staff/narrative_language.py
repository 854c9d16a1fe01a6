"""The language and direction to mark a complaint's own words with, so browsers pick the right
font and layout: the language it was filed in, unless its text is plainly in another script
(someone may file on the English form and write in Arabic)."""

from __future__ import annotations

import unicodedata
from collections import Counter

from complaints.i18n import BY_CODE, Language, language

_PASHTO_LETTERS = set("ټډړښږځڅېۍڼ")
_PERSIAN_LETTERS = set("پچژگکی")
_UKRAINIAN_LETTERS = set("їєіґЇЄІҐ")
_SCRIPT_OF = {"ar": "ARABIC", "fa_AF": "ARABIC", "ps": "ARABIC", "zh_Hans": "CJK",
              "zh_Hant": "CJK", "ko": "HANGUL", "ru": "CYRILLIC", "uk": "CYRILLIC"}


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    for script in ("ARABIC", "CJK", "HANGUL", "CYRILLIC"):
        if name.startswith(script):
            return script
    return "LATIN" if char.isalpha() and ord(char) < 0x2000 else ""


def _dominant_script(text: str) -> str:
    counts = Counter(_script(c) for c in text[:2000] if c.isalpha())
    counts.pop("", None)
    return counts.most_common(1)[0][0] if counts else ""


def _guess(script: str, text: str) -> Language | None:
    letters = set(text[:2000])
    if script == "ARABIC":
        if letters & _PASHTO_LETTERS:
            return BY_CODE["ps"]
        return BY_CODE["fa_AF" if letters & _PERSIAN_LETTERS else "ar"]
    if script == "CJK":
        return BY_CODE["zh_Hans"]
    if script == "HANGUL":
        return BY_CODE["ko"]
    if script == "CYRILLIC":
        return BY_CODE["uk" if letters & _UKRAINIAN_LETTERS else "ru"]
    return None


def text_language(text: str | None, filed_in: str | None) -> Language:
    """The Language to mark `text` with: the one it was filed in, or the script's own."""
    declared = language(filed_in)
    script = _dominant_script(text or "")
    if not script or _SCRIPT_OF.get(declared.code, "LATIN") == script:
        return declared
    return _guess(script, text or "") or BY_CODE["en"]
