"""Perceptual hashes of evidence images (claims.evidence.fingerprint says how they are made
and compared)."""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PerceptualHash(models.Model):
    """The perceptual hash of one evidence image (of its first frame, for an animation):
    what two copies of one picture share after resizing, recompression or a slight crop.

    Stored in full (``value``, hexadecimal) and cut into four 16-bit bands, each indexed,
    so that claims.selectors.near_duplicate_evidence looks up candidates instead of
    comparing every hash. Written by claims.services only.
    """

    evidence = models.OneToOneField(
        "claims.Evidence",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="perceptual_hash",
        verbose_name=_("evidence"),
    )
    algorithm = models.CharField(max_length=20, verbose_name=_("algorithm"))
    value = models.CharField(max_length=16, verbose_name=_("value"))
    band_0 = models.PositiveIntegerField(verbose_name=_("band 0"))
    band_1 = models.PositiveIntegerField(verbose_name=_("band 1"))
    band_2 = models.PositiveIntegerField(verbose_name=_("band 2"))
    band_3 = models.PositiveIntegerField(verbose_name=_("band 3"))
    computed_at = models.DateTimeField(default=timezone.now, verbose_name=_("computed at"))

    class Meta:
        verbose_name = _("perceptual hash")
        verbose_name_plural = _("perceptual hashes")
        indexes = [
            models.Index(fields=["band_0"], name="claims_phash_band_0"),
            models.Index(fields=["band_1"], name="claims_phash_band_1"),
            models.Index(fields=["band_2"], name="claims_phash_band_2"),
            models.Index(fields=["band_3"], name="claims_phash_band_3"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("value"), 16),
                name="%(app_label)s_%(class)s_value_length",
                violation_error_message="A perceptual hash is 16 hexadecimal digits.",
            ),
            models.CheckConstraint(
                condition=models.Q(band_0__lt=65536, band_1__lt=65536)
                & models.Q(band_2__lt=65536, band_3__lt=65536),
                name="%(app_label)s_%(class)s_bands_16_bits",
                violation_error_message="Each band holds 16 bits.",
            ),
        ]

    def __str__(self):
        return f"{self.algorithm} {self.value}"

    @property
    def as_int(self):
        return int(self.value, 16)
