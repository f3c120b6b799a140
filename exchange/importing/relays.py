"""``reported_via`` links to claims that come later in the same file: such a claim is
written without its relay first, and linked in a second pass once the whole file has been
read (through update_claim, with the import's reason), so a file's order never matters."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from claims import services as claim_services
from exchange.importing.reading import LineError
from exchange.importing.values import line_errors


def claim_ids(records):
    """The ids of every claim in ``records``."""
    return {
        str(claim["id"])
        for record in records
        for claim in (record.data.get("claims") or [])
        if isinstance(claim, dict) and claim.get("id")
    }


def link_later(importer):
    """Link each claim whose relay was further down the file; return the LineErrors."""
    errors = []
    for claim, relay_id, line in importer.later:
        relay = importer.claims.get(relay_id)
        if relay is None:
            errors.append(
                LineError(line, "reported_via", "The line with this claim was not imported.")
            )
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
