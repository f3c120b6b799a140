"""Settings, health endpoints and deployment files."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    # Only what a production process would see: no test-run variables (DEBUG, the browser
    # tests' DJANGO_ALLOW_ASYNC_UNSAFE) leak into the checked configuration.
    leaked = ("DEBUG", "SECRET_KEY", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in leaked}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def check_deploy(**env):
    """``check --deploy`` failing on warnings, under production settings and ``env``."""
    production = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "lootwatch.example.org",
    }
    return manage("check", "--deploy", "--fail-level", "WARNING", **production, **env)


def test_check_deploy_is_clean_under_production_settings():
    result = check_deploy(SITE_URL="https://lootwatch.example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("site_url", "warning"),
    [(None, "lootwatch.W001"), ("lootwatch.example.org", "lootwatch.W001"),
     ("http://lootwatch.example.org", "lootwatch.W002")],
)  # fmt: skip
def test_check_deploy_wants_an_absolute_https_site_url(site_url, warning):
    # Links in emails and in dataset releases (fixed once made) start with SITE_URL.
    result = check_deploy(**({"SITE_URL": site_url} if site_url else {}))
    assert result.returncode != 0
    assert warning in result.stderr + result.stdout


@pytest.mark.parametrize(
    "secret", ["", "development-only-not-secret", "django-insecure-" + "x" * 50, "short"]
)
def test_production_refuses_to_start_without_a_real_secret(secret):
    result = manage("check", DEBUG="0", SECRET_KEY=secret, ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_healthz_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_answers_when_migrated(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_methodology_page_defines_every_grade(client):
    response = client.get("/methodology/")
    assert response.status_code == 200
    for grade in ("unverified", "single_source", "corroborated", "contested", "disputed"):
        assert f'id="{grade}"' in response.text
