"""The Ukrainian catalogue is complete, current and compiled: every string marked for
translation in the code and templates has a Ukrainian translation that is not fuzzy, the
catalogue holds no string the code no longer has, and the compiled .mo says the same.

The check regenerates the catalogue exactly as a developer would (``makemessages``, which
needs gettext's xgettext and msgmerge), in a copy of the sources, and reads both with polib.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "uk" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
# Every app in INSTALLED_APPS must be here, or makemessages cannot load the settings.
SOURCES = (
    "accounts",
    "claims",
    "exchange",
    "incidents",
    "lootwatch",
    "webhooks",
    "templates",
    "locale",
)


def describe(entries):
    return [entry.msgid[:80] for entry in entries][:20]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """The catalogue as makemessages makes it from the sources now, merged with ours."""
    copy = tmp_path_factory.mktemp("sources")
    for name in SOURCES:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    environment = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "lootwatch.settings"}
    environment.pop("PYTHONPATH", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "uk", "--domain", "django"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(copy / "locale" / "uk" / "LC_MESSAGES" / "django.po"))


def test_every_marked_string_has_a_ukrainian_translation(regenerated):
    missing = [entry for entry in regenerated if not entry.obsolete and not entry.translated()]
    assert describe(missing) == []


def test_no_translation_is_fuzzy(regenerated):
    fuzzy = [entry for entry in regenerated if "fuzzy" in entry.flags and not entry.obsolete]
    assert describe(fuzzy) == []
    assert describe(polib.pofile(str(CATALOGUE)).fuzzy_entries()) == []


def test_the_catalogue_holds_no_string_the_code_dropped(regenerated):
    stale = regenerated.obsolete_entries() + polib.pofile(str(CATALOGUE)).obsolete_entries()
    assert describe(stale) == []


def test_the_compiled_catalogue_matches(settings):
    assert COMPILED.exists(), "run `make messages` (compilemessages)"
    compiled = {(entry.msgctxt, entry.msgid): entry for entry in polib.mofile(str(COMPILED))}
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        found = compiled.get((entry.msgctxt, entry.msgid))
        assert found is not None, entry.msgid
        assert (found.msgstr, found.msgstr_plural) == (entry.msgstr, entry.msgstr_plural)
