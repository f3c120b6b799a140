"""The Ukrainian catalogues are complete, current and compiled: every string marked for
translation in the code and templates (``django``) and in our own scripts (``djangojs``,
static/js/ without the vendored libraries) has a Ukrainian translation that is not fuzzy,
the catalogues hold no string the code no longer has, and the compiled .mo says the same.

The check regenerates the catalogues exactly as a developer would (``makemessages``, which
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
MESSAGES = ROOT / "locale" / "uk" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")
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
    "static/js",
)
# As the README's commands: the vendored libraries carry their own strings, not ours.
IGNORED = {
    "django": ["--ignore=static"],
    "djangojs": ["--ignore=static/vendor"],
}


def catalogue(domain):
    return MESSAGES / f"{domain}.po"


def describe(entries):
    return [entry.msgid[:80] for entry in entries][:20]


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """A copy of the sources with the catalogues as committed."""
    copy = tmp_path_factory.mktemp("sources")
    for name in SOURCES:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    return copy


@pytest.fixture(scope="module", params=DOMAINS)
def regenerated(request, sources):
    """The catalogue of one domain as makemessages makes it from the sources now, merged
    with ours; with the domain's name."""
    domain = request.param
    environment = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "lootwatch.settings"}
    environment.pop("PYTHONPATH", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "uk", "--domain", domain]
        + IGNORED[domain],
        cwd=sources,
        env=environment,
        check=True,
        capture_output=True,
    )
    return domain, polib.pofile(str(sources / "locale" / "uk" / "LC_MESSAGES" / f"{domain}.po"))


def test_every_marked_string_has_a_ukrainian_translation(regenerated):
    _, entries = regenerated
    missing = [entry for entry in entries if not entry.obsolete and not entry.translated()]
    assert describe(missing) == []


def test_no_translation_is_fuzzy(regenerated):
    domain, entries = regenerated
    fuzzy = [entry for entry in entries if "fuzzy" in entry.flags and not entry.obsolete]
    assert describe(fuzzy) == []
    assert describe(polib.pofile(str(catalogue(domain))).fuzzy_entries()) == []


def test_the_catalogue_holds_no_string_the_code_dropped(regenerated):
    domain, entries = regenerated
    stale = entries.obsolete_entries() + polib.pofile(str(catalogue(domain))).obsolete_entries()
    assert describe(stale) == []


def test_the_scripts_catalogue_has_the_map_status():
    """The djangojs domain really is read from static/js/: a string of map.js is in it."""
    msgids = {entry.msgid for entry in polib.pofile(str(catalogue("djangojs")))}
    assert "%s incident on the map." in msgids


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_matches(domain):
    compiled_path = catalogue(domain).with_suffix(".mo")
    assert compiled_path.exists(), "run `make messages` (compilemessages)"
    compiled = {(entry.msgctxt, entry.msgid): entry for entry in polib.mofile(str(compiled_path))}
    for entry in polib.pofile(str(catalogue(domain))).translated_entries():
        found = compiled.get((entry.msgctxt, entry.msgid))
        assert found is not None, entry.msgid
        assert (found.msgstr, found.msgstr_plural) == (entry.msgstr, entry.msgstr_plural)
