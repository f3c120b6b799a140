"""The export as it was built before exchange.staff_rows (git history: exchange/export.py and
exchange/selectors.py before the row-based export): model instances with their related rows
prefetched, serialized by the partner representation one incident at a time. Kept here as
the reference the row-based export is compared with, byte for byte."""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import OuterRef, Prefetch, Q, Subquery

from claims.models import Claim, Evidence
from claims.selectors import partner_evidence, visible_claims
from exchange.formats import csv_header, csv_rows
from exchange.staff_rows import staff_incident
from incidents import rules
from incidents.api.representation import incident_representation
from incidents.models import Incident
from incidents.selectors import actors_and_items, partner_incidents, route_and_links, with_summary
from lootwatch.api.renderers import defuse_cell


def _staff_claims():
    relay = Claim.objects.filter(pk=OuterRef("reported_via_id"))
    claims = (
        Claim.objects.filter(withdrawn_at__isnull=True)
        .select_related("source__organisation", "submitted_by")
        .prefetch_related(
            partner_evidence(),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.order_by("uploaded_at"),
                to_attr="all_evidence",
            ),
        )
        .annotate(reported_via_public_id=Subquery(relay.values("public_id")[:1]))
        .order_by("published_at", "pk")
    )
    return Prefetch("claims", queryset=claims, to_attr="partner_claims")


def _anything(prefix=""):
    return Q()


def incidents_for_export(*, status, staff):
    if status == "published" and not staff:
        return partner_incidents().order_by("pk")
    incidents = Incident.objects.all()
    if status == "published":
        incidents = incidents.filter(rules.visible_to_partners())
    return (
        with_summary(incidents, claim_filter=Q(claims__withdrawn_at__isnull=True))
        .select_related("place", "created_by")
        .prefetch_related(
            *actors_and_items(),
            _staff_claims(),
            *route_and_links(
                claims=visible_claims() if status == "published" else Claim.objects.all(),
                linked=rules.visible_to_partners if status == "published" else _anything,
                brief=True,
            ),
        )
        .order_by("pk")
    )


def staff_claim(claim):
    source = claim.source
    return {
        "source": {
            "name": source.name,
            "country": source.country,
            "url": source.url,
            "identity_protected": source.identity_protected,
            "public_code": source.public_code,
            "organisation": source.organisation.name if source.organisation_id else "",
        },
        "url": claim.url,
        "archived_url": claim.archived_url,
        "translated_by": claim.translated_by,
        "translator_kind": claim.translator_kind,
        "internal_notes": claim.internal_notes,
        "submitted_by": claim.submitted_by.get_username(),
        "evidence": [
            {"id": str(evidence.public_id), "sha256": evidence.sha256}
            for evidence in claim.all_evidence
        ],
    }


def represented(incidents, *, staff):
    incidents = list(incidents)
    for incident, data in zip(incidents, incident_representation(incidents), strict=True):
        if staff:
            data["staff"] = staff_incident(incident)
            extra = {str(claim.public_id): staff_claim(claim) for claim in incident.partner_claims}
            for claim in data["claims"]:
                claim["staff"] = extra[str(claim["id"])]
        yield data


def reference_export(*, format, status="published", staff=False):
    """The whole export as the prefetching path wrote it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if format == "csv":
        writer.writerow(csv_header(staff=staff))
    for data in represented(incidents_for_export(status=status, staff=staff), staff=staff):
        if format == "jsonl":
            out.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n")
            continue
        for row in csv_rows(data, staff=staff):
            writer.writerow([defuse_cell(value) for value in row])
    return out.getvalue()
