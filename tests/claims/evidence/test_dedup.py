"""The same bytes uploaded again are recognised by their digest and linked, not stored twice."""

import pytest
from django.core.exceptions import ValidationError

from claims.models import CustodyAction, Evidence
from claims.selectors import evidence_locations
from claims.services import attach_evidence
from tests.claims.evidence.conftest import gps_exif, jpeg, stored_files, upload
from tests.factories import ClaimFactory, IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_same_file_on_another_claim_is_linked_to_the_one_stored_original(
    claim, other_claim, journalist, media_storage
):
    data = jpeg(exif=gps_exif())
    first = attach_evidence(claim=claim, file=upload(data, name="a.jpg"), uploaded_by=journalist)
    files_after_first = stored_files(media_storage["private"]) + stored_files(
        media_storage["public"]
    )
    second = attach_evidence(
        claim=other_claim, file=upload(data, name="b.jpg"), uploaded_by=journalist
    )

    assert second.pk != first.pk and second.claim == other_claim
    assert second.sha256 == first.sha256
    assert second.original.name == first.original.name
    assert (second.display.name, second.thumbnail.name) == (
        first.display.name,
        first.thumbnail.name,
    )
    # Nothing new in storage: one original, one display image, one thumbnail.
    assert (
        stored_files(media_storage["private"]) + stored_files(media_storage["public"])
        == files_after_first
    )
    assert len(stored_files(media_storage["private"])) == 1

    linked = second.custody.get(action=CustodyAction.LINKED)
    assert linked.actor == journalist
    assert linked.detail["already_on_claims"] == [str(claim.public_id)]
    assert not second.custody.filter(action=CustodyAction.UPLOADED).exists()

    # Where the file already appears, for the uploader.
    assert list(evidence_locations(data_digest(data), exclude_claim=other_claim)) == [first]
    assert set(evidence_locations(data_digest(data))) == {first, second}


def data_digest(data):
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_locations_only_list_incidents_the_user_may_see(journalist):
    data = jpeg(colour=(1, 2, 3))
    other_journalist = UserFactory(username="other-journalist", role="journalist")
    their_draft = IncidentFactory(created_by=other_journalist, status="draft")
    their_claim = ClaimFactory(incident=their_draft, submitted_by=other_journalist)
    attach_evidence(claim=their_claim, file=upload(data), uploaded_by=other_journalist)

    assert evidence_locations(data_digest(data), user=journalist).count() == 0
    assert evidence_locations(data_digest(data), user=other_journalist).count() == 1


def test_the_same_file_twice_on_the_same_claim_is_a_clear_error(claim, journalist):
    data = jpeg()
    attach_evidence(claim=claim, file=upload(data), uploaded_by=journalist)
    with pytest.raises(ValidationError) as caught:
        attach_evidence(claim=claim, file=upload(data, name="copy.jpg"), uploaded_by=journalist)
    assert caught.value.messages == ["This file is already attached to this claim."]
    assert Evidence.objects.count() == 1


def test_a_tampered_stored_copy_is_not_linked(claim, other_claim, journalist, media_storage):
    data = jpeg()
    first = attach_evidence(claim=claim, file=upload(data), uploaded_by=journalist)
    path = media_storage["private"] / first.original.name
    path.write_bytes(b"altered" + data[7:])

    second = attach_evidence(claim=other_claim, file=upload(data), uploaded_by=journalist)
    assert second.original.name != first.original.name
    with second.original.open("rb") as stored:
        assert stored.read() == data
