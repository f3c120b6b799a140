"""A new alleged actor from the log and edit forms, created through
incidents.services.create_actor with its history."""

import pytest

from incidents.models import Actor, Incident
from tests.factories import ActorFactory, IncidentFactory, PlaceFactory
from tests.incidents.pages.forms_data import incident_post

pytestmark = pytest.mark.django_db


def new_actor(**fields):
    data = {
        "new_actor-name": "141st Special Motorized Regiment",
        "new_actor-kind": "unit",
        "new_actor-parent": "",
        "new_actor-country": "RU",
    }
    data.update({f"new_actor-{name}": value for name, value in fields.items()})
    return data


def test_the_log_form_offers_a_new_actor(journalist_client):
    page = journalist_client.get("/incidents/new/").content.decode()
    assert "The actor is not in the list" in page
    assert 'name="new_actor-name"' in page and 'name="new_actor-parent"' in page


def test_a_new_actor_is_logged_with_its_parent_and_history(journalist, journalist_client):
    rosgvardia = ActorFactory(name="Rosgvardia", kind="armed_forces")
    known = ActorFactory(name="Russian Armed Forces")
    data = incident_post(place=PlaceFactory(), actors=[str(known.pk)])
    data.update(new_actor(name="  141st Special  Motorized Regiment ", parent=str(rosgvardia.pk)))

    response = journalist_client.post("/incidents/new/", data)

    assert response.status_code == 302
    actor = Actor.objects.get(name="141st Special Motorized Regiment")
    assert (actor.kind, actor.parent, actor.country) == ("unit", rosgvardia, "RU")
    record = actor.history.get()
    assert (record.history_user, record.history_change_reason) == (journalist, "added")
    incident = Incident.objects.get()
    assert set(incident.actors.all()) == {known, actor}


def test_a_new_actor_with_a_known_name_is_the_known_one(journalist_client):
    known = ActorFactory(name="Kadyrovtsy", kind="paramilitary")
    data = incident_post(place=PlaceFactory())
    data.update(new_actor(name="kadyrovtsy", kind="paramilitary"))

    assert journalist_client.post("/incidents/new/", data).status_code == 302

    assert Actor.objects.filter(name__iexact="kadyrovtsy").get() == known
    assert list(Incident.objects.get().actors.all()) == [known]


def test_a_refused_new_actor_saves_nothing(journalist_client):
    data = incident_post(place=PlaceFactory())
    data.update(new_actor(name="", parent=str(ActorFactory().pk), kind="unit", country="XX"))

    response = journalist_client.post("/incidents/new/", data)

    assert response.status_code == 200
    errors = response.context["actor_form"].errors
    assert errors["name"] == ["Name the new actor."]
    assert "country" in errors
    assert not Incident.objects.exists()
    assert "Nothing was saved yet." in response.content.decode()


def test_the_edit_form_adds_a_new_actor(journalist, journalist_client):
    incident = IncidentFactory(created_by=journalist)
    page = journalist_client.get(f"/incidents/{incident.public_id}/edit/")
    from tests.html_forms import read_form

    data = read_form(page, "incident-form")
    data.update({key: [value] for key, value in new_actor().items()})

    response = journalist_client.post(f"/incidents/{incident.public_id}/edit/", data)

    assert response.status_code == 302
    assert [actor.name for actor in incident.actors.all()] == ["141st Special Motorized Regiment"]
    assert "actors added: 141st Special Motorized Regiment" in (
        incident.history.latest().history_change_reason
    )
