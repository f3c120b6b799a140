"""``reported_via`` links to claims that come later in the same file: such a claim is
written without its relay first, and linked in a second pass once the whole file has been
read (through update_claim, with the import's reason), so a file's order never matters."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from claims import services as claim_services
from exchange.importing.ids import canonical_uuid, is_uuid
from exchange.importing.reading import LineError
from exchange.importing.values import line_errors
from lootwatch.batches import stored_values


def claim_ids(records, key="id"):
    """The ids of every claim in ``records`` (``key="reported_via"``: of their relays)."""
    return {
        canonical_uuid(claim[key])
        for record in records
        for claim in (record.data.get("claims") or [])
        if isinstance(claim, dict) and claim.get(key)
    }


def held(model, ids, chunk=5000):
    """Which of ``ids`` (UUIDs as text; others are ignored) ``model`` already holds, read
    in a few queries for the whole file rather than one per line."""
    ids = sorted(i for i in ids if isinstance(i, str) and is_uuid(i))
    found = set()
    for start in range(0, len(ids), chunk):
        found |= {str(i) for i in stored_values(model, "public_id", ids[start : start + chunk])}
    return found


def link_later(importer):
    """Link each claim whose relay was further down the file; return the LineErrors."""
    errors = []
    for claim, relay_id, line in importer.later:
        relay = importer.claims.get(relay_id)
        if relay is None:
            # The file's ids were found without reading its lines (outline.IDS): whether
            # the relay is a claim of the file is known once all of them are read.
            read = importer.batches is None or relay_id in importer.batches.claims_seen
            reason = "The line with this claim was not imported." if read else None
            errors.append(LineError(line, "reported_via", reason or "No claim has this id."))
            continue
        claim.reported_via = relay
        try:
            with transaction.atomic():
                claim_services.update_claim(
                    claim=claim,
                    editor=importer.user,
                    expected_version=claim.version,
                    fields=("reported_via",),
                    reason=importer.reason(line),
                )
        except (ValidationError, PermissionDenied) as error:
            errors += line_errors(error, line)
    return errors
