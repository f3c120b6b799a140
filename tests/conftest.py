import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from claims import services as claim_services
from incidents import services as incident_services
from tests.factories import ClaimFactory, IncidentFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords cheaply: production's PBKDF2 costs ~0.3 s a user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    """LocaleMiddleware leaves a request's language active in the thread: without this, a
    test that browsed in Ukrainian would hand Ukrainian messages to the next one."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path_factory):
    """Every test stores uploads (derivatives and private originals) in its own temporary
    directories, never in the working tree. Returns the two directories."""
    root = tmp_path_factory.mktemp("media")
    public, private = root / "public", root / "private"
    settings.MEDIA_ROOT = str(public)
    settings.PRIVATE_MEDIA_ROOT = str(private)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(public)},
        },
        "evidence_originals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(private), "base_url": None},
        },
    }
    return {"public": public, "private": private}


@pytest.fixture
def journalist(db):
    return UserFactory(username="jo-journalist", role="journalist")


@pytest.fixture
def editor(db):
    return UserFactory(username="ed-editor", role="editor")


@pytest.fixture
def other_journalist(db):
    return UserFactory(username="jim-journalist", role="journalist")


@pytest.fixture
def journalist_client(journalist):
    client = Client()
    client.force_login(journalist)
    return client


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def published_incident(journalist, editor):
    """A published incident with one verified claim, made through the services."""
    incident = IncidentFactory(created_by=journalist)
    claim = ClaimFactory(incident=incident, submitted_by=journalist)
    claim_services.review_claim(
        claim=claim, reviewer=editor, to_status="verified", note="Checked the original post."
    )
    incident_services.publish_incident(incident=incident, editor=editor)
    return incident


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
