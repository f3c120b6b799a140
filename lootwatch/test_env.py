"""A pytest plugin (loaded with -p in pyproject.toml) that runs before Django is set up:
tests use the development defaults (SQLite, built-in secret key) unless the environment
says otherwise. CI sets DATABASE_URL to a real PostgreSQL."""

import os

os.environ.setdefault("DEBUG", "1")
