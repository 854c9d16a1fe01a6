"""Supported locales, Accept-Language negotiation, text direction and URL locale codes.

A locale is written `zh_Hant` inside the app (Babel's identifier) and `zh-hant` in URLs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from babel.core import negotiate_locale


@dataclass(frozen=True)
class Language:
    code: str  # Babel identifier, e.g. "fa_AF"
    native_name: str  # the language named in itself, for the picker
    english_name: str
    rtl: bool = False

    @property
    def url_code(self) -> str:
        return self.code.replace("_", "-").lower()

    @property
    def html_lang(self) -> str:
        """BCP 47 tag for <html lang>."""
        return self.code.replace("_", "-")

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def extra_font(self) -> str | None:
        """A large font package loaded only on pages in this language (CJK)."""
        return _EXTRA_FONTS.get(self.code)


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English"),
    Language("es", "Español", "Spanish"),
    Language("zh_Hans", "简体中文", "Chinese (Simplified)"),
    Language("zh_Hant", "繁體中文", "Chinese (Traditional)"),
    Language("vi", "Tiếng Việt", "Vietnamese"),
    Language("ko", "한국어", "Korean"),
    Language("tl", "Tagalog", "Tagalog"),
    Language("ar", "العربية", "Arabic", rtl=True),
    Language("ht", "Kreyòl ayisyen", "Haitian Creole"),
    Language("fr", "Français", "French"),
    Language("pt", "Português", "Portuguese"),
    Language("ru", "Русский", "Russian"),
    Language("so", "Soomaali", "Somali"),
    Language("uk", "Українська", "Ukrainian"),
    Language("fa_AF", "دری", "Dari", rtl=True),
    Language("ps", "پښتو", "Pashto", rtl=True),
)
DEFAULT_LOCALE = "en"
_EXTRA_FONTS = {"zh_Hans": "noto-sans-sc", "zh_Hant": "noto-sans-tc", "ko": "noto-sans-kr"}
LOCALE_CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
BY_CODE: dict[str, Language] = {lang.code: lang for lang in LANGUAGES}
BY_URL_CODE: dict[str, Language] = {lang.url_code: lang for lang in LANGUAGES}

# Browser tags that name one of our languages another way (keys lower case, "-" separated).
_ALIASES = {
    "zh": "zh_Hans", "zh-cn": "zh_Hans", "zh-sg": "zh_Hans", "zh-my": "zh_Hans",
    "zh-hans-cn": "zh_Hans", "zh-hans-sg": "zh_Hans",
    "zh-tw": "zh_Hant", "zh-hk": "zh_Hant", "zh-mo": "zh_Hant",
    "zh-hant-tw": "zh_Hant", "zh-hant-hk": "zh_Hant", "zh-hant-mo": "zh_Hant",
    "fa": "fa_AF", "fa-ir": "fa_AF", "prs": "fa_AF", "prs-af": "fa_AF",
    "fil": "tl", "fil-ph": "tl", "pt-br": "pt", "pt-pt": "pt",
}
_AVAILABLE = [lang.url_code for lang in LANGUAGES]


def language(code: str | None) -> Language:
    """The Language for a Babel identifier, falling back to English."""
    return BY_CODE.get(code or "", BY_CODE[DEFAULT_LOCALE])


def from_url_code(url_code: str) -> Language | None:
    return BY_URL_CODE.get(url_code.lower())


def normalize_locale(value: str | None) -> str | None:
    """Accept `fa_AF`, `fa-af`, `FA-AF`…; return the Babel identifier or None."""
    if not isinstance(value, str):
        return None
    lang = BY_URL_CODE.get(value.strip().replace("_", "-").lower())
    return lang.code if lang else None


def negotiate(preferred: Iterable[str]) -> str:
    """Pick our best locale for the browser's languages (best first); English if none fits."""
    tags = [tag.replace("_", "-") for tag in preferred if tag and tag != "*"]
    found = negotiate_locale(tags, _AVAILABLE, sep="-",
                             aliases={k: v.replace("_", "-").lower() for k, v in _ALIASES.items()})
    if found is None:
        return DEFAULT_LOCALE
    return normalize_locale(found) or _ALIASES.get(found.lower(), DEFAULT_LOCALE)
