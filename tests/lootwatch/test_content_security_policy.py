"""The Content-Security-Policy is strict, and no template relies on what it refuses: no
inline script, style element, style attribute or event-handler attribute."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style\b|\sstyle=|\son[a-z]+=",
    re.IGNORECASE,
)


@pytest.mark.django_db
def test_the_policy_is_strict(client, settings):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(
        part.strip().partition(" ")[::2] for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    tiles = [settings.MAP_TILE_ORIGIN] if settings.MAP_TILE_ORIGIN else []
    assert directives["img-src"].split() == ["'self'", "data:", *tiles]
    assert directives["connect-src"] == "'self'"


def test_no_template_has_inline_code():
    offending = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in INLINE.finditer(path.read_text())
    ]
    assert offending == []


@pytest.mark.parametrize(
    ("tile_url", "img_src"),
    [
        ("", ["'self'", "data:"]),
        (
            "https://tiles.example.org/{z}/{x}/{y}.png",
            ["'self'", "data:", "https://tiles.example.org"],
        ),
    ],
)
def test_images_come_from_another_host_only_with_a_tile_server(tile_url, img_src):
    """With no MAP_TILE_URL the maps draw from this site alone, and the policy says so."""
    import json
    import os
    import subprocess
    import sys

    script = (
        "import json; from lootwatch import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
    )
    environment = {**os.environ, "DEBUG": "1", "MAP_TILE_URL": tile_url}
    output = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, check=True
    ).stdout
    directives = json.loads(output)
    assert directives["img-src"] == img_src
    assert directives["connect-src"] == ["'self'"]
