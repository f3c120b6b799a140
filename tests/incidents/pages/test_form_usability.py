"""What a journalist sees when the log and edit forms come back: only the errors that
concern what they entered, in plain words, with required fields marked."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile

from claims import services as claim_services
from claims.models import EvidenceKind, Source
from incidents.models import Incident
from tests.factories import ClaimFactory, IncidentFactory, PlaceFactory
from tests.incidents.pages.forms_data import claim_fields, incident_post
from tests.incidents.pages.test_incident_pages import edit_data

pytestmark = pytest.mark.django_db

NEW = "/incidents/new/"
NEW_PLACE_REQUIRED = "This field is required for a new place."


def new_place_section(content):
    start = content.index('<details class="new-place"')
    return content[start : content.index("</details>", start)]


def test_an_existing_place_with_another_error_leaves_the_new_place_closed(journalist_client):
    data = incident_post(place=PlaceFactory(), title="")

    response = journalist_client.post(NEW, data)

    content = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in content
    assert NEW_PLACE_REQUIRED not in content
    assert not response.context["place_form"].errors
    assert "open" not in new_place_section(content).split(">", 1)[0]
    assert not Incident.objects.exists()


def test_a_new_place_being_described_shows_its_errors_and_stays_open(journalist_client):
    data = incident_post(place=None, title="", **{"new_place-name": "Somewhere"})

    content = journalist_client.post(NEW, data).content.decode()

    section = new_place_section(content)
    assert section.split(">", 1)[0].endswith("open")
    assert section.count(NEW_PLACE_REQUIRED) == 4  # country, latitude, longitude, precision


def test_editing_with_an_existing_place_and_an_error_shows_no_new_place_errors(
    journalist, journalist_client
):
    incident = IncidentFactory(created_by=journalist)
    data = edit_data(incident, occurred_to="2000-01-01")

    response = journalist_client.post(f"{incident.get_absolute_url()}edit/", data)

    content = response.content.decode()
    assert "The end of the date range is before its start." in content
    assert NEW_PLACE_REQUIRED not in content
    assert "open" not in new_place_section(content).split(">", 1)[0]


# Duplicate claim URLs ---------------------------------------------------------------------

STORED = "https://twitter.com/DefenceU/status/1510265447712448514"


def test_the_log_form_flags_a_variant_of_a_stored_url(journalist, journalist_client):
    existing = IncidentFactory(created_by=journalist, title="Tweeted before", status="submitted")
    ClaimFactory(incident=existing, url=STORED)
    ClaimFactory(incident=existing, url="https://twitter.com/DefenceU/status/999")
    data = incident_post(
        place=PlaceFactory(),
        occurred_from="2023-01-01",
        occurred_to="2023-01-02",
        claims=[claim_fields(url="https://x.com/DefenceU/status/1510265447712448514?s=20")],
    )

    response = journalist_client.post(NEW, data)

    content = response.content.decode()
    assert '<span class="tag match-reason">same URL</span>' in content
    assert existing.get_absolute_url() in content
    assert [claim.url for claim in response.context["duplicates"].claims] == [STORED]
    assert Incident.objects.count() == 1


def test_a_page_capture_names_its_canonical_address_to_the_duplicate_check(
    journalist, journalist_client
):
    """A claim logged with a short link, whose saved page names the article's own address,
    is found when someone logs the article under that address (or any alias of it)."""
    existing = IncidentFactory(created_by=journalist, title="Tractors taken in Melitopol")
    claim = ClaimFactory(incident=existing, url="https://cnn.it/3KdT9xQ")
    capture = (
        b"<!doctype html><html><head><title>Russian troops steal farm equipment</title>"
        b'<link rel="canonical" href="https://www.cnn.com/2022/05/01/europe/'
        b'russian-troops-steal-farm-equipment-melitopol-intl/index.html"></head></html>'
    )
    claim_services.attach_evidence(
        claim=claim,
        file=SimpleUploadedFile("page.html", capture, "text/html"),
        uploaded_by=journalist,
        kind=EvidenceKind.PAGE_CAPTURE,
    )

    response = journalist_client.get(
        "/incidents/duplicates/",
        {
            "claims-0-url": "https://edition.cnn.com/2022/05/01/europe/"
            "russian-troops-steal-farm-equipment-melitopol-intl/index.html"
        },
    )

    assert "Tractors taken in Melitopol" in response.content.decode()


def test_the_duplicate_check_endpoint_matches_variants(journalist, journalist_client):
    existing = IncidentFactory(created_by=journalist, title="Seen on mobile")
    ClaimFactory(incident=existing, url="https://mobile.twitter.com/DefenceU/status/42/?s=46")

    response = journalist_client.get(
        "/incidents/duplicates/", {"claims-0-url": "https://x.com/DefenceU/status/42"}
    )

    assert "Seen on mobile" in response.content.decode()


def test_two_claims_with_variants_of_one_url_are_refused(journalist_client):
    claims = [
        claim_fields(url="https://x.com/DefenceU/status/7?s=20"),
        claim_fields(url="https://twitter.com/DefenceU/status/7"),
    ]
    response = journalist_client.post(NEW, incident_post(place=PlaceFactory(), claims=claims))
    assert "Claim 1 in this form has the same URL." in response.content.decode()
    assert not Incident.objects.exists()


# Plain words ------------------------------------------------------------------------------


def test_an_incident_without_claims_is_refused_in_plain_words(journalist_client):
    response = journalist_client.post(NEW, incident_post(place=PlaceFactory(), claims=[]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Add at least one claim: nothing in Lootwatch goes unsourced." in content
    assert "Please submit" not in content
    assert not Incident.objects.exists()


def test_too_many_claims_are_refused_in_plain_words(journalist_client):
    claims = [claim_fields(url=f"https://t.me/ministry/{number}") for number in range(21)]
    response = journalist_client.post(NEW, incident_post(place=PlaceFactory(), claims=claims))

    content = response.content.decode()
    assert "This form takes at most 20 claims" in content
    assert "Please submit" not in content
    assert not Incident.objects.exists()


def test_required_fields_are_marked_and_placeholders_read_as_examples(journalist_client):
    content = journalist_client.get(NEW).content.decode()

    assert "Fields marked" in content
    assert '<label for="id_title" class="required">' in content
    assert '<label for="id_occurred_from" class="required">' in content
    assert '<label for="id_claims-0-medium" class="required">' in content
    assert '<label for="id_new_place-name" class="required">' in content
    assert '<label for="id_new_place-admin1">' in content  # optional
    assert 'placeholder="e.g. uk"' in content
    assert 'placeholder="uk"' not in content
    # Countries are picked by name; dates say their format.
    assert '<option value="UA">Ukraine (UA)</option>' in content
    assert 'placeholder="DD/MM/YYYY"' in content
    # A picker that may be left for its "new" section is still marked: one of them is needed.
    assert '<label class="required" for="id_claims-0-source">' in content
    assert '<label class="required" for="id_place">' in content
    assert '<label for="id_new_actor-name" class="required">' in content


# Pickers: "choose …" by default, "a new one" opens its section -----------------------------


def test_pickers_default_to_choose_and_offer_a_new_one(journalist_client):
    content = journalist_client.get(NEW).content.decode()

    assert '<option value="" selected>— choose a source —</option>' in content
    assert '<option value="new">— a new source (name it below) —</option>' in content
    assert '<option value="" selected>— choose a place —</option>' in content
    assert '<option value="new">— a new place (describe it below) —</option>' in content
    assert 'data-new-opens="new-source"' in content and 'data-new-opens="new-place"' in content
    assert '<details class="new-source" >' in content
    assert "open" not in new_place_section(content).split(">", 1)[0]


def test_the_place_search_offers_a_new_place_too(journalist_client):
    content = journalist_client.get("/incidents/places/", {"place_search": "x"}).content.decode()
    assert '<option value="new">— a new place (describe it below) —</option>' in content


def test_choosing_a_new_source_without_a_name_asks_for_it(journalist_client):
    claim = claim_fields(source="new", new_source_name="", new_source_kind="")

    response = journalist_client.post(NEW, incident_post(place=PlaceFactory(), claims=[claim]))

    content = response.content.decode()
    assert "Name the new source." in content
    assert '<option value="new" selected>' in content
    assert '<details class="new-source" open>' in content
    assert not Incident.objects.exists()


def test_choosing_a_new_source_and_naming_it_creates_it(journalist_client):
    claim = claim_fields(source="new")

    response = journalist_client.post(NEW, incident_post(place=PlaceFactory(), claims=[claim]))

    assert response.status_code == 302
    assert Source.objects.get().name == "Ministry of Defence of Ukraine"


def test_nothing_chosen_as_source_asks_to_pick_or_name_one(journalist_client):
    claim = claim_fields(source="", new_source_name="", new_source_kind="")
    response = journalist_client.post(NEW, incident_post(place=PlaceFactory(), claims=[claim]))
    assert "Pick the source, or name a new one." in response.content.decode()
    assert not Incident.objects.exists()


def test_choosing_a_new_place_without_describing_it_opens_its_errors(journalist_client):
    data = incident_post(place=None)
    data["place"] = "new"

    response = journalist_client.post(NEW, data)

    content = response.content.decode()
    section = new_place_section(content)
    assert section.split(">", 1)[0].endswith("open")
    assert NEW_PLACE_REQUIRED in section
    assert not Incident.objects.exists()


def test_choosing_a_new_place_and_describing_it_saves_it(journalist_client):
    data = incident_post(
        place=None,
        **{
            "new_place-name": "Hostomel",
            "new_place-country": "ua",
            "new_place-latitude": "50.5690",
            "new_place-longitude": "30.2650",
            "new_place-precision": "settlement",
        },
    )
    data["place"] = "new"

    response = journalist_client.post(NEW, data)

    assert response.status_code == 302
    assert Incident.objects.get().place.name == "Hostomel"


# Page furniture ---------------------------------------------------------------------------

LOG_BUTTON = '<a href="/incidents/new/" role="button">Log an incident</a>'


@pytest.mark.parametrize("url", ["/incidents/", "/incidents/map/", "/incidents/timeline/"])
def test_list_map_and_timeline_offer_to_log_an_incident(journalist_client, url):
    assert LOG_BUTTON in journalist_client.get(url).content.decode()


def test_pages_name_a_favicon_that_exists(journalist_client):
    content = journalist_client.get("/incidents/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in content
    path = finders.find("favicon.svg")
    assert path
    assert Path(path).read_text(encoding="utf-8").startswith("<svg")


def test_the_duplicate_check_takes_a_new_place_by_its_coordinates(journalist, journalist_client):
    place = PlaceFactory(latitude="50.5", longitude="30.2")
    IncidentFactory(created_by=journalist, place=place, title="Right next door")
    params = {
        "place": "new",
        "occurred_from": "2022-04-04",
        "new_place-latitude": "50.501",
        "new_place-longitude": "30.201",
    }

    response = journalist_client.get("/incidents/duplicates/", params)

    assert response.status_code == 200
    assert "Right next door" in response.content.decode()
