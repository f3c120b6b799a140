"""The verification summary stored on each incident stays equal to with_summary() over the
claims partners see, after every service that changes a claim's status, visibility, source
or incident; `recompute_summaries` finds and repairs drift."""

import pytest
from django.core.management import CommandError, call_command

from claims import services as claim_services
from claims.selectors import visible_claims_of_incident
from claims.services.summaries import refresh_summaries, summary_drift
from incidents import services as incident_services
from incidents.models import ASSESSMENT_RANK, Incident
from incidents.selectors import published_incidents, with_summary
from tests.factories import ClaimFactory, IncidentFactory, SourceFactory

pytestmark = pytest.mark.django_db

NAMES = ("claims_total", "claims_verified", "claims_disputed", "claims_unverified")


def stored(incident):
    row = Incident.objects.get(pk=incident.pk)
    return {
        "claims_total": row.summary_claims,
        "claims_verified": row.summary_verified,
        "claims_disputed": row.summary_disputed,
        "claims_unverified": row.summary_unverified,
        "independent_sources": row.summary_sources,
        "assessment": row.summary_assessment,
        "rank": row.summary_rank,
    }


def partners_see(incident):
    """with_summary() as partners' reads computed it before the counters were stored."""
    row = with_summary(
        published_incidents().filter(pk=incident.pk), claim_filter=visible_claims_of_incident()
    ).get()
    summary = {name: getattr(row, name) for name in (*NAMES, "independent_sources", "assessment")}
    return {**summary, "rank": ASSESSMENT_RANK[row.assessment]}


def review(claim, editor, to_status):
    claim_services.review_claim(
        claim=claim,
        reviewer=editor,
        to_status=to_status,
        note="Checked.",
        dispute_reason="contradicted" if to_status == "disputed" else None,
    )


@pytest.fixture
def incident(journalist, editor):
    """A published incident whose two claims are verified, from two outlets."""
    incident = IncidentFactory(created_by=journalist)
    for _ in range(2):
        review(ClaimFactory(incident=incident), editor, "verified")
    incident_services.publish_incident(incident=incident, editor=editor)
    return incident


def test_publishing_stores_what_partners_see(incident):
    assert stored(incident) == partners_see(incident)
    assert stored(incident)["assessment"] == "corroborated"
    assert stored(incident)["independent_sources"] == 2


def test_a_draft_counts_every_live_claim(journalist, editor):
    draft = IncidentFactory(created_by=journalist)
    claim = ClaimFactory(incident=draft)
    review(claim, editor, "disputed")

    assert stored(draft)["claims_total"] == 1
    assert stored(draft)["assessment"] == "disputed"
    assert summary_drift(Incident.objects.all()) == []


def test_a_late_claim_awaits_an_editor_uncounted_then_counts_once_reviewed(incident, editor):
    late = ClaimFactory(incident=incident, submitted_by=editor)

    assert stored(incident) == partners_see(incident)
    assert stored(incident)["claims_total"] == 2

    review(late, editor, "disputed")

    assert stored(incident) == partners_see(incident)
    assert stored(incident)["claims_disputed"] == 1
    assert stored(incident)["assessment"] == "contested"


def test_a_withdrawn_claim_stops_counting(incident, editor):
    claim = incident.claims.first()
    claim_services.withdraw_claim(claim=claim, editor=editor, reason="Deleted post.")

    assert stored(incident) == partners_see(incident)
    assert stored(incident)["assessment"] == "single_source"


def test_reviews_in_bulk_keep_the_summary(incident, editor):
    claim_services.review_claims(
        claims=list(incident.claims.all()),
        reviewer=editor,
        to_status="disputed",
        note="Both recycled.",
        dispute_reason="recycled_content",
    )

    assert stored(incident) == partners_see(incident)
    assert stored(incident)["assessment"] == "disputed"


def test_moving_a_claim_to_a_source_of_the_same_organisation(incident, editor):
    first, second = incident.claims.order_by("pk")
    government = SourceFactory(name="Government", kind="government")
    for source in (first.source, second.source):
        source.organisation = government
        claim_services.update_source(source=source, editor=editor, fields=["organisation"])

    assert stored(incident) == partners_see(incident)
    assert stored(incident)["independent_sources"] == 1
    assert stored(incident)["assessment"] == "single_source"

    second.source = SourceFactory(name="Independent outlet")
    claim_services.update_claim(
        claim=second, editor=editor, expected_version=second.version, fields=["source"]
    )

    assert stored(incident) == partners_see(incident)
    assert stored(incident)["assessment"] == "corroborated"


def test_merging_moves_the_counts(incident, journalist, editor):
    duplicate = IncidentFactory(created_by=journalist, status="published")
    review(ClaimFactory(incident=duplicate, submitted_by=editor), editor, "disputed")

    incident_services.merge_incidents(survivor=incident, duplicate=duplicate, editor=editor)

    assert stored(incident) == partners_see(incident)
    assert stored(incident)["claims_total"] == 4
    assert stored(incident)["assessment"] == "contested"
    assert summary_drift(Incident.objects.all()) == []


def test_withdrawing_the_incident_leaves_no_drift(incident, editor):
    incident_services.withdraw_incident(incident=incident, editor=editor, reason="Retracted.")

    assert summary_drift(Incident.objects.all()) == []


def test_refresh_reports_only_what_changed(incident):
    assert refresh_summaries([incident.pk]) == 0


def test_recompute_summaries_reports_then_repairs_drift(incident, capsys):
    other = IncidentFactory(status="published")
    Incident.objects.filter(pk=incident.pk).update(summary_verified=7, summary_rank=0)

    with pytest.raises(CommandError) as checked:
        call_command("recompute_summaries", "--check")
    assert checked.value.returncode == 1
    assert str(incident.public_id) in str(checked.value)
    assert str(other.public_id) not in str(checked.value)
    assert Incident.objects.get(pk=incident.pk).summary_verified == 7

    with pytest.raises(CommandError, match="now repaired"):
        call_command("recompute_summaries")
    assert stored(incident) == partners_see(incident)

    call_command("recompute_summaries", "--check")
    assert "matches" in capsys.readouterr().out
