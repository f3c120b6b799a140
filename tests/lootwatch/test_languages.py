"""English by default, Ukrainian on request: the switcher in the header, the choice
remembered for each person and applied at their next sign-in, dates in the language."""

import datetime

import pytest
from django.test import Client

from accounts.models import Profile
from tests.factories import IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def switch(client, language, next_url="/incidents/"):
    return client.post("/language/", {"language": language, "next": next_url})


def test_english_is_the_default(journalist_client):
    content = journalist_client.get("/incidents/").content.decode()
    assert '<html lang="en-gb">' in content
    assert ">Log an incident<" in content
    assert 'value="uk" lang="uk"' in content  # the switcher offers Ukrainian


def test_the_list_in_ukrainian(journalist, journalist_client):
    IncidentFactory(
        created_by=journalist,
        title="Пральні машини",
        occurred_from=datetime.date(2022, 3, 20),
        occurred_to=datetime.date(2022, 3, 20),
    )
    response = switch(journalist_client, "uk")
    assert response.status_code == 302 and response["Location"] == "/incidents/"
    content = journalist_client.get("/incidents/").content.decode()
    assert '<html lang="uk">' in content
    for words in ("Інциденти", "Внести інцидент", "Мої інциденти", "Методологія"):
        assert words in content  # the navigation
    for words in ("Фільтри та сортування", "Країна", "Регіон", "Статус інциденту"):
        assert words in content  # the filters' labels
    assert "1 інцидент" in content
    assert "Чернетка" in content  # the status
    assert "Не перевірено" in content  # the assessment
    assert "20 Бер 2022" in content or "20 берез" in content.lower()  # the date


def test_the_choice_is_remembered_for_the_person(journalist):
    journalist.set_password(PASSWORD)
    journalist.save()
    first = Client()
    first.force_login(journalist)
    switch(first, "uk")
    profile = Profile.objects.get(user=journalist)
    assert profile.language == "uk"
    assert profile.history.latest().history_change_reason == "language uk"

    # Another browser, no cookie: the sign-in applies the remembered language.
    other = Client()
    response = other.post(
        "/accounts/login/", {"username": journalist.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "uk"
    assert "Внести інцидент" in other.get("/incidents/").content.decode()


def test_signing_out_leaves_the_next_person_their_own_language(journalist):
    """One browser, two people: the first chose Ukrainian; the second, who never chose,
    signs in after the first signed out and reads the browser's language, English."""
    journalist.set_password(PASSWORD)
    journalist.save()
    Profile.objects.update_or_create(user=journalist, defaults={"language": "uk"})
    editor = UserFactory(username="ed", role="editor")
    editor.set_password(PASSWORD)
    editor.save()
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.post("/accounts/login/", {"username": journalist.username, "password": PASSWORD})
    assert "Внести інцидент" in browser.get("/incidents/").content.decode()

    signed_out = browser.post("/accounts/logout/")
    assert signed_out.cookies["django_language"].value == ""  # deleted
    browser.post("/accounts/login/", {"username": "ed", "password": PASSWORD})
    assert ">Log an incident<" in browser.get("/incidents/").content.decode()


def test_signing_in_without_a_choice_keeps_the_browsers_language():
    user = UserFactory(username="ola", role="journalist")
    user.set_password(PASSWORD)
    user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="uk")
    response = client.post("/accounts/login/", {"username": "ola", "password": PASSWORD})
    assert "django_language" not in response.cookies
    assert "Внести інцидент" in client.get("/incidents/").content.decode()


def test_an_unknown_language_changes_nothing(journalist, journalist_client):
    response = switch(journalist_client, "xx")
    assert response.status_code == 302
    assert "django_language" not in response.cookies
    assert not Profile.objects.filter(user=journalist).exclude(language="").exists()
    assert ">Log an incident<" in journalist_client.get("/incidents/").content.decode()


def test_anyone_may_switch_before_signing_in(client):
    response = switch(client, "uk", next_url="/accounts/login/")
    assert response["Location"] == "/accounts/login/"
    content = client.get("/accounts/login/").content.decode()
    assert '<html lang="uk">' in content
    assert "Увійти" in content
    assert Profile.objects.count() == 0


def test_a_switch_to_another_site_goes_home(journalist_client):
    response = switch(journalist_client, "uk", next_url="https://example.org/")
    assert response["Location"] == "/"


def test_switching_is_a_post(journalist_client):
    assert journalist_client.get("/language/?language=uk").status_code == 405
