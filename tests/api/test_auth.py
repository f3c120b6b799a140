"""Who may read the API: partners with a valid key, and signed-in staff."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from rest_framework_api_key.models import APIKey

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents/"


def assert_refused(response, words):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'
    assert words in response.json()["detail"]


def test_no_key_is_401_with_a_json_message():
    assert_refused(Client().get(URL), "credentials were not provided")


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("Api-Key nonsense", "not valid"),
        ("Api-Key abcdefgh.wrongsecret", "not valid"),
        ("Api-Key ....", "not valid"),
        ("Api-Key ab\x00cd.secret", "not valid"),
        ("Api-Key abcdefghijklmnop.secret", "not valid"),
        ("Api-Key  ", "carries no key"),
    ],
)
def test_bad_key_is_401(partner_key, header, words):
    assert_refused(Client(HTTP_AUTHORIZATION=header).get(URL), words)


def test_right_prefix_wrong_secret_is_401(partner_key):
    prefix = partner_key.partition(".")[0]

    assert_refused(Client(HTTP_AUTHORIZATION=f"Api-Key {prefix}.x").get(URL), "not valid")


def test_revoked_key_is_401(partner_key):
    APIKey.objects.update(revoked=True)

    assert_refused(Client(HTTP_AUTHORIZATION=f"Api-Key {partner_key}").get(URL), "revoked")


def test_expired_key_is_401(partner_key):
    APIKey.objects.update(expiry_date=timezone.now() - datetime.timedelta(seconds=1))

    assert_refused(Client(HTTP_AUTHORIZATION=f"Api-Key {partner_key}").get(URL), "expired")


def test_key_not_yet_expired_works(partner_key):
    APIKey.objects.update(expiry_date=timezone.now() + datetime.timedelta(days=1))

    assert Client(HTTP_AUTHORIZATION=f"Api-Key {partner_key}").get(URL).status_code == 200


def test_other_authorization_schemes_are_not_keys(partner_key):
    assert_refused(Client(HTTP_AUTHORIZATION=f"Bearer {partner_key}").get(URL), "credentials")


def test_valid_key_reads(partner_client, published_incident):
    response = partner_client.get(URL)

    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == str(published_incident.public_id)


def test_every_endpoint_requires_a_key(published_incident):
    claim = published_incident.claims.get()
    for path in (
        URL,
        f"{URL}{published_incident.public_id}/",
        "/api/v1/claims/",
        f"/api/v1/claims/{claim.public_id}/",
        "/api/v1/places/",
        "/api/v1/actors/",
        "/api/v1/categories/",
        "/api/v1/sources/",
        "/api/v1/deletions/",
    ):
        assert Client().get(path).status_code == 401, path


def test_staff_sessions_read_the_same_published_data(
    journalist_client, editor_client, partner_client, published_incident, journalist
):
    from tests.factories import IncidentFactory

    IncidentFactory(created_by=journalist, status="draft", title="A draft")

    partner_view = partner_client.get(URL).json()
    assert journalist_client.get(URL).json() == partner_view
    assert editor_client.get(URL).json() == partner_view
    assert [i["title"] for i in partner_view["results"]] == [published_incident.title]


def test_a_signed_in_user_without_a_staff_role_is_forbidden():
    client = Client()
    client.force_login(UserFactory(username="partner-person", role="partner"))

    response = client.get(URL)

    assert response.status_code == 403
    assert response.json()["detail"]


def test_create_partner_key_prints_the_key_last_and_stores_it_hashed(capsys):
    call_command("create_partner_key", "Kyiv Independent data desk")

    key = capsys.readouterr().out.strip().splitlines()[-1]
    api_key = APIKey.objects.get()
    assert api_key.name == "Kyiv Independent data desk"
    assert key.startswith(api_key.prefix + ".")
    assert key not in api_key.hashed_key and key != api_key.id
    assert api_key.expiry_date is None
    assert Client(HTTP_AUTHORIZATION=f"Api-Key {key}").get(URL).status_code == 200


def test_create_partner_key_with_expiry(capsys):
    call_command("create_partner_key", "Researcher", "--expires", "2099-12-31")

    api_key = APIKey.objects.get()
    assert api_key.expiry_date == datetime.datetime(
        2099, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC
    )
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith(api_key.prefix)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "--expires", "2099-01-01"], "name"),
        (["x" * 51], "longer than 50"),
        (["Desk", "--expires", "soon"], "not a date"),
        (["Desk", "--expires", "2001-01-01"], "in the past"),
    ],
)
def test_create_partner_key_refuses_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_partner_key", *args)
    assert not APIKey.objects.exists()


def test_editors_manage_keys_in_the_admin(editor_client, journalist_client, partner_key):
    response = editor_client.get("/admin/rest_framework_api_key/apikey/")

    assert response.status_code == 200
    assert "Test newsroom" in response.content.decode()
    assert partner_key not in response.content.decode()
    assert journalist_client.get("/admin/rest_framework_api_key/apikey/").status_code != 200
