"""The README tells a newcomer what the first hour needs: another port for `make run`, and
how to run a management command by hand with the environment `make run` sets."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_names_port_and_manual_commands_as_make_run_sets_them():
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "PORT=8765 make run" in readme
    assert re.search(r"^PORT \?= 8000$", makefile, re.M)
    assert "runserver $(HOST):$(PORT)" in makefile
    # make run exports DEBUG=1; the README's hand-run commands set the same.
    assert re.search(r"^run: export DEBUG \?= 1$", makefile, re.M)
    assert "DEBUG=1 .venv/bin/python manage.py create_partner_key" in readme


def test_readme_documents_the_screenshot_folder_git_ignores():
    readme = (ROOT / "README.md").read_text()
    assert "tests/browser/artifacts/first-hour/" in readme
    assert "tests/browser/artifacts/" in (ROOT / ".gitignore").read_text()
