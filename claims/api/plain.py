"""Claims as partners see them, built as plain dicts: the fast path behind
claims.api.representation.

The same fields, in the same order, with the same values as ClaimSerializer and
ClaimWithIncidentSerializer give (which stay the schema's description of them), read from
the same selectors and asking the same rules (claims.rules, with no user: partners); only
DRF's per-field machinery is left out, which cost more than the database did for a page of
500. tests/api/test_fast_path.py compares the two byte for byte over every kind of record.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from claims import rules
from claims.api.serializers import PARTNER


class Rendering:
    """What one page's data needs to know once: the time zone times are written in, and
    where links start (the request's address, or the site's for a webhook, which has no
    request)."""

    def __init__(self, request=None, base_url=""):
        self.request = request
        self.base_url = base_url
        self.zone = timezone.get_current_timezone() if settings.USE_TZ else None

    def time(self, value):
        """A time as DRF's DateTimeField writes it: ISO 8601 in the current time zone,
        "Z" for UTC."""
        if value is None:
            return None
        if self.zone is not None and timezone.is_aware(value):
            value = value.astimezone(self.zone)
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    def link(self, evidence, derivative, url_name):
        """The absolute link to a derivative of ``evidence``, None if it has none."""
        if not derivative:
            return None
        path = reverse(url_name, kwargs={"public_id": evidence.public_id})
        if self.request is not None:
            return self.request.build_absolute_uri(path)
        return f"{self.base_url}{path}"


def source_data(source):
    """SourceBriefSerializer's data."""
    return {"id": source.pk, "name": rules.source_name_for(PARTNER, source), "kind": source.kind}


def evidence_data(evidence, rendering):
    """EvidenceSerializer's data."""
    return {
        "id": str(evidence.public_id),
        "kind": evidence.kind,
        "display_url": rendering.link(evidence, evidence.display, "claims:evidence-display"),
        "thumbnail_url": rendering.link(evidence, evidence.thumbnail, "claims:evidence-thumbnail"),
    }


def claim_data(claim, rendering, *, with_incident=False):
    """ClaimSerializer's data of ``claim`` (ClaimWithIncidentSerializer's with
    ``with_incident``), from a claim read through claims.selectors (partner_claims() or
    partner_claims_of_incidents())."""
    url, archived_url = rules.claim_urls_for(PARTNER, claim)
    relay = claim.reported_via_public_id
    data = {"id": str(claim.public_id)}
    if with_incident:
        data["incident"] = str(claim.incident.public_id)
    data.update(
        {
            "source": source_data(claim.source),
            "medium": claim.medium,
            "url": url,
            "archived_url": archived_url,
            "published_at": rendering.time(claim.published_at),
            "language": claim.language,
            "text": claim.original_text,
            "translation": claim.translation,
            "translated_by": rules.translator_for(PARTNER, claim),
            "reported_via": None if relay is None else str(relay),
            "status": claim.status,
            "dispute_reason": claim.dispute_reason or None,
            "reviewed_at": rendering.time(claim.status_changed_at),
            "evidence": [evidence_data(evidence, rendering) for evidence in claim.partner_evidence],
            "created_at": rendering.time(claim.created_at),
            "updated_at": rendering.time(claim.updated_at),
        }
    )
    return data
