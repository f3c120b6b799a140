"""The first of the two passes over a JSON Lines file (exchange.importing.run_import): how
many lines it holds and the ids it names, found without reading its records, so that the
database is asked about them at once before the records are read one at a time."""

import re
from dataclasses import dataclass, field

from exchange.importing.reading import FileRefused

# The ids a JSON Lines file names (an incident's or a claim's "id", a claim's
# "reported_via"), found without parsing it (ten times faster than json.loads): in JSON a
# quote inside a text is escaped, so a key in quotes followed by a colon and a text is the
# key of an object. It may find more than those (an evidence file's "id"): the ids serve
# to ask the database which are held, and to tell a relay further down the file from an
# unknown one, where an id that is not a claim's changes nothing.
IDS = re.compile(rb'"(id|reported_via)"\s*:\s*"([^"\\]*)"')


@dataclass
class Outline:
    """What a first pass over a JSON Lines file finds, before its records are read one
    at a time: how many lines hold something, and the ids it names (as text)."""

    lines: int = 0
    ids: set = field(default_factory=set)
    relays: set = field(default_factory=set)


def outline_jsonl(file):
    """The Outline of the JSON Lines ``file`` (binary, read from where it is). Raise
    FileRefused if it is not UTF-8, as decode() does for a whole file."""
    outline = Outline()
    offset = 0
    for raw in file:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise FileRefused(
                f"The file is not UTF-8 (byte {offset + error.start}): save it as UTF-8 and "
                "try again."
            ) from error
        offset += len(raw)
        if not raw.strip():
            continue
        outline.lines += 1
        for key, value in IDS.findall(raw):
            (outline.relays if key == b"reported_via" else outline.ids).add(value.decode())
    return outline
