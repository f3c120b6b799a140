"""Two gunicorn workers count one partner's requests together.

The test steers requests to each worker in turn: a worker that has accepted a connection which
sends nothing stays busy reading it, so the next requests go to the other worker. Requests are
sent one at a time, so the figures are exact.
"""

import json
import os
import socket
import time

import pytest

from tests.lootwatch.support import (
    gunicorn,
    manage,
    production_env,
    request,
    throwaway_database,
)

RATE = 5


def cache_settings(kind):
    if kind == "database":
        return {"REDIS_URL": ""}
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        if os.environ.get("CI"):
            pytest.fail("CI must set REDIS_URL: the shared throttle is proven on Redis there")
        pytest.skip("REDIS_URL is not set")
    return {"REDIS_URL": redis_url}


def hold_a_worker(base):
    """Open a connection that sends nothing: the worker that accepts it waits on it."""
    host, port = base.removeprefix("http://").split(":")
    held = socket.create_connection((host, int(port)))
    time.sleep(0.5)  # let a worker accept it before the next request arrives
    return held


@pytest.mark.parametrize("kind", ["database", "redis"])
def test_two_workers_together_allow_only_the_configured_rate(tmp_path, kind):
    with throwaway_database(tmp_path) as database_url:
        env = production_env(
            DATABASE_URL=database_url,
            API_PARTNER_RATE=f"{RATE}/minute",
            STATIC_ROOT=str(tmp_path / "static"),
            **cache_settings(kind),
        )
        migrated = manage("migrate", "--no-input", **env)
        assert migrated.returncode == 0, migrated.stderr
        created = manage("create_partner_key", "Throttle test desk", **env)
        assert created.returncode == 0, created.stderr
        key = created.stdout.strip().splitlines()[-1]
        log = tmp_path / "gunicorn.log"

        with gunicorn(env, log, workers=2) as base:

            def call():
                return request(
                    f"{base}/api/v1/places/", headers={"Authorization": f"Api-Key {key}"}
                )

            first_worker_busy = hold_a_worker(base)
            early = [call() for _ in range(3)]  # answered by the second worker
            second_worker_busy = hold_a_worker(base)
            first_worker_busy.close()
            late = [call() for _ in range(7)]  # answered by the first worker
            second_worker_busy.close()

        statuses = [status for status, _, _ in early + late]
        assert statuses == [200] * RATE + [429] * (10 - RATE)
        for status, headers, body in early + late:
            if status == 429:
                assert int(headers["Retry-After"]) > 0
                assert "throttled" in json.loads(body)["detail"].lower()

        # Both workers answered: the second one refused after only two of its own requests,
        # which it could not have done counting alone.
        access = [
            json.loads(line)
            for line in log.read_text().splitlines()
            if line.startswith("{") and '"lootwatch.access"' in line and "/api/v1/places/" in line
        ]
        workers = [(entry["pid"], entry["status"]) for entry in access]
        assert len(workers) == 10
        early_pids = {pid for pid, _ in workers[:3]}
        late_pids = {pid for pid, _ in workers[3:]}
        assert len(early_pids) == 1 and len(late_pids) == 1 and early_pids != late_pids
        assert [status for _, status in workers[3:]] == [200, 200] + [429] * 5

        # The key itself is never written to the log, only its public prefix.
        text = log.read_text()
        assert key not in text
        assert key.partition(".")[2] not in text
        assert all(entry["api_key_prefix"] == key.partition(".")[0] for entry in access)
