"""The fixed vocabularies of claims: kinds of sources, media, statuses, evidence and custody
actions, and what an editor records with a decision — the verification checklist and the
reason for a dispute. Their values are stored and published: never rename one."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    GOVERNMENT = "government", _("Government body")
    MILITARY = "military", _("Military")
    SPOKESPERSON = "official_spokesperson", _("Official spokesperson")
    MEDIA = "media_outlet", _("Media outlet")
    NGO = "ngo", _("NGO")
    SOCIAL = "social_media_account", _("Social media account")
    WITNESS = "witness", _("Witness")
    OTHER = "other", _("Other")


class Medium(models.TextChoices):
    TWEET = "tweet", _("Tweet")
    FACEBOOK_POST = "facebook_post", _("Facebook post")
    TELEGRAM_POST = "telegram_post", _("Telegram post")
    PRESS_REPORT = "press_report", _("Press report")
    OFFICIAL_STATEMENT = "official_statement", _("Official statement")
    WITNESS_STATEMENT = "witness_statement", _("Witness statement")
    PHOTO_VIDEO = "photo_video", _("Photo or video")
    OTHER = "other", _("Other")


class ClaimStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    VERIFIED = "verified", _("Verified")
    DISPUTED = "disputed", _("Disputed")


class TranslatorKind(models.TextChoices):
    """Who translated a claim, which decides what partners read in ``translated_by``."""

    ORGANISATION = "organisation", _("An outlet or organisation (named to partners)")
    STAFF = "staff", _("Lootwatch staff (partners read “Lootwatch staff”)")
    INDIVIDUAL = "individual", _("Another person (not named to partners)")


class DisputeReason(models.TextChoices):
    """Why an editor disputes a claim: a finding against it, never mere lack of
    confirmation (a claim nobody could confirm stays unverified)."""

    CONTRADICTED = "contradicted", _("Contradicted by other evidence")
    MANIPULATED_MEDIA = "manipulated_media", _("Manipulated media")
    MISATTRIBUTED = "misattributed", _("Misattributed (the source did not say it)")
    RECYCLED_CONTENT = "recycled_content", _("Recycled content (another time or place)")
    FABRICATED_SOURCE = "fabricated_source", _("Fabricated source")
    OTHER = "other", _("Other (the note says what)")


class CheckResult(models.TextChoices):
    """What one check of the verification checklist found. "Not checked" comes first:
    it is what an editor records by leaving an item alone."""

    NOT_CHECKED = "not_checked", _("Not checked")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class CheckItem(models.TextChoices):
    """The checks an editor records with every decision, in the order they are done."""

    SOURCE_AUTHENTICITY = "source_authenticity", _("Source authenticity")
    CONTENT_PROVENANCE = "content_provenance", _("Content provenance")
    GEOLOCATION = "geolocation", _("Geolocation")
    CHRONOLOCATION = "chronolocation", _("Chronolocation")
    CONSISTENCY = "consistency", _("Consistency with other claims")


# What each check asks, as the workspace and the methodology page put it.
CHECK_QUESTIONS = {
    CheckItem.SOURCE_AUTHENTICITY: _("Is the account or outlet who it claims to be?"),
    CheckItem.CONTENT_PROVENANCE: _("Was its first appearance found, and is it not recycled?"),
    CheckItem.GEOLOCATION: _("Does what it shows or says match the incident's place?"),
    CheckItem.CHRONOLOCATION: _("Does it date from the incident's dates?"),
    CheckItem.CONSISTENCY: _("Does it agree with the incident's other claims and evidence?"),
}


def check_field(item):
    """A column of the verification checklist: the result an editor recorded for ``item``,
    or nothing for a review recorded before checklists existed."""
    return models.CharField(
        CheckItem(item).label, max_length=20, choices=CheckResult.choices, blank=True
    )


def checklist_values_valid():
    """Q: every checklist column of a Review holds a known result, or nothing (a review
    recorded before checklists existed)."""
    allowed = ["", *CheckResult.values]
    condition = Q()
    for item in CheckItem.values:
        condition &= Q(**{f"{item}__in": allowed})
    return condition


class EvidenceKind(models.TextChoices):
    IMAGE = "image", _("Image")
    DOCUMENT = "document", _("Document (PDF)")
    PAGE_CAPTURE = "page_capture", _("Capture of a web page (HTML, PDF, WARC)")


class CustodyAction(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    LINKED = "linked", _("Linked (same file already held)")
    DERIVED = "derived", _("Derivatives made")
    ACCESSED = "accessed", _("Original downloaded")
    EXPORTED = "exported", _("Included in a dossier")
    VERIFIED = "verified", _("Hash re-checked")
    MISMATCH = "mismatch", _("Hash mismatch found")
