"""The shared cache when REDIS_URL is set: Django's own Redis backend, with a ``clear()`` that
removes only this installation's keys."""

import re

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

# Redis MATCH patterns are globs: a literal prefix must not be read as one.
GLOB_SPECIALS = re.compile(r"([\\*?\[\]])")
DELETE_BATCH = 500


class RedisCache(DjangoRedisCache):
    """Django's Redis cache, except that ``clear()`` deletes the keys under ``KEY_PREFIX`` only.

    Django's backend empties the whole Redis database (FLUSHDB), which would also wipe any other
    application's data sharing it and, in the tests, the throttle counts of a parallel test
    worker. Each worker and each test run has its own prefix (lootwatch/test_env.py), so their
    ``clear()`` calls never touch each other.
    """

    def clear(self):
        if not self.key_prefix:
            return super().clear()
        client = self._cache.get_client(None, write=True)
        pattern = GLOB_SPECIALS.sub(r"\\\1", self.key_prefix) + ":*"
        batch = []
        for key in client.scan_iter(match=pattern, count=DELETE_BATCH):
            batch.append(key)
            if len(batch) >= DELETE_BATCH:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
        return True
