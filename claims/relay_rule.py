"""The relay partners see of a claim: the claim it is known through (``reported_via``), named
only when partners see that claim too. One definition for claims.selectors
(with_visible_relay()) and the API's JSON written by PostgreSQL (incidents.api.claims_json),
which compiles it into its own statement."""

from django.db.models import OuterRef, Subquery

from claims import rules
from claims.models import Claim


def visible_relay() -> Subquery:
    """The public id of the outer claim's relay, or NULL when partners do not see it."""
    relay = Claim.objects.filter(rules.visible_to_partners(), pk=OuterRef("reported_via_id"))
    return Subquery(relay.order_by().values("public_id"))
