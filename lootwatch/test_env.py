"""A pytest plugin (loaded with -p in pyproject.toml) that runs before Django is set up:
tests use the development defaults (SQLite, built-in secret key) unless the environment
says otherwise. CI sets DATABASE_URL to a real PostgreSQL and REDIS_URL to a real Redis."""

import os
import uuid

os.environ.setdefault("DEBUG", "1")

# Tests clear the cache between them. With Redis, every test process (each pytest-xdist worker,
# of this run and of any other run against the same Redis) keeps its keys under a prefix of its
# own, and lootwatch.cache.RedisCache.clear() deletes only that prefix: parallel workers never
# wipe each other's throttle counts. (The database cache needs nothing: each worker has its own
# test database.)
os.environ["CACHE_KEY_PREFIX"] = (
    f"lwtest-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:12]}"
)
