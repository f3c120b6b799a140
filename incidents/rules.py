"""Who may do and see what with incidents: the one definition of each rule.

Predicates answer for one user and one incident (``can_publish(user, incident)``); the
services enforce them, and pages, templates and the admin ask them rather than re-deriving
them from an incident's status. Visibility conditions are Q objects over a path to an
incident, so that the selectors of both apps build every read from the same rule.

Nothing here writes, and nothing imports from the claims app: claims build on incidents.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from incidents.models import IncidentStatus

# Journalists may edit an incident (and its items) until it is published.
EDITABLE_BY_JOURNALISTS = (IncidentStatus.DRAFT, IncidentStatus.SUBMITTED)


def require(user, permission, refusal):
    """Raise PermissionDenied with ``refusal`` (a translated sentence, "You are not allowed
    to publish incidents.") unless ``user`` is an active account holding ``permission``."""
    if not (user and user.is_active and user.has_perm(permission)):
        raise PermissionDenied(refusal)


def can_download_dossier(user):
    """Return True if ``user`` may download incident dossiers: editors who may download
    original evidence. A dossier holds the originals and names the staff who logged,
    reviewed and handled everything, which nobody else sees."""
    return bool(
        user
        and user.is_active
        and user.has_perm("incidents.publish_incident")
        and user.has_perm("claims.download_original")
    )


# Visibility.


def uses_pages(user):
    """Return True if ``user`` may use the journalists' pages (journalists and editors)."""
    return bool(user and user.is_authenticated and user.has_perm("incidents.view_incident"))


def visible_to_staff(user, prefix=""):
    """The incidents ``user`` may see in the pages, as a Q over ``prefix`` (the path from
    the model queried to the incident: "" on Incident, "claim__incident__" on Evidence).

    Journalists and editors see every incident but other people's drafts; anyone else
    (partners included) sees none here.
    """
    if not uses_pages(user):
        return Q(pk__in=[])
    return ~Q(**{f"{prefix}status": IncidentStatus.DRAFT}) | Q(**{f"{prefix}created_by": user})


def visible_to_partners(prefix=""):
    """The incidents partners may see, as a Q over ``prefix``: published ones only. Never
    drafts, incidents waiting for review, or withdrawn ones."""
    return Q(**{f"{prefix}status": IncidentStatus.PUBLISHED})


# What a user may do with one incident.


def can_edit_incident(user, incident):
    """Return True if ``user`` may change ``incident``'s content (not its status):
    journalists until it is published, editors until it is withdrawn."""
    if not user.is_authenticated or not user.has_perm("incidents.change_incident"):
        return False
    if user.has_perm("incidents.publish_incident"):
        return incident.status != IncidentStatus.WITHDRAWN
    return incident.status in EDITABLE_BY_JOURNALISTS


def can_submit(user, incident):
    """Return True if ``user`` may send ``incident``, a draft, to the review queue (it must
    also stand on a claim, which submit_incident checks)."""
    return incident.status == IncidentStatus.DRAFT and can_edit_incident(user, incident)


def can_add_claims(user, incident):
    """Return True if ``user`` may add a claim to ``incident``: anyone who logs claims, to
    any incident that is not withdrawn."""
    return user.has_perm("claims.add_claim") and incident.status != IncidentStatus.WITHDRAWN


def takes_evidence(incident):
    """Return True if ``incident``'s claims still take evidence: until it is withdrawn."""
    return incident.status != IncidentStatus.WITHDRAWN


def can_publish(user, incident):
    """Return True if ``user`` may publish ``incident``: an editor, an incident not yet
    published or withdrawn, and at least one live claim to stand on."""
    return (
        user.has_perm("incidents.publish_incident")
        and incident.status in EDITABLE_BY_JOURNALISTS
        and incident.claims.filter(withdrawn_at__isnull=True).exists()
    )


def can_withdraw(user, incident):
    """Return True if ``user`` may withdraw ``incident``: an editor, and not withdrawn yet."""
    return user.has_perm("incidents.publish_incident") and incident.status != (
        IncidentStatus.WITHDRAWN
    )


def can_merge(user):
    """Return True if ``user`` may merge duplicate incidents."""
    return user.has_perm("incidents.merge_incidents")
