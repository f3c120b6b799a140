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
    assert directives["img-src"].split() == ["'self'", "data:", settings.MAP_TILE_ORIGIN]


def test_no_template_has_inline_code():
    offending = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in INLINE.finditer(path.read_text())
    ]
    assert offending == []
