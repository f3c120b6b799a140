"""A bounded load against the production server: gunicorn with 2 sync workers on loopback
(scripts/serve.sh, production settings), driven by a small asyncio client that keeps a fixed
number of requests in flight for a fixed time. Reports requests per second, the median and
99th percentile latency, and errors (anything but a 200, or a dropped connection).

The client speaks plain HTTP/1.1 over asyncio streams, one connection per request as
gunicorn's sync workers close each one: no dependency beyond the standard library.
"""

import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port, *, workers=2):
    """Start gunicorn on 127.0.0.1:``port`` with production settings; return the process
    once /healthz answers."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "BEHIND_TLS_PROXY": "0",
        "CONN_MAX_AGE": "60",
        "API_PARTNER_RATE": "100000000/minute",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        # Threads per worker (lootwatch/gunicorn.conf.py): 1, gunicorn's sync worker, as
        # deployed; BENCH_THREADS=4 measures the threaded worker.
        "GUNICORN_THREADS": os.environ.get("BENCH_THREADS", "1"),
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}",
    }
    server = subprocess.Popen(  # noqa: S603 (our own script)
        [str(ROOT / "scripts" / "serve.sh")], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def stop_server(server):
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


async def _get(port, path, key):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Api-Key {key}\r\n"
        "Connection: close\r\n\r\n"
    )
    writer.write(request.encode())
    await writer.drain()
    response = await reader.read()
    writer.close()
    return int(response.split(b" ", 2)[1])


async def _run(port, path, key, *, concurrency, seconds):
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds

    async def worker():
        nonlocal errors
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(_get(port, path, key), timeout=30)
            except (OSError, TimeoutError, ValueError, IndexError):
                status = None
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200:
                errors += 1

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, errors, time.monotonic() - started


def load(path, key, *, concurrency=8, seconds=20):
    """Serve with gunicorn, send ``path`` (with the partner ``key``) from ``concurrency``
    clients for ``seconds``; return a dict of the figures."""
    # BENCH_PORT: a port of one's own on a shared machine; else any free one.
    port = int(os.environ.get("BENCH_PORT") or 0) or free_port()
    server = start_server(port)
    try:
        load_before = os.getloadavg()[0]
        client_cpu = time.process_time()
        latencies, errors, elapsed = asyncio.run(
            _run(port, path, key, concurrency=concurrency, seconds=seconds)
        )
        # The client's own share of the two cores: it must not be the bottleneck.
        client_cpu = time.process_time() - client_cpu
        # The 1-minute load average, before and at the end: the machine may be shared.
        load_average = (load_before, os.getloadavg()[0])
    finally:
        stop_server(server)
    latencies.sort()
    return {
        "path": path,
        "requests": len(latencies),
        "errors": errors,
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else 0,
        "concurrency": concurrency,
        "load_average": load_average,
        "client_cpu_ms": 1000 * client_cpu / max(len(latencies), 1),
        "client_cpu_share": client_cpu / elapsed,
        "threads": int(os.environ.get("BENCH_THREADS", "1")),
    }
