"""Who gets which file: derivatives follow the claim's visibility, originals are for staff
with the download permission, and every download is recorded."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from claims.models import CustodyAction, EvidenceKind
from claims.services import attach_evidence, withdraw_claim
from tests.claims.evidence.conftest import gps_exif, jpeg, png, upload

pytestmark = pytest.mark.django_db


def url(name, evidence):
    return reverse(f"claims:evidence-{name}", kwargs={"public_id": evidence.public_id})


def body(response):
    return b"".join(response.streaming_content)


@pytest.fixture
def published_evidence(published_incident, journalist):
    claim = published_incident.claims.get()
    return attach_evidence(claim=claim, file=upload(jpeg(exif=gps_exif())), uploaded_by=journalist)


@pytest.fixture
def unpublished_evidence(claim, journalist):
    return attach_evidence(claim=claim, file=upload(jpeg(exif=gps_exif())), uploaded_by=journalist)


@pytest.mark.parametrize("variant", ["display", "thumbnail"])
def test_anyone_sees_derivatives_of_a_published_claim(published_evidence, variant):
    response = Client().get(url(variant, published_evidence))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(body(response)))
    assert dict(image.getexif()) == {} and "exif" not in image.info


@pytest.mark.parametrize("variant", ["display", "thumbnail"])
def test_unpublished_derivatives_are_only_for_staff(
    unpublished_evidence, variant, journalist_client, editor_client, partner
):
    assert Client().get(url(variant, unpublished_evidence)).status_code == 404
    partner_client = Client()
    partner_client.force_login(partner)
    assert partner_client.get(url(variant, unpublished_evidence)).status_code == 404
    for client in (journalist_client, editor_client):
        response = client.get(url(variant, unpublished_evidence))
        assert response.status_code == 200
        assert response["Cache-Control"].startswith("private")


def test_a_withdrawn_claims_derivatives_are_hidden_again(published_evidence, editor):
    withdraw_claim(claim=published_evidence.claim, editor=editor, reason="Found to be a fake.")
    assert Client().get(url("display", published_evidence)).status_code == 404


def test_png_derivatives_are_served_as_png(published_incident, journalist):
    evidence = attach_evidence(
        claim=published_incident.claims.get(),
        file=upload(png(mode="RGBA", colour=(1, 2, 3, 4))),
        uploaded_by=journalist,
    )
    assert Client().get(url("display", evidence))["Content-Type"] == "image/png"


def test_a_pdf_has_no_derivative_to_serve(published_incident, journalist):
    from tests.claims.evidence.test_intake import minimal_pdf

    evidence = attach_evidence(
        claim=published_incident.claims.get(), file=upload(minimal_pdf()), uploaded_by=journalist
    )
    assert Client().get(url("display", evidence)).status_code == 404


def test_an_editor_downloads_the_original_and_the_access_is_logged(
    published_evidence, editor, editor_client
):
    original = published_evidence.original.open("rb").read()
    response = editor_client.get(url("original", published_evidence), REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 200
    assert body(response) == original
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="evidence.jpg"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    event = published_evidence.custody.get(action=CustodyAction.ACCESSED)
    assert event.actor == editor
    assert event.detail["remote_addr"] == "10.1.2.3"


def test_journalists_and_partners_may_not_download_originals(
    published_evidence, journalist_client, partner
):
    assert journalist_client.get(url("original", published_evidence)).status_code == 403
    partner_client = Client()
    partner_client.force_login(partner)
    assert partner_client.get(url("original", published_evidence)).status_code == 403
    anonymous = Client().get(url("original", published_evidence))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not published_evidence.custody.filter(action=CustodyAction.ACCESSED).exists()


def test_a_download_gets_the_extension_of_its_real_type(claim, journalist, editor_client):
    evidence = attach_evidence(
        claim=claim, file=upload(png(), name="../../etc/passwd.html"), uploaded_by=journalist
    )
    response = editor_client.get(url("original", evidence))
    assert 'filename="passwd.png"' in response["Content-Disposition"]
    assert response["Content-Type"] == "image/png"


def test_an_html_page_capture_is_only_ever_an_attachment(claim, journalist, editor_client):
    page = b"<!DOCTYPE html><html><head><title>Tweet</title></head><script>x()</script></html>"
    evidence = attach_evidence(
        claim=claim,
        file=upload(page, name="tweet.html", content_type="text/html"),
        uploaded_by=journalist,
        kind=EvidenceKind.PAGE_CAPTURE,
    )
    assert Client().get(url("display", evidence)).status_code == 404
    response = editor_client.get(url("original", evidence))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Security-Policy"] == "sandbox"
    assert body(response) == page


def test_a_missing_original_is_a_404_not_a_server_error(
    published_evidence, editor_client, media_storage
):
    (media_storage["private"] / published_evidence.original.name).unlink()
    assert editor_client.get(url("original", published_evidence)).status_code == 404


def test_originals_are_not_under_the_media_root_the_development_server_serves():
    from pathlib import Path

    import lootwatch.settings as configured  # the module's values, not the test overrides

    private = Path(configured.PRIVATE_MEDIA_ROOT).resolve()
    assert not private.is_relative_to(Path(configured.MEDIA_ROOT).resolve())


def test_unknown_evidence_is_a_404(editor_client):
    missing = "00000000-0000-0000-0000-000000000000"
    for name in ("display", "thumbnail", "original"):
        path = reverse(f"claims:evidence-{name}", kwargs={"public_id": missing})
        assert editor_client.get(path).status_code == 404
