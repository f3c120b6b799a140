"""PostgreSQL's connection options: JIT off and a short connect timeout by default, and
what DATABASE_URL itself says (its connect_timeout, its options) kept."""

import json
import os
import subprocess
import sys

from django.conf import settings

SHOW = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
)


def options(url, show=SHOW, **extra):
    """The database settings (the OPTIONS, or what ``show`` prints) as a process started
    with DATABASE_URL ``url`` and the ``extra`` environment (None: unset) reads them."""
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "lootwatch.settings"
    for name, value in extra.items():
        env.pop(name, None)
        if value is not None:
            env[name] = value
    out = subprocess.run(
        [sys.executable, "-c", show],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_defaults():
    found = options("postgres://u@127.0.0.1:5432/db")
    assert found["connect_timeout"] == 5
    assert "-c jit=off" in found["options"]


def test_the_urls_own_options_are_kept():
    found = options(
        "postgres://u@127.0.0.1:5432/db?connect_timeout=15&options=-c%20statement_timeout%3D5000"
    )
    assert int(found["connect_timeout"]) == 15
    assert "-c statement_timeout=5000" in found["options"]
    assert "-c jit=off" in found["options"]


def test_a_transaction_pooler_turns_server_side_state_off():
    show = SHOW.replace("['OPTIONS']", "['DISABLE_SERVER_SIDE_CURSORS']")
    for value, expected in (("1", True), ("0", False), (None, False)):
        found = options("postgres://u@127.0.0.1:5432/db", show, DATABASE_TRANSACTION_POOLING=value)
        assert found is expected
