"""The production static build: vendored assets, hashed names, compression."""

import re

from tests.lootwatch.support import ROOT, manage, production_env

VENDOR = ROOT / "static" / "vendor"
MAP_REFERENCE = re.compile(r"[#@] sourceMappingURL=(\S+?)(?:\s*\*/)?\s*$", re.MULTILINE)


def test_every_vendored_source_map_reference_names_a_file_that_is_there():
    scanned = 0
    for path in VENDOR.rglob("*"):
        if path.suffix not in {".js", ".css"}:
            continue
        scanned += 1
        for name in MAP_REFERENCE.findall(path.read_text(encoding="utf-8", errors="replace")):
            assert (path.parent / name).is_file(), f"{path.relative_to(ROOT)} refers to {name}"
    assert scanned >= 7, "static/vendor/ lost its assets"


def test_collectstatic_succeeds_under_production_settings(tmp_path):
    result = manage(
        "collectstatic", "--no-input", **production_env(STATIC_ROOT=str(tmp_path / "static"))
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    # Hashed names for our own files and the vendored ones, and a compressed copy of each.
    hashed = re.search(
        r'"vendor/leaflet/leaflet\.js": "(vendor/leaflet/leaflet\.[0-9a-f]{12}\.js)"', manifest
    )
    assert hashed, manifest[:500]
    assert (tmp_path / "static" / (hashed.group(1) + ".gz")).is_file()
    assert re.search(r'"css/lootwatch\.css": "css/lootwatch\.[0-9a-f]{12}\.css"', manifest)


def test_the_vendoring_script_lists_every_vendored_file():
    """A file in static/vendor/ that the script does not copy would be lost at the next
    upgrade (or be a stale copy nobody can reproduce)."""
    script = (ROOT / "scripts" / "vendor-assets.sh").read_text()
    destinations = set(re.findall(r'^\s*"\S+\s+(\S+)"\s*$', script, re.MULTILINE))
    for path in VENDOR.rglob("*"):
        if not path.is_file() or path.name in {"README.md", "package.json"}:
            continue
        relative = path.relative_to(VENDOR)
        assert any(str(relative) == d or str(relative).startswith(d + "/") for d in destinations), (
            f"{relative} is not copied by scripts/vendor-assets.sh"
        )
