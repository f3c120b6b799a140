"""What a journalist sees when the log and edit forms come back: only the errors that
concern what they entered, in plain words, with required fields marked."""

import pytest

from incidents.models import Incident
from tests.factories import IncidentFactory, PlaceFactory
from tests.pages.forms_data import incident_post
from tests.pages.test_incident_pages import edit_data

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
