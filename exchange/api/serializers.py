"""How a dataset release looks in the API: its manifest, file links and citation."""

from django.urls import reverse
from rest_framework import serializers

from exchange.models import Release


def citation_text(release):
    """A ready citation: title, version, date, URL."""
    manifest = release.manifest
    return (
        f"Lootwatch. {manifest['title']}, version {release.version} "
        f"({release.created_at:%Y-%m-%d}). {manifest['url']}"
    )


class ReleaseSerializer(serializers.ModelSerializer):
    counts = serializers.JSONField(read_only=True)
    files = serializers.SerializerMethodField()
    citation = serializers.SerializerMethodField()
    manifest_url = serializers.SerializerMethodField()
    manifest_sha256 = serializers.CharField(read_only=True)

    class Meta:
        model = Release
        fields = [
            "version",
            "created_at",
            "notes",
            "counts",
            "citation",
            "manifest_url",
            "manifest_sha256",
            "files",
        ]

    def _url(self, release, name):
        path = reverse("exchange:release-file", kwargs={"version": release.version, "name": name})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_files(self, release) -> list[dict]:
        return [{**entry, "url": self._url(release, entry["name"])} for entry in release.files]

    def get_citation(self, release) -> str:
        return citation_text(release)

    def get_manifest_url(self, release) -> str:
        return self._url(release, "manifest.json")
