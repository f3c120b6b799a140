"""One date input format everywhere, day first, shown as a hint and defined once per
language (lootwatch/formats/); the partner API keeps ISO 8601."""

import datetime
import re

import pytest
from django.utils import translation
from django.utils.formats import get_format

from incidents.models import Incident
from tests.factories import IncidentFactory, PlaceFactory
from tests.incidents.pages.forms_data import claim_fields, incident_post

pytestmark = pytest.mark.django_db


def test_the_format_is_defined_once_day_first():
    with translation.override("en-gb"):
        assert get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"
        assert get_format("DATETIME_INPUT_FORMATS")[0] == "%d/%m/%Y %H:%M"
    from lootwatch.formats.en import formats

    assert formats.DATE_INPUT_FORMATS[0] == "%d/%m/%Y"


def test_the_log_form_shows_the_format_and_takes_dates_day_first(journalist_client):
    form = journalist_client.get("/incidents/new/").content.decode()
    occurred_from = re.search(r'<input[^>]*name="occurred_from"[^>]*>', form).group(0)
    assert 'type="text"' in occurred_from and 'placeholder="DD/MM/YYYY"' in occurred_from
    assert "DD/MM/YYYY, e.g. 27/04/2022" in form
    assert 'placeholder="DD/MM/YYYY hh:mm"' in form  # a claim's publication time

    data = incident_post(
        place=PlaceFactory(),
        claims=[claim_fields(published_at="27/04/2022 14:30")],
        occurred_from="26/04/2022",
        occurred_to="28/04/2022",
    )
    response = journalist_client.post("/incidents/new/", data)

    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.occurred_from, incident.occurred_to) == (
        datetime.date(2022, 4, 26),
        datetime.date(2022, 4, 28),
    )
    assert incident.claims.get().published_at == datetime.datetime(
        2022, 4, 27, 14, 30, tzinfo=datetime.UTC
    )


def test_a_month_first_date_is_refused_not_misread(journalist_client):
    data = incident_post(place=PlaceFactory(), occurred_from="04/27/2022", occurred_to="28/04/2022")
    response = journalist_client.post("/incidents/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["occurred_from"]
    assert not Incident.objects.exists()


def test_the_edit_form_and_the_admin_show_dates_day_first(
    journalist, journalist_client, editor_client
):
    incident = IncidentFactory(
        created_by=journalist,
        occurred_from=datetime.date(2022, 4, 26),
        occurred_to=datetime.date(2022, 4, 28),
    )
    page = journalist_client.get(f"/incidents/{incident.public_id}/edit/").content.decode()
    assert 'value="26/04/2022"' in page
    admin = editor_client.get(f"/admin/incidents/incident/{incident.pk}/change/").content.decode()
    assert 'value="26/04/2022"' in admin
    assert "DD/MM/YYYY, e.g. 27/04/2022" in admin


def test_the_list_filter_takes_the_same_format(journalist, journalist_client):
    IncidentFactory(
        created_by=journalist,
        title="Tractors",
        occurred_from=datetime.date(2022, 4, 26),
        occurred_to=datetime.date(2022, 4, 28),
    )
    response = journalist_client.get("/incidents/", {"occurred_after": "27/04/2022"})
    assert [incident.title for incident in response.context["page"]] == ["Tractors"]
    assert "DD/MM/YYYY, e.g. 27/04/2022" in response.content.decode()


@pytest.mark.parametrize(("language", "typed"), [("en-gb", "26.04.2022"), ("uk", "26/04/2022")])
def test_the_other_languages_day_first_form_is_read_too(journalist_client, language, typed):
    """A Ukrainian journalist pasting 26/04/2022 from an English page (or the other way
    round) is understood, still day first."""
    journalist_client.post("/language/", {"language": language, "next": "/incidents/"})
    data = incident_post(place=PlaceFactory(), occurred_from=typed, occurred_to=typed)
    response = journalist_client.post("/incidents/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert Incident.objects.get().occurred_from == datetime.date(2022, 4, 26)
