"""Incident and claim filters: each alone, in combination, and with bad values."""

import datetime

import pytest
from django.utils import timezone

from claims import services as claim_services
from incidents.models import ItemCategory
from tests.factories import ActorFactory, ClaimFactory, IncidentItemFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def titles(client, query, path="/api/v1/incidents/"):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200, response.content
    return sorted(item.get("title") or item["id"] for item in response.json()["results"])


@pytest.fixture
def kyiv_and_narowlya(publish):
    """Two published incidents that differ in every filtered respect."""
    kyiv = publish(
        title="Kyiv",
        summary="Washing machines taken from homes.",
        place=PlaceFactory(
            name="Bucha", country="UA", latitude="50.543", longitude="30.212", precision="exact"
        ),
        occurred_from=datetime.date(2022, 3, 1),
        occurred_to=datetime.date(2022, 3, 30),
        claims=[("verified", {"medium": "tweet", "original_text": "Troops took carpets."})],
    )
    narowlya = publish(
        title="Narowlya",
        summary="A market for stolen goods.",
        place=PlaceFactory(name="Narowlya", country="BY", latitude="51.8", longitude="29.5"),
        occurred_from=datetime.date(2022, 4, 1),
        occurred_to=datetime.date(2022, 4, 2),
        claims=[("disputed", {"medium": "press_report", "original_text": "Market opened."})],
    )
    kyiv.actors.add(ActorFactory(name="Tank army"))
    IncidentItemFactory(incident=kyiv, category=ItemCategory.objects.get(slug="cars"))
    IncidentItemFactory(
        incident=narowlya, category=ItemCategory.objects.get(slug="household-appliances")
    )
    return kyiv, narowlya


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Kyiv", "Narowlya"]),
        ("occurred_after=2022-03-31", ["Narowlya"]),
        ("occurred_after=2022-03-30", ["Kyiv", "Narowlya"]),
        ("occurred_before=2022-03-31", ["Kyiv"]),
        ("occurred_after=2022-03-15&occurred_before=2022-03-16", ["Kyiv"]),
        ("country=BY", ["Narowlya"]),
        ("country=by", ["Narowlya"]),
        ("country=PL", []),
        ("claim_status=verified", ["Kyiv"]),
        ("claim_status=disputed", ["Narowlya"]),
        ("claim_status=unverified", []),
        ("medium=press_report", ["Narowlya"]),
        ("medium=tweet&claim_status=disputed", []),
        ("bbox=30,50,31,51", ["Kyiv"]),
        ("bbox=29,51,30,52", ["Narowlya"]),
        ("bbox=29,50,31,52", ["Kyiv", "Narowlya"]),
        ("bbox=-10,-10,0,0", []),
        ("q=washing", ["Kyiv"]),
        ("q=carpets", ["Kyiv"]),
        ("q=market", ["Narowlya"]),
        ("q=submarine", []),
        ("q=market&country=UA", []),
        ("updated_since=2000-01-01T00:00:00Z", ["Kyiv", "Narowlya"]),
        ("updated_since=2999-01-01T00:00:00Z", []),
        ("country=UA&claim_status=verified&occurred_before=2022-03-31&q=washing", ["Kyiv"]),
    ],
)
def test_incident_filters(partner_client, kyiv_and_narowlya, query, expected):
    assert titles(partner_client, query) == expected


def test_filter_by_place_and_actor_ids(partner_client, kyiv_and_narowlya):
    kyiv, narowlya = kyiv_and_narowlya
    actor = kyiv.actors.get()

    assert titles(partner_client, f"place={narowlya.place_id}") == ["Narowlya"]
    assert titles(partner_client, f"actor={actor.pk}") == ["Kyiv"]
    assert titles(partner_client, f"actor={actor.pk}&place={narowlya.place_id}") == []


def test_category_includes_its_subcategories(partner_client, kyiv_and_narowlya):
    cars = ItemCategory.objects.get(slug="cars")
    assert cars.parent is not None

    assert titles(partner_client, "category=cars") == ["Kyiv"]
    assert titles(partner_client, f"category={cars.parent.slug}") == ["Kyiv"]
    assert titles(partner_client, "category=household-appliances") == ["Narowlya"]


def test_bbox_matches_the_published_rounded_location_not_the_exact_one(
    partner_client, kyiv_and_narowlya
):
    # Bucha's exact longitude is 30.212, published as 30.21: a box that contains only the
    # exact point must not find it, or shrinking boxes would reveal the home.
    assert titles(partner_client, "bbox=30.2115,50.5425,30.2125,50.5435") == []
    assert titles(partner_client, "bbox=30.205,50.535,30.215,50.545") == ["Kyiv"]


def test_q_ignores_withdrawn_claims(partner_client, kyiv_and_narowlya, editor):
    kyiv, _ = kyiv_and_narowlya
    # Verified: an unverified claim added after publication waits for an editor, unseen.
    claim = ClaimFactory(incident=kyiv, original_text="The neighbour Olena saw everything.")
    claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Ok.")
    assert titles(partner_client, "q=Olena") == ["Kyiv"]

    claim_services.withdraw_claim(claim=claim, editor=editor, reason="Names a witness.")

    assert titles(partner_client, "q=Olena") == []


def test_claim_status_filter_ignores_withdrawn_claims(partner_client, kyiv_and_narowlya, editor):
    _, narowlya = kyiv_and_narowlya
    claim_services.withdraw_claim(
        claim=narowlya.claims.get(), editor=editor, reason="Misattributed."
    )

    assert titles(partner_client, "claim_status=disputed") == []


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("occurred_after=2022-13-01", "occurred_after"),
        ("occurred_before=yesterday", "occurred_before"),
        ("occurred_after=2022-05-01&occurred_before=2022-04-01", "occurred_before"),
        ("occurred_after=01/05/2022", "occurred_after"),
        ("updated_since=not-a-time", "updated_since"),
        ("country=Ukraine", "country"),
        ("country=U1", "country"),
        ("place=abc", "place"),
        ("place=99999999999999999999999", "place"),
        ("place=", "place"),
        ("actor=-1", "actor"),
        ("category=space ships", "category"),
        ("country=", "country"),
        ("claim_status=probable", "claim_status"),
        ("medium=pigeon", "medium"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=31,50,30,51", "bbox"),
        ("bbox=0,95,1,96", "bbox"),
        ("bbox=nan,1,2,3", "bbox"),
        ("bbox=Infinity,1,2,3", "bbox"),
        ("bbox=1e999,1,2,3", "bbox"),
        ("q=" + "x" * 201, "q"),
        ("q=%00", "q"),
        ("ordering=title", "ordering"),
        ("ordering=-pk", "ordering"),
        ("page_size=0", "page_size"),
        ("page_size=501", "page_size"),
        ("page_size=ten", "page_size"),
        ("cursor=garbage", "cursor"),
        ("format=xml", "format"),
        ("colour=red", "colour"),
        ("since=2022-01-01", "since"),
        ("country=UA&country=BY", "country"),
    ],
)
def test_bad_incident_parameters_are_400_naming_the_parameter(
    partner_client, kyiv_and_narowlya, query, parameter
):
    response = partner_client.get(f"/api/v1/incidents/?{query}")

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert parameter in body["errors"]
    assert parameter in body["detail"]


def test_a_place_only_drafts_use_matches_nothing_like_an_unknown_one(partner_client, journalist):
    from tests.factories import IncidentFactory

    draft = IncidentFactory(created_by=journalist, status="draft")

    hidden = partner_client.get(f"/api/v1/incidents/?place={draft.place_id}")
    unknown = partner_client.get("/api/v1/incidents/?place=999999")

    assert hidden.status_code == unknown.status_code == 200
    assert hidden.json()["results"] == unknown.json()["results"] == []


@pytest.mark.parametrize(
    "query", ["place=999999", "actor=999999", "category=spaceships", "source=999999"]
)
def test_unknown_ids_and_slugs_match_nothing(partner_client, kyiv_and_narowlya, query):
    path = "/api/v1/claims/" if query.startswith("source") else "/api/v1/incidents/"
    response = partner_client.get(f"{path}?{query}")
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("status=verified", 1),
        ("status=disputed", 1),
        ("medium=tweet", 1),
        ("language=en", 2),
        ("language=uk", 0),
        ("published_after=2022-04-01T00:00:00Z", 2),
        ("published_before=2022-04-01T00:00:00Z", 0),
        ("updated_since=2999-01-01T00:00:00Z", 0),
    ],
)
def test_claim_filters(partner_client, kyiv_and_narowlya, query, count):
    response = partner_client.get(f"/api/v1/claims/?{query}")

    assert response.status_code == 200
    assert len(response.json()["results"]) == count


def test_claims_of_one_incident_and_one_source(partner_client, kyiv_and_narowlya):
    kyiv, _ = kyiv_and_narowlya
    claim = kyiv.claims.get()

    by_incident = partner_client.get(f"/api/v1/claims/?incident={kyiv.public_id}").json()
    by_source = partner_client.get(f"/api/v1/claims/?source={claim.source_id}").json()

    assert [c["id"] for c in by_incident["results"]] == [str(claim.public_id)]
    assert [c["id"] for c in by_source["results"]] == [str(claim.public_id)]


@pytest.mark.parametrize(
    "query",
    [
        "status=maybe",
        "incident=not-a-uuid",
        "source=abc",
        "published_after=soon",
        "ordering=published_at",
        "q=anything",
        "status=verified&status=disputed",
    ],
)
def test_bad_claim_parameters_are_400(partner_client, kyiv_and_narowlya, query):
    response = partner_client.get(f"/api/v1/claims/?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["errors"]


def test_a_reversed_publication_range_is_400_as_for_incidents(partner_client, kyiv_and_narowlya):
    response = partner_client.get(
        "/api/v1/claims/?published_after=2022-05-01T00:00:00Z&published_before=2022-01-01T00:00:00Z"
    )
    assert response.status_code == 400
    [message] = response.json()["errors"]["published_before"]
    assert "earlier than published_after" in message and "no claim can match" in message


def test_reference_endpoints_filter_and_list_only_what_published_incidents_use(
    partner_client, kyiv_and_narowlya, journalist
):
    from tests.factories import IncidentFactory

    hidden = IncidentFactory(created_by=journalist, status="submitted")
    hidden.actors.add(ActorFactory(name="Named individual"))

    places = partner_client.get("/api/v1/places/").json()["results"]
    actors = partner_client.get("/api/v1/actors/").json()["results"]
    assert sorted(p["name"] for p in places) == ["Location withheld, Kyiv Oblast", "Narowlya"]
    assert [a["name"] for a in actors] == ["Tank army"]
    assert [
        p["name"] for p in partner_client.get("/api/v1/places/?country=BY").json()["results"]
    ] == ["Narowlya"]
    assert partner_client.get("/api/v1/actors/?kind=unit").json()["results"] == actors
    assert partner_client.get("/api/v1/actors/?kind=pmc").status_code == 400
    sources = partner_client.get("/api/v1/sources/?kind=media_outlet").json()["results"]
    assert len(sources) == 2
    assert set(sources[0]) == {"id", "name", "kind", "country", "url", "organisation"}
    categories = partner_client.get("/api/v1/categories/?page_size=500").json()["results"]
    assert {"slug": "cars", "name": "Cars", "parent": "vehicles", "description": ""} in [
        {**c, "description": ""} for c in categories
    ]


def test_staff_identities_never_appear_in_reference_data(partner_client, kyiv_and_narowlya):
    text = "".join(
        partner_client.get(path).content.decode()
        for path in ("/api/v1/places/", "/api/v1/actors/", "/api/v1/sources/", "/api/v1/claims/")
    )

    assert "jo-journalist" not in text and "ed-editor" not in text


def test_updated_since_accepts_a_naive_time_as_utc(partner_client, kyiv_and_narowlya):
    later = (timezone.now() + datetime.timedelta(hours=1)).replace(tzinfo=None)

    assert titles(partner_client, f"updated_since={later:%Y-%m-%dT%H:%M:%S}") == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/incidents/?updated_since=",
        "/api/v1/claims/?updated_since=",
        "/api/v1/claims/?published_after=",
        "/api/v1/deletions/?since=",
    ],
)
def test_odd_but_valid_offsets_and_the_ends_of_time_work(partner_client, path):
    # PostgreSQL refuses an offset of -21:00; in UTC the same moment is fine.
    assert partner_client.get(path + "0128-06-04T13:23:56-21:00").status_code == 200
    # One hour before the year 1 begins in UTC: as a bound, the beginning of time.
    response = partner_client.get(path + "0001-01-01T00:00:00%2B01:00")
    assert response.status_code == 200
