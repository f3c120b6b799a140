"""Protected identities in the journalists' pages: the journalist who logged a witness and
the editors see the witness's name; every other journalist sees the public label, in the
incident page, the source picker, "my incidents" and the duplicate warnings."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from claims import services as claim_services
from claims.models import Claim, Source
from tests.factories import (
    ClaimFactory,
    IncidentFactory,
    PlaceFactory,
    SourceFactory,
    UserFactory,
)
from tests.incidents.pages.forms_data import claim_fields, incident_post

pytestmark = pytest.mark.django_db

WITNESS = "Olena Kovalenko"
WITNESS_POST = "https://www.facebook.com/olena.kovalenko.private/posts/77"


@pytest.fixture
def witness_claim(journalist, editor):
    """A witness logged by ``journalist`` on their submitted incident, reviewed."""
    incident = IncidentFactory(created_by=journalist, status="submitted")
    witness = claim_services.create_source(
        source=Source(name=WITNESS, kind="witness", country="UA"), created_by=journalist
    )
    claim = ClaimFactory(
        incident=incident, source=witness, url=WITNESS_POST, medium="witness_statement"
    )
    claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Ok.")
    return claim


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_logger_and_editors_see_the_name_others_the_label(
    witness_claim, journalist_client, editor_client, other_journalist
):
    url = witness_claim.incident.get_absolute_url()
    label = witness_claim.source.public_label
    for client in (journalist_client, editor_client):
        content = page(client, url)
        assert WITNESS in content and WITNESS_POST in content

    other = Client()
    other.force_login(other_journalist)
    content = page(other, url)
    assert label in content
    assert WITNESS not in content and "kovalenko" not in content
    assert "Withheld: the source's identity is protected." in content


def test_the_source_picker_finds_a_protected_source_by_its_label(
    witness_claim, journalist_client, other_journalist
):
    """The picker's search names a witness as the reader may see it, and finds it only by
    that: typing the witness's name tells another journalist nothing."""
    label = witness_claim.source.public_label
    other = Client()
    other.force_login(other_journalist)
    for client, typed, shown, hidden in (
        (journalist_client, "kovalenko", WITNESS, None),
        (journalist_client, "", WITNESS, label),
        (other, "kovalenko", None, WITNESS),
        (other, label[-6:].lower(), label, WITNESS),
        (other, "", label, WITNESS),
    ):
        content = page(client, f"/incidents/sources/?source_search={typed}")
        if shown:
            option = rf'<option value="{witness_claim.source.pk}"( selected)?>{shown}<'
            assert re.search(option, content)
        else:
            assert f'value="{witness_claim.source.pk}"' not in content
        if hidden:
            assert hidden not in content


def test_the_chosen_protected_source_is_shown_by_its_label(witness_claim, other_journalist):
    other = Client()
    other.force_login(other_journalist)
    place = PlaceFactory()
    claim = claim_fields(source=str(witness_claim.source.pk), url="not a url")
    response = other.post("/incidents/new/", incident_post(place=place, claims=[claim]))
    content = response.content.decode()
    assert response.status_code == 200
    label = witness_claim.source.public_label
    assert f'<option value="{witness_claim.source.pk}" selected>{label}</option>' in content
    assert WITNESS not in content


def test_my_incidents_and_duplicate_warnings_use_the_label(witness_claim, other_journalist):
    other = Client()
    other.force_login(other_journalist)
    label = witness_claim.source.public_label
    # Citing the witness's post again: the warning names the claim's source by its label.
    response = other.get("/incidents/duplicates/", {"url": WITNESS_POST})
    content = response.content.decode()
    assert label in content and WITNESS not in content

    # The other journalist's own claim citing the witness, reviewed: "my incidents".
    incident = IncidentFactory(created_by=other_journalist, status="submitted")
    claim = ClaimFactory(incident=incident, source=witness_claim.source, url=WITNESS_POST + "8")
    claim_services.review_claim(
        claim=claim, reviewer=UserFactory(role="editor"), to_status="verified", note="Seen."
    )
    content = page(other, "/me/")
    assert label in content and WITNESS not in content


def test_a_new_witness_logged_in_the_form_is_protected(journalist_client):
    data = incident_post(
        place=PlaceFactory(),
        claims=[
            claim_fields(
                new_source_name=WITNESS, new_source_kind="witness", medium="witness_statement"
            ),
            claim_fields(
                new_source_name="A private Telegram account",
                new_source_kind="social_media_account",
                new_source_protected="on",
                url="https://t.me/private/1",
            ),
        ],
    )
    response = journalist_client.post("/incidents/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    witness = Source.objects.get(name=WITNESS)
    account = Source.objects.get(name="A private Telegram account")
    assert witness.identity_protected and account.identity_protected
    assert witness.created_by.username == "jo-journalist"
    assert Claim.objects.filter(source=witness).count() == 1


def test_an_editor_cannot_unprotect_a_witness(editor):
    witness = SourceFactory(name=WITNESS, kind="witness")
    witness.identity_protected = False
    with pytest.raises(ValidationError, match="always protected"):
        claim_services.update_source(source=witness, editor=editor, fields=["identity_protected"])
    assert Source.objects.get(pk=witness.pk).identity_protected
