"""The ids of an import's records: what is a UUID, and its canonical form."""

import re
import uuid

# A UUID as the database and our exports write it: most ids of a file, read several times
# each, answered without building a UUID (a third of a million times at 10,000 incidents).
CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def is_uuid(value):
    if isinstance(value, str) and CANONICAL_UUID.fullmatch(value):
        return True
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def canonical_uuid(value):
    """``value`` as the database writes a UUID (lower case, hyphens), if it is one: a
    spreadsheet may have written the ids in capitals or without hyphens."""
    if isinstance(value, str) and CANONICAL_UUID.fullmatch(value):
        return value
    return str(uuid.UUID(str(value))) if is_uuid(value) else str(value)
