"""Who may do and see what with claims and their evidence: the one definition of each rule.

As in incidents.rules: predicates for one user and one claim, which the services enforce and
pages, templates and the admin ask; visibility conditions as Q objects over a path to a
claim, from which the selectors of both apps build every read.
"""

from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from claims.models import ClaimStatus, TranslatorKind
from incidents import rules as incident_rules
from incidents.models import IncidentStatus

# A claim an editor took for review and left untouched this long is free again.
ASSIGNMENT_LIFETIME = timedelta(hours=24)

# What partners read in ``translated_by`` when the translator is not an organisation.
WITHHELD_TRANSLATORS = {
    TranslatorKind.STAFF: "Lootwatch staff",
    TranslatorKind.INDIVIDUAL: "Independent translator (not named)",
}

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


def awaiting_review(prefix=""):
    """Claims waiting in the editors' review queue, as a Q: unverified, live, of incidents
    submitted for review or already published."""
    return live(prefix) & Q(
        **{
            f"{prefix}status": ClaimStatus.UNVERIFIED,
            f"{prefix}incident__status__in": [IncidentStatus.SUBMITTED, IncidentStatus.PUBLISHED],
        }
    )


def taken(prefix="", now=None):
    """Claims an editor has taken for review and not left untouched for longer than
    ASSIGNMENT_LIFETIME, as a Q."""
    since = (now or timezone.now()) - ASSIGNMENT_LIFETIME
    return Q(**{f"{prefix}assigned_to__isnull": False, f"{prefix}assigned_at__gt": since})


def taken_by(user, prefix="", now=None):
    """Claims ``user`` holds for review, as a Q."""
    return taken(prefix, now) & Q(**{f"{prefix}assigned_to": user})


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


def holder(claim, now=None):
    """Return the editor who holds ``claim`` for review, or None if nobody does (never
    taken, released, or left untouched for longer than ASSIGNMENT_LIFETIME)."""
    if claim.assigned_to_id is None or claim.assigned_at is None:
        return None
    if claim.assigned_at <= (now or timezone.now()) - ASSIGNMENT_LIFETIME:
        return None
    return claim.assigned_to


def held_by_another(user, claim, now=None):
    """Return True if an editor other than ``user`` holds ``claim`` for review."""
    return claim.assigned_to_id not in (None, user.pk) and holder(claim, now) is not None


def can_take(user, claim):
    """Return True if ``user`` may take ``claim`` for review: an editor, a live claim, and
    nobody else holding it."""
    return can_review(user) and claim.withdrawn_at is None and not held_by_another(user, claim)


def can_release(user, claim):
    """Return True if ``user`` may release ``claim``: they hold it. (Nobody releases a
    colleague's claim by hand: it frees itself after ASSIGNMENT_LIFETIME untouched.)"""
    return can_review(user) and claim.assigned_to_id == user.pk


def can_withdraw_claim(user, claim):
    """Return True if ``user`` may withdraw ``claim``: an editor, and not withdrawn yet."""
    return can_review(user) and claim.withdrawn_at is None


# Protected identities. ``user`` None is a partner (and anyone reading the API, where staff
# see exactly what partners see): the one audience that never sees a protected identity.


def can_see_identity(user, source):
    """Return True if ``user`` may see who ``source`` is: its name, handle and URL, and the
    URLs of its claims. Everyone may for an unprotected source; for a protected one (every
    witness), editors and the journalist who logged it. Partners (``user`` None) never."""
    if not source.identity_protected:
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return source.created_by_id == user.pk or user.has_perm("claims.view_protected_identity")


def identity_protected(prefix=""):
    """Sources whose identity is protected, as a Q over ``prefix`` (the path to the source)."""
    return Q(**{f"{prefix}identity_protected": True})


def source_name_for(user, source):
    """The name of ``source`` as ``user`` may see it: the real one, or its public label."""
    return source.name if can_see_identity(user, source) else source.public_label


def source_url_for(user, source):
    """The URL or handle of ``source`` as ``user`` may see it ("" when withheld)."""
    return source.url if can_see_identity(user, source) else ""


def claim_urls_for(user, claim):
    """The claim's URL and archived URL as ``user`` may see them: a protected source's post
    (a witness's private profile) names them as surely as their name does."""
    if can_see_identity(user, claim.source):
        return claim.url, claim.archived_url
    return "", ""


def translator_for(user, claim):
    """Who translated ``claim``, as ``user`` may see it. Staff see the name as typed;
    partners see it only when it names an organisation, a staff member's or another
    person's translation reads as such without their name."""
    if not claim.translated_by:
        return ""
    if user is not None and user.is_authenticated and user.has_perm("incidents.view_incident"):
        return claim.translated_by
    if claim.translator_kind == TranslatorKind.ORGANISATION:
        return claim.translated_by
    return WITHHELD_TRANSLATORS.get(claim.translator_kind, WITHHELD_TRANSLATORS["individual"])
