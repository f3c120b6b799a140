"""Registering endpoints: in the admin and with create_webhook (the secret shown once, as
the last line); only http(s), never an address inside the server's network unless
WEBHOOK_ALLOW_PRIVATE; and the address checked again at every delivery."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from webhooks import network
from webhooks.models import Attempt, Delivery, Endpoint
from webhooks.services import attempt_delivery, create_endpoint


def test_create_webhook_prints_the_secret_as_its_last_line(allow_loopback, partner_key, receiver):
    out = StringIO()
    call_command(
        "create_webhook",
        "--key",
        "Partner desk",
        "--url",
        receiver.url,
        "--events",
        "incident.published",
        "incident.withdrawn",
        stdout=out,
    )
    secret = out.getvalue().strip().splitlines()[-1]
    endpoint = Endpoint.objects.get()
    assert secret.startswith("whsec_") and endpoint.secret == secret
    assert endpoint.events == ["incident.published", "incident.withdrawn"]
    assert endpoint.api_key == partner_key


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--key", "Nobody", "--url", "https://example.org/hook"], "No valid API key"),
        (["--key", "Partner desk", "--url", "ftp://example.org/hook"], "https://"),
        (["--key", "Partner desk", "--url", "http://127.0.0.1:9/hook"], "127.0.0.1"),
    ],
)
def test_create_webhook_refuses_clearly_and_writes_nothing(partner_key, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_webhook", *arguments, stdout=StringIO())
    assert not Endpoint.objects.exists()


def test_create_webhook_refuses_an_unknown_event(partner_key):
    with pytest.raises(CommandError):
        call_command(
            "create_webhook",
            "--key",
            "Partner desk",
            "--url",
            "https://example.org/h",
            "--events",
            "incident.deleted",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8080/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "https://user:password@example.org/hook",
        "file:///etc/passwd",
        "gopher://example.org/",
    ],
)
def test_private_addresses_and_other_schemes_are_refused(url, partner_key):
    with pytest.raises(ValidationError):
        create_endpoint(api_key=partner_key, url=url)
    assert not Endpoint.objects.exists()


def test_public_addresses_are_allowed():
    assert network.address_allowed("93.184.215.14")
    assert network.address_allowed("2606:2800:21f:cb07:6820:80da:af6b:8b2c")
    assert not network.address_allowed("100.64.0.1")  # carrier-grade NAT
    assert not network.address_allowed("fe80::1")
    assert not network.address_allowed("224.0.0.1")


def test_the_address_is_checked_again_at_delivery(endpoint, receiver, settings):
    """A host may resolve elsewhere by the time we deliver (DNS rebinding)."""
    delivery = Delivery.objects.create(endpoint=endpoint, event="incident.updated", body="{}")
    settings.WEBHOOK_ALLOW_PRIVATE = False

    attempt = attempt_delivery(delivery_id=delivery.pk)

    assert attempt.outcome == Attempt.Outcome.REFUSED_ADDRESS
    assert receiver.requests == []


def test_editors_register_an_endpoint_in_the_admin_and_see_the_secret_once(
    allow_loopback, partner_key, receiver, editor_client
):
    response = editor_client.post(
        reverse("admin:webhooks_endpoint_add"),
        {
            "api_key": partner_key.pk,
            "url": receiver.url,
            "events": ["incident.published"],
            "active": "on",
        },
        follow=True,
    )
    endpoint = Endpoint.objects.get()
    assert endpoint.secret in response.content.decode()
    page = editor_client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert endpoint.secret not in page.content.decode()


def test_the_admin_refuses_a_private_address_next_to_the_field(partner_key, editor_client):
    response = editor_client.post(
        reverse("admin:webhooks_endpoint_add"),
        {"api_key": partner_key.pk, "url": "http://127.0.0.1/x", "events": ["incident.published"]},
    )
    assert response.status_code == 200
    assert "private, loopback and link-local" in response.content.decode()
    assert not Endpoint.objects.exists()


def test_journalists_cannot_register_endpoints(allow_loopback, partner_key, receiver, journalist):
    with pytest.raises(PermissionDenied, match="not allowed"):
        create_endpoint(api_key=partner_key, url=receiver.url, created_by=journalist)
    assert not Endpoint.objects.exists()
