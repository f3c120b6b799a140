"""Bounded requests: a log form claiming 100,000 claims or items, a 4 MB summary, a body
over the limits or a field count over DATA_UPLOAD_MAX_NUMBER_FIELDS is refused at once,
says which limit it hit, and writes nothing. Implausible dates are refused too."""

import datetime
import io
import tracemalloc

import pytest
from django.test import Client
from django.utils import timezone

from claims import services as claim_services
from claims.models import Claim, Source
from incidents import services as incident_services
from incidents.models import Incident
from tests.factories import ClaimFactory, IncidentFactory, PlaceFactory
from tests.incidents.pages.forms_data import claim_fields, incident_post

pytestmark = pytest.mark.django_db


def nothing_written():
    return not (Incident.objects.exists() or Claim.objects.exists() or Source.objects.exists())


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("claims", "This form takes at most 20 claims"),
        ("items", "An incident lists at most 50 kinds of items taken."),
        ("route", "A route has at most"),
        ("links", "A form takes at most 20 links."),
    ],
)
def test_a_huge_form_count_is_refused_before_forms_are_built(journalist_client, prefix, message):
    data = incident_post(place=PlaceFactory(), **{f"{prefix}-TOTAL_FORMS": "100000"})
    Place = type(PlaceFactory._meta.model.objects.first())
    places = Place.objects.count()
    # A server that has shown the form before (its templates compiled), as in production.
    journalist_client.get("/incidents/new/")

    # Memory, not time, shows whether 100,000 forms were built: one form costs kilobytes, and
    # a clock would only measure how busy the machine is.
    tracemalloc.start()
    response = journalist_client.post("/incidents/new/", data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert response.status_code == 200
    assert message in response.content.decode()
    assert peak < 20_000_000, f"the refusal allocated {peak:,} bytes"
    assert not Incident.objects.exists() and not Claim.objects.exists()
    assert Place.objects.count() == places


def test_an_oversized_text_is_refused_with_its_limit(journalist_client):
    data = incident_post(place=PlaceFactory(), summary="x" * 4_000_000)
    response = journalist_client.post("/incidents/new/", data)
    assert response.status_code == 200
    assert "at most 10000 characters" in response.content.decode()
    assert not Incident.objects.exists()


def test_a_body_over_the_form_data_limit_gets_a_page_saying_so(journalist_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
    data = incident_post(place=PlaceFactory(), summary="x" * 1_500_000)
    response = journalist_client.post("/incidents/new/", data)
    assert response.status_code == 413
    content = response.content.decode()
    assert "larger than 0.953674 MB" in content or "larger than" in content
    assert "Nothing was saved." in content
    assert not Incident.objects.exists()


def test_too_many_fields_get_a_page_saying_so(journalist_client):
    data = incident_post(place=PlaceFactory())
    data.update({f"padding-{n}": "x" for n in range(1001)})
    response = journalist_client.post("/incidents/new/", data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "more than 1000 fields" in content and "Nothing was saved." in content
    assert not Incident.objects.exists()


def test_a_body_over_the_total_limit_is_refused_before_it_is_read(journalist_client, settings):
    settings.REQUEST_MAX_BODY_BYTES = 10_000
    response = journalist_client.post(
        "/incidents/new/", b"x" * 20_000, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "files included" in response.content.decode()
    api = journalist_client.generic(
        "POST", "/api/v1/incidents/", b"x" * 20_000, content_type="application/json"
    )
    assert api.status_code == 413
    assert "Nothing was saved." in api.json()["detail"]


def test_services_refuse_oversized_notes_and_reasons(editor):
    claim = ClaimFactory()
    with pytest.raises(Exception, match="at most 5000 characters"):
        claim_services.review_claim(
            claim=claim, reviewer=editor, to_status="verified", note="x" * 5001
        )
    with pytest.raises(Exception, match="Keep it under 5,000 characters"):
        claim_services.withdraw_claim(claim=claim, editor=editor, reason="x" * 5001)
    claim.refresh_from_db()
    assert claim.status == "unverified" and claim.withdrawn_at is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("occurred_from", "0001-01-01", "before 1900"),
        ("occurred_to", "2099-01-01", "in the future"),
        ("occurred_from", "1899-12-31", "before 1900"),
    ],
)
def test_implausible_incident_dates_are_refused(journalist_client, field, value, message):
    overrides = {field: value}
    if field == "occurred_from":
        overrides["occurred_to"] = "2022-03-30"
    else:
        overrides["occurred_from"] = "2022-03-20"
    response = journalist_client.post(
        "/incidents/new/", incident_post(place=PlaceFactory(), **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_written() or not Incident.objects.exists()


def test_implausible_claim_dates_are_refused(journalist_client):
    claim = claim_fields(published_at="2099-04-02T11:40")
    response = journalist_client.post(
        "/incidents/new/", incident_post(place=PlaceFactory(), claims=[claim])
    )
    assert "in the future" in response.content.decode()
    assert not Incident.objects.exists()


def test_tomorrow_is_still_plausible_and_the_services_check_too(journalist):
    tomorrow = timezone.now().date() + datetime.timedelta(days=1)
    incident = IncidentFactory(created_by=journalist, occurred_from=tomorrow, occurred_to=tomorrow)
    assert incident.pk
    with pytest.raises(Exception, match="in the future"):
        incident_services.log_incident(
            logged_by=journalist,
            incident=IncidentFactory.build(
                occurred_from=datetime.date(2022, 1, 1),
                occurred_to=tomorrow + datetime.timedelta(days=1),
            ),
            place=PlaceFactory(),
        )


def test_a_ten_megabyte_paste_gets_the_page_with_debug_on_too(journalist_client, settings):
    # `make run` serves with DEBUG on, where Django answers its own form limits with its
    # technical 400 page: the journalist gets the page that names the limit there too.
    settings.DEBUG = True
    data = incident_post(place=PlaceFactory(), summary="x" * 10_000_000)
    response = journalist_client.post("/incidents/new/", data)
    assert response.status_code == 413
    content = response.content.decode()
    assert "text was larger than 5 MB (files not counted)" in content
    assert "Nothing was saved." in content
    assert "Back button to return to the form" in content
    assert not Incident.objects.exists()


def test_a_client_gone_mid_upload_is_still_refused_by_the_csrf_check(journalist):
    class Broken(io.BytesIO):
        def read(self, *args):
            raise OSError("connection reset")

    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(journalist)
    # What a closed connection leaves: a body announced, never read to its end.
    response = client.generic(
        "POST",
        "/incidents/new/",
        b"title=Cut",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="100",
        **{"wsgi.input": Broken()},
    )
    assert response.status_code == 403
    assert not Incident.objects.exists()
