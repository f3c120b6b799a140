"""The admin's home page leads editors straight to the review queue."""

from django.urls import reverse

from claims import services as claim_services
from tests.factories import ClaimFactory, IncidentFactory, submit

INDEX = reverse("admin:index")
QUEUE = reverse("admin:claims_claim_changelist")


def test_the_index_links_to_the_review_queue_with_its_size(editor_client, editor, journalist):
    submitted = IncidentFactory(created_by=journalist)
    waiting, _, reviewed = (ClaimFactory(incident=submitted) for _ in range(3))
    submit(submitted)
    claim_services.review_claim(claim=reviewed, reviewer=editor, to_status="verified", note="OK")
    # Neither a draft's claims nor withdrawn ones wait for review.
    ClaimFactory(incident=IncidentFactory(created_by=journalist))
    claim_services.withdraw_claim(claim=waiting, editor=editor, reason="Duplicate.")

    content = editor_client.get(INDEX).content.decode()

    assert f'<a href="{QUEUE}" class="section">Review queue (1 unverified claim)</a>' in content
    # And every admin page's header links to it (without a count: that would cost a query
    # on every page).
    assert f'<a href="{QUEUE}">Review queue</a>' in content
    # The link opens the list on the queue (its default), which shows that one claim.
    assert editor_client.get(QUEUE).context["cl"].result_count == 1


def test_the_queue_link_counts_in_plural(editor_client, journalist):
    submitted = IncidentFactory(created_by=journalist)
    ClaimFactory(incident=submitted)
    ClaimFactory(incident=submitted)
    submit(submitted)

    content = editor_client.get(INDEX).content.decode()

    assert "Review queue (2 unverified claims)" in content


def test_people_who_cannot_review_get_no_queue_link(client, django_user_model):
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)

    response = client.get(INDEX)

    assert response.status_code == 200
    assert "Review queue" not in response.content.decode()
