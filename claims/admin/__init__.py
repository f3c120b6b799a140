"""The editors' admin for claims, their reviews, sources and evidence (importing the
modules registers them).

A claim's status changes only through claims.services.review_claim(s), which writes one
Review per decision; the admin offers no other way to touch it.
"""

from claims.admin import claims, evidence, sources  # noqa: F401
