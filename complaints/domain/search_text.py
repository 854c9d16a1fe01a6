"""The words of a narrative as search sees them: one normaliser, in Python, used both to index a
narrative and to read a query, so SQLite and PostgreSQL compare the very same tokens.

- Case and accents do not count (`Intérprete` = `interprete`; `đ` = `d`; Russian `ё` = `е`).
- Arabic, Dari and Pashto: alef, yeh, kaf and heh variants are one letter each, ta marbuta is heh,
  tashkeel, tanween (with the alef of tanween fath), tatweel and hamza marks go, and Arabic-Indic
  digits are digits. A word's common clitics -- the conjunctions و ف, the prepositions ب ك ل and
  the article ال -- are indexed off as well, so `احتجاز` finds `والاحتجاز` and `محام` finds `بمحامٍ`.
  A query drops only the article (with what precedes it), never a lone letter that may belong
  to the word (`بلد` stays `بلد`).
- Scripts written without spaces (Chinese, Japanese, Korean, Thai...) are not words here: they
  are searched as substrings of the narrative itself (see services/search.py); every pair of
  neighbouring letters is indexed too, so a two-character term is one token to look up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

MAX_TOKEN_CHARS = 64
# Added to the document of every complaint that is not closed, so the word index itself can
# narrow a search to open complaints (the queue's default) before any row is read. No query
# word is ever looked up as this token.
OPEN_TOKEN = "0open0"  # noqa: S105 (a marker word, not a secret)
# Tokens are joined by two spaces so that counting ' word ' in ' text ' never overlaps.
SEPARATOR = "  "

# Scripts written without spaces between words (or, for Korean, with particles glued to words):
# Thai, Lao, Myanmar, Khmer, Hangul, CJK ideographs, kana, Bopomofo.
_UNSPACED_RANGES = (
    (0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1100, 0x11FF), (0x1780, 0x17FF),
    (0x2E80, 0x2FDF), (0x3040, 0x30FF), (0x3100, 0x318F), (0x31A0, 0x31FF),
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF), (0xFF66, 0xFFDC), (0x20000, 0x3FFFF),
)

# Letters that no Unicode decomposition reduces to a base letter.
_LATIN_FOLDS = {"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ħ": "h", "ı": "i", "æ": "ae",
                "œ": "oe", "þ": "th", "ŋ": "n"}
_ARABIC_FOLDS = {
    "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ێ": "ي", "ے": "ي",
    "ک": "ك", "ڪ": "ك", "ة": "ه", "ۀ": "ه", "ہ": "ه", "ە": "ه", "ھ": "ه",
}
_TATWEEL = "\u0640"
_FATHATAN = "\u064b"
_ALEF = "ا"
_ZERO_WIDTH_JOINERS = {"\u200d", "\u2060", "\ufeff", "\u00ad"}  # removed inside words
_SEPARATORS = {"\u200c", "'", "\u2019", "\u02bc", "\u2018"}  # ZWNJ and apostrophes split words
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ك", "ل")
_ARTICLE = "ال"


def is_unspaced(char: str) -> bool:
    """Whether a character belongs to a script written without spaces between words."""
    code = ord(char)
    return any(low <= code <= high for low, high in _UNSPACED_RANGES)


def is_arabic_letter(char: str) -> bool:
    code = ord(char)
    return 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0x08A0 <= code <= 0x08FF


def _is_latin(char: str) -> bool:
    return ord(char) < 0x0250 or 0x1E00 <= ord(char) <= 0x1EFF


def _fold_char(char: str) -> str:
    """Case-fold and decompose one character; drop the marks that search ignores."""
    if is_unspaced(char):
        return " "  # searched as a substring, not as a word
    if char in _SEPARATORS:
        return " "
    if char in _ZERO_WIDTH_JOINERS or char == _TATWEEL:
        return ""
    folded = char.casefold()
    out: list[str] = []
    for part in unicodedata.normalize("NFKD", folded):
        if unicodedata.category(part).startswith("M"):
            base = out[-1] if out else ""
            # Accents on Latin letters, ё's diaeresis, and every Arabic mark go; other scripts
            # keep theirs (й and ї stay themselves).
            if (not base or _is_latin(base) or is_arabic_letter(base) or base == "е"
                    or is_arabic_letter(part)):
                continue
        out.append(_ARABIC_FOLDS.get(part, _LATIN_FOLDS.get(part, part)))
    return unicodedata.normalize("NFC", "".join(out))


def _digit(char: str) -> str:
    value = unicodedata.digit(char, None)
    return str(value) if value is not None and char.isdigit() else char


def _drop_tanween_alef(word: str) -> str:
    """`مترجماً` is `مترجم` with tanween fath, which is written on (or before) an alef."""
    for ending in (_ALEF + _FATHATAN, _FATHATAN + _ALEF):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)]
    return word


def _word_pattern() -> re.Pattern[str]:
    """Letters and digits (not `_`, not the unspaced scripts), with combining marks inside."""
    unspaced = "".join(f"{chr(low)}-{chr(high)}" for low, high in _UNSPACED_RANGES)
    marks = "\u0300-\u036f\u064b-\u065f\u0670\u06d6-\u06ed"
    return re.compile(f"(?:[^\\W_{unspaced}]|[{marks}])+")


_WORD = _word_pattern()
_UNSPACED_RUN = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}"
                                         for low, high in _UNSPACED_RANGES) + "]{2,}")


def is_bigram(piece: str) -> bool:
    """Two letters of a script without spaces: looked up as one indexed token."""
    return len(piece) == 2 and all(is_unspaced(c) and unicodedata.category(c)[0] == "L"
                                   for c in piece)


def bigrams(text: str) -> list[str]:
    """Every pair of neighbouring letters in runs of Chinese, Japanese, Korean (or other
    unspaced) script: `翻译员` gives `翻译`, `译员`. Two-character words are the commonest
    Chinese search, and too short for a trigram index."""
    found: dict[str, None] = {}
    for run in _UNSPACED_RUN.findall(unicodedata.normalize("NFC", text)):
        for start in range(len(run) - 1):
            pair = run[start:start + 2]
            if is_bigram(pair):
                found.setdefault(pair, None)
    return list(found)


def _raw_words(text: str) -> list[str]:
    """Words split on anything that is not a letter, digit or mark (apostrophes and ZWNJ
    included: `l'avocat` and `کتاب‌ها` are two words each)."""
    return _WORD.findall(unicodedata.normalize("NFC", text))


@lru_cache(maxsize=200_000)
def _normalized(word: str) -> tuple[str, ...]:
    word = _drop_tanween_alef(unicodedata.normalize("NFC", word))
    folded = "".join(_fold_char(_digit(c)) for c in word)
    return tuple(part[:MAX_TOKEN_CHARS] for part in folded.split())


def normalize_word(word: str) -> list[str]:
    """A word in the form it is indexed and looked up in: usually one token, none for a word
    of marks alone, more for a ligature that stands for several words."""
    return list(_normalized(word))


def _strip_article(word: str) -> str | None:
    """The word without ال (and a conjunction or preposition before it), or لل; None if none."""
    for lead in ("", *_CONJUNCTIONS):
        for prep in ("", *_PREPOSITIONS):
            prefix = lead + prep + _ARTICLE
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                return word[len(prefix):]
        prefix = lead + "لل"  # ل + ال, whose alef is not written
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix):]
    return None


def clitic_variants(word: str) -> list[str]:
    """Cached; see _clitic_variants."""
    return list(_clitic_variants(word))


@lru_cache(maxsize=200_000)
def _clitic_variants(word: str) -> tuple[str, ...]:
    """The forms of an Arabic-script word with its leading clitics taken off, longest first:
    `والاحتجاز` -> [`الاحتجاز`, `احتجاز`]; `بمحام` -> [`محام`]."""
    if not word or not is_arabic_letter(word[0]):
        return ()
    found: list[str] = []

    def add(form: str) -> None:
        if form != word and form not in found and len(form) >= 2:
            found.append(form)

    stems = [word]
    if word[0] in _CONJUNCTIONS and len(word) > 3:
        stems.append(word[1:])
    for stem in list(stems):
        if stem[0] in _PREPOSITIONS and len(stem) > 3:
            stems.append(stem[1:])
    for stem in stems:
        add(stem)
        bare = _strip_article(stem)
        if bare:
            add(bare)
    return tuple(sorted(found, key=len, reverse=True))


def query_form(token: str) -> str:
    """How a normalised typed word is looked up: without an article if it has one."""
    if is_arabic_letter(token[0]):
        return _strip_article(token) or token
    return token


def words(text: str) -> list[str]:
    """The normalised words of a text, in order (a word may split in two: `l'avocat`)."""
    return [token for raw in _raw_words(text) for token in _normalized(raw)]


def document(text: str, is_open: bool = False) -> str:
    """What the search index holds for a narrative: its words in order, then each clitic-less
    form of its Arabic-script words once (and OPEN_TOKEN for an open complaint), joined by
    SEPARATOR."""
    raws = _raw_words(text)
    tokens = [token for raw in raws for token in _normalized(raw)]
    extra: dict[str, None] = {}
    if _FATHATAN in text:
        for raw in raws:
            if _drop_tanween_alef(raw) != raw:  # `طويلاً` is also found typed without the mark
                typed = raw.replace(_FATHATAN, "")
                for token in _normalized(typed if typed.endswith(_ALEF) else typed + _ALEF)[-1:]:
                    extra.setdefault(token, None)
    for token in dict.fromkeys(tokens):
        if is_arabic_letter(token[0]):
            for variant in _clitic_variants(token):
                extra.setdefault(variant, None)
    for pair in bigrams(text):
        extra.setdefault(pair, None)
    if is_open:
        extra.setdefault(OPEN_TOKEN, None)
    return SEPARATOR.join([*tokens, *extra])


def document_terms(text: str) -> set[str]:
    return set(document(text).split())


def query_words(terms: Iterable[str]) -> list[str]:
    """The distinct lookup forms of typed words (a word may give none, or split in two)."""
    found: dict[str, None] = {}
    for term in terms:
        for token in words(term):
            found.setdefault(query_form(token), None)
    found.pop(OPEN_TOKEN, None)
    return list(found)
