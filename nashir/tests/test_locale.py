"""The project's catalogues (locale/): compiled as written, and each override still overrides something.

The .mo files are committed so that a machine without GNU gettext serves them;
these tests read both sides with the standard library alone.
"""

import ast
import gettext
import re
from pathlib import Path

import django
import django_otp_webauthn
import pytest
import wagtail
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
SOURCES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
TEXT_BETWEEN_PLACEHOLDERS = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
# One n for each Arabic plural form (zero, one, two, few, many, other).
ARABIC_FORM_NUMBERS = [0, 1, 2, 3, 11, 100]


def read_po(path):
    """Entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr or msgstr[i]. Obsolete ones are skipped."""
    entries, entry, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line or line.startswith("#"):
            if not line and entry:
                entries.append(entry)
                entry = {}
            continue
        match = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")', line)
        if match:
            key = match[1]
            entry[key] = ast.literal_eval(match[2])
        else:
            entry[key] += ast.literal_eval(line)
    return [entry for entry in entries if entry.get("msgid")]


def catalogue_key(entry):
    msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
    return msgid


def test_there_are_catalogues_to_check():
    assert any(path.parts[-3] == "ar" and path.name == "django.po" for path in SOURCES)


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: str(path.relative_to(LOCALE_DIR)))
def test_the_compiled_catalogue_is_its_source(source):
    compiled = source.with_suffix(".mo")
    assert compiled.exists(), f"{compiled.name} is missing: run `make messages`"
    with compiled.open("rb") as file:
        translations = gettext.GNUTranslations(file)
    expected = {}
    for entry in read_po(source):
        key = catalogue_key(entry)
        if "msgid_plural" in entry:
            forms = sorted(k for k in entry if k.startswith("msgstr["))
            for index, form in enumerate(forms):
                expected[(key, index)] = entry[form]
        else:
            expected[key] = entry["msgstr"]
    # gettext keeps the catalogue as a dict keyed by msgid, or (msgid, form) for plurals.
    compiled_entries = {key: value for key, value in translations._catalog.items() if key != ""}
    assert compiled_entries == expected, f"{compiled.name} is out of date: run `make messages`"
    if source.parts[-3] == "ar":
        assert [translations.plural(n) for n in ARABIC_FORM_NUMBERS] == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: str(path.relative_to(LOCALE_DIR)))
def test_translations_use_only_the_placeholders_of_their_source(source):
    """A placeholder the code does not pass raises KeyError when the string is shown."""
    for entry in read_po(source):
        given = {a or b for a, b in PLACEHOLDER.findall(entry["msgid"] + entry.get("msgid_plural", ""))}
        for key, text in entry.items():
            if key.startswith("msgstr"):
                used = {a or b for a, b in PLACEHOLDER.findall(text)}
                assert used <= given, (entry["msgid"], key, used - given)


def _strings_of_installed_catalogues():
    strings = set()
    for package in (django, wagtail):
        for path in Path(package.__file__).parent.glob("**/locale/*/LC_MESSAGES/*.po"):
            if path.parts[-3] in ("ar", "en"):
                strings.update(catalogue_key(entry) for entry in read_po(path))
    # django-otp-webauthn has no Arabic or English catalogue; any of its others lists its strings.
    for path in Path(django_otp_webauthn.__file__).parent.glob("locale/de/LC_MESSAGES/*.po"):
        strings.update(catalogue_key(entry) for entry in read_po(path))
    return strings


def _project_sources():
    base = Path(settings.BASE_DIR)
    ignored = {".venv", "node_modules", "locale", "var", ".git"}
    for path in base.rglob("*"):
        if path.suffix in (".py", ".html") and not ignored & set(path.relative_to(base).parts):
            yield path.read_text(encoding="utf-8")


def _in_project_sources(msgid, sources):
    """Nashir's own strings are Arabic in the code: each run of text between placeholders is written there."""
    return all(
        any(part in source for source in sources) for part in TEXT_BETWEEN_PLACEHOLDERS.split(msgid) if part.strip()
    )


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: str(path.relative_to(LOCALE_DIR)))
def test_each_override_names_a_string_that_exists(source):
    """After an upgrade or an edit changes a string, its entry here would silently stop applying."""
    known = _strings_of_installed_catalogues()
    sources = list(_project_sources())
    unknown = [
        entry["msgid"]
        for entry in read_po(source)
        if catalogue_key(entry) not in known and not _in_project_sources(entry["msgid"], sources)
    ]
    assert not unknown
