"""Near-duplicate pictures: a recycled photo (resized, recompressed, cropped a little or
re-saved as another format) is recognised on arrival; an unrelated photo is not."""

import random

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims import services as claim_services
from claims.evidence import fingerprint
from claims.models import PerceptualHash
from claims.selectors import near_duplicate_evidence
from incidents.models import Incident
from tests.claims.evidence.conftest import upload
from tests.factories import ClaimFactory, IncidentFactory, PlaceFactory
from tests.incidents.pages.forms_data import claim_fields, incident_post
from tests.photos import RECYCLED_COPIES, encoded, scene

ORIGINAL_SEED = 1
UNRELATED_SEEDS = (3, 4, 5)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nstartxref\n9\n%%EOF\n"


def attach(claim, data, user, name="photo.jpg"):
    return claim_services.attach_evidence(
        claim=claim, file=upload(data, name=name), uploaded_by=user
    )


@pytest.fixture
def original(journalist):
    """The first appearance of a photograph, on a submitted incident."""
    incident = IncidentFactory(created_by=journalist, title="Trucks at Buryn", status="submitted")
    claim = ClaimFactory(incident=incident, submitted_by=journalist)
    return attach(claim, encoded(scene(ORIGINAL_SEED)), journalist, name="buryn.jpg")


def new_claim(journalist, title="Posted again"):
    incident = IncidentFactory(created_by=journalist, title=title, status="submitted")
    return ClaimFactory(incident=incident, submitted_by=journalist)


def test_a_perceptual_hash_is_stored_with_every_image_on_arrival(original):
    stored = PerceptualHash.objects.get(evidence=original)
    value = int(stored.value, 16)
    assert stored.algorithm == fingerprint.ALGORITHM
    assert [stored.band_0, stored.band_1, stored.band_2, stored.band_3] == list(
        fingerprint.bands(value)
    )
    assert value == fingerprint.perceptual_hash_of_bytes(encoded(scene(ORIGINAL_SEED)))


def test_pdfs_have_no_perceptual_hash(claim, journalist):
    evidence = attach(claim, PDF, journalist, name="statement.pdf")
    assert not PerceptualHash.objects.filter(evidence=evidence).exists()
    assert near_duplicate_evidence(evidence) == []


@pytest.mark.parametrize("copy", RECYCLED_COPIES)
def test_a_recycled_copy_is_found_from_either_side(copy, original, journalist):
    recycled = attach(
        new_claim(journalist), RECYCLED_COPIES[copy](scene(ORIGINAL_SEED)), journalist
    )

    found = near_duplicate_evidence(recycled)

    assert [item.pk for item in found] == [original.pk]
    assert found[0].distance <= fingerprint.NEAR_DUPLICATE_DISTANCE
    assert found[0].same_file is False
    assert [item.pk for item in near_duplicate_evidence(original)] == [recycled.pk]


def test_unrelated_photos_are_not_found(original, journalist):
    for seed in UNRELATED_SEEDS:
        attach(new_claim(journalist, f"Elsewhere {seed}"), encoded(scene(seed)), journalist)
    assert near_duplicate_evidence(original) == []


def test_closest_first_and_only_other_claims(original, journalist):
    claim = new_claim(journalist)
    cropped = attach(claim, RECYCLED_COPIES["cropped 3% on each side"](scene(1)), journalist)
    same_claim_copy = attach(original.claim, encoded(scene(1), "PNG"), journalist, "a.png")
    identical = attach(new_claim(journalist, "Same file"), encoded(scene(1)), journalist)

    found = near_duplicate_evidence(original)

    assert same_claim_copy.pk not in [item.pk for item in found]
    assert [item.pk for item in found] == [identical.pk, cropped.pk]
    assert found[0].distance == 0 and found[0].same_file
    assert found[0].distance < found[1].distance


def test_the_bands_find_every_hash_within_the_threshold():
    """Multi-index hashing loses nothing: for hashes up to the threshold apart, at least one
    band lies within the radius the look-up uses."""
    rng = random.Random(16)
    radius = fingerprint.NEAR_DUPLICATE_DISTANCE // fingerprint.BANDS
    for _ in range(2000):
        value = rng.getrandbits(64)
        flipped = rng.sample(range(64), rng.randint(0, fingerprint.NEAR_DUPLICATE_DISTANCE))
        other = value
        for bit in flipped:
            other ^= 1 << bit
        assert any(
            (a ^ b).bit_count() <= radius
            for a, b in zip(fingerprint.bands(value), fingerprint.bands(other), strict=True)
        )


def test_the_backfill_hashes_images_uploaded_before_hashes_were_kept(original, claim, journalist):
    pdf = attach(claim, PDF, journalist, "a.pdf")
    expected = PerceptualHash.objects.get(evidence=original).value
    # As the evidence of a database from before this feature would be.
    PerceptualHash.objects.all().delete()

    call_command("backfill_perceptual_hashes")

    assert PerceptualHash.objects.get(evidence=original).value == expected
    assert not PerceptualHash.objects.filter(evidence=pdf).exists()
    call_command("backfill_perceptual_hashes")
    assert PerceptualHash.objects.count() == 1


def test_the_log_form_warns_of_a_picture_that_looks_the_same(original, journalist_client):
    resized = RECYCLED_COPIES["resized to half"](scene(ORIGINAL_SEED))
    data = incident_post(
        place=PlaceFactory(),
        occurred_from="2023-01-01",
        occurred_to="2023-01-02",
        claims=[claim_fields(evidence=upload(resized, name="forwarded.jpg"))],
    )

    content = journalist_client.post(reverse("incidents:create"), data).content.decode()

    assert '<span class="tag match-reason">similar picture</span>' in content
    assert "resembles a photo on" in content
    assert "Trucks at Buryn" in content
    assert f"logged {original.uploaded_at:%-d %b %Y}" in content
    assert Incident.objects.count() == 1


def test_the_log_form_hides_pictures_of_drafts_the_journalist_cannot_see(
    other_journalist, journalist_client
):
    hidden = IncidentFactory(created_by=other_journalist, title="Their draft")
    attach(ClaimFactory(incident=hidden), encoded(scene(ORIGINAL_SEED)), other_journalist)
    data = incident_post(
        place=PlaceFactory(),
        occurred_from="2023-01-01",
        occurred_to="2023-01-02",
        claims=[claim_fields(evidence=upload(encoded(scene(ORIGINAL_SEED), "PNG"), "x.png"))],
    )

    response = journalist_client.post(reverse("incidents:create"), data)

    assert response.status_code == 302
    assert "Their draft" not in response.content.decode()


def test_the_review_workspace_and_the_claim_page_show_look_alikes(
    original, journalist, editor_client
):
    recycled = attach(
        new_claim(journalist), RECYCLED_COPIES["re-saved as PNG"](scene(1)), journalist
    )

    for url in (
        reverse("admin:claims_claim_review", args=[recycled.claim_id]),
        reverse("admin:claims_claim_change", args=[recycled.claim_id]),
    ):
        content = editor_client.get(url).content.decode()
        assert "resembles a photo on" in content, url
        assert "Trucks at Buryn" in content
        assert reverse("admin:incidents_incident_change", args=[original.claim.incident_id]) in (
            content
        )
