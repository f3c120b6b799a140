"""A service's refusal reaches a person in the language they chose: the pages show the
Ukrainian sentence, with its details filled in, and the English one stays the default."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from claims import services as claim_services
from incidents import services as incident_services
from incidents.models import IncidentStatus
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def test_a_refused_submission_is_explained_in_ukrainian(journalist, journalist_client):
    incident = IncidentFactory(created_by=journalist)
    journalist_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"

    response = journalist_client.post(
        reverse("incidents:submit", args=[incident.public_id]), follow=True
    )

    content = response.content.decode()
    assert "Перед надсиланням додайте принаймні одне твердження" in content
    assert "Add at least one claim" not in content
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.DRAFT


def test_the_same_refusal_stays_english_by_default(journalist, journalist_client):
    incident = IncidentFactory(created_by=journalist)

    response = journalist_client.post(
        reverse("incidents:submit", args=[incident.public_id]), follow=True
    )

    assert "Add at least one claim before submitting" in response.content.decode()


def test_refusals_carry_their_details_in_ukrainian(journalist, editor):
    incident = IncidentFactory(created_by=journalist, status="submitted")
    claim = incident.claims.get()
    with translation.override("uk"):
        with pytest.raises(PermissionDenied, match=r"^Вам не дозволено публікувати інциденти\.$"):
            incident_services.publish_incident(incident=incident, editor=journalist)
        with pytest.raises(ValidationError) as refused:
            claim_services.review_claim(
                claim=claim, reviewer=editor, to_status="lost", note="Checked the post."
            )
        with pytest.raises(ValidationError) as stale:
            claim_services.withdraw_claim(
                claim=claim, editor=editor, reason="Duplicate.", expected_version=0
            )
    assert refused.value.message_dict["to_status"] == [
        "Невідомий статус 'lost': використовуйте один із unverified, verified, disputed."
    ]
    assert stale.value.messages[0].startswith("Запис «")
    assert stale.value.messages[0].endswith("а тоді внесіть свої знову.")
    claim.refresh_from_db()
    assert claim.withdrawn_at is None


def test_my_page_the_timeline_and_the_methodology_speak_ukrainian(journalist, journalist_client):
    IncidentFactory(created_by=journalist, title="Пральні машини з Мелітополя")
    journalist_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"

    mine = journalist_client.get(reverse("incidents:mine")).content.decode()
    timeline = journalist_client.get(reverse("incidents:timeline")).content.decode()
    methodology = journalist_client.get(reverse("methodology")).content.decode()

    assert "<h1>Мої інциденти</h1>" in mine
    assert "Поки ви його не надішлете, його бачите лише ви." in mine
    assert "Надсилати мені лист, коли редактор" in mine
    assert "<h1>Хронологія інцидентів</h1>" in timeline
    assert "1 інцидент за тижнем, коли він почався." in timeline
    assert "<h1>Як Lootwatch оцінює те, що фіксує</h1>" in methodology
    assert "Джерело, якому його приписують, цього не казало." in methodology
    for english in ("What I logged", "Only you can see it", "by the week they began"):
        assert english not in mine + timeline
    assert "How Lootwatch grades" not in methodology
