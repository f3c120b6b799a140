"""Evidence through the journalists' page for adding a claim (/incidents/<uuid>/claims/new/),
and what the pages show of it afterwards."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from claims.models import Claim, CustodyAction, Evidence
from claims.services import attach_evidence
from tests.claims.evidence.conftest import gps_exif, jpeg, stored_files, upload
from tests.factories import IncidentFactory, SourceFactory

pytestmark = pytest.mark.django_db


def claim_post(source, **overrides):
    data = {
        "source": str(source.pk),
        "medium": "tweet",
        "url": "https://twitter.com/DefenceU/status/1510265447712448514",
        "archived_url": "https://web.archive.org/web/2022/https://twitter.com/DefenceU",
        "published_at": "2022-04-02T11:40",
        "language": "en",
        "original_text": "Not every military trophy reaches Russia.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def incident(journalist):
    return IncidentFactory(created_by=journalist, status="submitted")


def test_a_photo_posted_with_a_claim_is_kept_whole_and_shown_without_metadata(
    incident, journalist, journalist_client
):
    photo = jpeg(size=(800, 600), exif=gps_exif())
    response = journalist_client.post(
        reverse("incidents:claim-create", kwargs={"public_id": incident.public_id}),
        claim_post(SourceFactory(), evidence=[upload(photo, name="truck.jpg")]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    evidence = Evidence.objects.get(claim__incident=incident)
    assert evidence.uploaded_by == journalist
    assert evidence.original.open("rb").read() == photo
    assert evidence.metadata["gps"] == {"latitude": 50.54, "longitude": 30.22}
    assert evidence.custody.filter(action=CustodyAction.UPLOADED).exists()

    # The incident page shows the thumbnail, never the original or its metadata.
    page = journalist_client.get(incident.get_absolute_url()).content.decode()
    thumbnail_url = reverse("claims:evidence-thumbnail", kwargs={"public_id": evidence.public_id})
    assert thumbnail_url in page
    assert reverse("claims:evidence-original", kwargs={"public_id": evidence.public_id}) not in page
    assert "iPhone" not in page and evidence.original.name not in page
    # The photo's GPS, as any number (a timestamp's seconds such as :50.546 are not it).
    assert not re.search(r"(?<![\d:])(50\.54|30\.22)(?!\d)", page)
    thumbnail = journalist_client.get(thumbnail_url)
    image = Image.open(io.BytesIO(b"".join(thumbnail.streaming_content)))
    assert dict(image.getexif()) == {}


def test_a_polyglot_posted_with_a_claim_saves_nothing(incident, journalist_client, media_storage):
    polyglot = jpeg() + b"<script>document.location='https://evil.example/'</script>"
    response = journalist_client.post(
        reverse("incidents:claim-create", kwargs={"public_id": incident.public_id}),
        claim_post(SourceFactory(), evidence=[upload(polyglot, name="photo.jpg")]),
    )
    assert response.status_code == 200
    assert "web page or script code" in response.content.decode()
    # Only the claim it was submitted with: the one posted with the polyglot is not saved.
    assert list(Claim.objects.filter(incident=incident)) == list(incident.claims.all()[:1])
    assert incident.claims.count() == 1
    assert not Evidence.objects.exists()
    assert stored_files(media_storage["private"]) == []
    assert stored_files(media_storage["public"]) == []


def test_partners_get_derivative_links_but_nothing_about_the_original(
    published_incident, journalist
):
    from rest_framework_api_key.models import APIKey

    evidence = attach_evidence(
        claim=published_incident.claims.get(),
        file=upload(jpeg(exif=gps_exif()), name="secret-location.jpg"),
        uploaded_by=journalist,
    )
    _, key = APIKey.objects.create_key(name="Partner newsroom")
    partner = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    response = partner.get(f"/api/v1/incidents/{published_incident.public_id}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert str(evidence.public_id) in text
    for secret in (
        evidence.sha256,
        evidence.original.name,
        "secret-location",
        "iPhone",
        "50.54",
        "metadata",
        "/original/",
    ):
        assert secret not in text, secret
    [listed] = [e for c in response.json()["claims"] for e in c["evidence"]]
    display = partner.get(listed["display_url"])
    image = Image.open(io.BytesIO(b"".join(display.streaming_content)))
    assert dict(image.getexif()) == {} and "exif" not in image.info
