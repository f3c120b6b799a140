import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.models import Claim, Review
from lootwatch.versioning import StaleEditError
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_review_records_who_decided_what_and_why(editor):
    claim = ClaimFactory()
    review = services.review_claim(
        claim=claim, reviewer=editor, to_status="verified", note="  Archived copy matches.  "
    )
    assert (review.reviewer, review.from_status, review.to_status) == (
        editor,
        "unverified",
        "verified",
    )
    assert review.note == "Archived copy matches."
    claim.refresh_from_db()
    assert claim.status == "verified"
    assert claim.status_changed_at == review.created_at
    assert claim.version == 2
    latest = claim.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason == "reviewed: unverified → verified"


def test_a_decision_can_be_revised_and_is_logged_again(editor):
    claim = ClaimFactory()
    services.review_claim(
        claim=claim,
        reviewer=editor,
        to_status="disputed",
        dispute_reason="contradicted",
        note="No trace.",
    )
    services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Found it.")
    assert list(claim.reviews.values_list("from_status", "to_status")) == [
        ("unverified", "disputed"),
        ("disputed", "verified"),
    ]


def test_journalists_may_not_review(journalist):
    claim = ClaimFactory()
    with pytest.raises(PermissionDenied):
        services.review_claim(claim=claim, reviewer=journalist, to_status="verified", note="x")
    assert not Review.objects.exists()
    assert Claim.objects.get(pk=claim.pk).status == "unverified"


@pytest.mark.parametrize(
    ("to_status", "note", "message"),
    [
        ("verified", "", "needs a note"),
        ("verified", "   ", "needs a note"),
        ("confirmed", "ok", "Unknown status"),
        ("unverified", "ok", "already unverified"),
    ],
)
def test_bad_reviews_are_refused_and_write_nothing(editor, to_status, note, message):
    claim = ClaimFactory()
    with pytest.raises(ValidationError, match=message):
        services.review_claim(claim=claim, reviewer=editor, to_status=to_status, note=note)
    assert not Review.objects.exists()
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("unverified", 1)


def test_a_stale_review_is_refused(editor):
    claim = ClaimFactory()
    opened_at = claim.version
    services.review_claim(
        claim=claim,
        reviewer=editor,
        to_status="disputed",
        dispute_reason="contradicted",
        note="No trace.",
    )
    with pytest.raises(StaleEditError, match=r"changed by ed-editor .*\(status"):
        services.review_claim(
            claim=claim,
            reviewer=editor,
            to_status="verified",
            note="Looks fine to me.",
            expected_version=opened_at,
        )
    assert claim.reviews.count() == 1


def test_bulk_review_is_all_or_nothing(editor):
    fresh, stale = ClaimFactory(), ClaimFactory()
    expected = {fresh.pk: fresh.version, stale.pk: stale.version}
    services.review_claim(
        claim=stale,
        reviewer=editor,
        to_status="disputed",
        dispute_reason="contradicted",
        note="Meanwhile.",
    )
    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.review_claims(
            claims=[fresh, stale],
            reviewer=editor,
            to_status="verified",
            note="Batch check.",
            expected_versions=expected,
        )
    fresh.refresh_from_db()
    assert fresh.status == "unverified"
    assert Review.objects.count() == 1


def test_reviews_are_immutable(editor):
    review = services.review_claim(
        claim=ClaimFactory(), reviewer=editor, to_status="verified", note="Checked."
    )
    review.note = "Rewritten history"
    with pytest.raises(ValidationError):
        review.save()
    with pytest.raises(ValidationError):
        review.delete()
    assert Review.objects.get().note == "Checked."


def test_claim_edit_with_stale_version_is_refused(journalist):
    claim = ClaimFactory(submitted_by=journalist, incident__created_by=journalist)
    first, second = Claim.objects.get(pk=claim.pk), Claim.objects.get(pk=claim.pk)
    first.original_text = "First editor's text."
    services.update_claim(
        claim=first, editor=journalist, expected_version=1, fields=["original_text"]
    )
    second.original_text = "Second editor's text."
    with pytest.raises(StaleEditError, match="original text"):
        services.update_claim(
            claim=second, editor=journalist, expected_version=1, fields=["original_text"]
        )
    assert Claim.objects.get(pk=claim.pk).original_text == "First editor's text."
