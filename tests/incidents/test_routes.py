"""Where the goods went, through the services: a route logged and edited with its incident
(one history record and one version step per edit, the points keeping their own history),
the claims a point may cite, and links between incidents."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import services as claim_services
from claims.models import Claim
from incidents import services
from incidents.models import Incident, IncidentLink, LinkRole, Place, RoutePoint
from tests.factories import (
    ClaimFactory,
    IncidentFactory,
    PlaceFactory,
    SourceFactory,
    fresh,
    link,
    reference_editor,
    set_route,
)

pytestmark = pytest.mark.django_db


def point(place, **fields):
    claims = fields.pop("claims", ())
    return services.RoutePointSubmission(point=RoutePoint(place=place, **fields), claims=claims)


def claim_submission(url):
    return services.ClaimSubmission(
        claim=Claim(
            source=SourceFactory(),
            medium="tweet",
            url=url,
            language="en",
            original_text="The trucks went on to Chechnya.",
        )
    )


def test_log_an_incident_with_a_route_citing_its_claims(journalist):
    melitopol, zaporizhzhia = PlaceFactory(name="Melitopol"), PlaceFactory(name="Zaporizhzhia")
    incident = services.log_incident(
        logged_by=journalist,
        incident=Incident(title="Tractors", occurred_from="2022-04-01", occurred_to="2022-04-30"),
        place=melitopol,
        claims=[claim_submission("https://t.me/a/1"), claim_submission("https://t.me/a/2")],
        route=[
            point(zaporizhzhia, claims=[1]),
            services.RoutePointSubmission(
                point=RoutePoint(
                    date_from=datetime.date(2022, 4, 20),
                    date_to=datetime.date(2022, 4, 22),
                    note="Tracked by the dealer's GPS",
                ),
                new_place=Place(
                    name="Grozny",
                    country="RU",
                    latitude="43.3",
                    longitude="45.7",
                    precision="settlement",
                ),
                claims=[0, 1],
            ),
        ],
        submit=True,
    )

    first, second = incident.route_points.order_by("position")
    assert (first.position, first.place) == (1, zaporizhzhia)
    assert (second.position, second.place.name, second.note) == (
        2,
        "Grozny",
        "Tracked by the dealer's GPS",
    )
    assert second.place.history.get().history_user == journalist
    one, two = incident.claims.order_by("pk")
    assert list(first.supporting_claims.all()) == [two]
    assert set(second.supporting_claims.all()) == {one, two}
    # The incident has one history record, whatever it came with; each point its own.
    assert incident.history.count() == 1
    assert {
        (record.history_type, record.history_user, record.history_change_reason)
        for record in second.history.all()
    } == {
        ("+", journalist, "added"),
        ("~", journalist, "supporting claims cited"),
    }
    assert sorted(second.history.latest().supporting_claims.values_list("claim_id", flat=True)) == [
        one.pk,
        two.pk,
    ]


def test_an_edit_of_the_route_is_one_history_record_naming_it(journalist):
    incident = IncidentFactory(created_by=journalist)
    a, b, c = PlaceFactory(name="A"), PlaceFactory(name="B"), PlaceFactory(name="C")
    first, second = set_route(incident, a, b)
    incident.refresh_from_db()
    version = incident.version

    # Swap the two points (each moves) and add a third.
    first.note = "Seen at the depot"
    services.edit_incident(
        incident=incident,
        editor=fresh(journalist),
        expected_version=version,
        changes={},
        route=[
            services.RoutePointSubmission(point=RoutePoint.objects.get(pk=second.pk)),
            services.RoutePointSubmission(point=first),
            point(c),
        ],
    )

    incident.refresh_from_db()
    assert incident.version == version + 1
    record = incident.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        journalist,
        "route points: 1 added, 2 changed",
    )
    assert [
        (p.place.name, p.position, p.note) for p in incident.route_points.order_by("position")
    ] == [
        ("B", 1, ""),
        ("A", 2, "Seen at the depot"),
        ("C", 3, ""),
    ]
    assert first.history.latest().history_change_reason == "edited"


def test_an_edit_changing_nothing_writes_nothing(journalist):
    incident = IncidentFactory(created_by=journalist)
    [stored] = set_route(incident, PlaceFactory())
    incident.refresh_from_db()
    version, records = incident.version, RoutePoint.history.count()

    services.edit_incident(
        incident=incident,
        editor=fresh(journalist),
        expected_version=version,
        changes={},
        route=[services.RoutePointSubmission(point=stored)],
    )

    incident.refresh_from_db()
    assert (incident.version, RoutePoint.history.count()) == (version, records)


def test_a_route_point_cites_only_claims_of_its_own_incident(journalist):
    incident = IncidentFactory(created_by=journalist)
    own = ClaimFactory(incident=incident)
    elsewhere = ClaimFactory(incident=IncidentFactory(created_by=journalist))
    [stored] = set_route(incident, (PlaceFactory(), {"claims": [own]}))
    incident.refresh_from_db()
    version = incident.version

    with pytest.raises(services.SubmissionError) as refused:
        services.edit_incident(
            incident=incident,
            editor=fresh(journalist),
            expected_version=version,
            changes={},
            route=[
                point(PlaceFactory()),
                services.RoutePointSubmission(point=stored, claims=[own, elsewhere]),
            ],
        )

    assert refused.value.part == "route.1"
    assert refused.value.message_dict == {
        "supporting_claims": ["A route point can only cite claims of its incident."]
    }
    incident.refresh_from_db()
    assert incident.version == version
    assert list(incident.route_points.all()) == [stored]
    assert list(stored.supporting_claims.all()) == [own]


def test_logging_cites_claims_only_by_their_position_in_the_same_submission(journalist):
    with pytest.raises(services.SubmissionError) as refused:
        services.log_incident(
            logged_by=journalist,
            incident=Incident(title="T", occurred_from="2022-04-01", occurred_to="2022-04-02"),
            place=PlaceFactory(),
            claims=[claim_submission("https://t.me/a/1")],
            route=[point(PlaceFactory(), claims=[1])],
        )

    assert refused.value.part == "route.0"
    assert not Incident.objects.exists() and not Claim.objects.exists()


def test_a_withdrawn_claim_cannot_start_supporting_a_point(journalist, editor):
    incident = IncidentFactory(created_by=journalist)
    withdrawn = ClaimFactory(incident=incident)
    claim_services.withdraw_claim(claim=withdrawn, editor=editor, reason="Deleted post.")

    with pytest.raises(services.SubmissionError, match="withdrawn claim"):
        set_route(incident, (PlaceFactory(), {"claims": [withdrawn]}))
    assert not RoutePoint.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date_from": datetime.date(1899, 12, 31), "date_to": datetime.date(1900, 1, 2)}, "1900"),
        (
            {"date_from": datetime.date(2022, 4, 2), "date_to": datetime.date(2022, 4, 1)},
            "not before the start",
        ),
        ({"date_from": datetime.date(2022, 4, 2)}, "both ends"),
        ({"note": "x" * 501}, "at most 500"),
    ],
)
def test_a_point_with_impossible_dates_is_refused(journalist, fields, message):
    incident = IncidentFactory(created_by=journalist)

    with pytest.raises(services.SubmissionError, match=message) as refused:
        set_route(incident, (PlaceFactory(), fields))

    assert refused.value.part == "route.0"
    assert not RoutePoint.objects.exists()


def test_a_point_dated_in_the_future_is_refused(journalist):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(services.SubmissionError, match="in the future"):
        set_route(
            IncidentFactory(created_by=journalist),
            (PlaceFactory(), {"date_from": tomorrow, "date_to": tomorrow}),
        )


def test_only_editors_remove_points_and_the_removal_stays_on_record(journalist, editor):
    incident = IncidentFactory(created_by=journalist)
    kept, dropped = set_route(incident, PlaceFactory(), PlaceFactory())

    with pytest.raises(PermissionDenied, match="Only editors"):
        set_route(incident, kept.place)

    incident.refresh_from_db()
    services.edit_incident(
        incident=incident,
        editor=editor,
        expected_version=incident.version,
        changes={},
        route=[services.RoutePointSubmission(point=RoutePoint.objects.get(pk=kept.pk))],
    )
    assert list(incident.route_points.all()) == [kept]
    removal = RoutePoint.history.filter(id=dropped.pk).latest()
    assert (removal.history_type, removal.history_user, removal.history_change_reason) == (
        "-",
        editor,
        "removed",
    )
    assert incident.history.latest().history_change_reason == "route points: 1 removed"


def test_a_point_of_another_incident_cannot_be_slipped_into_a_route(journalist):
    [foreign] = set_route(IncidentFactory(created_by=journalist), PlaceFactory())
    incident = IncidentFactory(created_by=journalist)

    with pytest.raises(PermissionDenied):
        services.edit_incident(
            incident=incident,
            editor=fresh(journalist),
            expected_version=incident.version,
            changes={},
            route=[services.RoutePointSubmission(point=foreign)],
        )
    assert foreign.incident_id != incident.pk
    assert RoutePoint.objects.get(pk=foreign.pk).incident_id == foreign.incident_id


def test_the_database_keeps_one_point_per_position():
    incident = IncidentFactory()
    [stored] = set_route(incident, PlaceFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutePoint.objects.create(incident=incident, position=stored.position, place=stored.place)


# Links.


def test_a_link_from_the_market_to_the_homes_its_goods_came_from(journalist):
    homes = IncidentFactory(created_by=journalist, status="published", title="Homes")
    homes_changed = Incident.objects.get(pk=homes.pk).updated_at
    market = IncidentFactory(created_by=journalist, title="Market")

    services.edit_incident(
        incident=market,
        editor=fresh(journalist),
        expected_version=market.version,
        changes={},
        links=[services.LinkSubmission(incident=homes, kind="sold_at", role=LinkRole.ORIGIN)],
    )

    [stored] = IncidentLink.objects.all()
    assert (stored.origin, stored.destination, stored.kind) == (homes, market, "sold_at")
    assert stored.history.get().history_user == journalist
    assert market.history.latest().history_change_reason == "links: 1 added"
    # Partners see the link from the homes' side too: their mirrors must learn of it.
    assert Incident.objects.get(pk=homes.pk).updated_at > homes_changed


@pytest.mark.parametrize("state", ["self", "withdrawn", "someone else's draft"])
def test_refused_links(journalist, other_journalist, state):
    incident = IncidentFactory(created_by=journalist)
    other = {
        "self": incident,
        "withdrawn": IncidentFactory(created_by=journalist, status="withdrawn"),
        "someone else's draft": IncidentFactory(created_by=other_journalist),
    }[state]

    with pytest.raises(services.SubmissionError) as refused:
        link(incident, other, by=fresh(journalist))

    assert refused.value.part == "links.0"
    assert "incident" in refused.value.message_dict
    assert not IncidentLink.objects.exists()


def test_only_editors_remove_links_and_links_they_cannot_see_stay(
    journalist, other_journalist, editor
):
    incident = IncidentFactory(created_by=journalist, status="submitted")
    market = IncidentFactory(created_by=journalist, status="submitted")
    link(incident, market)
    # Another journalist's draft says the goods went there too; nobody else can see it.
    draft = IncidentFactory(created_by=other_journalist)
    services.edit_incident(
        incident=draft,
        editor=fresh(other_journalist),
        expected_version=draft.version,
        changes={},
        links=[services.LinkSubmission(incident=incident, kind="stored_at", role="origin")],
    )

    incident.refresh_from_db()
    with pytest.raises(PermissionDenied, match="Only editors"):
        services.edit_incident(
            incident=incident,
            editor=fresh(journalist),
            expected_version=incident.version,
            changes={},
            links=[],
        )
    services.edit_incident(
        incident=incident,
        editor=editor,
        expected_version=incident.version,
        changes={},
        links=[],
    )

    assert list(IncidentLink.objects.values_list("origin", "destination")) == [
        (incident.pk, draft.pk)
    ]


def test_changing_the_kind_of_a_link(journalist):
    incident, market = (
        IncidentFactory(created_by=journalist),
        IncidentFactory(created_by=journalist),
    )
    link(incident, market, kind="stored_at")

    link_kind = services.LinkSubmission(incident=market, kind="sold_at", role="destination")
    incident.refresh_from_db()
    services.edit_incident(
        incident=incident,
        editor=fresh(journalist),
        expected_version=incident.version,
        changes={},
        links=[link_kind],
    )

    assert IncidentLink.objects.get().kind == "sold_at"
    assert incident.history.latest().history_change_reason == "links: 1 changed"


def test_publishing_and_withdrawing_move_the_linked_incidents(journalist, editor):
    homes = IncidentFactory(created_by=journalist, status="published")
    market = IncidentFactory(created_by=journalist, status="submitted")
    link(homes, market)
    before = Incident.objects.get(pk=homes.pk).updated_at

    services.publish_incident(incident=market, editor=editor)
    published = Incident.objects.get(pk=homes.pk).updated_at
    services.withdraw_incident(incident=market, editor=editor, reason="Not a market.")

    assert before < published < Incident.objects.get(pk=homes.pk).updated_at


def test_a_merge_copies_links_and_the_route_to_the_survivor(journalist, editor):
    survivor = IncidentFactory(created_by=journalist, status="submitted")
    duplicate = IncidentFactory(created_by=journalist, status="submitted")
    cited = ClaimFactory(incident=duplicate, url="https://t.me/dup/1")
    depot = PlaceFactory(name="Depot")
    set_route(duplicate, (depot, {"claims": [cited]}))
    market = IncidentFactory(created_by=journalist, status="submitted")
    link(duplicate, market)
    link(survivor, duplicate)

    services.merge_incidents(survivor=survivor, duplicate=duplicate, editor=editor)

    [copied] = survivor.route_points.all()
    assert copied.place == depot and list(copied.supporting_claims.all()) == [cited]
    assert copied.history.first().history_user == editor
    # The link to the market is copied; the one between the two merged ones is dropped.
    assert set(
        IncidentLink.objects.filter(origin=survivor).values_list("destination", flat=True)
    ) == {
        market.pk,
        duplicate.pk,
    }
    assert duplicate.route_points.count() == 1


def test_editors_edit_routes_of_published_incidents(journalist):
    incident = IncidentFactory(created_by=journalist, status="published")
    points = set_route(incident, PlaceFactory(), by=fresh(reference_editor()))
    assert len(points) == 1
    with pytest.raises(PermissionDenied):
        set_route(incident, PlaceFactory(), by=fresh(journalist))


def test_a_route_is_at_most_twenty_points(journalist):
    place = PlaceFactory()
    with pytest.raises(ValidationError, match="at most 20"):
        set_route(IncidentFactory(created_by=journalist), *[place] * 21)


def test_an_edit_of_a_place_on_a_route_moves_the_incident_for_mirrors(journalist, editor):
    incident = IncidentFactory(created_by=journalist, status="published")
    [stored] = set_route(incident, PlaceFactory(name="Depot"), by=fresh(reference_editor()))
    before = Incident.objects.get(pk=incident.pk).updated_at
    place = stored.place
    place.name = "Depot No. 2"

    services.update_place(place=place, editor=editor, fields=["name"])

    assert Incident.objects.get(pk=incident.pk).updated_at > before
