"""The review queue: the claims list as editors open it."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from claims import services as claim_services
from claims.models import Evidence, Medium, SourceKind
from incidents.models import IncidentStatus, ItemCategory
from tests.factories import (
    ClaimFactory,
    IncidentFactory,
    IncidentItemFactory,
    PlaceFactory,
    SourceFactory,
    UserFactory,
    submit,
)

CHANGELIST = reverse("admin:claims_claim_changelist")


def listed(response):
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.fixture
def queue(journalist, editor):
    """Claims in every situation the queue must tell apart."""
    submitted = IncidentFactory(created_by=journalist)
    oldest = ClaimFactory(incident=submitted)
    newer = ClaimFactory(incident=submitted, medium=Medium.FACEBOOK_POST)
    submit(submitted)
    verified = ClaimFactory(incident=submitted)
    claim_services.review_claim(
        claim=verified, reviewer=editor, to_status="verified", note="Checked the post."
    )
    withdrawn = ClaimFactory(incident=submitted)
    claim_services.withdraw_claim(claim=withdrawn, editor=editor, reason="Logged twice.")
    draft_claim = ClaimFactory(incident=IncidentFactory(created_by=journalist))
    return {
        "oldest": oldest,
        "newer": newer,
        "verified": verified,
        "withdrawn": withdrawn,
        "draft": draft_claim,
    }


def test_queue_opens_on_unverified_claims_of_submitted_incidents_oldest_first(editor_client, queue):
    assert listed(editor_client.get(CHANGELIST)) == [queue["oldest"], queue["newer"]]


def test_editor_can_clear_the_default_filter(editor_client, queue):
    response = editor_client.get(CHANGELIST)
    assert b"Awaiting review" in response.content
    assert b"?queue=all" in response.content

    claims = listed(editor_client.get(CHANGELIST, {"queue": "all"}))

    assert set(claims) == set(queue.values())


def test_queue_rows_show_claim_incident_source_medium_evidence_and_who_has_it(
    editor_client, editor, journalist, tmp_path, monkeypatch, settings
):
    # Real files in a temporary place: originals and derivatives both.
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(
        Evidence._meta.get_field("original"), "storage", FileSystemStorage(tmp_path / "private")
    )
    incident = IncidentFactory(created_by=journalist, status=IncidentStatus.SUBMITTED)
    claim = ClaimFactory(
        incident=incident,
        original_text="Trucks with washing machines were seen leaving the village at dawn today.",
    )
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(image, format="PNG")
    claim_services.attach_evidence(
        claim=claim,
        file=SimpleUploadedFile("screenshot.png", image.getvalue(), "image/png"),
        uploaded_by=journalist,
    )
    claim_services.take_claim(claim=claim, editor=editor)

    response = editor_client.get(CHANGELIST)
    content = response.content.decode()

    assert response.context["title"] == "Review queue"
    row = next(line for line in content.split("<tr") if f'name="version_{claim.pk}"' in line)
    # The first words of the quote open the claim's review workspace.
    workspace = reverse("admin:claims_claim_review", args=[claim.pk])
    assert (
        f'<a href="{workspace}" class="queue-claim">Trucks with washing machines were seen '
        "leaving the village at dawn today.</a>"
    ) in row
    assert incident.title in row
    assert claim.source.name in row
    assert "Tweet" in row
    assert '<td class="field-evidence_count">1</td>' in row
    assert "ago</time>" in row
    assert '<td class="field-taken_by">ed-editor</td>' in row
    assert response.context["queue_counts"] == {
        "awaiting": 2,
        "mine": 1,
        "taken": 1,
        "others": 0,
        "unassigned": 1,
    }


def test_queue_filters(editor_client, journalist, editor):
    submitted = IncidentFactory(created_by=journalist)
    IncidentItemFactory(incident=submitted, category=ItemCategory.objects.get(slug="cars"))
    tweet = ClaimFactory(incident=submitted, source=SourceFactory(kind=SourceKind.MILITARY))
    submit(submitted)
    other_reporter = UserFactory(username="kim-journalist", role="journalist")
    belarus = IncidentFactory(
        created_by=other_reporter, place=PlaceFactory(name="Naroulia", country="BY")
    )
    post = ClaimFactory(incident=belarus, medium=Medium.FACEBOOK_POST)
    submit(belarus)
    claim_services.review_claim(
        claim=post,
        reviewer=editor,
        to_status="disputed",
        dispute_reason="contradicted",
        note="Photo taken elsewhere.",
    )
    parent_slug = ItemCategory.objects.get(slug="cars").parent.slug

    def filtered(**params):
        return listed(editor_client.get(CHANGELIST, {"queue": "all", **params}))

    assert filtered(status__exact="disputed") == [post]
    assert filtered(status__exact="unverified") == [tweet]
    assert filtered(medium__exact="facebook_post") == [post]
    assert filtered(source__kind__exact="military") == [tweet]
    assert filtered(country="BY") == [post]
    assert filtered(country="UA") == [tweet]
    assert filtered(category="cars") == [tweet]
    assert filtered(category=parent_slug) == [tweet]
    assert filtered(submitted_by__id__exact=str(other_reporter.pk)) == [post]
    assert filtered(category="no-such-category") == []


def test_queue_query_count_does_not_grow_with_rows(
    editor_client, journalist, editor, django_assert_max_num_queries
):
    def add_claim():
        incident = IncidentFactory(created_by=journalist)
        IncidentItemFactory(incident=incident)
        ClaimFactory(incident=incident)
        submit(incident)

    add_claim()
    with django_assert_max_num_queries(11):
        assert len(listed(editor_client.get(CHANGELIST))) == 1
    for _ in range(12):
        add_claim()
    with django_assert_max_num_queries(11):
        assert len(listed(editor_client.get(CHANGELIST))) == 13


def test_journalists_and_partners_have_no_admin(journalist_client, partner_client, queue):
    assert journalist_client.get(CHANGELIST).status_code == 403
    assert partner_client.get(CHANGELIST).status_code == 403
    # The admin's own pages send signed-in outsiders to the login page, not inside.
    response = partner_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_partner_group_has_no_permissions(db):
    assert not Group.objects.get(name="partner").permissions.exists()


def test_queue_also_holds_claims_added_to_published_incidents_oldest_first(
    editor_client, queue, published_incident, journalist
):
    late = claim_services.create_claim(
        claim=ClaimFactory.build(incident=published_incident, source=SourceFactory()),
        submitted_by=journalist,
    )

    assert listed(editor_client.get(CHANGELIST)) == [queue["oldest"], queue["newer"], late]


def test_the_category_filter_lists_top_categories_only(editor_client):
    content = editor_client.get(CHANGELIST).content.decode()
    linked = set(re.findall(r"[?&]category=([\w-]+)", content))

    tops = ItemCategory.objects.filter(parent__isnull=True)
    subcategories = ItemCategory.objects.filter(parent__isnull=False)
    assert tops.exists() and subcategories.exists()
    assert linked == {category.slug for category in tops}
