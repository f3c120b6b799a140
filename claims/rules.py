"""Who may do and see what with claims and their evidence: the one definition of each rule.

As in incidents.rules: predicates for one user and one claim, which the services enforce and
pages, templates and the admin ask; visibility conditions as Q objects over a path to a
claim, from which the selectors of both apps build every read.
"""

from django.db.models import F, Q

from claims.models import ClaimStatus
from incidents import rules as incident_rules

# Visibility.


def live(prefix=""):
    """Claims that have not been withdrawn, as a Q over ``prefix`` (the path to the claim)."""
    return Q(**{f"{prefix}withdrawn_at__isnull": True})


def awaiting_editor(prefix="", incident=None):
    """Claims added to an incident after it was published and not reviewed since: nobody
    has checked them yet (one may, say, name a witness). ``incident`` is the path to the
    claim's incident, ``prefix + "incident__"`` unless given."""
    if incident is None:
        incident = f"{prefix}incident__"
    return Q(
        **{
            f"{prefix}status": ClaimStatus.UNVERIFIED,
            f"{prefix}created_at__gt": F(f"{incident}published_at"),
        }
    )


def visible_to_partners(prefix="", incident=None):
    """The one rule for which claims partners may see, as a Q: live, of an incident partners
    may see (published), and not awaiting an editor.

    ``prefix`` is the path from the model queried to the claim: "" on Claim, "claim__" on
    Evidence, "claims__" on Incident. ``incident`` is the path to the claim's incident,
    ``prefix + "incident__"`` unless given ("" when querying incidents themselves).
    """
    if incident is None:
        incident = f"{prefix}incident__"
    return (
        live(prefix)
        & incident_rules.visible_to_partners(incident)
        & ~awaiting_editor(prefix, incident)
    )


def visible_to_staff(user, prefix=""):
    """The claims ``user`` may see in the pages: those of incidents they may see
    (incidents.rules.visible_to_staff), withdrawn ones included, marked as such."""
    return incident_rules.visible_to_staff(user, f"{prefix}incident__")


# What a user may do with one claim.


def can_review(user):
    """Return True if ``user`` may verify or dispute claims (and withdraw them)."""
    return bool(user and user.is_active and user.has_perm("claims.review_claim"))


def can_edit_claim(user, claim):
    """Return True if ``user`` may change ``claim``'s content (not its status): whoever may
    still edit its incident."""
    return user.has_perm("claims.change_claim") and incident_rules.can_edit_incident(
        user, claim.incident
    )


def can_withdraw_claim(user, claim):
    """Return True if ``user`` may withdraw ``claim``: an editor, and not withdrawn yet."""
    return can_review(user) and claim.withdrawn_at is None
