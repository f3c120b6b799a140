"""Guessing passwords and API keys: after 5 failed sign-ins for a username, or 30 from one
address, within 15 minutes, sign-in is locked (429 with a plain page), the right password
included, until the cool-off passes or an editor clears the lock; a success resets the
count. Refused API keys from one address are throttled with 429 and Retry-After."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework_api_key.models import APIKey

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
WRONG = "wrong-password-guess-42"
LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def sign_in(client, path, username, password, address="203.0.113.7"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_five_failures_lock_the_username_even_for_the_right_password(path, editor):
    client = Client()
    for _ in range(4):
        assert sign_in(client, path, editor.username, WRONG).status_code == 200
    locked = sign_in(client, path, editor.username, WRONG)
    assert locked.status_code == 429
    assert "Sign-in locked for now" in locked.content.decode()
    assert locked["Retry-After"] == "900"

    # From another address too: the username is locked, and the right password is refused.
    again = sign_in(Client(), path, editor.username, PASSWORD, address="198.51.100.9")
    assert again.status_code == 429
    assert not signed_in(client)


def test_one_persons_typos_do_not_lock_out_a_shared_address(journalist, editor):
    # A newsroom signs in from one address: five failures for a name typed wrong lock
    # that name, not the colleagues beside it.
    client = Client()
    for _ in range(5):
        sign_in(client, "/accounts/login/", "edtior", WRONG)
    assert sign_in(client, "/accounts/login/", "edtior", WRONG).status_code == 429
    colleague = Client()
    response = sign_in(colleague, "/accounts/login/", editor.username, PASSWORD)
    assert response.status_code == 302 and signed_in(colleague)


def test_thirty_failures_from_one_address_lock_that_address(journalist, settings):
    # Guessing across many usernames from one address is still stopped.
    assert settings.SIGN_IN_ADDRESS_FAILURE_LIMIT == 30
    client = Client()
    for n in range(29):
        assert sign_in(client, "/accounts/login/", f"nobody-{n}", WRONG).status_code == 200
    assert sign_in(client, "/accounts/login/", "nobody-29", WRONG).status_code == 429
    response = sign_in(client, "/accounts/login/", journalist.username, PASSWORD)
    assert response.status_code == 429
    # Another address signs in as usual.
    other = Client()
    response = sign_in(other, "/accounts/login/", journalist.username, PASSWORD, "198.51.100.9")
    assert response.status_code == 302 and signed_in(other)


def test_the_lock_lifts_after_the_cool_off(journalist):
    client = Client()
    for _ in range(5):
        sign_in(client, "/accounts/login/", journalist.username, WRONG)
    assert sign_in(client, "/accounts/login/", journalist.username, PASSWORD).status_code == 429

    # Sixteen minutes later (the attempts' times moved back, as the clock would).
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = sign_in(client, "/accounts/login/", journalist.username, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_a_success_resets_the_count(journalist):
    client = Client()
    for _ in range(4):
        sign_in(client, "/accounts/login/", journalist.username, WRONG)
    assert sign_in(client, "/accounts/login/", journalist.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "/accounts/login/", journalist.username, WRONG).status_code == 200
    assert sign_in(client, "/accounts/login/", journalist.username, PASSWORD).status_code == 302


def test_signing_in_as_oneself_does_not_reset_the_guesses_at_another_username(journalist, editor):
    # Anyone with an account could guess an editor's password without end: four wrong
    # guesses, then a sign-in of their own from the same address, which cleared every
    # failure from that address (the editor's four included), and again.
    client = Client()
    answers = []
    for _ in range(3):
        for _ in range(4):
            answers.append(sign_in(client, "/accounts/login/", editor.username, WRONG).status_code)
        response = sign_in(client, "/accounts/login/", journalist.username, PASSWORD)
        assert response.status_code == 302
        client.logout()
    assert answers == [200] * 4 + [429] * 8
    locked = sign_in(Client(), "/accounts/login/", editor.username, PASSWORD, "198.51.100.9")
    assert locked.status_code == 429


def test_editors_see_and_clear_locks_in_the_admin(journalist, editor_client):
    client = Client()
    for _ in range(5):
        sign_in(client, "/accounts/login/", journalist.username, WRONG)
    attempt = AccessAttempt.objects.get(username=journalist.username)

    listing = editor_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert journalist.username in listing.content.decode()
    response = editor_client.post(
        f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=journalist.username).exists()
    # The address is still counted (it failed five times too): clear it as well.
    AccessAttempt.objects.all().delete()

    response = sign_in(client, "/accounts/login/", journalist.username, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_journalists_cannot_see_or_clear_locks(journalist_client):
    assert journalist_client.get("/admin/axes/accessattempt/").status_code in (302, 403)


def test_failed_sign_ins_are_recorded_and_logged_without_the_password(journalist, caplog):
    client = Client()
    with caplog.at_level(logging.INFO):
        for _ in range(6):
            sign_in(client, "/admin/login/", journalist.username, WRONG)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    # The address and page are logged; the username typed is not (the admin shows it).
    assert "New login failure by {ip_address: '203.0.113.7', path_info: '/admin/login/'}" in logged
    assert journalist.username not in logged
    stored = " ".join(
        str(value)
        for attempt in AccessAttempt.objects.all()
        for value in (attempt.get_data, attempt.post_data, attempt.username)
    )
    assert AccessFailureLog.objects.filter(username=journalist.username).count() >= 5
    for text in (logged, stored):
        assert WRONG not in text


def test_refused_api_keys_are_throttled_per_address(settings):
    settings.API_INVALID_KEY_RATE = "3/minute"

    _, valid = APIKey.objects.create_key(name="Newsroom")
    guesses = [
        Client(HTTP_AUTHORIZATION=f"Api-Key abcd{n}.guess", REMOTE_ADDR="203.0.113.7").get(
            "/api/v1/incidents/"
        )
        for n in range(3)
    ]
    assert [response.status_code for response in guesses] == [401, 401, 401]
    blocked = Client(HTTP_AUTHORIZATION="Api-Key abcd9.guess", REMOTE_ADDR="203.0.113.7").get(
        "/api/v1/incidents/"
    )
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "Too many refused API keys" in blocked.json()["detail"]
    # Another address is not affected, and valid keys never count.
    for _ in range(5):
        ok = Client(HTTP_AUTHORIZATION=f"Api-Key {valid}", REMOTE_ADDR="198.51.100.9").get(
            "/api/v1/incidents/"
        )
        assert ok.status_code == 200
