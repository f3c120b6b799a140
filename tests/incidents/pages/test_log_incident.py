"""Logging an incident with its place, items, actors and claims (with evidence) in one
form: all of it saved through the services, or nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims import services as claim_services
from claims.models import Claim, Evidence, Source
from incidents.models import Incident, IncidentStatus, ItemCategory, Place
from tests.factories import ActorFactory, ClaimFactory, IncidentFactory, PlaceFactory
from tests.incidents.pages.conftest import jpeg_upload
from tests.incidents.pages.forms_data import claim_fields, incident_post

pytestmark = pytest.mark.django_db

NEW = "/incidents/new/"


def test_the_form_renders_with_labels(journalist_client):
    content = journalist_client.get(NEW).content.decode()
    for label in ("Title", "Occurred from", "Place", "Alleged actors", "Quote (original language)"):
        assert label in content
    assert 'name="claims-TOTAL_FORMS"' in content
    assert 'id="claims-empty"' in content
    assert 'type="file"' in content and "multiple" in content
    assert "Save draft" in content and "Submit for review" in content


def test_log_an_incident_with_two_claims_and_an_image(journalist, journalist_client):
    place = PlaceFactory(name="Bucha")
    actor = ActorFactory(name="Russian Armed Forces")
    press = claim_fields(
        new_source_name="HuffPost",
        new_source_kind="media_outlet",
        medium="press_report",
        url="https://www.huffpost.com/entry/looting",
        original_text="Troops are looting washing machines, the ministry said.",
    )
    post = claim_fields(
        new_source_name="Defence Ministry of Ukraine",
        medium="facebook_post",
        url="https://facebook.com/MinistryofDefence.UA/posts/1",
        language="uk",
        original_text="Окупанти вивозять пральні машини.",
        translation="The occupiers are taking away washing machines.",
        translated_by="HuffPost",
        translator_kind="organisation",
        reported_via_number="0",
        evidence=jpeg_upload(),
    )
    data = incident_post(
        place=place,
        claims=[press, post],
        items=[
            {
                "category": str(ItemCategory.objects.get(slug="cars").pk),
                "description": "washing machines",
                "quantity_min": "10",
                "quantity_max": "99",
            }
        ],
        actors=[str(actor.pk)],
        submit="1",
    )

    response = journalist_client.post(NEW, data)

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == incident.get_absolute_url()
    assert incident.status == IncidentStatus.SUBMITTED
    assert incident.created_by == journalist
    assert incident.place == place
    assert list(incident.actors.all()) == [actor]
    [item] = incident.items.all()
    assert (item.description, item.quantity_min, item.quantity_max) == ("washing machines", 10, 99)
    first, second = incident.claims.order_by("pk")
    assert first.source.name == "HuffPost" and first.medium == "press_report"
    assert second.reported_via == first
    assert second.translated_by == "HuffPost"
    assert second.submitted_by == journalist
    [evidence] = second.evidence.all()
    assert evidence.content_type == "image/jpeg"
    assert evidence.uploaded_by == journalist
    # Logged with everything it came with in one service call: one history record.
    [record] = incident.history.all()
    assert (record.history_user, record.history_change_reason) == (
        journalist,
        "logged and submitted for review",
    )
    page = journalist_client.get(incident.get_absolute_url()).content.decode()
    assert "Incident logged and submitted for review." in page


def test_save_as_draft_with_a_new_place(journalist, journalist_client):
    data = incident_post(
        place=None,
        **{
            "new_place-name": "Buryn",
            "new_place-country": "ua",
            "new_place-admin1": "Sumy Oblast",
            "new_place-latitude": "51.2",
            "new_place-longitude": "33.81",
            "new_place-precision": "settlement",
        },
        save="1",
    )

    response = journalist_client.post(NEW, data)

    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.status == IncidentStatus.DRAFT
    assert incident.place.name == "Buryn"
    assert incident.place.country == "UA"
    assert incident.place.history.first().history_user == journalist
    assert Source.objects.get().name == "Ministry of Defence of Ukraine"


def test_a_single_day_needs_no_end_date(journalist_client):
    data = incident_post(place=PlaceFactory(), occurred_from="2022-04-02", occurred_to="")
    response = journalist_client.post(NEW, data)
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.occurred_from == incident.occurred_to == datetime.date(2022, 4, 2)


def test_coordinates_copied_from_a_map_app_are_rounded_not_refused(journalist_client):
    """Map apps copy seven decimals or more; six are stored (about 10 cm)."""
    data = incident_post(
        place=None,
        **{
            "new_place-name": "Melitopol",
            "new_place-country": "UA",
            "new_place-latitude": "46.8489257",
            "new_place-longitude": "35.36531449",
            "new_place-precision": "settlement",
        },
    )

    response = journalist_client.post(NEW, data)

    assert response.status_code == 302
    place = Incident.objects.get().place
    assert (str(place.latitude), str(place.longitude)) == ("46.848926", "35.365314")


def test_errors_are_shown_next_to_fields_and_nothing_is_saved(journalist_client):
    place = PlaceFactory()
    data = incident_post(
        place=place,
        title="Kept title",
        occurred_to="2022-03-01",
        claims=[claim_fields(original_text="", translation="A translation", url="not a url")],
    )

    response = journalist_client.post(NEW, data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was saved yet." in content
    assert "The end of the date range is before its start." in content
    assert "Enter a valid URL." in content
    assert 'value="Kept title"' in content
    assert "A translation</textarea>" in content
    form = response.context["claim_formset"].forms[0]
    assert "original_text" in form.errors
    assert 'aria-invalid="true"' in content
    assert not Incident.objects.exists()
    assert not Source.objects.exists()


def test_a_place_is_required(journalist_client):
    response = journalist_client.post(NEW, incident_post(place=None))
    assert "Pick a place, or describe a new one below." in response.content.decode()
    incomplete = incident_post(place=None, **{"new_place-name": "Somewhere"})
    response = journalist_client.post(NEW, incomplete)
    assert "This field is required for a new place." in response.content.decode()
    assert not Place.objects.filter(name="Somewhere").exists()
    assert not Incident.objects.exists()


def test_a_refused_evidence_file_saves_nothing(journalist_client):
    place = PlaceFactory()
    fake = SimpleUploadedFile("photo.jpg", b"this is not an image", "image/jpeg")
    data = incident_post(
        place=place,
        claims=[claim_fields(), claim_fields(url="https://t.me/x/1", evidence=fake)],
    )

    response = journalist_client.post(NEW, data)

    assert response.status_code == 200
    second = response.context["claim_formset"].forms[1]
    # attach_evidence refused it; its message is shown next to the file field.
    assert "JPEG, PNG" in " ".join(second.errors["evidence"])
    assert "choose the evidence files again" in response.content.decode()
    assert not Incident.objects.exists()
    assert not Claim.objects.exists()
    assert not Source.objects.exists()
    assert not Evidence.objects.exists()


def test_two_claims_with_one_url_are_refused(journalist_client):
    data = incident_post(place=PlaceFactory(), claims=[claim_fields(), claim_fields()])
    response = journalist_client.post(NEW, data)
    assert "Claim 1 in this form has the same URL." in response.content.decode()
    assert not Incident.objects.exists()


def test_a_claim_can_only_be_known_through_an_earlier_one(journalist_client):
    data = incident_post(
        place=PlaceFactory(),
        claims=[claim_fields(reported_via_number="1"), claim_fields(url="https://t.me/x/2")],
    )
    response = journalist_client.post(NEW, data)
    assert response.status_code == 200
    assert not Incident.objects.exists()


def test_only_journalists_and_editors_log_incidents(partner_client):
    response = partner_client.post(NEW, incident_post(place=None))
    assert response.status_code == 403
    assert not Incident.objects.exists()


# Duplicate warnings -----------------------------------------------------------------------


def test_same_claim_url_is_flagged_before_saving(journalist, journalist_client):
    existing = IncidentFactory(created_by=journalist, title="Already logged", status="submitted")
    ClaimFactory(incident=existing, url="https://twitter.com/DefenceU/status/1")
    data = incident_post(
        place=PlaceFactory(),
        occurred_from="2023-01-01",
        occurred_to="2023-01-02",
        claims=[claim_fields(url="https://twitter.com/DefenceU/status/1")],
    )

    response = journalist_client.post(NEW, data)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved: this may already be in Lootwatch" in content
    assert '<span class="tag match-reason">same URL</span>' in content
    assert existing.get_absolute_url() in content
    assert Incident.objects.count() == 1

    data["confirm_duplicates"] = "1"
    assert journalist_client.post(NEW, data).status_code == 302
    assert Incident.objects.count() == 2


def test_same_evidence_file_is_flagged(journalist, journalist_client):
    existing = IncidentFactory(created_by=journalist, title="With the photo", status="submitted")
    claim = ClaimFactory(incident=existing)
    claim_services.attach_evidence(claim=claim, file=jpeg_upload(), uploaded_by=journalist)
    data = incident_post(
        place=PlaceFactory(),
        occurred_from="2023-01-01",
        occurred_to="2023-01-02",
        claims=[claim_fields(evidence=jpeg_upload(name="same-bytes.jpg"))],
    )

    content = journalist_client.post(NEW, data).content.decode()

    assert '<span class="tag match-reason">same file</span>' in content
    assert "With the photo" in content
    assert Incident.objects.count() == 1


def test_incidents_at_the_same_place_within_days_are_flagged(journalist, journalist_client):
    place = PlaceFactory()
    nearby = IncidentFactory(created_by=journalist, place=place, title="Nearby in time")
    data = incident_post(place=place, occurred_from="2022-04-04", occurred_to="2022-04-05")

    content = journalist_client.post(NEW, data).content.decode()

    assert '<span class="tag match-reason">same place and dates</span>' in content
    assert nearby.get_absolute_url() in content
    far = incident_post(place=place, occurred_from="2022-05-01", occurred_to="2022-05-02")
    assert journalist_client.post(NEW, far).status_code == 302


def test_duplicate_check_endpoint_for_htmx(journalist, journalist_client, other_journalist):
    place = PlaceFactory(latitude="50.5", longitude="30.2")
    existing = IncidentFactory(created_by=journalist, place=place, title="Seen before")
    claim = ClaimFactory(incident=existing, url="https://t.me/ministry/42")
    hidden = IncidentFactory(created_by=other_journalist, place=place, title="Their draft")
    ClaimFactory(incident=hidden, url="https://t.me/ministry/43")

    response = journalist_client.get(
        "/incidents/duplicates/",
        {
            "claims-0-url": "https://t.me/ministry/42",
            "claims-1-url": "https://t.me/ministry/43",
            "new_place-latitude": "50.51",
            "new_place-longitude": "30.19",
            "occurred_from": "2022-04-01",
            "occurred_to": "bad date",
            "sha256": "nonsense,",
        },
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert f"#claim-{claim.public_id}" in content
    assert "Seen before" in content
    assert "Their draft" not in content
    assert 'name="confirm_duplicates"' in content
    empty = journalist_client.get("/incidents/duplicates/", {"claims-0-url": "https://x.org/"})
    assert empty.content.decode().strip() == ""


def test_place_autocomplete_options(journalist_client):
    PlaceFactory(name="Bucha")
    PlaceFactory(name="Irpin")
    content = journalist_client.get("/incidents/places/", {"place_search": "buc"}).content
    assert b"Bucha" in content and b"Irpin" not in content
    assert b"selected" in content


def test_the_place_pickers_carry_only_the_chosen_place(journalist, journalist_client):
    """At the size of a war (100,000 places) every place in the log form made a page of
    megabytes: the pickers carry the chosen place only, the search box offers the others."""
    chosen = PlaceFactory(name="Vorzel")
    others = [PlaceFactory(name=f"Hamlet {n}") for n in range(3)]

    blank = journalist_client.get(NEW).content.decode()
    assert not any(place.name in blank for place in [chosen, *others])
    assert 'aria-controls="id_place"' in blank and 'aria-controls="id_route-0-place"' in blank

    # Sent back with an error, the form shows the place that was chosen, and "new" when chosen.
    refused = journalist_client.post(
        NEW,
        {
            "title": "",
            "place": str(chosen.pk),
            "route-TOTAL_FORMS": "1",
            "route-INITIAL_FORMS": "0",
            "route-0-place": "new",
        },
    ).content.decode()
    assert f'<option value="{chosen.pk}" selected>Vorzel' in refused
    assert '<option value="new" selected>' in refused
    assert not any(place.name in refused for place in others)

    # Editing shows the incident's own place, chosen.
    incident = IncidentFactory(created_by=journalist, place=chosen)
    edit = journalist_client.get(f"{incident.get_absolute_url()}edit/").content.decode()
    assert f'<option value="{chosen.pk}" selected>Vorzel' in edit


@pytest.mark.parametrize(
    ("occurred_from", "occurred_to"),
    [("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31"), ("0001-01-01", "9999-12-31")],
    ids=["first-dates", "last-dates", "all-dates"],
)
def test_duplicate_check_takes_the_first_and_last_dates(
    journalist, journalist_client, occurred_from, occurred_to
):
    """Widening the range by a few days stops at the calendar's ends instead of failing."""
    place = PlaceFactory()
    IncidentFactory(created_by=journalist, place=place, title="At this place")
    params = {"place": str(place.pk), "occurred_from": occurred_from, "occurred_to": occurred_to}

    response = journalist_client.get("/incidents/duplicates/", params)

    assert response.status_code == 200
    # Only the range from the first date to the last takes in the incident's dates.
    covers = occurred_from < "2000" and occurred_to > "2030"
    assert ("At this place" in response.content.decode()) == covers


@pytest.mark.parametrize(
    ("occurred_from", "occurred_to"),
    [("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31")],
    ids=["first-dates", "last-dates"],
)
def test_logging_with_the_first_or_last_dates_is_no_error(
    journalist_client, occurred_from, occurred_to
):
    data = incident_post(place=PlaceFactory(), occurred_from=occurred_from, occurred_to=occurred_to)
    response = journalist_client.post(NEW, data)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    "params",
    [
        {"place": "²"},
        {"place": "1\x00"},
        {"place": "99999999999999999999999"},
        {"url": "https://t.me/ministry/42\x00"},
        {"claims-0-url": "\x00"},
        {"sha256": "\x00" * 64},
        {"sha256": "ab\x00cd"},
        {"occurred_from": "2022-04-01\x00"},
        {"new_place-latitude": "5\x000", "new_place-longitude": "NaN"},
        {"new_place-latitude": "1e999", "new_place-longitude": "-Infinity"},
    ],
    ids=[
        "superscript-place",
        "nul-place",
        "huge-place",
        "nul-url",
        "nul-only-url",
        "nul-digest",
        "nul-in-digest",
        "nul-date",
        "nul-latitude",
        "infinite-coordinates",
    ],
)
def test_duplicate_check_ignores_unreadable_parameters(journalist, journalist_client, params):
    existing = IncidentFactory(created_by=journalist, title="Seen before")
    ClaimFactory(incident=existing, url="https://t.me/ministry/42")
    response = journalist_client.get(
        "/incidents/duplicates/", {**params, "claims-1-url": "https://t.me/ministry/42"}
    )
    assert response.status_code == 200
    # The readable parameters still count.
    assert "Seen before" in response.content.decode()


def test_duplicate_check_finds_a_file_by_its_digest(journalist, journalist_client):
    existing = IncidentFactory(created_by=journalist, title="With the photo")
    claim = ClaimFactory(incident=existing)
    evidence = claim_services.attach_evidence(
        claim=claim, file=jpeg_upload(), uploaded_by=journalist
    )
    response = journalist_client.get(
        "/incidents/duplicates/", {"sha256": f"nonsense,{evidence.sha256.upper()}"}
    )
    assert "With the photo" in response.content.decode()


def test_place_search_ignores_nul_characters(journalist_client):
    PlaceFactory(name="Bucha")
    response = journalist_client.get("/incidents/places/", {"place_search": "Bu\x00cha"})
    assert response.status_code == 200
    assert b"Bucha" in response.content


def test_duplicate_check_is_wired_to_the_compared_fields_only(journalist, journalist_client):
    """The forms themselves make no request (htmx would send every field): the warnings box
    does, with only the fields the check compares (tests/browser checks the real request)."""
    incident = IncidentFactory(created_by=journalist)
    for url, form_id in (
        (NEW, "incident-form"),
        (f"{incident.get_absolute_url()}claims/new/", "claim-form"),
    ):
        content = journalist_client.get(url).content.decode()
        form_tag = content[content.index(f'id="{form_id}"') :].split(">", 1)[0]
        assert "hx-" not in form_tag
        box = content[content.index('<div id="duplicates"') :].split(">", 1)[0]
        assert 'hx-get="/incidents/duplicates/"' in box
        assert "hx-include=" in box
        for private in ("internal_notes", "original_text", "translation", "title", "summary"):
            assert private not in box
