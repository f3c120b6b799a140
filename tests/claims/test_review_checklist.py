"""review_claim records the checklist and the dispute reason with the decision, and
refuses, writing nothing, what it cannot record."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from claims import services
from claims.models import Review
from tests.factories import ClaimFactory, IncidentFactory, submit


@pytest.fixture
def claim(journalist):
    incident = IncidentFactory(created_by=journalist)
    claim = ClaimFactory(incident=incident)
    submit(incident)
    return claim


def test_the_checklist_and_reason_are_written_in_the_one_insert(claim, editor):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        review = services.review_claim(
            claim=claim,
            reviewer=editor,
            to_status="disputed",
            note="The account was created the day before.",
            checklist={"source_authenticity": "failed", "consistency": "not_applicable"},
            dispute_reason="fabricated_source",
        )

    writes = [q["sql"] for q in queries.captured_queries if '"claims_review"' in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith("INSERT")
    review.refresh_from_db()
    assert review.dispute_reason == "fabricated_source"
    assert review.checklist == {
        "source_authenticity": "failed",
        "content_provenance": "not_checked",
        "geolocation": "not_checked",
        "chronolocation": "not_checked",
        "consistency": "not_applicable",
    }
    claim.refresh_from_db()
    assert (claim.status, claim.dispute_reason) == ("disputed", "fabricated_source")


def test_verifying_again_clears_the_claims_dispute_reason(claim, editor):
    services.review_claim(
        claim=claim, reviewer=editor, to_status="disputed", note="No.", dispute_reason="other"
    )
    services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Yes.")

    claim.refresh_from_db()
    assert (claim.status, claim.dispute_reason) == ("verified", "")
    assert list(claim.reviews.values_list("dispute_reason", flat=True)) == ["other", ""]


@pytest.mark.parametrize(
    ("to_status", "extra", "message"),
    [
        ("disputed", {}, "Say why the claim is disputed: choose a reason"),
        ("disputed", {"dispute_reason": "looks_fake"}, "Unknown dispute reason 'looks_fake'"),
        ("verified", {"dispute_reason": "other"}, "Only a dispute has a dispute reason."),
        ("verified", {"checklist": {"vibes": "passed"}}, "Unknown checklist item 'vibes'"),
        ("verified", {"checklist": {"geolocation": "sort of"}}, "Unknown result 'sort of'"),
    ],
)
def test_bad_decisions_are_refused_writing_nothing(claim, editor, to_status, extra, message):
    with pytest.raises(ValidationError, match=message):
        services.review_claim(
            claim=claim, reviewer=editor, to_status=to_status, note="Checked.", **extra
        )

    assert not Review.objects.exists()
    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.dispute_reason) == ("unverified", 1, "")


def test_bulk_decisions_ask_for_the_same(claim, editor):
    with pytest.raises(ValidationError, match="Say why the claim is disputed"):
        services.review_claims(claims=[claim], reviewer=editor, to_status="disputed", note="No.")
    assert not Review.objects.exists()


def test_the_database_refuses_a_reason_on_a_verification(claim, editor):
    from django.db import IntegrityError, transaction

    review = Review(
        claim=claim,
        reviewer=editor,
        from_status="unverified",
        to_status="verified",
        note="Raw insert.",
        dispute_reason="other",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.bulk_create([review])


def test_a_dispute_without_note_or_reason_names_both(claim, editor):
    with pytest.raises(ValidationError) as refused:
        services.review_claim(claim=claim, reviewer=editor, to_status="disputed", note=" ")
    assert set(refused.value.message_dict) == {"note", "dispute_reason"}
    assert not Review.objects.exists()
