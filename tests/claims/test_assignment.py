"""Taking claims for review: one editor at a time, on the record, free again after a day."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from claims import selectors
from claims import services as claim_services
from claims.models import Claim
from tests.factories import ClaimFactory, IncidentFactory, submit


@pytest.fixture
def queued(journalist):
    incident = IncidentFactory(created_by=journalist)
    claims = [ClaimFactory(incident=incident) for _ in range(2)]
    submit(incident)
    return claims


def view(user, name):
    return list(selectors.review_queue_for(user, Claim.objects.all(), name))


def later(monkeypatch, hours):
    """Move the clock on by ``hours``, as the services and rules read it."""
    moved = timezone.now() + datetime.timedelta(hours=hours)
    monkeypatch.setattr(timezone, "now", lambda: moved)


def test_taking_a_claim_hides_it_from_unassigned_and_shows_who_has_it(queued, editor, other_editor):
    first, second = queued
    claim_services.take_claim(claim=first, editor=editor)

    assert view(editor, "mine") == [first]
    assert view(editor, "unassigned") == [second]
    assert view(other_editor, "others") == [first]
    assert view(other_editor, "available") == [second]
    assert selectors.review_queue_counts(other_editor) == {
        "awaiting": 2,
        "mine": 0,
        "taken": 1,
        "others": 1,
        "unassigned": 1,
    }
    first.refresh_from_db()
    assert first.version == 1  # Who works on it is not what it says.
    record = first.history.latest()
    assert (record.history_user, record.history_change_reason, record.assigned_to) == (
        editor,
        "taken for review",
        editor,
    )


def test_another_editor_can_neither_take_nor_review_a_taken_claim(queued, editor, other_editor):
    first, _ = queued
    claim_services.take_claim(claim=first, editor=editor)

    with pytest.raises(ValidationError, match="ed-editor has already taken this claim"):
        claim_services.take_claim(claim=first, editor=other_editor)
    with pytest.raises(ValidationError, match="ed-editor has taken this claim for review"):
        claim_services.review_claim(
            claim=first, reviewer=other_editor, to_status="verified", note="Fine."
        )
    with pytest.raises(ValidationError, match="You have not taken this claim"):
        claim_services.release_claim(claim=first, editor=other_editor)
    first.refresh_from_db()
    assert (first.assigned_to, first.status, first.reviews.count()) == (editor, "unverified", 0)


def test_the_hold_lapses_after_24_hours_untouched(queued, editor, other_editor, monkeypatch):
    first, second = queued
    claim_services.take_claim(claim=first, editor=editor)

    later(monkeypatch, 23)
    assert view(other_editor, "unassigned") == [second]
    later(monkeypatch, 25)
    assert view(other_editor, "unassigned") == [first, second]
    assert view(editor, "mine") == []

    claim_services.take_claim(claim=first, editor=other_editor)
    first.refresh_from_db()
    assert first.assigned_to == other_editor
    assert first.history.latest().history_change_reason == (
        "taken for review (left untouched by ed-editor)"
    )


def test_lapsed_holds_are_released_on_the_record(queued, editor, monkeypatch):
    first, second = queued
    claim_services.take_claim(claim=first, editor=editor)
    claim_services.take_claim(claim=second, editor=editor)
    later(monkeypatch, 25)
    claim_services.take_claim(claim=second, editor=editor)  # Touched again: kept.

    assert claim_services.release_lapsed_claims() == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.assigned_to, second.assigned_to) == (None, editor)
    record = first.history.latest()
    assert record.history_user is None
    assert record.history_change_reason == "released: untouched by ed-editor for 1 day, 0:00:00"


def test_a_decision_ends_the_hold(queued, editor):
    first, _ = queued
    claim_services.take_claim(claim=first, editor=editor)

    claim_services.review_claim(claim=first, reviewer=editor, to_status="verified", note="Ok.")

    first.refresh_from_db()
    assert (first.assigned_to, first.assigned_at) == (None, None)


def test_only_editors_take_and_only_queued_claims(queued, journalist, editor):
    first, _ = queued
    with pytest.raises(PermissionDenied):
        claim_services.take_claim(claim=first, editor=journalist)
    claim_services.review_claim(claim=first, reviewer=editor, to_status="verified", note="Ok.")
    with pytest.raises(ValidationError, match="waiting in the review queue"):
        claim_services.take_claim(claim=first, editor=editor)
