"""Fault test: what partners and journalists see while the database is down for ~10 seconds.

Starts a throwaway PostgreSQL cluster of its own (initdb + pg_ctl from the PostgreSQL binaries,
on a spare loopback port, in a temporary directory: the machine's own cluster is never
touched), migrates it, loads the demo data, serves Lootwatch with scripts/serve.sh (gunicorn,
2 workers, production settings) on loopback, and runs a bounded load: a few threads asking for
API lists with a partner key and the journalists' list page with a session. Then it stops the
database, waits, starts it again, and prints requests, 503s, other 5xx, connection errors and
the time the application took to recover. Everything it started is stopped at the end.

    .venv/bin/python scripts/fault_db_outage.py [--outage 10] [--threads 4] [--redis-url URL]

Not part of `make test`: it takes about 40 seconds and measures rather than asserts (it exits
non-zero only if the server answered anything but 200 and 503 with Retry-After, dropped a
connection, or never recovered). Also `make fault`.
"""

import argparse
import contextlib
import glob
import importlib.util
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def pg_bin(name):
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    for directory in reversed(candidates):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    found = shutil.which(name)
    if not found:
        sys.exit(f"{name} not found: install PostgreSQL's server binaries (postgresql-15)")
    return found


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster in a temporary directory, run by an unprivileged user (initdb
    refuses root: when run as root, the cluster belongs to the 'postgres' system user)."""

    def __init__(self, root):
        self.data = root / "pgdata"
        self.sockets = root / "sockets"
        self.log = root / "postgres.log"
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else None
        for path in (root, self.sockets):
            path.mkdir(exist_ok=True)
            if self.user:
                shutil.chown(path, user=self.user)

    def run(self, *args):
        subprocess.run(args, check=True, user=self.user, capture_output=True, cwd="/")  # noqa: S603

    def init(self):
        self.run(
            pg_bin("initdb"),
            "-D",
            str(self.data),
            "-U",
            "lootwatch",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def start(self):
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            pg_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.log),
            "-w",
            "start",
        )

    def stop(self):
        self.run(pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, name):
        return f"postgres://lootwatch@127.0.0.1:{self.port}/{name}"


def load_browser():
    spec = importlib.util.spec_from_file_location(
        "check_production", ROOT / "scripts" / "check_production.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Browser


def manage(env, *args):
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


class Load:
    """Threads that send requests until told to stop (or a hard cap), recording each."""

    def __init__(self, base, api_key, session_cookies, threads, cap):
        self.base, self.api_key, self.cookies = base, api_key, session_cookies
        self.threads, self.cap = threads, cap
        self.results = []  # (started, finished, kind, status)
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def one(self, path, headers):
        request = urllib.request.Request(  # noqa: S310 (loopback only)
            self.base + path, headers={"X-Forwarded-Proto": "https", **headers}
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            error.read()
            if error.code == 503 and not error.headers.get("Retry-After", "").isdigit():
                return "503 without Retry-After"
            return error.code
        except OSError:
            return "connection error"

    def worker(self, index):
        targets = [
            (
                "api",
                "/api/v1/incidents/?page_size=20",
                {"Authorization": f"Api-Key {self.api_key}"},
            ),
            ("api", "/api/v1/places/", {"Authorization": f"Api-Key {self.api_key}"}),
            ("page", "/incidents/", {"Cookie": self.cookies}),
        ]
        n = index
        while not self.stopping.is_set():
            kind, path, headers = targets[n % len(targets)]
            n += 1
            started = time.monotonic()
            status = self.one(path, headers)
            with self.lock:
                self.results.append((started, time.monotonic(), kind, status))
                if len(self.results) >= self.cap:
                    self.stopping.set()
            time.sleep(0.01)  # a steady load, not a flood

    def __enter__(self):
        self.pool = [threading.Thread(target=self.worker, args=(i,)) for i in range(self.threads)]
        for thread in self.pool:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.pool:
            thread.join()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage", type=float, default=10.0, help="seconds without database")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--before", type=float, default=5.0, help="seconds of load before")
    parser.add_argument("--after", type=float, default=10.0, help="seconds of load after")
    parser.add_argument("--cap", type=int, default=50_000, help="at most this many requests")
    parser.add_argument(
        "--redis-url", default="", help="use Redis for the cache (else the database)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lootwatch-fault-") as tmp:
        root = Path(tmp)
        # The cluster's owner (another user when run as root) must reach its directory.
        os.chmod(root, 0o755)  # noqa: S103
        cluster = Cluster(root / "cluster")
        cluster.init()
        cluster.start()
        gunicorn = None
        try:
            subprocess.run(  # noqa: S603
                [
                    pg_bin("createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(cluster.port),
                    "-U",
                    "lootwatch",
                    "lootwatch",
                ],
                check=True,
            )
            env = {
                **{
                    k: v
                    for k, v in os.environ.items()
                    if k not in ("DEBUG", "DATABASE_URL", "REDIS_URL")
                },
                "PATH": f"{Path(PYTHON).parent}{os.pathsep}{os.environ.get('PATH', '')}",
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(64),
                "ALLOWED_HOSTS": "127.0.0.1",
                "BEHIND_TLS_PROXY": "1",
                "DATABASE_URL": cluster.url("lootwatch"),
                "REDIS_URL": args.redis_url,
                "CACHE_KEY_PREFIX": f"lwfault-{secrets.token_hex(4)}",
                "API_PARTNER_RATE": "1000000/minute",
                "STATIC_ROOT": str(root / "static"),
                "MEDIA_ROOT": str(root / "media" / "public"),
                "PRIVATE_MEDIA_ROOT": str(root / "media" / "private"),
            }
            manage(env, "migrate", "--no-input")
            manage(env, "load_demo", "--no-accounts")
            manage(env, "collectstatic", "--no-input")
            api_key = manage(env, "create_partner_key", "Fault test desk").strip().splitlines()[-1]
            password = secrets.token_urlsafe(18)
            manage(
                {**env, "DJANGO_SUPERUSER_PASSWORD": password},
                "createsuperuser",
                "--no-input",
                "--username",
                "fault-editor",
                "--email",
                "fault@example.org",
            )

            port = free_port()
            log_path = root / "gunicorn.log"
            log = open(log_path, "wb")  # noqa: SIM115 (closed in finally)
            gunicorn = subprocess.Popen(  # noqa: S603
                [str(ROOT / "scripts" / "serve.sh")],
                cwd=ROOT,
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            base = f"http://127.0.0.1:{port}"
            Browser = load_browser()
            browser = Browser(base)
            for _ in range(100):
                with contextlib.suppress(OSError):
                    if browser.request("/healthz")[0] == 200:
                        break
                time.sleep(0.2)
            _, _, page = browser.request("/accounts/login/")
            token = (
                re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
            )
            host = f"127.0.0.1:{port}"
            browser.request(
                "/accounts/login/",
                data={
                    "username": "fault-editor",
                    "password": password,
                    "csrfmiddlewaretoken": token,
                },
                headers={"Origin": f"https://{host}", "Referer": f"https://{host}/accounts/login/"},
            )
            cookies = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())

            print(f"Load: {args.threads} threads on {base}; database on port {cluster.port}")
            with Load(base, api_key, cookies, args.threads, args.cap) as load:
                time.sleep(args.before)
                stop_at = time.monotonic()
                cluster.stop()
                stopped_at = time.monotonic()
                took = stopped_at - stop_at
                print(f"Database stopped ({took:.1f} s to stop); waiting {args.outage:.0f} s")
                time.sleep(args.outage)
                cluster.start()
                restarted_at = time.monotonic()
                print("Database started again")
                time.sleep(args.after)
            results = load.results
        finally:
            if gunicorn is not None:
                gunicorn.terminate()
                try:
                    gunicorn.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    gunicorn.kill()
                log.close()
            with contextlib.suppress(subprocess.CalledProcessError):
                cluster.stop()

        report(results, stop_at, restarted_at, log_path.read_text(errors="replace"))


def report(results, stop_at, restarted_at, log_text):
    statuses = Counter(status for *_, status in results)
    other_5xx = {s: n for s, n in statuses.items() if isinstance(s, int) and s >= 500 and s != 503}
    other = {s: n for s, n in statuses.items() if s not in (200, 503, "connection error")}
    other = {s: n for s, n in other.items() if s not in other_5xx}
    during = [r for r in results if stop_at <= r[0] < restarted_at]
    after = sorted((r for r in results if r[0] >= restarted_at), key=lambda r: r[0])
    first_ok = next((r[1] - restarted_at for r in after if r[3] == 200), None)
    failures_after = [r for r in after if r[3] != 200]
    recovered = (failures_after[-1][1] - restarted_at) if failures_after else 0.0
    slowest_503 = max((r[1] - r[0] for r in results if r[3] == 503), default=0.0)
    lines = [json.loads(line) for line in log_text.splitlines() if line.startswith("{")]
    warnings = sum(1 for line in lines if line.get("logger") == "lootwatch.outage")
    tracebacks = log_text.count("Traceback")

    rows = [
        ("requests", len(results)),
        ("  200", statuses.get(200, 0)),
        ("  503 (with Retry-After)", statuses.get(503, 0)),
        ("  other 5xx", f"{sum(other_5xx.values())} {other_5xx or ''}"),
        ("  connection errors", statuses.get("connection error", 0)),
        ("  other", f"{sum(other.values())} {other or ''}"),
        ("requests during the outage", f"{len(during)} {dict(Counter(r[3] for r in during))}"),
        ("slowest 503", f"{slowest_503 * 1000:.0f} ms"),
        ("first 200 after restart", f"{first_ok:.2f} s" if first_ok is not None else "never"),
        ("last failure after restart", f"{recovered:.2f} s"),
        ("log: outage warnings", warnings),
        ("log: tracebacks", tracebacks),
    ]
    print()
    for name, value in rows:
        print(f"{name:<30}{value}")
    bad = other_5xx or other or statuses.get("connection error") or first_ok is None
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
