import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.factories import UserFactory


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
