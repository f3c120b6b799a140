"""Check constraints validated in one query give exactly Django's errors."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def errors(call):
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "bogus", "medium": "carrier pigeon"},
        {"original_text": "", "translation": "Text", "translator_kind": ""},
        {"dispute_reason": "other"},
        {"version": 0},
    ],
)
def test_the_same_errors_as_django_in_one_query(changes):
    claim = ClaimFactory()
    for name, value in changes.items():
        setattr(claim, name, value)
    expected = errors(lambda: models.Model.validate_constraints(claim))
    with CaptureQueriesContext(connection) as queries:
        assert errors(lambda: claim.validate_constraints()) == expected
    checks = [q for q in queries if "SAVEPOINT" not in q["sql"]]
    # One for all the check constraints, one for the (incident, url) unique constraint.
    assert len(checks) == 2, [q["sql"] for q in queries]
    # Excluded fields are not checked, as in Django.
    assert (
        claim.validate_constraints(
            exclude={
                "status",
                "medium",
                "original_text",
                "version",
                "translation",
                "translator_kind",
                "dispute_reason",
            }
        )
        is None
    )


def test_a_valid_claim_passes():
    claim = Claim.objects.get(pk=ClaimFactory().pk)
    claim.full_clean()
