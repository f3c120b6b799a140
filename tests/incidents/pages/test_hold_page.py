"""The duplicate hold page: it says plainly that nothing was saved and what to do, and lists
each matching incident once, with the reasons it matched as tags."""

import datetime
import re

import pytest

from claims import services as claim_services
from incidents.models import Incident
from tests.factories import ClaimFactory, IncidentFactory, PlaceFactory
from tests.incidents.pages.conftest import jpeg_upload
from tests.incidents.pages.forms_data import claim_fields, incident_post

pytestmark = pytest.mark.django_db

URL = "https://edition.cnn.com/2022/05/01/europe/russian-troops-steal-farm-equipment-melitopol-intl/index.html"


def test_each_matching_incident_is_listed_once_with_its_reasons(journalist, journalist_client):
    place = PlaceFactory(name="Melitopol")
    existing = IncidentFactory(
        created_by=journalist,
        place=place,
        title="John Deere machines taken from a Melitopol dealership",
        occurred_from=datetime.date(2022, 4, 27),
        occurred_to=datetime.date(2022, 4, 28),
        status="submitted",
    )
    claim = ClaimFactory(incident=existing, url=URL)
    claim_services.attach_evidence(claim=claim, file=jpeg_upload(), uploaded_by=journalist)
    data = incident_post(
        place=place,
        occurred_from="27/04/2022",
        occurred_to="27/04/2022",
        claims=[
            claim_fields(
                url="https://www.cnn.com/2022/05/01/europe/russian-troops-steal-farm-equipment-melitopol-intl/",
                evidence=jpeg_upload(name="copy.jpg"),
            )
        ],
    )

    response = journalist_client.post("/incidents/new/", data)

    content = response.content.decode()
    assert response.status_code == 200
    assert Incident.objects.count() == 1
    assert "Nothing was saved: this may already be in Lootwatch" in content
    assert "add your claim to it instead" in content
    assert "tick the box at the end of this panel and send the form again" in content
    panel = content[content.index('class="duplicate-warning held"') :]
    assert panel.count(f'<a href="{existing.get_absolute_url()}">') == 1
    tags = re.findall(r'<span class="tag match-reason">([^<]*)</span>', panel)
    assert tags == ["same URL", "same file", "same place and dates"]
    assert f"/incidents/{existing.public_id}/claims/new/" in panel
    # The held page opens on the panel: lootwatch.js moves the focus to it.
    assert 'aria-labelledby="duplicates-heading" tabindex="-1" data-focus-on-load>' in panel


def test_the_live_check_is_not_a_hold(journalist, journalist_client):
    existing = IncidentFactory(created_by=journalist, status="submitted")
    ClaimFactory(incident=existing, url=URL)

    content = journalist_client.get("/incidents/duplicates/", {"url": URL}).content.decode()

    assert "Already in Lootwatch?" in content
    assert "Nothing was saved" not in content
    assert "data-focus-on-load" not in content  # Typing on: the focus stays where it is.
    assert '<span class="tag match-reason">same URL</span>' in content
