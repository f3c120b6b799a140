"""Where synthetic goods went, for benchmarks: about one incident in five has a route of one
to three places, most often ending across the border in Russia or Belarus, each point citing
a claim of its incident; and a few incidents are linked to others as where their goods were
sold, stored or carried. Written in bulk like the rest of incidents.demo.synthetic."""

from incidents.gazetteer import region_code
from incidents.models import IncidentLink, LinkKind, Place, RoutePoint

# Where looted goods are reported to end up: (name, country, region, latitude, longitude).
DESTINATIONS = [
    ("Belgorod", "RU", "Belgorod Oblast", 50.5954, 36.5873),
    ("Kursk", "RU", "Kursk Oblast", 51.7304, 36.1926),
    ("Bryansk", "RU", "Bryansk Oblast", 53.2434, 34.3642),
    ("Rostov-on-Don", "RU", "Rostov Oblast", 47.2357, 39.7015),
    ("Grozny", "RU", "Chechen Republic", 43.3178, 45.6949),
    ("Mazyr", "BY", "Gomel Region", 52.0495, 29.2456),
    ("Narowlya", "BY", "Gomel Region", 51.7994, 29.4992),
]
NOTES = [
    "Reported by the regional military administration",
    "Tracked by the owner's GPS",
    "Seen by a driver at the crossing",
    "Named in a Telegram post",
    "",
]


def make_routes_and_links(generator, incidents, claims):
    """Write the routes and links of ``incidents`` (``claims`` are theirs, already written)
    with ``generator``'s random numbers and writer; count them in ``generator.counts``."""
    random = generator.random
    destinations = generator.insert(
        Place,
        [
            Place(
                name=f"{name} (synthetic)",
                country=country,
                admin1=region,
                admin1_code=region_code(region, country=country),
                latitude=latitude,
                longitude=longitude,
                precision="settlement",
            )
            for name, country, region, latitude, longitude in DESTINATIONS
        ],
        with_ids=True,
    )
    generator.counts.places += len(destinations)
    first_claim = {}
    for claim in claims:
        first_claim.setdefault(claim.incident_id, claim)

    points = []
    for incident in incidents:
        if random.random() >= 0.2:
            continue
        stops = random.sample(generator.places, random.choice((0, 1, 1, 2)))
        if not stops or random.random() < 0.7:
            stops.append(random.choice(destinations))
        points += [
            RoutePoint(incident=incident, position=position, place=place, note=random.choice(NOTES))
            for position, place in enumerate(stops, start=1)
        ]
    points = generator.insert(RoutePoint, points, with_ids=True)
    Supporting = RoutePoint.supporting_claims.through
    generator.insert(
        Supporting,
        [
            Supporting(routepoint_id=point.pk, claim_id=first_claim[point.incident_id].pk)
            for point in points
            if point.incident_id in first_claim
        ],
    )
    generator.counts.route_points = len(points)

    published = [incident for incident in incidents if incident.status == "published"]
    # A list, not a set: the order of the random choices below must not depend on hashes.
    pairs, linked = [], set()
    for _ in range(len(published) // 30 if len(published) >= 2 else 0):
        origin, destination = random.sample(published, 2)
        if {origin.pk, destination.pk} & linked:
            continue
        linked |= {origin.pk, destination.pk}
        pairs.append((origin, destination))
    links = generator.insert(
        IncidentLink,
        [
            IncidentLink(
                origin=origin, destination=destination, kind=random.choice(LinkKind.values)
            )
            for origin, destination in pairs
        ],
    )
    generator.counts.links = len(links)
