import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture
def other_editor(db):
    return UserFactory(username="eve-editor", role="editor")


@pytest.fixture
def other_editor_client(other_editor):
    client = Client()
    client.force_login(other_editor)
    return client


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        "root", "root@example.org", "correct horse battery staple"
    )


@pytest.fixture
def superuser_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def partner_client(db):
    client = Client()
    client.force_login(UserFactory(username="pat-partner", role="partner"))
    return client
