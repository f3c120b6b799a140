"""Use cases on incidents and their reference data: one function per user action (log,
edit, submit, publish, withdraw, merge; add or edit a place, actor or category). The admin,
the pages, the API, the commands and the demo data all call these.

Each function is keyword-only, checks the caller's permission itself (incidents.rules),
runs in one transaction, locks the rows it changes, and leaves one history record naming
who did it and why.
"""

from incidents.services.editorial import (
    merge_incidents,
    publish_incident,
    submit_incident,
    withdraw_incident,
)
from incidents.services.recording import (
    ClaimSubmission,
    SubmissionError,
    edit_incident,
    log_incident,
)
from incidents.services.reference import (
    create_actor,
    create_category,
    create_place,
    update_actor,
    update_category,
    update_place,
)

__all__ = [
    "ClaimSubmission",
    "SubmissionError",
    "create_actor",
    "create_category",
    "create_place",
    "edit_incident",
    "log_incident",
    "merge_incidents",
    "publish_incident",
    "submit_incident",
    "update_actor",
    "update_category",
    "update_place",
    "withdraw_incident",
]
