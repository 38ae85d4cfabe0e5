"""Both written standards are complete: every msgid of the source is in the nb and nn catalogues,
translated (not empty, not fuzzy), and compiled into the committed .mo files."""

import gettext
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from tests.conftest import CI

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("nb", "nn")
ENTRY = re.compile(r'((?:^#.*\n)*)^msgid ((?:".*"\n)+)(?:^msgid_plural ((?:".*"\n)+))?'
                   r'((?:^msgstr.*\n(?:".*"\n)*)+)', re.M)


def _text(block):
    return "".join(re.findall(r'^"(.*)"$', block or "", re.M))


def entries(lang, base=ROOT / "locale"):
    """(msgid, msgstrs, flags) of one .po file, the header left out."""
    source = (base / lang / "LC_MESSAGES" / "django.po").read_text()
    out = []
    for m in ENTRY.finditer(source + "\n"):
        msgid = _text(m.group(2))
        if not msgid:
            continue
        msgstrs = [_text(s) for s in re.split(r'^msgstr(?:\[\d\])? ', m.group(4), flags=re.M)[1:]]
        flags = " ".join(line for line in m.group(1).splitlines() if line.startswith("#,"))
        out.append((msgid, msgstrs, flags))
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_every_msgid_is_translated_and_not_fuzzy(lang):
    found = entries(lang)
    assert len(found) > 500
    untranslated = [msgid for msgid, msgstrs, _f in found if not all(msgstrs)]
    fuzzy = [msgid for msgid, _m, flags in found if "fuzzy" in flags]
    assert untranslated == [] and fuzzy == []


def test_nynorsk_differs_from_bokmaal_where_the_words_differ():
    nn = {msgid: msgstrs[0] for msgid, msgstrs, _f in entries("nn")}
    assert nn["Oversikt"] == "Oversyn"
    assert nn["Kommuner"] == "Kommunar"
    assert nn["Logg inn"] == "Logg inn"
    assert nn["Registrer vedtak"] == "Registrer vedtak"
    assert "ikkje" in nn["Du har ikke tilgang til denne kommunen."]


@pytest.mark.parametrize("lang", LANGS)
def test_committed_mo_files_hold_every_translation(lang):
    """The .mo files are committed (a machine without gettext still translates): they must match the .po."""
    with open(ROOT / "locale" / lang / "LC_MESSAGES" / "django.mo", "rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    missing = [msgid for msgid, msgstrs, _f in entries(lang)
               if msgid.replace('\\"', '"').replace("\\n", "\n") not in catalog
               and (msgid.replace('\\"', '"').replace("\\n", "\n"), 0) not in catalog]
    assert missing == []


SKIP = shutil.ignore_patterns(".venv", "node_modules", "staticfiles", "test-artifacts", ".git", "tests", "bench",
                              "*.csv", "*.topojson", "*.pyc", "__pycache__")


def test_no_source_string_is_missing_from_the_catalogues(tmp_path, monkeypatch):
    """Run makemessages on a scratch copy of the sources (it writes next to them): a new {% translate %}
    or gettext() string the catalogues lack fails here until `makemessages -l nb -l nn` is run and
    the string translated in both."""
    if shutil.which("xgettext") is None:
        message = "gettext (xgettext) er ikke installert. Installer med: sudo apt-get install gettext"
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=list(LANGS), verbosity=0, no_obsolete=True)
    for lang in LANGS:
        fresh = {msgid for msgid, _m, _f in entries(lang, copy / "locale")}
        committed = {msgid for msgid, msgstrs, flags in entries(lang) if all(msgstrs) and "fuzzy" not in flags}
        assert sorted(fresh - committed) == [], lang


@pytest.mark.parametrize("lang", LANGS)
def test_numbers_and_dates_the_norwegian_way(lang):
    from bosetting.templatetags.bosetting import tall

    with translation.override(lang):
        html = Template('{{ d|date:"SHORT_DATE_FORMAT" }} {{ d|date }} {{ aar }}').render(
            Context({"d": date(2014, 11, 24), "aar": 2026}))
    assert html == "24.11.2014 24. november 2014 2026"
    assert tall(1133834) == "1\u00a0133\u00a0834"


# The names makemessages (xgettext) extracts; a string marked with any other alias never reaches a catalogue.
KEYWORDS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
            "npgettext", "npgettext_lazy", "gettext_noop"}


def test_translation_functions_are_imported_under_names_makemessages_extracts():
    aliased = re.compile(r"from django\.utils\.translation import .*\b(\w*gettext\w*) as (\w+)")
    wrong = []
    for path in ROOT.rglob("*.py"):
        if {".venv", "node_modules", "staticfiles", ".git"} & set(path.relative_to(ROOT).parts):
            continue
        for line in path.read_text().splitlines():
            m = aliased.search(line)
            if m and m.group(2) not in KEYWORDS:
                wrong.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
    assert wrong == []
