"""Where evidence files are kept. Everything goes through Django's storage API, so
S3-compatible object storage (django-storages) works as well as local files.

Originals live in the private ``evidence_originals`` storage (STORAGES), filed by their
SHA-256: one file per distinct content, and no URL serves them. Derivatives live in the
default storage under a random path.
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.crypto import get_random_string
from django.utils.functional import LazyObject, empty


class EvidenceOriginalsStorage(LazyObject):
    """The private storage for original evidence, STORAGES["evidence_originals"].

    Resolved lazily (like Django's default_storage) so that a changed STORAGES setting,
    such as a test's temporary directory, takes effect without re-importing the models.
    """

    def _setup(self):
        self._wrapped = storages["evidence_originals"]


evidence_originals = EvidenceOriginalsStorage()


@receiver(setting_changed)
def _reset_evidence_originals_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        evidence_originals._wrapped = empty


def originals_storage():
    """Private storage for original evidence; see STORAGES["evidence_originals"]."""
    return evidence_originals


def derivatives_storage():
    """Storage for derivatives (display images and thumbnails): the default storage."""
    return default_storage


def original_path(sha256):
    """Where the original with this digest is filed: one file per distinct content."""
    return f"originals/{sha256[:2]}/{sha256}"


def evidence_original_path(evidence, filename):
    """``upload_to`` of Evidence.original: the file's digest, never its uploaded name."""
    return original_path(evidence.sha256)


def evidence_derivative_path(evidence, filename):
    """Derivatives go under a random directory, so that knowing an evidence id (it is in
    page URLs) does not give the file's address in a storage that might serve it directly."""
    return f"evidence/{get_random_string(24).lower()}/{filename}"


def stored_sha256(storage, name, chunk_size=1024 * 1024):
    """Return the SHA-256 of a stored file, read in chunks; None if it is missing."""
    digest = hashlib.sha256()
    try:
        with storage.open(name, "rb") as stored:
            while chunk := stored.read(chunk_size):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def store_original(inspected, *, held=None):
    """Return ``(name, written)``: where the original of ``inspected`` is stored, and
    whether this call wrote it.

    Originals are filed by digest, so the same bytes are stored once. A file already held
    (``held`` is an Evidence with the same digest) is reused after its bytes are checked;
    so is a file left at the digest's path by an upload whose transaction was rolled back.
    """
    storage = originals_storage()
    candidates = []
    if held is not None and held.original:
        candidates.append(held.original.name)
    path = original_path(inspected.sha256)
    candidates.append(path)
    for name in candidates:
        if stored_sha256(storage, name) == inspected.sha256:
            return name, False
    # If a file with other bytes sits at the path (tampered with), the storage picks
    # another name rather than overwrite it (FileSystemStorage; see README for S3).
    return storage.save(path, ContentFile(inspected.data)), True


def derivatives_held(evidence):
    """Return True if ``evidence`` (or None) has its display image and thumbnail in storage,
    so that another row for the same file can share them."""
    if evidence is None or not (evidence.display and evidence.thumbnail):
        return False
    storage = derivatives_storage()
    return storage.exists(evidence.display.name) and storage.exists(evidence.thumbnail.name)


def store_derivative(derivative):
    """Store a derivative in the default storage and return its name."""
    path = evidence_derivative_path(None, derivative.filename)
    return derivatives_storage().save(path, ContentFile(derivative.data))
