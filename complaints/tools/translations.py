"""Translation workflow: extract a deterministic messages.pot, update catalogs, and check them.

`check` fails when messages.pot is stale, a catalog is incomplete or fuzzy, or a translation
drops or adds a placeholder or an HTML tag of its source.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

from complaints import PROJECT_ROOT
from complaints.i18n import DEFAULT_LOCALE, LOCALE_CODES

TRANSLATIONS = PROJECT_ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
STAFF_POT = TRANSLATIONS / "staff.pot"
KEYWORDS = ("_l", "N_")
STAFF_KEYWORDS = ("_l", "S_")
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\w*\}")
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


def _pybabel(*args: str) -> None:
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", *args], check=True,  # noqa: S603
                   cwd=PROJECT_ROOT)


def extract(output: Path = POT, staff: bool = False) -> None:
    """Write a .pot with no dates and no source locations, so it changes only with the text."""
    keywords = [arg for k in (STAFF_KEYWORDS if staff else KEYWORDS) for arg in ("-k", k)]
    config = "babel-staff.cfg" if staff else "babel.cfg"
    _pybabel("extract", "-F", str(TRANSLATIONS / config), *keywords,
             "--add-comments=Translators:", "--no-location", "--sort-output",
             "--project=complaints", "--copyright-holder=complaints contributors",
             "--msgid-bugs-address=", "-o", str(output), ".")
    text = output.read_text(encoding="utf-8")
    text = re.sub(r'^"POT-Creation-Date: .*\\n"\n', "", text, flags=re.MULTILINE)
    text = re.sub(r"^# Copyright \(C\) \d{4}", "# Copyright (C)", text, flags=re.MULTILINE)
    text = re.sub(r"^# FIRST AUTHOR <EMAIL@ADDRESS>, \d{4}\.", "# FIRST AUTHOR <EMAIL@ADDRESS>.",
                  text, flags=re.MULTILINE)
    text = re.sub(r"Generated-By: Babel [\d.]+", "Generated-By: Babel", text)
    output.write_text(text, encoding="utf-8")


def catalog_locales() -> list[str]:
    return [code for code in LOCALE_CODES if code != DEFAULT_LOCALE]


def update() -> None:
    """Create missing catalogs and merge new messages into every catalog."""
    for code in catalog_locales():
        po = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
        if po.exists():
            _pybabel("update", "--no-wrap", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", code,
                     "--ignore-obsolete", "--no-fuzzy-matching")
        else:
            _pybabel("init", "--no-wrap", "-i", str(POT), "-d", str(TRANSLATIONS), "-l",
                     code)
        _strip_dates(po)


def _strip_dates(po: Path) -> None:
    """Drop the header's timestamps so catalogs change only when their messages do."""
    text = po.read_text(encoding="utf-8")
    text = re.sub(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"\n', "", text,
                  flags=re.MULTILINE)
    text = re.sub(r"Generated-By: Babel [\d.]+", "Generated-By: Babel", text)
    po.write_text(text, encoding="utf-8")


# Babel reads some of our codes as another locale (tl is Filipino, fil_PH), and Flask-Babel looks
# for that locale's folder: compile those catalogs there too.
BABEL_ALIASES = {"tl": "fil"}


def compile_catalogs() -> None:
    """Build every .mo file (never committed), including the alias folders Babel looks in."""
    _pybabel("compile", "-d", str(TRANSLATIONS))
    for code, alias in BABEL_ALIASES.items():
        po = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
        target = TRANSLATIONS / alias / "LC_MESSAGES" / "messages.mo"
        if po.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            _pybabel("compile", "-i", str(po), "-o", str(target), "-l", code)


def _markers(text: str) -> tuple[list[str], list[str]]:
    return sorted(_PLACEHOLDER.findall(text) or []), sorted(_TAG.findall(text))


def _pot_is_current() -> list[str]:
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for pot, staff in ((POT, False), (STAFF_POT, True)):
            fresh = Path(tmp) / pot.name
            extract(fresh, staff=staff)
            if not pot.exists() or fresh.read_text(encoding="utf-8") != pot.read_text(
                    encoding="utf-8"):
                stale.append(f"translations/{pot.name} is stale: run `make translations`")
    return stale


def problems(require_complete: bool = True, only: str | None = None) -> list[str]:
    """Everything wrong with the catalogs (or one of them), one line each."""
    found = _pot_is_current() if only is None else []
    template_ids: set[str] = set()
    template = TRANSLATIONS / POT.name
    if template.exists():
        with template.open("rb") as handle:
            template_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle)
                            if m.id}
    for code in catalog_locales():
        if only is not None and code != only:
            continue
        po = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
        if not po.exists():
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        present = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
        for missing in sorted(template_ids - present):
            found.append(f"{code}: not in the catalog (run `make translations`): {missing[:60]!r}")
        for message in catalog:
            if not message.id:
                continue
            ident = message.id if isinstance(message.id, str) else message.id[0]
            if message.fuzzy:
                found.append(f"{code}: fuzzy: {ident[:60]!r}")
            sources = [message.id] if isinstance(message.id, str) else list(message.id)
            targets = [message.string] if isinstance(message.string, str) else list(
                message.string or ())
            if not all(targets):
                if require_complete:
                    found.append(f"{code}: untranslated: {ident[:60]!r}")
                continue
            expected_placeholders, expected_tags = _markers(sources[-1])
            for target in targets:
                placeholders, tags = _markers(target)
                # A plural form may leave the number out ("one minute", Arabic's dual), but
                # never invents one; a singular message keeps exactly its placeholders.
                fits = set(placeholders) <= set(expected_placeholders) if len(sources) > 1 \
                    else placeholders == expected_placeholders
                if not fits or tags != expected_tags:
                    found.append(f"{code}: placeholders or tags differ: {ident[:60]!r}")
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "extract":
        extract()
        extract(STAFF_POT, staff=True)
    elif command == "update":
        update()
    elif command == "compile":
        compile_catalogs()
    elif command == "check":
        issues = problems(only=argv[2] if len(argv) > 2 else None)
        for line in issues:
            print(line)
        if issues:
            return 1
        print(f"translations: {len(catalog_locales())} catalogs checked, messages.pot current")
    else:
        print(f"unknown command {command!r}: use extract, update, compile or check",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
