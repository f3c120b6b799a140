"""The incidents list: verification summary and assessment, in a fixed number of queries."""

from django.urls import reverse

from claims import services as claim_services
from incidents.models import IncidentStatus
from tests.factories import (
    ActorFactory,
    ClaimFactory,
    IncidentFactory,
    IncidentItemFactory,
    SourceFactory,
    submit,
)

CHANGELIST = reverse("admin:incidents_incident_changelist")


def add_incident(journalist, editor, verified_sources=1):
    incident = IncidentFactory(created_by=journalist, actors=[ActorFactory()])
    IncidentItemFactory(incident=incident)
    for _ in range(verified_sources):
        claim = ClaimFactory(incident=incident, source=SourceFactory())
        claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Ok")
    ClaimFactory(incident=incident)
    return submit(incident)


def test_list_shows_summary_and_assessment_linked_to_the_methodology(
    editor_client, journalist, editor
):
    single = add_incident(journalist, editor, verified_sources=1)
    corroborated = add_incident(journalist, editor, verified_sources=2)

    response = editor_client.get(CHANGELIST, {"o": "6"})  # sorted by assessment

    content = response.content.decode()
    assert f'<a href="{reverse("methodology")}#corroborated"' in content
    assert f'<a href="{reverse("methodology")}#single_source"' in content
    assert "3 claims: 2 verified, 1 unverified" in content
    assert list(response.context["cl"].result_list) == [corroborated, single]
    filtered = editor_client.get(CHANGELIST, {"assessment": "corroborated"})
    assert list(filtered.context["cl"].result_list) == [corroborated]


def test_list_query_count_does_not_grow_with_rows(
    editor_client, journalist, editor, django_assert_max_num_queries
):
    add_incident(journalist, editor)
    with django_assert_max_num_queries(12):
        response = editor_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 1
    for _ in range(10):
        add_incident(journalist, editor)
    with django_assert_max_num_queries(12):
        response = editor_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 11


def test_methodology_is_linked_from_every_admin_page_and_defines_each_grade(editor_client, client):
    admin_page = editor_client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{reverse("methodology")}">Methodology</a>' in admin_page
    page = client.get(reverse("methodology")).content.decode()
    for anchor in (
        "unverified",
        "single_source",
        "corroborated",
        "contested",
        "disputed",
        "claim-verified",
        "claim-disputed",
        "claim-unverified",
    ):
        assert f'id="{anchor}"' in page


def test_the_assessment_in_the_list_follows_each_decision(editor_client, journalist, editor):
    incident = IncidentFactory(created_by=journalist, status=IncidentStatus.SUBMITTED)
    first, second = ClaimFactory(incident=incident), ClaimFactory(incident=incident)

    def shown():
        response = editor_client.get(CHANGELIST)
        return {row.pk: row.assessment for row in response.context["cl"].result_list}[incident.pk]

    assert shown() == "unverified"
    claim_services.review_claim(
        claim=first,
        reviewer=editor,
        to_status="disputed",
        dispute_reason="contradicted",
        note="No.",
    )
    assert shown() == "disputed"
    claim_services.review_claim(claim=second, reviewer=editor, to_status="verified", note="Yes")
    assert shown() == "contested"
    claim_services.review_claim(claim=first, reviewer=editor, to_status="verified", note="Ok")
    assert shown() == "corroborated"
