"""The benchmark at the size of a war (issue 11): `make bench`.

Generates N synthetic incidents once (BENCH_INCIDENTS, default 100,000; reused by later runs
on the same database), then times in-process requests through Django's full stack, in
interleaved rounds (every request once per round, BENCH_ROUNDS rounds, at least 10), beside
the floor (one hand-written SQL statement making the API page of 50 and of 500) and a peer
(a plain nested-serializer ModelViewSet). Prints median and p90 latency, SQL queries and
bytes per request; checks the plans of the partner requests for sequential scans over
incidents and claims; and runs a bounded load against gunicorn with 2 workers. Nothing is
asserted: figures go in bench/RESULTS.md.

    createdb lootwatch_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lootwatch_bench make bench
    ... BENCH_INCIDENTS=10000 BENCH_ROUNDS=10 BENCH_LOAD_SECONDS=20 make bench
    .venv/bin/python scripts/benchmark.py --plans bench/plans.md   # also write the plans
"""

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lootwatch.settings")
os.environ.setdefault("API_PARTNER_RATE", "100000000/minute")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Keep one connection, as a production worker does (CONN_MAX_AGE is 0 under DEBUG).
os.environ.setdefault("CONN_MAX_AGE", "60")

import django  # noqa: E402

django.setup()

from bench.cursors import deep_incident_cursor  # noqa: E402
from bench.data import ensure_data, journalist  # noqa: E402
from bench.floor import floor_page  # noqa: E402
from bench.load import load  # noqa: E402
from bench.peer import PeerClient  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework_api_key.models import APIKey  # noqa: E402

from bench import explain  # noqa: E402
from incidents.demo.vocabulary import RARE_WORD  # noqa: E402
from incidents.selectors import published_incidents  # noqa: E402

COMMON_WORD = "washing"
MISSING_WORD = "zzyzzyva"


def cases(partner, pages, peer, detail_url, cursor):
    """(name, client, url, headers) of every request timed; floor rows have no client."""
    api = "/api/v1/incidents/"
    key = {"HTTP_AUTHORIZATION": partner}
    return [
        ("API incidents, page 50", pages, f"{api}?page_size=50", key),
        ("floor, page 50 (one SQL statement)", None, 50, {}),
        ("floor, page 50, prepared (PREPARE once, then EXECUTE)", None, 50, {"prepared": True}),
        ("peer, page 50 (nested ModelViewSet)", peer, f"{api}?page_size=50", {}),
        ("API incidents, page 500", pages, f"{api}?page_size=500", key),
        ("floor, page 500 (one SQL statement)", None, 500, {}),
        ("peer, page 500 (nested ModelViewSet)", peer, f"{api}?page_size=500", {}),
        ("API page 500, GeoJSON", pages, f"{api}?page_size=500&format=geojson", key),
        ("API page 500, CSV", pages, f"{api}?page_size=500&format=csv", key),
        ("API deep cursor (50,000th), page 50", pages, f"{api}?page_size=50&cursor={cursor}", key),
        (
            "API filtered (country, category, claim status, dates)",
            pages,
            f"{api}?page_size=50&country=UA&category=vehicles&claim_status=verified"
            "&occurred_after=2022-06-01&occurred_before=2023-06-01",
            key,
        ),
        ("API bbox (Kyiv region)", pages, f"{api}?page_size=50&bbox=29.5,49.8,31.6,51.2", key),
        ("API assessment=corroborated", pages, f"{api}?page_size=50&assessment=corroborated", key),
        (f"API q={COMMON_WORD} (common)", pages, f"{api}?page_size=50&q={COMMON_WORD}", key),
        (f"API q={RARE_WORD} (rare)", pages, f"{api}?page_size=50&q={RARE_WORD}", key),
        ("API q (no match)", pages, f"{api}?page_size=50&q={MISSING_WORD}", key),
        ("API claims, page 500", pages, "/api/v1/claims/?page_size=500", key),
        ("API deletions since 2022", pages, "/api/v1/deletions/?since=2022-01-01", key),
        ("API incident detail", pages, detail_url, key),
        ("journalist list /incidents/", pages, "/incidents/", {"session": True}),
        ("journalist list with q", pages, f"/incidents/?q={COMMON_WORD}", {"session": True}),
        (
            "map data, country zoom",
            pages,
            "/incidents/map.geojson?bbox=22.1,44.3,40.2,52.4&zoom=6",
            {"session": True},
        ),
        (
            "map data, city zoom",
            pages,
            "/incidents/map.geojson?bbox=30.3,50.3,30.8,50.6&zoom=12",
            {"session": True},
        ),
        ("timeline", pages, "/incidents/timeline/", {"session": True}),
    ]


class Counter:
    """Counts the statements sent to the database (cheaper than capturing them)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def run_once(case, clients):
    _, client, url, headers = case
    counter = Counter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        if client is None:
            body, status = floor_page(url, prepared=bool(headers.get("prepared"))), 200
        else:
            chosen = clients["session"] if headers.get("session") else client
            response = chosen.get(url, **{k: v for k, v in headers.items() if k != "session"})
            body = (
                b"".join(response.streaming_content)
                if hasattr(response, "streaming_content")
                else response.content
            )
            status = response.status_code
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, counter.count, len(body), status


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--incidents", type=int, default=int(os.environ.get("BENCH_INCIDENTS", 100_000))
    )
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 10)))
    parser.add_argument(
        "--load-seconds", type=float, default=float(os.environ.get("BENCH_LOAD_SECONDS", 20))
    )
    parser.add_argument("--plans", help="Write the EXPLAIN (ANALYZE, BUFFERS) plans here.")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL (see --help).")

    total = ensure_data(args.incidents)
    _, key = APIKey.objects.create_key(name="benchmark")
    partner = f"Api-Key {key}"
    session = Client()
    session.force_login(journalist())
    clients = {"session": session}
    first = published_incidents().order_by("-occurred_from", "-public_id").first()
    detail = f"/api/v1/incidents/{first.public_id}/"
    todo = cases(partner, Client(), PeerClient(), detail, deep_incident_cursor(50_000))

    # Warm up (connections, caches, imports). A request slower than BENCH_SLOW_MS then is
    # timed in 3 rounds only, marked in the table: ten rounds of a 60 s page would take
    # the run past any patience, and 3 tell its order of magnitude well enough.
    slow = {
        case[0]
        for case in todo
        if run_once(case, clients)[0] > float(os.environ.get("BENCH_SLOW_MS", 5000))
    }
    # As lootwatch/wsgi.py does in every worker once the application is loaded.
    gc.freeze()
    results = {case[0]: [] for case in todo}
    for round_ in range(args.rounds):
        for case in todo:
            if case[0] not in slow or round_ < 3:
                results[case[0]].append(run_once(case, clients))

    print(f"## {total:,} incidents, {args.rounds} interleaved rounds, in-process\n")
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, ")
    print(f"PostgreSQL {connection.pg_version // 10000}, load average {os.getloadavg()[0]:.1f}\n")
    print("| request | status | median ms | p90 ms | queries | bytes |")
    print("|---|---|---|---|---|---|")
    medians = {}
    for name, runs in results.items():
        times = [run[0] for run in runs]
        medians[name] = statistics.median(times)
        _, queries, size, status = runs[-1]
        mark = f" ({len(runs)} rounds: slow)" if name in slow else ""
        print(
            f"| {name}{mark} | {status} | {medians[name]:,.1f} | {percentile(times, 0.9):,.1f} "
            f"| {queries} | {size:,} |"
        )
    print()
    for size in (50, 500):
        floor = medians[f"floor, page {size} (one SQL statement)"]
        ours = medians[f"API incidents, page {size}"] / floor
        peer = medians[f"peer, page {size} (nested ModelViewSet)"] / floor
        print(f"- page {size}: ours / floor = **{ours:.2f}×**, peer / floor = {peer:.2f}×")
    prepared = medians["floor, page 50, prepared (PREPARE once, then EXECUTE)"]
    ours = medians["API incidents, page 50"] / prepared
    print(f"- page 50 against the floor prepared too (no planning): ours / floor = {ours:.2f}×")

    print("\n### Sequential scans over incidents or claims (EXPLAIN)\n")
    headers = {"HTTP_AUTHORIZATION": partner}
    for name, client, url, case_headers in todo:
        if client is None or isinstance(client, PeerClient):
            continue
        chosen = session if case_headers.get("session") else client
        plans = explain.request_plans(chosen, url, **({} if chosen is session else headers))
        scans = explain.sequential_scans(plans)
        print(f"- {name}: {', '.join(scans) if scans else 'none'}")
    if args.plans:
        explain.write_plans(
            args.plans,
            Client(),
            [
                url
                for _, client, url, _ in todo
                if client is not None
                and not isinstance(client, PeerClient)
                and str(url).startswith("/api/")
            ],
            **headers,
        )

    if args.load_seconds > 0:
        figures = load("/api/v1/incidents/?page_size=50", key, seconds=args.load_seconds)
        print(
            f"\n### Load: gunicorn, 2 workers × {figures['threads']} thread(s), "
            f"{figures['concurrency']} clients, "
            f"{figures['seconds']:.0f} s, `{figures['path']}`\n\n"
            f"{figures['requests']:,} requests, **{figures['rps']:.1f} requests/s**, "
            f"p50 {figures['p50']:.0f} ms, p99 {figures['p99']:.0f} ms, "
            f"errors {figures['errors']}; load average (1 min) "
            f"{figures['load_average'][0]:.1f} before, "
            f"{figures['load_average'][1]:.1f} at the end; "
            f"the client's own CPU {figures['client_cpu_ms']:.1f} ms per request "
            f"({100 * figures['client_cpu_share']:.0f}% of one core)"
        )


if __name__ == "__main__":
    main()
