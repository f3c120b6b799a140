"""Verify and dispute through the admin: one claim from its page, or many from the queue."""

import pytest
from django.urls import reverse

from claims import services as claim_services
from claims.models import Claim, Review
from incidents.models import Assessment, Incident, IncidentStatus
from incidents.selectors import with_summary
from tests.factories import ClaimFactory, IncidentFactory
from tests.html_forms import read_form

CHANGELIST = reverse("admin:claims_claim_changelist")


def review_url(claim):
    return reverse("admin:claims_claim_review", args=[claim.pk])


def change_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


@pytest.fixture
def incident(journalist):
    """An incident in the review queue, with the claim it was submitted with."""
    return IncidentFactory(created_by=journalist, status=IncidentStatus.SUBMITTED)


@pytest.fixture
def claim(incident):
    return incident.claims.get()


def open_review(client, claim, to_status):
    """Follow the button on the claim's page to the note page; return what it would post."""
    page = client.get(change_url(claim))
    assert page.status_code == 200
    button = f"{review_url(claim)}?to_status={to_status}&amp;version={claim.version}"
    assert button in page.content.decode()
    response = client.get(review_url(claim), {"to_status": to_status, "version": claim.version})
    assert response.status_code == 200
    return read_form(response, "review_form")


# One claim at a time.


def test_verify_one_claim_with_a_note(editor_client, editor, claim):
    data = open_review(editor_client, claim, "verified")
    data["note"] = ["Found the original tweet; the photo matches the reported street."]

    response = editor_client.post(review_url(claim), data)

    # Saved, and back to the review queue (not the claim's change form).
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_claim_changelist")
    claim.refresh_from_db()
    assert claim.status == "verified"
    assert claim.version == 2
    review = Review.objects.get(claim=claim)
    assert (review.reviewer, review.from_status, review.to_status) == (
        editor,
        "unverified",
        "verified",
    )
    assert review.note.startswith("Found the original tweet")
    record = claim.history.latest()
    assert record.history_user == editor
    assert record.status == "verified"
    assert with_summary(Incident.objects.all()).get(pk=claim.incident_id).assessment == (
        Assessment.SINGLE_SOURCE
    )


def test_a_decision_can_be_revised_and_the_page_shows_the_history(editor_client, editor, claim):
    data = open_review(editor_client, claim, "disputed")
    data["note"] = ["The photo was published in 2014 elsewhere."]
    data["dispute_reason"] = ["recycled_content"]
    editor_client.post(review_url(claim), data)
    claim.refresh_from_db()
    data = open_review(editor_client, claim, "verified")
    data["note"] = ["The 2014 photo was a different one; this one is new."]
    editor_client.post(review_url(claim), data)

    claim.refresh_from_db()
    assert claim.status == "verified"
    assert list(claim.reviews.values_list("from_status", "to_status")) == [
        ("unverified", "disputed"),
        ("disputed", "verified"),
    ]
    page = editor_client.get(change_url(claim)).content.decode()
    assert "Review history" in page
    assert "Unverified → Disputed" in page
    assert "Disputed → Verified" in page
    assert "The photo was published in 2014 elsewhere." in page
    assert editor.username in page
    # Only decisions that change the status are offered.
    assert f"{review_url(claim)}?to_status=disputed" in page
    assert f"{review_url(claim)}?to_status=verified" not in page


@pytest.mark.parametrize(
    ("to_status", "note", "message"),
    [
        ("verified", "   ", "Say why: a review needs a note."),
        ("confirmed", "Checked.", "Select a valid choice. confirmed is not one of"),
        ("", "Checked.", "Choose a decision: verify, dispute or keep unverified."),
        ("disputed", "Checked.", "Say why the claim is disputed: choose a reason"),
    ],
)
def test_bad_reviews_are_refused_with_a_message(editor_client, claim, to_status, note, message):
    data = open_review(editor_client, claim, "verified")
    # Unknown and unchanged statuses have no button: they come from an edited request.
    data.update({"to_status": [to_status], "note": [note]})

    response = editor_client.post(review_url(claim), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("unverified", 1)
    assert not Review.objects.exists()


def test_a_stale_review_is_refused(editor_client, other_editor, claim):
    data = open_review(editor_client, claim, "verified")
    # Meanwhile another editor disputes it.
    claim_services.review_claim(
        claim=claim,
        reviewer=other_editor,
        to_status="disputed",
        dispute_reason="contradicted",
        note="Geolocated elsewhere.",
    )
    data["note"] = ["Looks right to me."]

    response = editor_client.post(review_url(claim), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "This claim was changed by eve-editor" in content
    assert "(status, status changed at, dispute reason)" in content
    claim.refresh_from_db()
    assert claim.status == "disputed"
    assert list(claim.reviews.values_list("reviewer__username", flat=True)) == ["eve-editor"]


# In bulk, from the queue.


def start_bulk(client, claims, action, query=""):
    """Tick ``claims`` in the list and choose ``action``; return the note page's form."""
    listing = client.get(CHANGELIST + query)
    data = read_form(listing, "changelist-form")
    data.update(
        {"action": [action], "_selected_action": [str(c.pk) for c in claims], "index": ["0"]}
    )
    response = client.post(CHANGELIST + query, data)
    assert response.status_code == 200
    assert "review_form" in response.content.decode()
    return read_form(response, "review_form")


def test_bulk_verify_writes_one_review_per_claim(editor_client, editor, incident):
    first, second = ClaimFactory(incident=incident), ClaimFactory(incident=incident)
    data = start_bulk(editor_client, [first, second], "verify_selected")
    assert data[f"version_{first.pk}"] == ["1"]
    data["note"] = ["Both posts found on the ministry's accounts."]

    response = editor_client.post(CHANGELIST, data)

    assert response.status_code == 302
    for claim in (first, second):
        claim.refresh_from_db()
        assert (claim.status, claim.version) == ("verified", 2)
        assert claim.history.latest().history_user == editor
    assert Review.objects.filter(reviewer=editor, to_status="verified").count() == 2
    messages = [str(m) for m in editor_client.get(CHANGELIST).context["messages"]]
    assert "2 claims marked verified." in messages


def test_bulk_dispute_can_revise_decisions_outside_the_queue(editor_client, editor, incident):
    claim = ClaimFactory(incident=incident)
    claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Ok.")
    data = start_bulk(editor_client, [claim], "dispute_selected", query="?queue=all")
    data["note"] = ["The ministry deleted the post and retracted it."]
    data["dispute_reason"] = ["misattributed"]

    assert editor_client.post(CHANGELIST + "?queue=all", data).status_code == 302

    claim.refresh_from_db()
    assert claim.status == "disputed"
    assert claim.reviews.count() == 2


def test_bulk_without_a_note_writes_nothing(editor_client, incident):
    first, second = ClaimFactory(incident=incident), ClaimFactory(incident=incident)
    data = start_bulk(editor_client, [first, second], "verify_selected")
    data["note"] = [""]

    response = editor_client.post(CHANGELIST, data)

    assert response.status_code == 200
    assert "Say why: a review needs a note." in response.content.decode()
    assert not Review.objects.exists()
    assert set(Claim.objects.values_list("status", flat=True)) == {"unverified"}


def test_bulk_with_one_stale_claim_writes_none(editor_client, other_editor, incident):
    first, second = ClaimFactory(incident=incident), ClaimFactory(incident=incident)
    data = start_bulk(editor_client, [first, second], "verify_selected")
    # Another editor disputes the second one while the note is being written: it has left
    # the queue, and must be refused rather than skipped or overruled.
    claim_services.review_claim(
        claim=second,
        reviewer=other_editor,
        to_status="disputed",
        dispute_reason="contradicted",
        note="Fabricated.",
    )
    data["note"] = ["Both check out."]

    response = editor_client.post(CHANGELIST, data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "was changed by eve-editor" in content
    assert "Nothing was changed." in content
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.version) == ("unverified", 1)
    assert second.status == "disputed"
    assert Review.objects.count() == 1


def test_bulk_uses_the_versions_the_list_showed(editor_client, other_editor, incident):
    claim = ClaimFactory(incident=incident)
    listing = read_form(editor_client.get(CHANGELIST), "changelist-form")
    assert listing[f"version_{claim.pk}"] == ["1"]
    # The claim's text is corrected after the editor loaded the list.
    claim.original_text = "Corrected quote."
    claim_services.update_claim(
        claim=claim, editor=other_editor, expected_version=1, fields=["original_text"]
    )
    listing.update(
        {"action": ["verify_selected"], "_selected_action": [str(claim.pk)], "index": ["0"]}
    )
    data = read_form(editor_client.post(CHANGELIST, listing), "review_form")
    data["note"] = ["Checked."]

    response = editor_client.post(CHANGELIST, data)

    assert "This claim was changed by eve-editor" in response.content.decode()
    assert not Review.objects.exists()


# Who may.


def test_journalists_get_403_on_review_urls(journalist_client, journalist, claim):
    assert journalist_client.get(review_url(claim), {"to_status": "verified"}).status_code == 403
    response = journalist_client.post(
        review_url(claim), {"to_status": "verified", "expected_version": 1, "note": "Mine."}
    )
    assert response.status_code == 403
    response = journalist_client.post(
        CHANGELIST,
        {
            "action": "verify_selected",
            "_selected_action": [claim.pk],
            "post": "yes",
            "note": "Mine.",
        },
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == "unverified"
    assert not Review.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, claim):
    response = client.get(review_url(claim))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_review_permission_get_403(client, claim):
    from tests.factories import UserFactory

    staff_journalist = UserFactory(username="sam-staff", role="journalist")
    staff_journalist.is_staff = True
    staff_journalist.save(update_fields=["is_staff"])
    client.force_login(staff_journalist)

    assert client.get(review_url(claim)).status_code == 403
    assert "verify_selected" not in client.get(CHANGELIST).content.decode()


def test_bulk_on_everything_the_queue_shows(editor_client, incident, journalist):
    claims = [incident.claims.get()] + [ClaimFactory(incident=incident) for _ in range(2)]
    ClaimFactory(incident=IncidentFactory(created_by=journalist))  # A draft's: not queued.
    listing = read_form(editor_client.get(CHANGELIST), "changelist-form")
    listing.update(
        {
            "action": ["dispute_selected"],
            "_selected_action": [str(claims[0].pk)],
            "select_across": ["1"],
            "index": ["0"],
        }
    )
    data = read_form(editor_client.post(CHANGELIST, listing), "review_form")
    assert sorted(data["_selected_action"]) == sorted(str(c.pk) for c in claims)
    data["note"] = ["All three quote a parody account."]
    data["dispute_reason"] = ["fabricated_source"]

    assert editor_client.post(CHANGELIST, data).status_code == 302

    assert Review.objects.count() == 3
    assert set(Claim.objects.filter(status="disputed")) == set(claims)


# Withdrawing a claim.


def withdraw_url(claim):
    return reverse("admin:claims_claim_withdraw", args=[claim.pk])


def test_withdraw_a_claim_with_a_reason(editor_client, editor, claim):
    page = editor_client.get(change_url(claim))
    assert withdraw_url(claim) in page.content.decode()
    data = read_form(editor_client.get(withdraw_url(claim)), "step_form")

    data["reason"] = [""]
    response = editor_client.post(withdraw_url(claim), data)
    assert response.status_code == 200
    assert "Say why the claim is withdrawn." in response.content.decode()
    claim.refresh_from_db()
    assert claim.withdrawn_at is None

    data["reason"] = ["Names a witness who asked not to be named."]
    response = editor_client.post(withdraw_url(claim), data)

    assert response.status_code == 302
    assert response["Location"] == change_url(claim)
    claim.refresh_from_db()
    assert claim.withdrawn_at is not None
    assert claim.withdrawal_reason == "Names a witness who asked not to be named."
    assert claim.version == 2
    record = claim.history.latest()
    assert record.history_user == editor
    assert record.history_change_reason == "withdrawn: Names a witness who asked not to be named."
    # Withdrawn: no second withdrawal offered, and none accepted.
    assert withdraw_url(claim) not in editor_client.get(change_url(claim)).content.decode()
    data["expected_version"] = [str(claim.version)]
    response = editor_client.post(withdraw_url(claim), data)
    assert "already withdrawn" in response.content.decode()


def test_a_stale_withdrawal_is_refused(editor_client, editor, claim):
    data = read_form(editor_client.get(withdraw_url(claim)), "step_form")
    claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Ok.")
    data["reason"] = ["Duplicate."]

    response = editor_client.post(withdraw_url(claim), data)

    assert response.status_code == 200
    assert "was changed" in response.content.decode()
    claim.refresh_from_db()
    assert claim.withdrawn_at is None


def test_only_editors_may_withdraw_claims(journalist_client, client, claim):
    assert journalist_client.get(withdraw_url(claim)).status_code == 403
    response = journalist_client.post(
        withdraw_url(claim), {"expected_version": 1, "reason": "Mine."}
    )
    assert response.status_code == 403
    assert withdraw_url(claim) not in journalist_client.get(change_url(claim)).content.decode()
    response = client.get(withdraw_url(claim))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    claim.refresh_from_db()
    assert claim.withdrawn_at is None


@pytest.mark.parametrize("bad", ["abc", "9" * 30, ""])
@pytest.mark.parametrize("confirmed", [True, False])
def test_bulk_review_with_bad_ids_is_a_message(editor_client, claim, bad, confirmed):
    data = {"action": "verify_selected", "_selected_action": [str(claim.pk), bad], "index": "0"}
    if confirmed:
        data.update(post="yes", note="Checked.")

    response = editor_client.post(CHANGELIST, data, follow=True)

    assert response.status_code == 200
    assert "The selection is not valid. Nothing was changed." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "unverified"


def test_merge_action_with_bad_ids_is_a_message(editor_client, published_incident):
    response = editor_client.post(
        reverse("admin:incidents_incident_changelist"),
        {"action": "merge_selected", "_selected_action": [str(published_incident.pk), "x"]},
        follow=True,
    )

    assert response.status_code == 200
    assert "The selection is not valid. Nothing was changed." in response.content.decode()


def test_reviewing_to_the_status_a_claim_already_has_says_so_at_once(editor_client, editor, claim):
    claim_services.review_claim(
        claim=claim, reviewer=editor, to_status="verified", note="Checked the source."
    )
    claim.refresh_from_db()

    response = editor_client.get(
        review_url(claim), {"to_status": "verified", "version": claim.version}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "The claim is already verified." in content
    assert 'id="review_form"' not in content
    dispute = f"{review_url(claim)}?to_status=disputed&amp;version={claim.version}"
    assert dispute in content
    # The offered decision leads to the ordinary note page.
    response = editor_client.get(
        review_url(claim), {"to_status": "disputed", "version": claim.version}
    )
    assert 'id="review_form"' in response.content.decode()
    assert Review.objects.filter(claim=claim).count() == 1
