"""Full-text search over the incidents' search documents (incidents.models.search, kept by
the triggers of incidents.fulltext on PostgreSQL; words in the fields on SQLite): what each
audience finds stays current with every change of what it is built from."""

import pytest
from django.core.management import call_command
from django.db import connection

from claims import services as claim_services
from incidents import fulltext
from incidents import services as incident_services
from incidents.models import Incident, IncidentSearchDocument, PlacePrecision
from tests.factories import ClaimFactory, IncidentFactory, PlaceFactory, SourceFactory, fresh

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="The search documents are PostgreSQL's."
)


def staff_finds(text):
    return set(Incident.objects.search(text, document="staff").values_list("title", flat=True))


def partners_find(client, text):
    response = client.get("/api/v1/incidents/", {"q": text})
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


@pytest.fixture
def published(editor):
    """A published incident at Hostomel with one verified claim."""
    return IncidentFactory(
        title="Depot emptied", place=PlaceFactory(name="Hostomel"), status="published"
    )


def late_claim(incident, **fields):
    """A claim added after publication: it waits for an editor."""
    return ClaimFactory(incident=incident, submitted_by=incident.created_by, **fields)


def test_a_claims_new_text_is_found_and_its_old_text_is_not(published, editor, partner_client):
    claim = published.claims.get()
    assert "Depot emptied" in staff_finds("grabbed")

    claim.original_text = "Tractors were driven towards Belgorod."
    claim_services.update_claim(
        claim=claim, editor=editor, expected_version=claim.version, fields=["original_text"]
    )

    assert staff_finds("grabbed") == set()
    assert staff_finds("tractors") == {"Depot emptied"}
    assert partners_find(partner_client, "grabbed") == set()
    assert partners_find(partner_client, "tractors") == {"Depot emptied"}


def test_partners_find_a_claim_awaiting_an_editor_only_once_reviewed(
    published, editor, partner_client
):
    late = late_claim(published, original_text="A samovar was carried out.")

    assert staff_finds("samovar") == {"Depot emptied"}
    assert partners_find(partner_client, "samovar") == set()

    claim_services.review_claim(
        claim=late, reviewer=editor, to_status="verified", note="Matches the photos."
    )

    assert partners_find(partner_client, "samovar") == {"Depot emptied"}


def test_a_withdrawn_claim_is_found_by_nobody(published, editor, partner_client):
    claim = ClaimFactory(incident=published, original_text="Pianos were loaded at dawn.")
    claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Seen.")
    assert partners_find(partner_client, "pianos") == {"Depot emptied"}

    claim_services.withdraw_claim(claim=claim, editor=editor, reason="Wrong incident.")

    assert staff_finds("pianos") == set()
    assert partners_find(partner_client, "pianos") == set()


def test_merged_claims_are_found_at_the_survivor(published, editor):
    duplicate = IncidentFactory(title="Same depot, again", status="published")
    claim = duplicate.claims.get()
    claim.original_text = "Generators were taken from the depot."
    claim_services.update_claim(
        claim=claim, editor=editor, expected_version=claim.version, fields=["original_text"]
    )

    incident_services.merge_incidents(
        survivor=fresh_incident(published), duplicate=fresh_incident(duplicate), editor=editor
    )

    assert "Depot emptied" in staff_finds("generators")


def fresh_incident(incident):
    return Incident.objects.get(pk=incident.pk)


def test_place_names_are_found_but_partners_never_find_a_home(editor, partner_client):
    home = PlaceFactory(name="Sadova Street 12", precision=PlacePrecision.EXACT)
    IncidentFactory(title="Flat looted", place=home, status="published")

    assert staff_finds("Sadova") == {"Flat looted"}
    assert partners_find(partner_client, "Sadova") == set()
    assert partners_find(partner_client, "Looted") == {"Flat looted"}

    # An editor publishes the exact location (say, a museum's address): now it is found.
    home.exact_location_public = True
    incident_services.update_place(
        place=home, editor=fresh(editor), fields=["exact_location_public"]
    )
    assert partners_find(partner_client, "Sadova") == {"Flat looted"}


def test_a_renamed_place_is_found_by_its_new_name(published, editor, partner_client):
    place = published.place
    place.name = "Hostomel Airport"
    incident_services.update_place(place=place, editor=fresh(editor), fields=["name"])

    assert partners_find(partner_client, "airport") == {"Depot emptied"}


@pytest.mark.parametrize(
    ("text", "query"),
    [
        # Ukrainian words are matched whole; Russian and English ones also by their stem.
        ("Мешканці розповіли, що військові вантажили пральні машини.", "вантажили"),
        ("Жители рассказали, что военные грузили грузовики.", "грузовик"),
        ("Residents said soldiers were washing the loot.", "wash"),
    ],
)
def test_each_language_matches_its_own_words(published, editor, partner_client, text, query):
    source = SourceFactory()
    claim = ClaimFactory(incident=published, source=source, original_text=text, language="uk")
    claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Seen.")

    assert staff_finds(query) == {"Depot emptied"}
    assert partners_find(partner_client, query) == {"Depot emptied"}


@postgresql_only
@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Жители рассказали, что военные грузили грузовики.", "грузовиками"),
        ("Residents said the washing machines were taken.", "washed machine"),
    ],
)
def test_words_match_in_another_form_of_their_language(published, editor, text, query):
    ClaimFactory(incident=published, original_text=text)

    assert staff_finds(query) == {"Depot emptied"}


@postgresql_only
def test_the_documents_the_triggers_keep_are_those_a_rebuild_makes(published, editor):
    """Whatever happened, the triggers' documents are what building them afresh gives."""
    late_claim(published, original_text="Boilers and carpets.")
    claim = ClaimFactory(incident=published, original_text="Icons from the church.")
    claim_services.withdraw_claim(claim=claim, editor=editor, reason="Duplicate.")
    IncidentFactory(title="Draft only", place=PlaceFactory(precision=PlacePrecision.EXACT))

    kept = set(IncidentSearchDocument.objects.values_list("incident_id", "staff", "partners"))
    with connection.cursor() as cursor:
        cursor.execute(fulltext.DOCUMENTS.format(where="true"))
        rebuilt = set(cursor.fetchall())

    assert kept == rebuilt
    assert len(kept) == Incident.objects.count()


@postgresql_only
def test_generated_data_gets_its_documents_after_the_bulk_inserts(db):
    """generate_demo_data silences the triggers and builds every document at the end."""
    call_command("generate_demo_data", "--incidents", "40", "--seed", "3")

    kept = set(IncidentSearchDocument.objects.values_list("incident_id", "staff", "partners"))
    with connection.cursor() as cursor:
        cursor.execute(fulltext.DOCUMENTS.format(where="true"))
        assert kept == set(cursor.fetchall())
        cursor.execute("SELECT current_setting(%s, true)", [fulltext.SETTING])
        assert cursor.fetchone()[0] != "on"
    assert len(kept) == Incident.objects.count() == 40
