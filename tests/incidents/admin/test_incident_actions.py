"""Publish, withdraw and merge incidents through the admin's intermediate pages."""

import pytest
from django.urls import reverse

from claims import services as claim_services
from claims.models import Claim
from incidents import services as incident_services
from incidents.models import Incident, IncidentStatus
from tests.factories import (
    ActorFactory,
    ClaimFactory,
    IncidentFactory,
    IncidentItemFactory,
    submit,
)
from tests.html_forms import read_form


def url(name, *args):
    return reverse(f"admin:incidents_incident_{name}", args=args)


@pytest.fixture
def submitted(journalist, editor):
    incident = IncidentFactory(created_by=journalist)
    claim = ClaimFactory(incident=incident)
    submit(incident)
    claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Ok.")
    incident.refresh_from_db()
    return incident


def follow_button(client, incident, step):
    """Open the incident, follow its button to the step page, return that page's form."""
    page = client.get(url("change", incident.pk)).content.decode()
    assert f'href="{url(step, incident.pk)}"' in page
    response = client.get(url(step, incident.pk))
    assert response.status_code == 200
    return read_form(response, "step_form")


def test_publish(editor_client, editor, submitted):
    data = follow_button(editor_client, submitted, "publish")
    refused = editor_client.post(url("publish", submitted.pk), data)
    assert "Say why the incident may be published." in refused.content.decode()
    data["reason"] = ["Verified against the ministry's original post."]

    response = editor_client.post(url("publish", submitted.pk), data)

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == IncidentStatus.PUBLISHED
    assert submitted.published_at is not None
    assert submitted.publication_reason == "Verified against the ministry's original post."
    record = submitted.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        editor,
        "published: Verified against the ministry's original post.",
    )
    page = editor_client.get(url("change", submitted.pk)).content.decode()
    assert f'href="{url("publish", submitted.pk)}"' not in page


def test_publishing_on_no_verified_claim_is_warned_of(editor_client, editor, journalist):
    incident = IncidentFactory(created_by=journalist)
    claim = ClaimFactory(incident=incident)
    submit(incident)
    unverified = editor_client.get(url("publish", incident.pk)).content.decode()
    claim_services.review_claim(
        claim=claim,
        reviewer=editor,
        to_status="disputed",
        note="The photo is from 2014.",
        dispute_reason="recycled_content",
    )

    disputed = editor_client.get(url("publish", incident.pk)).content.decode()

    warning = "No claim of this incident is verified: partners will read it as “{}”"
    assert warning.format("Unverified") in unverified
    assert warning.format("Disputed") in disputed


def test_no_warning_when_a_claim_is_verified(editor_client, submitted):
    page = editor_client.get(url("publish", submitted.pk)).content.decode()
    assert "No claim of this incident is verified" not in page


def test_publish_refuses_an_incident_without_claims(editor_client, journalist):
    empty = IncidentFactory(created_by=journalist)
    page = editor_client.get(url("change", empty.pk)).content.decode()
    # incidents.rules.can_publish: no button for what the service would refuse...
    assert f'href="{url("publish", empty.pk)}"' not in page

    # ...and the step itself refuses it, saying why.
    response = editor_client.post(
        url("publish", empty.pk), {"expected_version": empty.version, "reason": "Looks fine."}
    )

    assert response.status_code == 200
    assert "An incident without claims cannot be published." in response.content.decode()
    empty.refresh_from_db()
    assert empty.status == IncidentStatus.DRAFT


def test_stale_publish_is_refused(editor_client, other_editor, submitted):
    data = follow_button(editor_client, submitted, "publish")
    incident_services.edit_incident(
        incident=submitted,
        editor=other_editor,
        expected_version=data["expected_version"][0],
        changes={"title": "Looting in Bucha, not Irpin"},
    )

    data["reason"] = ["Verified."]
    response = editor_client.post(url("publish", submitted.pk), data)

    assert "This incident was changed by eve-editor" in response.content.decode()
    assert "(title)" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == IncidentStatus.SUBMITTED


def test_withdraw_needs_a_reason_and_keeps_the_record(editor_client, editor, published_incident):
    claims_before = list(published_incident.claims.values_list("pk", flat=True))
    data = follow_button(editor_client, published_incident, "withdraw")

    data["reason"] = ["  "]
    response = editor_client.post(url("withdraw", published_incident.pk), data)
    assert response.status_code == 200
    assert "Say why the incident is withdrawn." in response.content.decode()
    published_incident.refresh_from_db()
    assert published_incident.status == IncidentStatus.PUBLISHED

    data["reason"] = ["The ministry retracted the statement."]
    response = editor_client.post(url("withdraw", published_incident.pk), data)
    assert response.status_code == 302
    published_incident.refresh_from_db()
    assert published_incident.status == IncidentStatus.WITHDRAWN
    assert published_incident.withdrawn_at is not None
    assert published_incident.withdrawal_reason == "The ministry retracted the statement."
    assert published_incident.history.latest().history_user == editor
    # Nothing is deleted: the incident and its claims stay on record, read-only.
    assert list(published_incident.claims.values_list("pk", flat=True)) == claims_before
    page = editor_client.get(url("change", published_incident.pk)).content.decode()
    assert 'name="title"' not in page
    assert f'href="{url("withdraw", published_incident.pk)}"' not in page


def test_merge_two_duplicates(editor_client, editor, journalist, published_incident):
    actor = ActorFactory(name="64th Separate Motor Rifle Brigade")
    duplicate = IncidentFactory(created_by=journalist, actors=[actor])
    moved_claim = ClaimFactory(incident=duplicate)
    IncidentItemFactory(incident=submit(duplicate), description="washing machines")
    changelist = url("changelist")
    listing = read_form(editor_client.get(changelist), "changelist-form")
    listing.update(
        {
            "action": ["merge_selected"],
            "_selected_action": [str(published_incident.pk), str(duplicate.pk)],
            "index": ["0"],
        }
    )

    response = editor_client.post(changelist, listing, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(url("merge"))
    data = read_form(response, "step_form")
    assert "survivor" not in data  # The editor must pick one.
    refused = editor_client.post(url("merge"), data)
    assert "Pick the incident to keep." in refused.content.decode()
    assert "Say why these are the same incident." in refused.content.decode()

    data["survivor"] = [str(published_incident.pk)]
    data["reason"] = ["Same dealership, same day, same photos."]
    response = editor_client.post(url("merge"), data)

    assert response.status_code == 302
    assert response["Location"] == url("change", published_incident.pk)
    duplicate.refresh_from_db()
    published_incident.refresh_from_db()
    assert duplicate.status == IncidentStatus.WITHDRAWN
    assert duplicate.merged_into == published_incident
    assert Claim.objects.get(pk=moved_claim.pk).incident == published_incident
    assert published_incident.items.filter(description="washing machines").exists()
    assert actor in published_incident.actors.all()
    assert published_incident.history.latest().history_user == editor
    assert duplicate.history.latest().history_user == editor
    assert moved_claim.history.latest().history_user == editor
    # The reason is on record with both, in words, not ids.
    assert duplicate.withdrawal_reason == "Same dealership, same day, same photos."
    assert duplicate.history.latest().history_change_reason == (
        f"merged into “{published_incident.title}”: Same dealership, same day, same photos."
    )[:99] + ("…" if len(published_incident.title) > 40 else "")
    assert published_incident.history.latest().history_change_reason.startswith(
        f"merged with duplicate “{duplicate.title}”"
    )


def test_merge_refuses_when_an_incident_changed_meanwhile(
    editor_client, other_editor, journalist, published_incident
):
    duplicate = IncidentFactory(created_by=journalist)
    ClaimFactory(incident=duplicate)
    submit(duplicate)
    response = editor_client.get(url("merge"), {"ids": [published_incident.pk, duplicate.pk]})
    data = read_form(response, "step_form")
    data["survivor"] = [str(published_incident.pk)]
    data["reason"] = ["Same report."]
    incident_services.withdraw_incident(
        incident=duplicate, editor=other_editor, reason="Not looting: an evacuation."
    )

    response = editor_client.post(url("merge"), data)

    assert response.status_code == 200
    assert "This incident was changed by eve-editor" in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert duplicate.claims.count() == 1


def test_merge_action_needs_exactly_two(editor_client, published_incident):
    response = editor_client.post(
        url("changelist"),
        {"action": "merge_selected", "_selected_action": [published_incident.pk], "index": 0},
        follow=True,
    )
    assert "Select exactly two incidents to merge." in response.content.decode()


def test_journalists_get_403_on_editorial_urls(journalist_client, submitted, published_incident):
    pks = {"ids": [submitted.pk, published_incident.pk]}
    assert journalist_client.get(url("publish", submitted.pk)).status_code == 403
    assert (
        journalist_client.post(url("publish", submitted.pk), {"expected_version": 2}).status_code
        == 403
    )
    assert journalist_client.get(url("withdraw", published_incident.pk)).status_code == 403
    response = journalist_client.post(
        url("withdraw", published_incident.pk), {"expected_version": 3, "reason": "Mine."}
    )
    assert response.status_code == 403
    assert journalist_client.get(url("merge"), pks).status_code == 403
    assert (
        journalist_client.post(url("merge"), {**pks, "survivor": submitted.pk}).status_code == 403
    )
    assert journalist_client.get(url("changelist")).status_code == 403
    submitted.refresh_from_db()
    published_incident.refresh_from_db()
    assert submitted.status == IncidentStatus.SUBMITTED
    assert published_incident.status == IncidentStatus.PUBLISHED
    assert Incident.objects.count() == 2


# Bad ids in the editorial URLs: a 404 or a message, never a server error.

TOO_BIG = "9" * 30


@pytest.mark.parametrize("object_id", ["abc", "1.5", TOO_BIG, "-1", "0"])
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:incidents_incident_publish",
        "admin:incidents_incident_withdraw",
        "admin:claims_claim_review",
        "admin:claims_claim_withdraw",
    ],
)
def test_bad_ids_in_step_urls_are_404(editor_client, url_name, object_id):
    url = reverse(url_name, args=["1"]).replace("/1/", f"/{object_id}/")

    assert editor_client.get(url).status_code == 404
    assert editor_client.post(url, {"expected_version": "1", "reason": "x"}).status_code == 404


@pytest.mark.parametrize(
    "ids", [["abc", "def"], [TOO_BIG, "1"], [TOO_BIG, "-" + TOO_BIG], ["1"], [], ["1", "1"]]
)
def test_bad_merge_ids_are_a_message(editor_client, published_incident, ids):
    ids = [str(published_incident.pk) if pk == "1" else pk for pk in ids]
    url = reverse("admin:incidents_incident_merge")

    for response in (
        editor_client.get(url, {"ids": ids}),
        editor_client.post(url, {"ids": ids, "survivor": ids[0] if ids else ""}),
    ):
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:incidents_incident_changelist")
    page = editor_client.get(reverse("admin:incidents_incident_changelist"))
    assert "Pick two existing incidents to merge." in page.content.decode()
    published_incident.refresh_from_db()
    assert published_incident.status == IncidentStatus.PUBLISHED


def test_an_actor_named_by_an_incident_cannot_be_deleted_in_the_admin(editor, client):
    # Deleting it would empty the incidents' actors with no history and no change that
    # partners' mirrors see (the many-to-many rows are deleted with it).
    actor, unused = ActorFactory(), ActorFactory()
    incident = IncidentFactory()
    incident.actors.add(actor)
    client.force_login(editor)
    delete_url = reverse("admin:incidents_actor_delete", args=[actor.pk])

    page = client.get(delete_url).content.decode()
    assert "protected related objects" in page and incident.title in page
    response = client.post(delete_url, {"post": "yes"})
    assert response.status_code == 200
    assert list(incident.actors.all()) == [actor]

    changelist = reverse("admin:incidents_actor_changelist")
    client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [actor.pk, unused.pk], "post": "yes"},
    )
    assert list(incident.actors.all()) == [actor]

    # One no incident names is deleted as before.
    client.post(reverse("admin:incidents_actor_delete", args=[unused.pk]), {"post": "yes"})
    assert not type(unused).objects.filter(pk=unused.pk).exists()


def test_merge_page_warns_when_only_one_incident_is_published(
    editor_client, journalist, published_incident
):
    submitted = IncidentFactory(created_by=journalist)
    ClaimFactory(incident=submitted)
    submit(submitted)
    page = editor_client.get(f"{url('merge')}?ids={published_incident.pk}&ids={submitted.pk}")
    text = page.content.decode()
    assert f"Only “{published_incident.title}” is published" in text
    assert "partners no longer see it" in text

    both = IncidentFactory(status="published")
    page = editor_client.get(f"{url('merge')}?ids={published_incident.pk}&ids={both.pk}")
    assert "partners no longer see it" not in page.content.decode()
