"""The journalist is told: an email after the decision commits, never after a rollback,
never to someone who turned the emails off; and /me/ marks what is new."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from accounts.models import Profile
from claims import services as claim_services
from incidents import services as incident_services
from tests.factories import ClaimFactory, IncidentFactory, submit


@pytest.fixture
def claim(journalist):
    incident = IncidentFactory(created_by=journalist)
    claim = ClaimFactory(incident=incident)
    submit(incident)
    return claim


def test_a_dispute_is_mailed_to_the_journalist_after_commit(
    claim, editor, journalist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        claim_services.review_claim(
            claim=claim,
            reviewer=editor,
            to_status="disputed",
            dispute_reason="recycled_content",
            note="The photo is from 2014.",
        )
        assert mail.outbox == []  # Not before the transaction commits.

    mails = [c for c in callbacks if getattr(c, "__module__", "") == "accounts.notifications"]
    assert len(mails) == 1
    (message,) = mail.outbox
    assert message.to == [journalist.email]
    assert message.subject == f"[Lootwatch] Your claim was disputed: {claim.incident.title}"
    assert "unverified → disputed" in message.body
    assert "Reason: Recycled content (another time or place)" in message.body
    assert "Note: The photo is from 2014." in message.body
    assert f"http://127.0.0.1:8000/incidents/{claim.incident.public_id}/" in message.body
    # The email does not name the editor: it travels further than Lootwatch's pages.
    assert editor.username not in message.body


def test_the_email_is_in_the_language_the_journalist_chose(
    claim, editor, journalist, django_capture_on_commit_callbacks
):
    Profile.objects.update_or_create(user=journalist, defaults={"language": "uk"})
    with django_capture_on_commit_callbacks(execute=True):
        claim_services.review_claim(
            claim=claim,
            reviewer=editor,
            to_status="disputed",
            dispute_reason="recycled_content",
            note="Фото 2014 року.",
        )

    (message,) = mail.outbox
    assert message.subject == f"[Lootwatch] Ваше твердження спростовано: {claim.incident.title}"
    assert "Редактор ухвалив рішення щодо внесеного вами твердження." in message.body
    assert "не перевірено → спростовано" in message.body
    assert "Примітка: Фото 2014 року." in message.body
    assert "Hello" not in message.body


def test_nothing_is_mailed_when_the_transaction_rolls_back(
    claim, editor, django_capture_on_commit_callbacks
):
    class Abandon(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abandon),
        transaction.atomic(),
    ):
        claim_services.review_claim(
            claim=claim, reviewer=editor, to_status="verified", note="Checked."
        )
        raise Abandon

    assert callbacks == []
    assert mail.outbox == []
    claim.refresh_from_db()
    assert claim.status == "unverified"


def test_a_refused_decision_mails_nobody(claim, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017
        claim_services.review_claim(
            claim=claim, reviewer=editor, to_status="disputed", note="No reason given."
        )
    assert mail.outbox == []


def test_publishing_and_withdrawing_are_mailed(
    journalist, editor, django_capture_on_commit_callbacks
):
    incident = IncidentFactory(created_by=journalist, status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        incident_services.publish_incident(incident=incident, editor=editor)
        incident_services.withdraw_incident(
            incident=incident, editor=editor, reason="Duplicate of an earlier report."
        )

    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        f"[Lootwatch] Your incident was published: {incident.title}",
        f"[Lootwatch] Your incident was withdrawn: {incident.title}",
    ]
    assert "Reason: Duplicate of an earlier report." in mail.outbox[1].body


def test_a_bulk_decision_is_one_email_per_journalist(
    journalist, editor, django_capture_on_commit_callbacks
):
    incident = IncidentFactory(created_by=journalist)
    claims = [ClaimFactory(incident=incident) for _ in range(3)]
    submit(incident)

    with django_capture_on_commit_callbacks(execute=True):
        claim_services.review_claims(
            claims=claims, reviewer=editor, to_status="verified", note="All found."
        )

    (message,) = mail.outbox
    assert message.subject == "[Lootwatch] Editors decided on 3 of your claims"
    assert message.body.count("Note: All found.") == 3


def test_journalists_turn_the_emails_off_on_me(
    journalist_client, journalist, claim, editor, django_capture_on_commit_callbacks
):
    page = journalist_client.get(reverse("incidents:mine")).content.decode()
    assert 'id="id_email_on_decisions" checked>' in page

    response = journalist_client.post(reverse("incidents:mine-emails"), {})

    assert response.status_code == 302
    profile = Profile.objects.get(user=journalist)
    assert profile.email_on_decisions is False
    record = profile.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        journalist,
        "emails about decisions off",
    )
    with django_capture_on_commit_callbacks(execute=True):
        claim_services.review_claim(
            claim=claim, reviewer=editor, to_status="verified", note="Checked."
        )
    assert mail.outbox == []


def test_me_shows_what_is_new_since_the_last_visit(journalist_client, journalist, claim, editor):
    journalist_client.get(reverse("incidents:mine"))  # The first visit sets the mark.
    claim_services.review_claim(
        claim=claim,
        reviewer=editor,
        to_status="disputed",
        dispute_reason="misattributed",
        note="The ministry never posted this.",
        checklist={"source_authenticity": "failed"},
    )
    incident_services.publish_incident(incident=claim.incident, editor=editor)

    page = journalist_client.get(reverse("incidents:mine")).content.decode()

    assert "New since your last visit" in page
    assert "1 decision on your claims" in page
    assert f"{claim.incident.title}</a> was published." in page
    assert '<span class="badge new">New</span>' in page
    assert " · misattributed (the source did not say it)" in page
    assert "Source authenticity: <strong>Failed</strong>" in page
    # Seen now: the next visit has nothing new.
    again = journalist_client.get(reverse("incidents:mine")).content.decode()
    assert "Nothing new" in again
    assert '<span class="badge new">New</span>' not in again
