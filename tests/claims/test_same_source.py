"""One source per outlet: a source named again (another case, other spacing, the same URL
written another way) is the known one, from the log form and everywhere else."""

import pytest
from django.core.exceptions import ValidationError

from claims import services as claim_services
from claims.models import Source
from claims.same_source import existing_source
from tests.factories import PlaceFactory, SourceFactory
from tests.incidents.pages.forms_data import claim_fields, incident_post

pytestmark = pytest.mark.django_db

CNN = {"name": "CNN", "kind": "media_outlet", "country": "US", "url": "https://edition.cnn.com/"}

# (the known source's fields, the new source's fields, is it the known one?)
CASES = [
    ({}, {}, True),
    ({}, {"name": "  cnn "}, True),
    ({}, {"name": "C N N"}, False),
    ({}, {"url": "https://www.cnn.com"}, True),
    ({}, {"url": ""}, True),
    ({"url": ""}, {"url": "https://cnn.com"}, True),
    ({}, {"url": "https://cnn.example.org/"}, False),
    ({}, {"country": ""}, True),
    ({}, {"country": "GB"}, False),
    ({}, {"kind": "social_media_account"}, True),
    ({"name": "Olena", "kind": "witness", "url": ""}, {"name": "Olena", "kind": "witness"}, False),
    ({}, {"identity_protected": True}, False),
    ({"identity_protected": True}, {}, False),
    ({"name": "@DefenceU", "url": "@DefenceU"}, {"name": "@defenceu", "url": "DefenceU"}, True),
]


@pytest.mark.parametrize(("known", "new", "same"), CASES)
def test_which_sources_are_the_same(editor, known, new, same):
    existing = claim_services.create_source(source=Source(**{**CNN, **known}), created_by=editor)
    candidate = Source(**{**CNN, **known, **new})

    assert (existing_source(candidate) == existing) is same


def test_adding_a_known_source_again_is_refused(editor):
    claim_services.create_source(source=Source(**CNN), created_by=editor)
    with pytest.raises(ValidationError, match="already a source"):
        claim_services.create_source(source=Source(**{**CNN, "name": "cnn "}), created_by=editor)
    assert Source.objects.count() == 1


def test_the_log_form_reuses_a_known_source_and_creates_a_new_one_once(
    journalist, journalist_client
):
    known = SourceFactory(name="CNN", kind="media_outlet", country="US")
    place = PlaceFactory()
    claims = [
        claim_fields(new_source_name="cnn", new_source_kind="media_outlet", new_source_country=""),
        claim_fields(
            new_source_name="Melitopol City Council",
            url="https://t.me/melitopol_rada/1",
        ),
        claim_fields(
            new_source_name=" Melitopol  city council ",
            url="https://t.me/melitopol_rada/2",
        ),
    ]

    response = journalist_client.post("/incidents/new/", incident_post(place=place, claims=claims))

    assert response.status_code == 302
    assert Source.objects.filter(name__iexact="cnn").get() == known
    council = Source.objects.get(name="Melitopol City Council")
    assert council.claims.count() == 2
    assert Source.objects.count() == 2
