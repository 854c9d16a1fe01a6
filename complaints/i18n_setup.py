"""Flask wiring for languages: the <locale> URL converter, Flask-Babel's locale selector and the
template helpers every page uses (current language, direction, picker links)."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, has_request_context, request, url_for
from flask_babel import format_date, format_datetime
from werkzeug.routing import BaseConverter

from complaints import PROJECT_ROOT, dates, i18n
from complaints.extensions import babel


class LocaleConverter(BaseConverter):
    """Matches `es`, `zh-hans`, `fa-af`… in URLs and hands views the Babel identifier."""

    regex = "(?:" + "|".join(sorted(i18n.BY_URL_CODE, key=len, reverse=True)) + ")"

    def to_python(self, value: str) -> str:
        return i18n.BY_URL_CODE[value].code

    def to_url(self, value: Any) -> str:
        return i18n.language(str(value)).url_code


def select_locale() -> str:
    """The URL's locale on public pages; Accept-Language for the API; English elsewhere."""
    if not has_request_context():
        return i18n.DEFAULT_LOCALE
    if g.get("locale"):
        return str(g.locale)
    first_segment = request.path.strip("/").split("/", 1)[0]
    lang = i18n.from_url_code(first_segment)
    if lang is not None:
        return lang.code
    if first_segment == "api" or request.path == "/":
        return i18n.negotiate(request.accept_languages.values())
    return i18n.DEFAULT_LOCALE


def current_language() -> i18n.Language:
    """Our Language for this request (not Babel's reading of it: Babel calls tl fil_PH)."""
    return i18n.language(select_locale())


def locale_url(code: str) -> str:
    """This page in another language (public pages), else that language's landing page."""
    endpoint = request.endpoint if has_request_context() else None
    if endpoint and request.view_args is not None and endpoint.startswith("public.") \
            and request.url_rule is not None and "locale" in request.url_rule.arguments:
        args = {k: v for k, v in request.view_args.items() if k != "locale"}
        return url_for(endpoint, locale=code, **args)
    return url_for("public.landing", locale=code)


def public_stylesheet(language: i18n.Language) -> str:
    """The one stylesheet of a public page in this language (built by `make assets`): the
    right-to-left bundle, a Chinese or Korean one with its own small font, or the plain one."""
    if language.extra_font:
        return f"vendor/bundles/public.{language.code}.css"
    return "vendor/bundles/public.rtl.css" if language.rtl else "vendor/bundles/public.css"


def _template_helpers() -> dict[str, Any]:
    language = current_language()
    return {
        "current_language": language,
        "public_stylesheet": public_stylesheet(language),
        "languages": i18n.LANGUAGES,
        "locale_url": locale_url,
        "format_date": format_date,
        "long_date": dates.long_date,
        "date_field_order": dates.field_order,
        "format_datetime": format_datetime,
    }


def init_app(app: Flask) -> None:
    app.url_map.converters["locale"] = LocaleConverter
    app.config.setdefault("BABEL_DEFAULT_LOCALE", i18n.DEFAULT_LOCALE)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(PROJECT_ROOT / "translations")
    babel.init_app(app, locale_selector=select_locale)
    app.context_processor(_template_helpers)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
