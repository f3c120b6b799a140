"""Use cases on incidents and their reference data: one function per user action (log,
edit, submit, publish, withdraw, merge; add or edit a place, actor or category). The route
an incident's goods were taken along and its links to other incidents are part of what it
says, so they are logged and edited with it. The admin,
the pages, the API, the commands and the demo data all call these.

Each function is keyword-only, checks the caller's permission itself (incidents.rules),
runs in one transaction, locks the rows it changes, and leaves one history record naming
who did it and why.
"""

from incidents.services.bulk import IncidentSubmission, log_incidents
from incidents.services.dossier import export_dossier
from incidents.services.editorial import (
    merge_incidents,
    publish_incident,
    submit_incident,
    withdraw_incident,
)
from incidents.services.parts import SubmissionError
from incidents.services.recording import (
    ClaimSubmission,
    edit_incident,
    log_incident,
)
from incidents.services.reference import (
    check_new_actor,
    check_new_place,
    create_actor,
    create_actors,
    create_category,
    create_place,
    create_places,
    update_actor,
    update_category,
    update_place,
)
from incidents.services.routes import LinkSubmission, RoutePointSubmission

__all__ = [
    "ClaimSubmission",
    "IncidentSubmission",
    "LinkSubmission",
    "RoutePointSubmission",
    "SubmissionError",
    "check_new_actor",
    "check_new_place",
    "create_actor",
    "create_actors",
    "create_category",
    "create_place",
    "create_places",
    "edit_incident",
    "export_dossier",
    "log_incident",
    "log_incidents",
    "merge_incidents",
    "publish_incident",
    "submit_incident",
    "update_actor",
    "update_category",
    "update_place",
    "withdraw_incident",
]
