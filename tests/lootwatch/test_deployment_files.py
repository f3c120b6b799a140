"""docker-compose.yml, the Dockerfile and CI serve Lootwatch with one and the same command.

No Docker engine runs on the machines here, so compose itself cannot run in the tests: its
structure is checked instead, and CI runs the same serve command under gunicorn for real.
"""

import json
import re
import subprocess

import pytest
import yaml

from tests.lootwatch.support import ROOT, SERVE, environment, production_env

SERVE_COMMAND = ["scripts/serve.sh"]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def dockerfile_cmd():
    text = (ROOT / "Dockerfile").read_text()
    [cmd] = re.findall(r"^CMD (\[.*\])$", text, re.MULTILINE)
    return json.loads(cmd)


def test_compose_runs_postgres_redis_a_migrate_job_and_the_web_app(compose):
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker"}
    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    for name in ("db", "redis", "web"):
        assert services[name]["healthcheck"]["test"], f"{name} has no health check"
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert services["migrate"]["restart"] == "no"
    assert services["web"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_the_database_and_the_evidence_live_in_named_volumes(compose):
    assert set(compose["volumes"]) == {"db-data", "evidence"}
    assert "db-data:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    # MEDIA_ROOT and PRIVATE_MEDIA_ROOT default to /app/media/public and /app/media/private.
    assert "evidence:/app/media" in compose["services"]["web"]["volumes"]


def test_the_app_is_configured_for_production_and_shares_redis(compose):
    for name in ("migrate", "web", "worker"):
        env = compose["services"][name]["environment"]
        assert env["DEBUG"] == "0"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert env["DATABASE_URL"].startswith("postgres://lootwatch:${POSTGRES_PASSWORD")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert compose["services"][name]["image"] == "lootwatch:latest"


def test_compose_the_dockerfile_and_ci_serve_with_the_same_command(compose):
    assert compose["services"]["web"]["command"] == SERVE_COMMAND
    assert dockerfile_cmd() == SERVE_COMMAND
    assert "scripts/serve.sh" in (ROOT / ".ci" / "run").read_text()
    assert "lootwatch/gunicorn.conf.py" in SERVE.read_text()


def test_the_worker_runs_celery_from_the_same_image_after_migrations(compose):
    worker = compose["services"]["worker"]
    assert worker["image"] == compose["services"]["web"]["image"]
    assert worker["command"][:4] == ["celery", "-A", "lootwatch", "worker"]
    assert "--beat" in worker["command"]
    assert worker["depends_on"] == compose["services"]["web"]["depends_on"]
    assert "evidence:/app/media" in worker["volumes"]


def test_the_image_has_what_weasyprint_needs():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"):
        assert package in dockerfile
    assert "COPY webhooks ./webhooks" in dockerfile


def test_the_gunicorn_configuration_loads(tmp_path):
    result = subprocess.run(
        [
            "gunicorn",
            "--check-config",
            "--config",
            "lootwatch/gunicorn.conf.py",
            "lootwatch.wsgi:application",
        ],
        cwd=ROOT,
        env=environment(**production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_unprivileged_and_leaves_local_files_out():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "USER lootwatch" in dockerfile
    assert "postgresql-client" in dockerfile  # pg_dump/pg_restore for backup and restore
    ignored = (ROOT / ".dockerignore").read_text().split()
    for path in (".venv", "db.sqlite3*", "demo-accounts.txt", "media/", ".env"):
        assert path in ignored
