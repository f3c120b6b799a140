"""Sources: who makes claims, and how a protected one is named to those who may not know
who it is."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.choices import SourceKind
from incidents.models import country_code_validator
from lootwatch.constraints import ChecksInOneQuery

# The alphabet of public codes: no 0/O or 1/I, so that a code read aloud or copied by hand
# is not mistaken for another.
PUBLIC_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PUBLIC_CODE_LENGTH = 6


# A protected source's public label is one of these followed by its public code.
WITNESS_LABEL_PREFIX = "Witness W-"
PROTECTED_LABEL_PREFIX = "Protected source P-"


def new_public_code():
    """Return a random code for a source's public label, e.g. "3F2A9C".

    Random and stored once, never derived from the name, the id or a key: there is nothing
    to reverse or brute-force, and no secret whose rotation would change every label."""
    return "".join(secrets.choice(PUBLIC_CODE_ALPHABET) for _ in range(PUBLIC_CODE_LENGTH))


class Source(ChecksInOneQuery, models.Model):
    """Who makes claims: a ministry, a spokesperson, a news outlet, a witness.

    A source whose ``identity_protected`` is set (every witness, and any source an editor
    protects) is known outside its circle only by its public label, "Witness W-3F2A9C":
    stable, so partners can tell one witness's claims from another's, and random, so it
    says nothing about who the witness is. claims.rules decides who sees the real name.
    """

    name = models.CharField(max_length=200, verbose_name=_("name"))
    kind = models.CharField(max_length=30, choices=SourceKind.choices, verbose_name=_("kind"))
    country = models.CharField(
        max_length=2, blank=True, validators=[country_code_validator], verbose_name=_("country")
    )
    url = models.CharField(
        _("URL or handle"),
        max_length=500,
        blank=True,
        help_text=_("e.g. https://twitter.com/DefenceU"),
    )
    organisation = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text=(
            _(
                "The organisation this source speaks for. Sources of one organisation (two "
                "ministries of one government) are not independent of each other."
            )
        ),
        verbose_name=_("organisation"),
    )
    identity_protected = models.BooleanField(
        _("protect identity"),
        default=False,
        help_text=(
            _(
                "Partners, and journalists other than the one who logged the source, see only its "
                "public label, never its name, handle or URL, nor the URLs of its claims. Always "
                "on for witnesses; turn it on for anyone at risk (a private account, a local "
                "official)."
            )
        ),
    )
    public_code = models.CharField(
        max_length=12,
        unique=True,
        default=new_public_code,
        editable=False,
        help_text=_("Random, made once: the stable part of the public label."),
        verbose_name=_("public code"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="sources_created",
        help_text=_("Who logged the source: they keep seeing a protected source's name."),
        verbose_name=_("created by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]
        permissions = [
            ("view_protected_identity", "Can see the names of identity-protected sources"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message="Unknown source kind.",
            ),
            models.CheckConstraint(
                condition=~Q(organisation=F("pk")),
                name="%(app_label)s_%(class)s_not_own_organisation",
                violation_error_message="A source cannot be its own organisation.",
            ),
            models.CheckConstraint(
                condition=~Q(kind=SourceKind.WITNESS) | Q(identity_protected=True),
                name="%(app_label)s_%(class)s_witness_protected",
                violation_error_message="A witness's identity is always protected.",
            ),
        ]

    def __str__(self):
        # Safe by default: wherever a source is printed without asking claims.rules (a
        # select box, a history line, a claim's name), a protected one shows its label.
        return self.public_label if self.identity_protected else self.name

    @property
    def public_label(self):
        """The name shown to those who may not see a protected source's identity."""
        prefix = WITNESS_LABEL_PREFIX if self.kind == SourceKind.WITNESS else PROTECTED_LABEL_PREFIX
        return f"{prefix}{self.public_code}"
