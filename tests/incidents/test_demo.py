import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework_api_key.models import APIKey

from claims.models import Claim, Review
from incidents import services as incident_services
from incidents.demo.loader import demo_id
from incidents.models import Incident, IncidentLink, RoutePoint
from incidents.selectors import with_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts_file(tmp_path, monkeypatch):
    path = tmp_path / "demo-accounts.txt"
    monkeypatch.setattr("incidents.management.commands.load_demo.CREDENTIALS_FILE", path)
    return path


def load(capsys):
    call_command("load_demo")
    return capsys.readouterr().out


def test_load_demo_covers_every_state_and_is_idempotent(settings, demo_accounts_file, capsys):
    settings.DEBUG = True
    first = load(capsys)
    counts = (Incident.objects.count(), Claim.objects.count(), Review.objects.count())
    second = load(capsys)
    assert (Incident.objects.count(), Claim.objects.count(), Review.objects.count()) == counts
    assert counts[0] >= 3 and counts[1] >= 6

    statuses = set(Incident.objects.values_list("status", flat=True))
    assert {"published", "submitted", "draft"} <= statuses
    published_claims = set(
        Claim.objects.filter(incident__status="published").values_list("status", flat=True)
    )
    assert published_claims == {"verified", "disputed", "unverified"}
    # A dispute carries its reason; a claim nobody could confirm stays unverified, noted.
    disputed = Claim.objects.get(incident__status="published", status="disputed")
    assert disputed.dispute_reason == "recycled_content"
    assert disputed.reviews.get().checklist["content_provenance"] == "failed"
    unconfirmed = Claim.objects.get(incident__status="published", status="unverified")
    assert "could not confirm" in unconfirmed.internal_notes
    assert Claim.objects.filter(incident__status="submitted", status="unverified").exists()
    assert set(with_summary(Incident.objects.all()).values_list("assessment", flat=True)) >= {
        "corroborated",
        "contested",
        "unverified",
    }

    # The chain from first appearance to what we read: Facebook post, via Business Insider's
    # translation, via the press report.
    facebook = Claim.objects.get(medium="facebook_post")
    assert facebook.translated_by == "Business Insider"
    assert facebook.reported_via.source.name == "Business Insider"
    assert facebook.reported_via.reported_via.source.name == "HuffPost"

    # Where the goods went: the truck column's route towards the Russian border, and the
    # market in Narowlya selling goods from the Kyiv suburbs.
    assert RoutePoint.objects.count() == IncidentLink.objects.count() == 1
    [border] = Incident.objects.get(public_id=demo_id("incident/buryn-column")).route_points.all()
    assert "Russian border" in border.place.name
    assert border.supporting_claims.count() == 3
    market = IncidentLink.objects.get()
    assert (market.origin.public_id, market.destination.public_id, market.kind) == (
        demo_id("incident/kyiv-suburbs"),
        demo_id("incident/naroulia-market"),
        "sold_at",
    )

    # A witness statement shows protected identities at work: the witness is named by a
    # label to partners and other journalists, the journalist who logged her sees her name.
    statement = Claim.objects.get(medium="witness_statement", incident__status="published")
    witness = statement.source
    assert witness.kind == "witness" and witness.identity_protected
    assert witness.created_by.username == "journalist"
    assert str(witness) == witness.public_label
    assert statement.status == "verified" and statement.translator_kind == "staff"

    # Log-ins are printed and stay valid across runs.
    journalist_line = next(line for line in first.splitlines() if "journalist" in line)
    password = journalist_line.split("password:")[1].strip()
    assert journalist_line in second
    user = get_user_model().objects.get(username="journalist")
    assert user.check_password(password)
    assert get_user_model().objects.get(username="editor").is_staff
    assert not user.is_staff


def test_demo_accounts_are_refused_without_debug(settings, demo_accounts_file):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("load_demo")
    assert not get_user_model().objects.exists()
    call_command("load_demo", "--no-accounts")
    assert Incident.objects.count() >= 3
    assert not demo_accounts_file.exists()


def test_a_failing_load_leaves_nothing_half_loaded(settings, demo_accounts_file, monkeypatch):
    settings.DEBUG = True
    from incidents.demo import loader

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    # The first incident is logged and reviewed before publishing fails.
    monkeypatch.setattr(loader.incident_services, "publish_incident", explode)
    with pytest.raises(RuntimeError):
        call_command("load_demo")
    assert not Incident.objects.exists()
    assert not Claim.objects.exists()
    assert not get_user_model().objects.exists()


def test_loading_again_adds_a_route_and_links_missing_from_an_earlier_load(
    settings, demo_accounts_file
):
    settings.DEBUG = True
    call_command("load_demo")
    editor = get_user_model().objects.get(username="editor")
    column = Incident.objects.get(public_id=demo_id("incident/buryn-column"))
    market = Incident.objects.get(public_id=demo_id("incident/naroulia-market"))
    for incident in (column, market):
        # As if loaded before routes and links were part of the demo.
        incident_services.edit_incident(
            incident=incident,
            editor=editor,
            expected_version=incident.version,
            changes={},
            route=[],
            links=[],
        )
    assert not RoutePoint.objects.exists() and not IncidentLink.objects.exists()

    call_command("load_demo")

    assert RoutePoint.objects.get().incident == column
    assert IncidentLink.objects.get().destination == market
    column.refresh_from_db()
    assert column.history.latest().history_user == editor


def test_load_demo_gives_a_partner_key_that_reads_the_api_and_keeps_it(
    settings, demo_accounts_file, capsys, client
):
    settings.DEBUG = True
    first = load(capsys)
    key = dict(line.split(" ", 1) for line in demo_accounts_file.read_text().splitlines())[
        "partner-key"
    ]
    assert f'curl -H "Authorization: Api-Key {key}" http://' in first
    response = client.get("/api/v1/incidents/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert response.status_code == 200
    assert response.json()["results"], "the demo's published incidents"
    second = load(capsys)
    assert f"partner API key: {key}" in second
    assert APIKey.objects.count() == 1
    APIKey.objects.update(revoked=True)  # revoked: a new one is made, never the old shown
    third = load(capsys)
    assert key not in third and APIKey.objects.filter(revoked=False).count() == 1
