import io

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from claims.models import Evidence
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def evidence_storage(settings, tmp_path, monkeypatch):
    """Keep evidence files written by these tests in a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(
        Evidence._meta.get_field("original"), "storage", FileSystemStorage(tmp_path / "private")
    )


@pytest.fixture
def partner_client(db):
    client = Client()
    client.force_login(UserFactory(username="pat-partner", role="partner"))
    return client


@pytest.fixture
def other_journalist(db):
    return UserFactory(username="jim-journalist", role="journalist")


def jpeg_upload(name="photo.jpg", colour="red", size=(64, 48)):
    """Return a real, small JPEG as an upload."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")
