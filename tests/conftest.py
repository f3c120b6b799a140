import pytest
from django.test import Client

from claims import services as claim_services
from incidents import services as incident_services
from tests.factories import ClaimFactory, IncidentFactory, UserFactory


@pytest.fixture
def journalist(db):
    return UserFactory(username="jo-journalist", role="journalist")


@pytest.fixture
def editor(db):
    return UserFactory(username="ed-editor", role="editor")


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
    incident = IncidentFactory(created_by=journalist, status="submitted")
    claim = ClaimFactory(incident=incident, submitted_by=journalist)
    claim_services.review_claim(
        claim=claim, reviewer=editor, to_status="verified", note="Checked the original post."
    )
    incident_services.publish_incident(incident=incident, editor=editor)
    return incident
