"""The fixed vocabularies of claims: kinds of sources, media, statuses, evidence and custody
actions, and what an editor records with a decision — the verification checklist and the
reason for a dispute. Their values are stored and published: never rename one."""

from django.db import models
from django.db.models import Q


class SourceKind(models.TextChoices):
    GOVERNMENT = "government", "Government body"
    MILITARY = "military", "Military"
    SPOKESPERSON = "official_spokesperson", "Official spokesperson"
    MEDIA = "media_outlet", "Media outlet"
    NGO = "ngo", "NGO"
    SOCIAL = "social_media_account", "Social media account"
    WITNESS = "witness", "Witness"
    OTHER = "other", "Other"


class Medium(models.TextChoices):
    TWEET = "tweet", "Tweet"
    FACEBOOK_POST = "facebook_post", "Facebook post"
    TELEGRAM_POST = "telegram_post", "Telegram post"
    PRESS_REPORT = "press_report", "Press report"
    OFFICIAL_STATEMENT = "official_statement", "Official statement"
    WITNESS_STATEMENT = "witness_statement", "Witness statement"
    PHOTO_VIDEO = "photo_video", "Photo or video"
    OTHER = "other", "Other"


class ClaimStatus(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    VERIFIED = "verified", "Verified"
    DISPUTED = "disputed", "Disputed"


class TranslatorKind(models.TextChoices):
    """Who translated a claim, which decides what partners read in ``translated_by``."""

    ORGANISATION = "organisation", "An outlet or organisation (named to partners)"
    STAFF = "staff", "Lootwatch staff (partners read “Lootwatch staff”)"
    INDIVIDUAL = "individual", "Another person (not named to partners)"


class DisputeReason(models.TextChoices):
    """Why an editor disputes a claim: a finding against it, never mere lack of
    confirmation (a claim nobody could confirm stays unverified)."""

    CONTRADICTED = "contradicted", "Contradicted by other evidence"
    MANIPULATED_MEDIA = "manipulated_media", "Manipulated media"
    MISATTRIBUTED = "misattributed", "Misattributed (the source did not say it)"
    RECYCLED_CONTENT = "recycled_content", "Recycled content (another time or place)"
    FABRICATED_SOURCE = "fabricated_source", "Fabricated source"
    OTHER = "other", "Other (the note says what)"


class CheckResult(models.TextChoices):
    """What one check of the verification checklist found. "Not checked" comes first:
    it is what an editor records by leaving an item alone."""

    NOT_CHECKED = "not_checked", "Not checked"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class CheckItem(models.TextChoices):
    """The checks an editor records with every decision, in the order they are done."""

    SOURCE_AUTHENTICITY = "source_authenticity", "Source authenticity"
    CONTENT_PROVENANCE = "content_provenance", "Content provenance"
    GEOLOCATION = "geolocation", "Geolocation"
    CHRONOLOCATION = "chronolocation", "Chronolocation"
    CONSISTENCY = "consistency", "Consistency with other claims"


# What each check asks, as the workspace and the methodology page put it.
CHECK_QUESTIONS = {
    CheckItem.SOURCE_AUTHENTICITY: "Is the account or outlet who it claims to be?",
    CheckItem.CONTENT_PROVENANCE: "Was its first appearance found, and is it not recycled?",
    CheckItem.GEOLOCATION: "Does what it shows or says match the incident's place?",
    CheckItem.CHRONOLOCATION: "Does it date from the incident's dates?",
    CheckItem.CONSISTENCY: "Does it agree with the incident's other claims and evidence?",
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
    IMAGE = "image", "Image"
    DOCUMENT = "document", "Document (PDF)"
    PAGE_CAPTURE = "page_capture", "Capture of a web page (HTML, PDF, WARC)"


class CustodyAction(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    LINKED = "linked", "Linked (same file already held)"
    DERIVED = "derived", "Derivatives made"
    ACCESSED = "accessed", "Original downloaded"
    EXPORTED = "exported", "Included in a dossier"
    VERIFIED = "verified", "Hash re-checked"
    MISMATCH = "mismatch", "Hash mismatch found"
