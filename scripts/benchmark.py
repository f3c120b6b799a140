"""Measure how the busiest read paths scale: the partner API and the journalists' list.

Seeds a throw-away database with N published incidents (3 claims each, a route of two
places citing one of them, every other incident linked to the next), then times
in-process requests through Django's full stack (middleware, auth, serializers, SQL) and
counts their queries. Nothing here is asserted: it reports figures to compare over time.

    make bench                       # SQLite in a temporary file, 2,000 incidents
    DATABASE_URL=postgres://... BENCH_INCIDENTS=10000 make bench
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lootwatch.settings")
os.environ.setdefault("API_PARTNER_RATE", "1000000/minute")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from datetime import UTC, date, datetime, timedelta  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework_api_key.models import APIKey  # noqa: E402

from claims.models import Claim, Source  # noqa: E402
from incidents.models import (  # noqa: E402
    Incident,
    IncidentItem,
    IncidentLink,
    ItemCategory,
    Place,
    RoutePoint,
)

INCIDENTS = int(os.environ.get("BENCH_INCIDENTS", "2000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))


def seed():
    call_command("migrate", verbosity=0)
    if Incident.objects.count() >= INCIDENTS:
        return
    user, _ = get_user_model().objects.get_or_create(username="bench-journalist")
    user.groups.add(Group.objects.get(name="journalist"))
    places = Place.objects.bulk_create(
        Place(
            name=f"Bench place {i}",
            country="UA",
            latitude=46 + (i % 60) / 10,
            longitude=24 + (i % 140) / 10,
            precision="exact" if i % 5 == 0 else "settlement",
        )
        for i in range(200)
    )
    sources = Source.objects.bulk_create(
        Source(name=f"Bench source {i}", kind="media_outlet") for i in range(50)
    )
    categories = list(ItemCategory.objects.all())
    now = datetime.now(UTC)
    incidents = Incident.objects.bulk_create(
        Incident(
            title=f"Bench incident {i}: washing machines and cars taken",
            summary="Retreating troops loaded household appliances onto trucks.",
            place=places[i % len(places)],
            occurred_from=date(2022, 3, 1) + timedelta(days=i % 300),
            occurred_to=date(2022, 3, 3) + timedelta(days=i % 300),
            status="published",
            published_at=now,
            created_by=user,
        )
        for i in range(INCIDENTS)
    )
    IncidentItem.objects.bulk_create(
        IncidentItem(incident=incident, category=categories[i % len(categories)])
        for i, incident in enumerate(incidents)
    )
    claims = Claim.objects.bulk_create(
        Claim(
            incident=incident,
            source=sources[(i + k) % len(sources)],
            medium="press_report",
            url=f"https://news.example.org/{i}/{k}",
            language="en",
            original_text="Residents said soldiers took washing machines, cars and carpets.",
            status=("verified", "disputed", "unverified")[k],
            submitted_by=user,
        )
        for i, incident in enumerate(incidents)
        for k in range(3)
    )
    points = RoutePoint.objects.bulk_create(
        RoutePoint(incident=incident, position=position, place=places[(i * 7 + position) % 200])
        for i, incident in enumerate(incidents)
        for position in (1, 2)
    )
    RoutePoint.supporting_claims.through.objects.bulk_create(
        RoutePoint.supporting_claims.through(routepoint=point, claim=claims[i // 2 * 3])
        for i, point in enumerate(points)
    )
    IncidentLink.objects.bulk_create(
        IncidentLink(origin=incidents[i], destination=incidents[i + 1], kind="sold_at")
        for i in range(0, len(incidents) - 1, 2)
    )


def measure(client, url, **headers):
    timings, queries, status = [], 0, None
    for _ in range(REPEAT):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, **headers)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return status, statistics.median(timings), p95, queries


def main():
    seed()
    _, key = APIKey.objects.create_key(name="bench")
    partner = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    journalist = Client()
    journalist.force_login(get_user_model().objects.get(username="bench-journalist"))
    api = Client()
    cases = [
        (api, "/api/v1/incidents/?page_size=1", partner),
        (api, "/api/v1/incidents/?page_size=100", partner),
        (api, "/api/v1/incidents/?page_size=500", partner),
        (api, "/api/v1/incidents/?page_size=500&format=geojson", partner),
        (api, "/api/v1/incidents/?page_size=500&format=csv", partner),
        (api, "/api/v1/incidents/?q=washing&page_size=100", partner),
        (api, "/api/v1/incidents/?bbox=24,46,30,50&page_size=100", partner),
        (api, "/api/v1/incidents/?taken_to_country=UA&page_size=100", partner),
        (api, "/api/v1/claims/?page_size=500", partner),
        (journalist, "/incidents/", {}),
        (journalist, "/incidents/?q=washing", {}),
        (journalist, "/incidents/map.geojson", {}),
    ]
    print(f"{connection.vendor}, {Incident.objects.count()} incidents, {REPEAT} runs each")
    print(f"{'request':<55} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for client, url, headers in cases:
        status, median, p95, queries = measure(client, url, **headers)
        print(f"{url:<55} {status:>6} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
