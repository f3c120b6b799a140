"""A place's (actor's, source's) country is an ISO 3166-1 alpha-2 code checked with
pycountry, picked and shown by its name."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from claims import services as claim_services
from claims.models import Source
from incidents import services as incident_services
from incidents.models import Actor, Place
from lootwatch.countries import country_choices, country_name, validate_country_code
from tests.factories import IncidentFactory, PlaceFactory
from tests.incidents.pages.forms_data import claim_fields, incident_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["UA", "BY", "RU", "US", "GB"])
def test_real_codes_pass(code):
    validate_country_code(code)


@pytest.mark.parametrize("code", ["XX", "UK", "ua", "UKR", "U", "", "ZZ"])
def test_anything_else_is_refused(code):
    with pytest.raises(ValidationError, match="ISO 3166-1 alpha-2"):
        validate_country_code(code)


def test_names():
    with translation.override("en"):
        assert country_name("UA") == "Ukraine"
        assert country_name("by") == "Belarus"
        assert country_name("MD") == "Moldova"
        assert country_name("XX") == "XX"


def test_names_in_ukrainian():
    with translation.override("uk"):
        assert country_name("UA") == "Україна"
        assert country_name("MD") == "Молдова"
        assert country_name("XX") == "XX"
        assert ("PL", "Польща (PL)") in country_choices()
    with translation.override("en"):
        assert ("PL", "Poland (PL)") in country_choices()


def place(country):
    return Place(name="Melitopol", country=country, latitude="46.84", longitude="35.37")


def test_the_services_refuse_an_unknown_country(editor):
    with pytest.raises(ValidationError) as refused:
        incident_services.create_place(place=place("XX"), created_by=editor)
    assert "country" in refused.value.message_dict
    with pytest.raises(ValidationError):
        incident_services.create_actor(
            actor=Actor(name="Kadyrovtsy", kind="paramilitary", country="UK"), created_by=editor
        )
    with pytest.raises(ValidationError):
        claim_services.create_source(
            source=Source(name="CNN", kind="media_outlet", country="EN"), created_by=editor
        )
    assert not Place.objects.exists() and not Actor.objects.exists()


def test_the_log_form_picks_a_country_by_name_and_refuses_an_unknown_one(journalist_client):
    form = journalist_client.get("/incidents/new/").content.decode()
    assert '<option value="UA">Ukraine (UA)</option>' in form

    data = incident_post(
        place=None,
        claims=[claim_fields(new_source_country="XX")],
        **{
            "new_place-name": "Melitopol",
            "new_place-country": "XX",
            "new_place-latitude": "46.84",
            "new_place-longitude": "35.37",
            "new_place-precision": "settlement",
        },
    )
    data["place"] = "new"
    response = journalist_client.post("/incidents/new/", data)

    assert response.status_code == 200
    assert response.context["place_form"].errors["country"]
    claim_form = response.context["claim_formset"].forms[0]
    assert "ISO 3166-1 alpha-2" in str(claim_form.errors["new_source_country"])
    assert not Place.objects.filter(name="Melitopol").exists()


def test_the_admin_picks_and_lists_countries_by_name(editor_client):
    PlaceFactory(name="Narowlya", country="BY")
    form = editor_client.get("/admin/incidents/place/add/").content.decode()
    assert '<option value="BY">Belarus (BY)</option>' in form
    listing = editor_client.get("/admin/incidents/place/").content.decode()
    assert "Belarus (BY)" in listing
    refused = editor_client.post(
        "/admin/incidents/place/add/",
        {
            "name": "Nowhere",
            "alternative_names": "[]",
            "country": "XX",
            "latitude": "1",
            "longitude": "1",
            "precision": "settlement",
        },
    )
    assert refused.status_code == 200
    assert not Place.objects.filter(name="Nowhere").exists()


def test_the_incident_page_names_the_country(journalist, journalist_client):
    incident = IncidentFactory(created_by=journalist, place=PlaceFactory(country="UA"))
    page = journalist_client.get(incident.get_absolute_url()).content.decode()
    assert "Ukraine" in page
