"""Editing incidents and claims in the admin: optimistic locking, history, read-only state."""

import pytest
from django.urls import reverse

from claims import services as claim_services
from claims.models import Review
from incidents.models import Incident, IncidentStatus, ItemCategory
from tests.factories import (
    ActorFactory,
    ClaimFactory,
    IncidentFactory,
    IncidentItemFactory,
    PlaceFactory,
)
from tests.html_forms import read_form


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def open_form(client, obj):
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return read_form(response, f"{obj._meta.model_name}_form")


@pytest.fixture
def incident(journalist):
    return IncidentFactory(created_by=journalist, status=IncidentStatus.SUBMITTED)


@pytest.fixture
def claim(incident):
    return ClaimFactory(incident=incident)


def test_editing_an_incident_records_who_and_bumps_the_version(editor_client, editor, incident):
    actor = ActorFactory(name="Russian Armed Forces")
    data = open_form(editor_client, incident)
    assert data["expected_version"] == ["1"]
    data.update({"title": ["Homes looted in Bucha"], "actors": [str(actor.pk)]})

    response = editor_client.post(change_url(incident), data)

    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.title == "Homes looted in Bucha"
    # One edit, one record and one version step, naming everything that changed.
    assert incident.version == 2
    assert list(incident.actors.all()) == [actor]
    (edited,) = incident.history.order_by("history_date", "history_id")[1:]
    assert (edited.history_user, edited.title, edited.version) == (
        editor,
        "Homes looted in Bucha",
        2,
    )
    assert edited.history_change_reason == "edited title; actors added: Russian Armed Forces"


def test_items_are_edited_in_the_incident_form(editor_client, editor, incident):
    item = IncidentItemFactory(incident=incident, description="cars")
    data = open_form(editor_client, incident)
    data["items-0-quantity_min"] = ["100"]
    data["items-0-quantity_max"] = ["999"]

    assert editor_client.post(change_url(incident), data).status_code == 302

    item.refresh_from_db()
    assert (item.quantity_min, item.quantity_max) == (100, 999)
    assert item.history.latest().history_user == editor


def test_lost_update_on_an_incident_is_refused(editor_client, other_editor_client, incident):
    mine, theirs = open_form(editor_client, incident), open_form(other_editor_client, incident)
    theirs["summary"] = ["Washing machines and cars were taken from homes."]
    assert other_editor_client.post(change_url(incident), theirs).status_code == 302

    mine["title"] = ["My title"]
    response = editor_client.post(change_url(incident), mine)

    assert response.status_code == 200
    content = response.content.decode()
    assert "This incident was changed by eve-editor" in content
    assert "(summary)" in content
    incident.refresh_from_db()
    assert incident.summary == "Washing machines and cars were taken from homes."
    assert incident.title != "My title"
    assert incident.version == 2


def test_lost_update_on_a_claim_is_refused(editor_client, other_editor_client, claim):
    mine, theirs = open_form(editor_client, claim), open_form(other_editor_client, claim)
    theirs["translation"] = ["Hundreds of cars with loot."]
    theirs["translated_by"] = ["The Kyiv Independent"]
    theirs["translator_kind"] = ["organisation"]
    assert other_editor_client.post(change_url(claim), theirs).status_code == 302

    mine["original_text"] = ["My corrected quote."]
    response = editor_client.post(change_url(claim), mine)

    assert response.status_code == 200
    content = response.content.decode()
    assert "This claim was changed by eve-editor" in content
    assert "(translation, translated by, translator is)" in content
    claim.refresh_from_db()
    assert claim.translation == "Hundreds of cars with loot."
    assert claim.original_text != "My corrected quote."
    assert claim.version == 2


def test_a_review_since_opening_the_claim_form_refuses_the_save(editor_client, other_editor, claim):
    data = open_form(editor_client, claim)
    claim_services.review_claim(
        claim=claim,
        reviewer=other_editor,
        to_status="disputed",
        dispute_reason="contradicted",
        note="Misattributed.",
    )
    data["language"] = ["uk"]

    response = editor_client.post(change_url(claim), data)

    assert "This claim was changed by eve-editor" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.language, claim.status) == ("en", "disputed")


def test_editing_a_claim_records_who_and_cannot_touch_its_status(editor_client, editor, claim):
    data = open_form(editor_client, claim)
    assert "status" not in data
    data.update({"language": ["uk"], "status": ["verified"]})

    assert editor_client.post(change_url(claim), data).status_code == 302

    claim.refresh_from_db()
    assert (claim.language, claim.status, claim.version) == ("uk", "unverified", 2)
    assert claim.history.latest().history_user == editor
    assert not Review.objects.exists()


def test_nobody_deletes_incidents_claims_or_reviews(superuser_client, editor, claim):
    claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Ok.")
    review = claim.reviews.get()
    for obj in (claim.incident, claim, review):
        meta = obj._meta
        delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])
        assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        listing = superuser_client.get(changelist)
        assert listing.status_code == 200
        assert "delete_selected" not in listing.content.decode()
    assert Incident.objects.filter(pk=claim.incident_id).exists()
    assert claim.reviews.count() == 1


def test_reviews_are_read_only_even_for_a_superuser(superuser_client, editor, claim):
    claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Ok.")
    review = claim.reviews.get()
    page = superuser_client.get(change_url(review))
    assert page.status_code == 200
    assert 'name="note"' not in page.content.decode()
    assert superuser_client.post(change_url(review), {"note": "Changed."}).status_code == 403
    add = reverse("admin:claims_review_add")
    assert superuser_client.get(add).status_code == 403
    review.refresh_from_db()
    assert review.note == "Ok."
    # Nor through the claim page's review history.
    claim_page = superuser_client.get(change_url(claim)).content.decode()
    assert 'name="reviews-0-note"' not in claim_page


def test_editors_delete_unused_taxonomy_but_not_what_is_in_use(editor_client, incident):
    unused = PlaceFactory(name="Nowhere")
    used = incident.place
    for place in (unused, used):
        delete = reverse("admin:incidents_place_delete", args=[place.pk])
        editor_client.post(delete, {"post": "yes"})
    assert not type(unused).objects.filter(pk=unused.pk).exists()
    assert type(used).objects.filter(pk=used.pk).exists()


def test_category_slugs_cannot_be_renamed(editor_client):
    category = ItemCategory.objects.get(slug="cars")
    page = editor_client.get(change_url(category)).content.decode()
    assert 'name="slug"' not in page
    assert 'name="name"' in page


def test_history_is_visible_but_cannot_be_reverted(editor_client, editor, incident):
    history = reverse("admin:incidents_incident_history", args=[incident.pk])
    assert editor_client.get(history).status_code == 200
    record = incident.history.earliest()
    past = reverse("admin:incidents_incident_simple_history", args=[incident.pk, record.history_id])
    assert editor_client.get(past).status_code == 200
    assert editor_client.post(past, {"title": "Reverted"}).status_code == 403
    incident.refresh_from_db()
    assert incident.title != "Reverted"


def test_adding_an_incident_with_items_in_the_admin(editor_client, editor):
    place = PlaceFactory(name="Borodianka")
    add = reverse("admin:incidents_incident_add")
    data = read_form(editor_client.get(add), "incident_form")
    data.update(
        {
            "title": ["Shop emptied in Borodianka"],
            "place": [str(place.pk)],
            "occurred_from": ["2022-03-01"],
            "occurred_to": ["2022-03-31"],
            "items-TOTAL_FORMS": ["1"],
            "items-0-category": [str(ItemCategory.objects.get(slug="cars").pk)],
            "items-0-description": ["cars"],
        }
    )

    response = editor_client.post(add, data)

    assert response.status_code == 302
    incident = Incident.objects.get(title="Shop emptied in Borodianka")
    assert (incident.status, incident.created_by, incident.version) == ("draft", editor, 1)
    assert [item.description for item in incident.items.all()] == ["cars"]
    assert incident.history.get().history_user == editor


def test_adding_a_claim_in_the_admin_starts_unverified(editor_client, editor, incident):
    source = ClaimFactory(incident=incident).source
    add = reverse("admin:claims_claim_add")
    data = read_form(editor_client.get(add), "claim_form")
    data.update(
        {
            "incident": [str(incident.pk)],
            "source": [str(source.pk)],
            "medium": ["press_report"],
            "url": ["https://example.org/report"],
            "language": ["en"],
            "original_text": ["Troops grabbed hundreds of cars."],
        }
    )

    response = editor_client.post(add, data)

    assert response.status_code == 302
    claim = incident.claims.get(url="https://example.org/report")
    assert (claim.status, claim.submitted_by) == ("unverified", editor)


def test_reference_data_lists_and_search(editor_client, incident):
    PlaceFactory(name="Naroulia", alternative_names=["Narowlya", "Наровля"], country="BY")
    for model, query in [
        ("incidents_place", "narowlya"),
        ("incidents_actor", "brigade"),
        ("incidents_itemcategory", "cars"),
        ("claims_source", "ministry"),
        ("claims_review", "checked"),
        ("claims_evidence", "abc"),
    ]:
        response = editor_client.get(reverse(f"admin:{model}_changelist"), {"q": query})
        assert response.status_code == 200, model
    places = editor_client.get(reverse("admin:incidents_place_changelist"), {"q": "narowlya"})
    assert [place.name for place in places.context["cl"].result_list] == ["Naroulia"]
