"""Helpers for the operations tests: management commands and gunicorn in subprocesses, under
the production configuration, against a database of their own."""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "scripts" / "serve.sh"

# Test-run variables that a production process would not see.
LEAKED = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_KEY_PREFIX")


def environment(**env):
    """The current environment less the test-run variables, plus ``env``; the virtual
    environment's ``bin`` first on PATH (scripts/serve.sh runs ``gunicorn``)."""
    result = {k: v for k, v in os.environ.items() if k not in LEAKED}
    result["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{result.get('PATH', '')}"
    result.update(env)
    return result


def production_env(**env):
    """Settings as on a newsroom server behind a TLS proxy (tests speak for the proxy by
    sending X-Forwarded-Proto: https, so SECURE_SSL_REDIRECT stays on)."""
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://lootwatch.example.org",
        "BEHIND_TLS_PROXY": "1",
        "CACHE_KEY_PREFIX": f"lwtest-{uuid.uuid4().hex[:12]}",
        **env,
    }


def manage(*args, timeout=180, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def suite_database_url():
    return os.environ.get("DATABASE_URL", "")


def on_postgresql():
    return suite_database_url().startswith(("postgres://", "postgresql://"))


@contextlib.contextmanager
def throwaway_database(tmp_path):
    """Yield the DATABASE_URL of a new, empty database on the suite's server (PostgreSQL when
    DATABASE_URL names one, else an SQLite file), dropped afterwards. Its name starts with
    the suite database's name, so it never collides with anything outside this run."""
    url = suite_database_url()
    if not on_postgresql():
        tmp_path.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{tmp_path / f'db-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(url)
    base = parts.path.lstrip("/") or "lootwatch"
    name = f"{base[:40]}_tmp_{uuid.uuid4().hex[:10]}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def request(url, *, headers=None, data=None, method=None, timeout=10):
    """Return (status, headers, body) of a request; HTTP errors are answers, not exceptions."""
    req = urllib.request.Request(  # noqa: S310 (tests call loopback http URLs only)
        url,
        data=data,
        method=method,
        headers={"X-Forwarded-Proto": "https", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 (loopback)
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@contextlib.contextmanager
def gunicorn(env, log_path, *, workers=2):
    """Run scripts/serve.sh (the command the Dockerfile and compose run) on a free loopback
    port; yield its base URL; stop it afterwards."""
    port = free_port()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(SERVE)],
            cwd=ROOT,
            env=environment(
                **{"GAZETTEER_PRELOAD": "0", **env},
                GUNICORN_BIND=f"127.0.0.1:{port}",
                WEB_CONCURRENCY=str(workers),
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{Path(log_path).read_text()}")
            try:
                if request(f"{base}/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer:\n{Path(log_path).read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
