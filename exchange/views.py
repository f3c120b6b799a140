"""The public page of dataset releases and the download of their files."""

from django.http import FileResponse, Http404
from django.shortcuts import render

from exchange import releases, selectors
from exchange.api.serializers import citation_text

DOWNLOADABLE = (*releases.FILES, "manifest.json")
CONTENT_TYPES = {
    "incidents.jsonl": "application/x-ndjson",
    "claims.csv": "text/csv; charset=utf-8",
    "incidents.geojson": "application/geo+json",
    "changelog.json": "application/json",
    "manifest.json": "application/json",
    "CITATION.cff": "text/plain; charset=utf-8",
}


def release_list(request):
    """Every release with its counts, files, hashes and a ready citation."""
    listed = [(release, citation_text(release)) for release in selectors.releases()]
    return render(request, "exchange/releases.html", {"releases": listed})


def release_file(request, version, name):
    """One file of a release, as stored (its SHA-256 is in the manifest)."""
    if name not in DOWNLOADABLE or not selectors.releases().filter(version=version).exists():
        raise Http404("No such release file.")
    stored = releases.storage()
    path = releases.path(version, name)
    if not stored.exists(path):
        raise Http404("No such release file.")
    response = FileResponse(
        stored.open(path, "rb"), as_attachment=True, filename=f"lootwatch-{version}-{name}"
    )
    response["Content-Type"] = CONTENT_TYPES[name]
    return response
