"""The demo data carries the Defence Ministry's photo as evidence, as a journalist would."""

import io

import pytest
from django.core.management import call_command
from PIL import Image

from claims.models import CustodyAction, Evidence
from tests.claims.evidence.conftest import stored_files

pytestmark = pytest.mark.django_db


def test_load_demo_attaches_the_tweet_photo_once_and_links_it_to_the_draft(
    settings, tmp_path, monkeypatch, media_storage
):
    settings.DEBUG = True
    monkeypatch.setattr(
        "incidents.management.commands.load_demo.CREDENTIALS_FILE", tmp_path / "accounts.txt"
    )
    call_command("load_demo")
    call_command("load_demo")

    published, draft = Evidence.objects.order_by("pk")
    assert Evidence.objects.count() == 2
    assert published.claim.incident.status == "published"
    assert published.claim.url == "https://twitter.com/DefenceU/status/1510265447712448514"
    assert published.metadata["camera_model"] == "Canon EOS 5D Mark IV"
    assert published.metadata["gps"] == {"latitude": 50.53, "longitude": 30.25}
    assert published.custody.filter(action=CustodyAction.UPLOADED).exists()

    assert draft.claim.incident.status == "draft"
    assert draft.original.name == published.original.name
    assert draft.custody.filter(action=CustodyAction.LINKED).exists()
    assert len(stored_files(media_storage["private"])) == 1

    with published.display.open("rb") as display:
        image = Image.open(io.BytesIO(display.read()))
    assert dict(image.getexif()) == {}
