"""The incidents endpoints: what partners see, field by field, and what they never see."""

import csv
import io
import json
from decimal import Decimal

import pytest

from claims import services as claim_services
from incidents import services as incident_services
from tests.api.conftest import make_evidence
from tests.factories import (
    ActorFactory,
    ClaimFactory,
    IncidentFactory,
    IncidentItemFactory,
    PlaceFactory,
)

pytestmark = pytest.mark.django_db

INCIDENT_KEYS = {
    "id",
    "title",
    "summary",
    "occurred_from",
    "occurred_to",
    "date_precision",
    "place",
    "actors",
    "items",
    "verification",
    "assessment",
    "claims",
    "route",
    "linked_incidents",
    "created_at",
    "updated_at",
}
PLACE_KEYS = {
    "id",
    "name",
    "country",
    "admin1",
    "latitude",
    "longitude",
    "precision",
    "location_rounded",
}
CLAIM_KEYS = {
    "id",
    "source",
    "medium",
    "url",
    "archived_url",
    "published_at",
    "language",
    "text",
    "translation",
    "translated_by",
    "reported_via",
    "status",
    "dispute_reason",
    "reviewed_at",
    "evidence",
    "created_at",
    "updated_at",
}


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_incident_has_exactly_the_published_fields(partner_client, publish, editor):
    actor = ActorFactory(name="1st Guards Tank Army")
    incident = publish(
        claims=[
            (
                "verified",
                {
                    "translation": "Cars taken.",
                    "translated_by": "HuffPost",
                    "translator_kind": "organisation",
                },
            )
        ],
        internal_notes="Source is the victim's neighbour; do not publish her name.",
    )
    incident.actors.add(actor)
    IncidentItemFactory(incident=incident, description="cars", quantity_min=100, quantity_max=999)

    (body,) = results(partner_client.get("/api/v1/incidents/"))

    assert set(body) == INCIDENT_KEYS
    assert body["id"] == str(incident.public_id)
    assert set(body["place"]) == PLACE_KEYS
    assert body["actors"] == [{"id": actor.pk, "name": "1st Guards Tank Army", "kind": "unit"}]
    assert body["items"] == [
        {
            "category": "cars",
            "category_name": "Cars",
            "description": "cars",
            "quantity_min": 100,
            "quantity_max": 999,
        }
    ]
    assert body["verification"] == {
        "claims": 1,
        "verified": 1,
        "disputed": 0,
        "unverified": 0,
        "independent_sources": 1,
    }
    assert body["assessment"] == "single_source"
    (claim,) = body["claims"]
    assert set(claim) == CLAIM_KEYS
    assert set(claim["source"]) == {"id", "name", "kind"}
    assert claim["status"] == "verified"
    assert claim["translation"] == "Cars taken."
    assert claim["translated_by"] == "HuffPost"
    assert claim["reviewed_at"] is not None
    text = json.dumps(body)
    for secret in ("neighbour", editor.username, "jo-journalist", "Checked the source."):
        assert secret not in text


def test_detail_is_the_same_representation(partner_client, publish):
    incident = publish()
    (listed,) = results(partner_client.get("/api/v1/incidents/"))

    response = partner_client.get(f"/api/v1/incidents/{incident.public_id}/")

    assert response.status_code == 200
    assert response.json() == listed


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_unpublished_incidents_are_invisible(partner_client, journalist, status):
    incident = IncidentFactory(created_by=journalist, status=status)
    ClaimFactory(incident=incident)

    assert results(partner_client.get("/api/v1/incidents/")) == []
    detail = partner_client.get(f"/api/v1/incidents/{incident.public_id}/")
    assert detail.status_code == 404
    assert detail["Content-Type"] == "application/json"
    assert results(partner_client.get("/api/v1/claims/")) == []
    assert results(partner_client.get("/api/v1/places/")) == []


def test_withdrawn_incidents_disappear(partner_client, publish, editor):
    incident = publish()
    incident_services.withdraw_incident(incident=incident, editor=editor, reason="Hoax.")

    assert results(partner_client.get("/api/v1/incidents/")) == []
    assert partner_client.get(f"/api/v1/incidents/{incident.public_id}/").status_code == 404
    assert results(partner_client.get("/api/v1/claims/")) == []


def test_withdrawn_claims_are_not_shown_nor_counted(partner_client, publish, editor):
    incident = publish(claims=[("verified", {}), ("disputed", {})])
    disputed = incident.claims.get(status="disputed")
    claim_services.withdraw_claim(claim=disputed, editor=editor, reason="Wrong incident.")

    (body,) = results(partner_client.get("/api/v1/incidents/"))

    assert [claim["status"] for claim in body["claims"]] == ["verified"]
    assert body["verification"]["claims"] == 1
    assert body["assessment"] == "single_source"
    assert "Wrong incident." not in json.dumps(body)
    assert partner_client.get(f"/api/v1/claims/{disputed.public_id}/").status_code == 404


def test_exact_places_are_rounded_everywhere(partner_client, publish):
    home = PlaceFactory(
        name="Yablunska street", latitude="50.544321", longitude="30.212345", precision="exact"
    )
    publish(place=home)

    (body,) = results(partner_client.get("/api/v1/incidents/"))
    assert body["place"]["latitude"] == 50.54
    assert body["place"]["longitude"] == 30.21
    assert body["place"]["location_rounded"] is True

    geojson = partner_client.get("/api/v1/incidents/?format=geojson").json()
    assert geojson["features"][0]["geometry"]["coordinates"] == [30.21, 50.54]

    rows = list(
        csv.DictReader(
            io.StringIO(partner_client.get("/api/v1/incidents/?format=csv").content.decode())
        )
    )
    assert (rows[0]["latitude"], rows[0]["longitude"]) == ("50.54", "30.21")

    (place,) = results(partner_client.get("/api/v1/places/"))
    assert (place["latitude"], place["longitude"]) == (50.54, 30.21)

    everything = json.dumps(
        [
            body,
            geojson,
            results(partner_client.get("/api/v1/places/")),
            partner_client.get("/api/v1/incidents/?format=csv").content.decode(),
        ]
    )
    assert "544321" not in everything and "212345" not in everything
    # A home's name is often its address: withheld along with the exact coordinates.
    assert "Yablunska" not in everything
    assert body["place"]["name"] == "Location withheld, Kyiv Oblast"


def test_exact_location_marked_public_is_not_rounded(partner_client, publish):
    museum = PlaceFactory(
        latitude="50.544321",
        longitude="30.212345",
        precision="exact",
        exact_location_public=True,
    )
    publish(place=museum)

    (body,) = results(partner_client.get("/api/v1/incidents/"))

    assert (body["place"]["latitude"], body["place"]["longitude"]) == (50.544321, 30.212345)
    assert body["place"]["location_rounded"] is False


def test_evidence_is_linked_by_derivative_only(partner_client, publish, editor):
    incident = publish()
    claim = incident.claims.get()
    with_both = make_evidence(claim, uploader=editor, n=1)
    make_evidence(claim, uploader=editor, display=False, thumbnail=False, n=2)
    thumbnail_only = make_evidence(claim, uploader=editor, display=False, n=3)

    (body,) = results(partner_client.get("/api/v1/incidents/"))

    evidence = body["claims"][0]["evidence"]
    assert [item["id"] for item in evidence] == [
        str(with_both.public_id),
        str(thumbnail_only.public_id),
    ]
    assert set(evidence[0]) == {"id", "kind", "display_url", "thumbnail_url"}
    assert evidence[0]["display_url"] == (
        f"http://testserver/evidence/{with_both.public_id}/display/"
    )
    assert evidence[0]["thumbnail_url"] == (
        f"http://testserver/evidence/{with_both.public_id}/thumbnail/"
    )
    assert evidence[1]["display_url"] is None
    text = json.dumps(body)
    for private in ("originals/", "IMG_0001", with_both.sha256, "gps", "Phone", "1234"):
        assert private not in text


def test_reported_via_names_only_visible_relays(partner_client, publish, editor):
    incident = publish(claims=[("verified", {}), ("verified", {})])
    press, post = incident.claims.order_by("pk")
    post.reported_via = press
    post.save(update_fields=["reported_via"])

    claims = {c["id"]: c for c in results(partner_client.get("/api/v1/incidents/"))[0]["claims"]}
    assert claims[str(post.public_id)]["reported_via"] == str(press.public_id)

    claim_services.withdraw_claim(claim=press, editor=editor, reason="Retracted by the outlet.")
    claims = {c["id"]: c for c in results(partner_client.get("/api/v1/incidents/"))[0]["claims"]}
    assert claims[str(post.public_id)]["reported_via"] is None


def test_assessment_and_summary_follow_the_claims(partner_client, publish):
    publish(title="Corroborated", claims=[("verified", {}), ("verified", {})])
    publish(title="Contested", claims=[("verified", {}), ("disputed", {})])
    publish(title="Unverified", claims=[("unverified", {})])

    by_title = {i["title"]: i for i in results(partner_client.get("/api/v1/incidents/"))}

    assert by_title["Corroborated"]["assessment"] == "corroborated"
    assert by_title["Corroborated"]["verification"]["independent_sources"] == 2
    assert by_title["Contested"]["assessment"] == "contested"
    assert by_title["Unverified"]["assessment"] == "unverified"
    assert by_title["Unverified"]["verification"]["unverified"] == 1


def test_not_a_uuid_is_a_json_404(partner_client):
    response = partner_client.get("/api/v1/incidents/not-a-uuid/")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_unknown_path_is_a_json_404(partner_client):
    response = partner_client.get("/api/v1/nowhere/")

    assert response.status_code == 404
    assert "docs" in response.json()["detail"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/incidents/", "/api/v1/claims/", "/api/v1/places/"])
def test_the_api_is_read_only(partner_client, published_incident, method, path):
    response = getattr(partner_client, method)(path, data={}, content_type="application/json")

    assert response.status_code == 405
    assert "not allowed" in response.json()["detail"]


def test_detail_write_methods_are_refused(partner_client, published_incident):
    url = f"/api/v1/incidents/{published_incident.public_id}/"

    response = partner_client.delete(url)

    assert response.status_code == 405
    assert response.json()["detail"]


def test_coordinates_are_numbers(partner_client, publish):
    publish(place=PlaceFactory(latitude=Decimal("-33.9"), longitude=Decimal("-70.5")))

    (body,) = results(partner_client.get("/api/v1/incidents/"))

    assert body["place"]["latitude"] == -33.9
    assert body["place"]["longitude"] == -70.5


def test_a_claim_added_after_publication_waits_for_an_editor(
    partner_client, publish, editor, journalist
):
    from tests.factories import SourceFactory

    incident = publish(claims=[("verified", {}), ("unverified", {})])
    shown_before = {str(claim.public_id) for claim in incident.claims.all()}
    witness = SourceFactory(name="Olena K., neighbour", kind="witness")
    late = claim_services.create_claim(
        claim=ClaimFactory.build(
            incident=incident, source=witness, original_text="Olena K. saw them at No. 12."
        ),
        submitted_by=journalist,
    )

    def partner_view():
        body = partner_client.get(f"/api/v1/incidents/{incident.public_id}/").json()
        claims = {row["id"] for row in results(partner_client.get("/api/v1/claims/"))}
        sources = {row["id"] for row in results(partner_client.get("/api/v1/sources/"))}
        return body, claims, sources

    body, claims, sources = partner_view()
    assert {claim["id"] for claim in body["claims"]} == shown_before
    assert claims == shown_before
    assert witness.pk not in sources
    assert "Olena" not in json.dumps(body)
    assert partner_client.get(f"/api/v1/claims/{late.public_id}/").status_code == 404

    claim_services.review_claim(
        claim=late, reviewer=editor, to_status="verified", note="Spoke to her; she agreed."
    )

    body, claims, sources = partner_view()
    assert str(late.public_id) in {claim["id"] for claim in body["claims"]}
    assert str(late.public_id) in claims
    assert witness.pk in sources


def test_reported_via_does_not_name_a_claim_waiting_for_an_editor(
    partner_client, publish, journalist, editor
):
    incident = publish()
    (shown,) = incident.claims.all()
    late = claim_services.create_claim(
        claim=ClaimFactory.build(incident=incident, source=shown.source), submitted_by=journalist
    )
    shown.reported_via = late
    claim_services.update_claim(
        claim=shown, editor=editor, expected_version=shown.version, fields=["reported_via"]
    )

    (body,) = results(partner_client.get("/api/v1/incidents/"))
    assert body["claims"][0]["reported_via"] is None
