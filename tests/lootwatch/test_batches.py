"""lootwatch.batches: the checks a batch service asks the database once for the batch."""

import uuid

import pytest

from claims.models import Claim
from incidents.models import Incident
from lootwatch.batches import BatchRefusal, refuse_duplicates, stored_values
from tests.factories import ClaimFactory, IncidentFactory

pytestmark = pytest.mark.django_db


def test_stored_values_are_those_a_row_holds_whatever_form_they_are_given_in():
    incident = IncidentFactory()
    claim = ClaimFactory(incident=incident)
    other = uuid.uuid4()
    given = [str(incident.public_id).upper(), other, str(uuid.uuid4())]
    assert stored_values(Incident, "public_id", given) == {incident.public_id}
    assert stored_values(Claim, "public_id", [claim.public_id]) == {claim.public_id}
    assert stored_values(Claim, "id", [claim.pk, claim.pk + 1000]) == {claim.pk}
    assert stored_values(Claim, "id", []) == set()


def test_a_new_row_holding_a_stored_unique_value_is_refused_by_its_position():
    stored = IncidentFactory()
    new = [Incident(public_id=uuid.uuid4()), Incident(public_id=stored.public_id)]
    with pytest.raises(BatchRefusal) as refusal:
        refuse_duplicates(Incident, new)
    assert refusal.value.index == 1
    assert "public_id" in refusal.value.message_dict
    refuse_duplicates(Incident, new[:1])  # nothing stored holds the first
