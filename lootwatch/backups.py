"""What backup and restore share: where the files live, how they are hashed, and what the
manifest says.

A backup is a directory::

    manifest.json          format, time, database file and its SHA-256, row counts per model,
                           every stored file with its storage, name, size and SHA-256
    database.dump          pg_dump custom format (PostgreSQL), or
    database.sqlite3       a copy made with SQLite's online backup API
    files/<storage>/<name> every file a model's FileField names (evidence originals in the
                           private "evidence_originals" storage, derivatives in "default"),
                           and the files an app lists itself (register_file_lister: the
                           dataset releases' files)

It holds original evidence, password hashes and sessions: keep it as private as the server.
"""

import hashlib
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.db.models import FileField
from django.utils.functional import LazyObject, empty

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


def sha256_of(file):
    """Return the hex SHA-256 of an open binary file, read in chunks."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def sha256_of_path(path):
    with open(path, "rb") as file:
        return sha256_of(file)


def counted_models():
    """Every model with its own table (many-to-many tables included), by label."""
    return {
        model._meta.label_lower: model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def file_fields():
    """Yield (model, field, storage alias) for every FileField of a concrete model."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, FileField):
                yield model, field, storage_alias(field.storage)


# Functions of a DB-API cursor on the snapshot, each yielding (storage alias, name) of stored
# files no FileField names; an app registers its own in AppConfig.ready.
_file_listers = []


def register_file_lister(lister):
    _file_listers.append(lister)
    return lister


def listed_files(cursor):
    """(storage alias, name) of every file the registered listers name in the snapshot."""
    for lister in _file_listers:
        yield from lister(cursor)


def storage_alias(storage):
    """Return the STORAGES alias of a field's storage (fields hold lazy wrappers)."""
    if isinstance(storage, LazyObject):
        if storage._wrapped is empty:
            storage._setup()
        storage = storage._wrapped
    for alias in settings.STORAGES:
        if storages[alias] is storage:
            return alias
    raise ValueError(f"{storage!r} is not one of the STORAGES in settings")


def local_path(root, alias, name):
    """Return where a stored file lives inside a backup, refusing names that would escape it."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"unsafe stored file name {name!r}")
    return Path(root) / "files" / alias / relative
