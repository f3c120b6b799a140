"""What applying one record of an import can come to."""

import enum


class Outcome(enum.Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "skipped as duplicates"


class RecordFailed(Exception):
    """One record was refused; ``errors`` are its LineErrors."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


class SkippedDuplicate(Exception):
    """A new record looks like something already held, and duplicates are skipped."""
