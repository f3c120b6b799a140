"""Incremental sync: updated_since, deletions, and changes that must move updated_at."""

import pytest
from django.utils import timezone

from claims import services as claim_services
from incidents import services as incident_services
from tests.factories import ActorFactory, ClaimFactory, IncidentItemFactory

pytestmark = pytest.mark.django_db


def changed_since(client, moment, path="/api/v1/incidents/"):
    response = client.get(path, {"updated_since": moment.isoformat(), "page_size": 500})
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def deletions_since(client, moment):
    response = client.get("/api/v1/deletions/", {"since": moment.isoformat()})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_updated_since_lists_only_changed_incidents(partner_client, publish, editor):
    old = publish()
    mark = timezone.now()
    new = publish()

    assert changed_since(partner_client, mark) == [str(new.public_id)]
    assert sorted(changed_since(partner_client, old.created_at)) == sorted(
        [str(old.public_id), str(new.public_id)]
    )


@pytest.mark.parametrize(
    "change",
    [
        "review",
        "withdraw_claim",
        "add_claim",
        "edit_claim",
        "items",
        "actors",
    ],
)
def test_changes_partners_see_move_the_incidents_updated_at(
    partner_client, publish, editor, change
):
    incident = publish(claims=[("unverified", {})])
    claim = incident.claims.get()
    mark = timezone.now()
    assert changed_since(partner_client, mark) == []

    if change == "review":
        claim_services.review_claim(
            claim=claim,
            reviewer=editor,
            to_status="disputed",
            dispute_reason="contradicted",
            note="Photo is from 2014.",
        )
    elif change == "withdraw_claim":
        ClaimFactory(incident=incident)  # keep one live claim
        mark = timezone.now()
        claim_services.withdraw_claim(claim=claim, editor=editor, reason="Duplicate.")
    elif change == "add_claim":
        claim_services.create_claim(
            claim=ClaimFactory.build(incident=incident, source=claim.source), submitted_by=editor
        )
    elif change == "edit_claim":
        claim.translation, claim.translated_by = "New translation.", "Lootwatch"
        claim.translator_kind = "staff"
        claim_services.update_claim(
            claim=claim,
            editor=editor,
            expected_version=claim.version,
            fields=["translation", "translated_by", "translator_kind"],
        )
    elif change == "items":
        incident_services.edit_incident(
            incident=incident,
            editor=editor,
            expected_version=incident.version,
            changes={},
            items=[IncidentItemFactory.build(incident=incident)],
        )
    elif change == "actors":
        actor = ActorFactory()
        mark = timezone.now()
        incident_services.edit_incident(
            incident=incident,
            editor=editor,
            expected_version=incident.version,
            changes={},
            actors=[actor],
        )

    assert changed_since(partner_client, mark) == [str(incident.public_id)]


def test_claims_updated_since(partner_client, publish, editor):
    incident = publish(claims=[("unverified", {}), ("unverified", {})])
    _, second = incident.claims.order_by("pk")
    mark = timezone.now()

    claim_services.review_claim(
        claim=second, reviewer=editor, to_status="verified", note="Matches the archive."
    )

    assert changed_since(partner_client, mark, "/api/v1/claims/") == [str(second.public_id)]


def test_deletions_list_incidents_withdrawn_after_publication(
    partner_client, publish, editor, journalist
):
    from tests.factories import IncidentFactory

    before = timezone.now()
    published = publish()
    never_published = IncidentFactory(created_by=journalist, status="submitted")
    ClaimFactory(incident=never_published)
    incident_services.withdraw_incident(incident=published, editor=editor, reason="Hoax.")
    incident_services.withdraw_incident(
        incident=never_published, editor=editor, reason="Not looting."
    )
    published.refresh_from_db()

    deleted = deletions_since(partner_client, before)

    assert deleted == [
        {
            "id": str(published.public_id),
            "type": "incident",
            "withdrawn_at": published.withdrawn_at.isoformat().replace("+00:00", "Z"),
            "incident": None,
            "merged_into": None,
        }
    ]
    assert deletions_since(partner_client, timezone.now()) == []
    assert "Hoax" not in partner_client.get("/api/v1/deletions/").content.decode()


def test_a_merged_duplicate_points_to_its_survivor(partner_client, publish, editor):
    survivor, duplicate = publish(), publish()
    before = timezone.now()

    incident_services.merge_incidents(survivor=survivor, duplicate=duplicate, editor=editor)

    (deleted,) = deletions_since(partner_client, before)
    assert deleted["id"] == str(duplicate.public_id)
    assert deleted["merged_into"] == str(survivor.public_id)
    assert str(survivor.public_id) in changed_since(partner_client, before)


def test_deletions_since_must_be_a_time(partner_client):
    response = partner_client.get("/api/v1/deletions/?since=last-tuesday")

    assert response.status_code == 400
    assert "since" in response.json()["errors"]


def test_a_mirror_kept_by_the_readme_recipe_matches_a_fresh_copy(partner_client, publish, editor):
    """Full copy, then: changes since the last sync's start, then deletions since it."""

    def pull(params):
        url, rows = "/api/v1/incidents/", []
        while url:
            body = partner_client.get(url, params).json()
            rows += body["results"]
            url, params = body["next"], None
        return rows

    kept, changed, dropped = publish(), publish(claims=[("unverified", {})]), publish()
    sync_started = timezone.now()
    mirror = {row["id"]: row for row in pull({"page_size": 2, "ordering": "updated_at"})}

    claim_services.review_claim(
        claim=changed.claims.get(), reviewer=editor, to_status="verified", note="Confirmed."
    )
    incident_services.withdraw_incident(incident=dropped, editor=editor, reason="Hoax.")
    added = publish()

    next_sync = timezone.now()
    for row in pull({"updated_since": sync_started.isoformat(), "ordering": "updated_at"}):
        mirror[row["id"]] = row
    for deletion in partner_client.get(
        "/api/v1/deletions/", {"since": sync_started.isoformat()}
    ).json()["results"]:
        mirror.pop(deletion["id"], None)

    fresh = {row["id"]: row for row in pull({})}
    assert mirror == fresh
    assert set(mirror) == {str(i.public_id) for i in (kept, changed, added)}
    assert mirror[str(changed.public_id)]["assessment"] == "single_source"
    assert next_sync > sync_started


def test_attaching_evidence_moves_updated_at_and_shows_its_derivatives(
    partner_client, publish, editor
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    incident = publish()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    mark = timezone.now()

    evidence = claim_services.attach_evidence(
        claim=incident.claims.get(),
        file=SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg"),
        uploaded_by=editor,
    )

    assert changed_since(partner_client, mark) == [str(incident.public_id)]
    body = partner_client.get(f"/api/v1/incidents/{incident.public_id}/").json()
    (shown,) = body["claims"][0]["evidence"]
    assert shown["id"] == str(evidence.public_id)
    assert partner_client.get(shown["display_url"]).status_code == 200
    assert evidence.sha256 not in str(body)


def _admin_edit(client, model, obj, **changes):
    """Post the admin change form of ``obj`` as the editor saw it, with ``changes``."""
    from tests.html_forms import read_form

    url = f"/admin/{model}/{obj.pk}/change/"
    data = read_form(client.get(url), f"{obj._meta.model_name}_form")
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)  # an unticked checkbox is not sent
        else:
            data[name] = [value]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_home_made_private_in_the_admin_reaches_mirrors_rounded(
    partner_client, publish, editor, editor_client
):
    from tests.factories import PlaceFactory

    home = PlaceFactory(
        name="12 Sadova Street",
        admin2="Bucha Raion",
        precision="exact",
        exact_location_public=True,
        latitude="50.543210",
        longitude="30.212340",
    )
    incident, elsewhere = publish(place=home), publish()
    mark = timezone.now()

    _admin_edit(editor_client, "incidents/place", home, exact_location_public=None)

    assert changed_since(partner_client, mark) == [str(incident.public_id)]
    place = partner_client.get(f"/api/v1/incidents/{incident.public_id}/").json()["place"]
    assert place["name"] == "Location withheld, Bucha Raion, Kyiv Oblast"
    assert (place["latitude"], place["longitude"]) == (50.54, 30.21)
    assert place["location_rounded"] is True
    record = home.history.latest()
    assert record.history_user == editor
    assert not record.exact_location_public
    assert str(elsewhere.public_id) not in changed_since(partner_client, mark)


def test_renaming_an_actor_or_a_source_in_the_admin_reaches_mirrors(
    partner_client, publish, editor, editor_client
):
    actor = ActorFactory()
    incident = publish(actors=[actor])
    claim = incident.claims.get()

    mark = timezone.now()
    _admin_edit(editor_client, "incidents/actor", actor, name="2nd Guards Tank Army")
    assert changed_since(partner_client, mark) == [str(incident.public_id)]
    assert actor.history.latest().history_user == editor

    mark = timezone.now()
    _admin_edit(editor_client, "claims/source", claim.source, name="Ministry of Defence")
    assert changed_since(partner_client, mark) == [str(incident.public_id)]
    assert changed_since(partner_client, mark, "/api/v1/claims/") == [str(claim.public_id)]
    body = partner_client.get(f"/api/v1/incidents/{incident.public_id}/").json()
    assert body["actors"][0]["name"] == "2nd Guards Tank Army"
    assert body["claims"][0]["source"]["name"] == "Ministry of Defence"
    assert claim.source.history.latest().history_user == editor


def test_deletions_list_claims_withdrawn_from_published_incidents(
    partner_client, publish, editor, journalist
):
    incident = publish(claims=[("verified", {}), ("verified", {}), ("disputed", {})])
    first, second, third = incident.claims.order_by("pk")
    claim_services.withdraw_claim(claim=first, editor=editor, reason="Logged twice.")
    before = timezone.now()
    claim_services.withdraw_claim(claim=second, editor=editor, reason="Names a witness.")
    # Withdrawn before anyone saw it: a claim still waiting for an editor.
    unseen = claim_services.create_claim(
        claim=ClaimFactory.build(incident=incident, source=third.source), submitted_by=journalist
    )
    claim_services.withdraw_claim(claim=unseen, editor=editor, reason="Wrong incident.")
    # Claims of an incident never published are no partner's business.
    from tests.factories import IncidentFactory

    draft_claim = ClaimFactory(incident=IncidentFactory(created_by=journalist))
    claim_services.withdraw_claim(claim=draft_claim, editor=editor, reason="Not looting.")
    second.refresh_from_db()

    assert deletions_since(partner_client, before) == [
        {
            "id": str(second.public_id),
            "type": "claim",
            "withdrawn_at": second.withdrawn_at.isoformat().replace("+00:00", "Z"),
            "incident": str(incident.public_id),
            "merged_into": None,
        }
    ]
    everything = partner_client.get("/api/v1/deletions/").json()["results"]
    assert [row["id"] for row in everything] == [str(first.public_id), str(second.public_id)]
    assert "witness" not in str(everything)


def test_deletions_of_incidents_and_claims_page_in_one_order(partner_client, publish, editor):
    incidents = [publish(claims=[("verified", {}), ("verified", {})]) for _ in range(3)]
    for incident in incidents:
        claim_services.withdraw_claim(
            claim=incident.claims.first(), editor=editor, reason="Duplicate."
        )
        incident_services.withdraw_incident(incident=incident, editor=editor, reason="Hoax.")

    rows, url, params = [], "/api/v1/deletions/", {"page_size": 2}
    while url:
        body = partner_client.get(url, params).json()
        assert len(body["results"]) <= 2
        rows += body["results"]
        url, params = body["next"], None

    assert [row["type"] for row in rows] == ["claim", "incident"] * 3
    assert len({row["id"] for row in rows}) == 6
    assert [row["withdrawn_at"] for row in rows] == sorted(row["withdrawn_at"] for row in rows)
    assert body["previous"]
    assert partner_client.get(body["previous"]).json()["results"] == rows[-4:-2]


def test_a_claims_mirror_kept_by_the_readme_recipe_matches_a_fresh_copy(
    partner_client, publish, editor
):
    """Claims mirror: upsert claims/?updated_since=, drop `claim` deletions and the claims
    of `incident` deletions."""

    def pull(params):
        url, rows = "/api/v1/claims/", []
        while url:
            body = partner_client.get(url, params).json()
            rows += body["results"]
            url, params = body["next"], None
        return rows

    kept = publish(claims=[("verified", {}), ("unverified", {})])
    dropped = publish()
    sync_started = timezone.now()
    mirror = {row["id"]: row for row in pull({"page_size": 500})}

    claim_services.withdraw_claim(
        claim=kept.claims.get(status="unverified"), editor=editor, reason="Names a witness."
    )
    incident_services.withdraw_incident(incident=dropped, editor=editor, reason="Hoax.")

    for row in pull({"updated_since": sync_started.isoformat()}):
        mirror[row["id"]] = row
    for deletion in deletions_since(partner_client, sync_started):
        if deletion["type"] == "claim":
            mirror.pop(deletion["id"], None)
        else:
            mirror = {k: v for k, v in mirror.items() if v["incident"] != deletion["id"]}

    assert mirror == {row["id"]: row for row in pull({})}
    assert len(mirror) == 1
