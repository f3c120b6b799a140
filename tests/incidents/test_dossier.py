"""The incident dossier: a PDF that says everything about an incident (read back with
pypdf), a zip whose manifest verifies without Lootwatch, custody for every download, and
nobody but editors gets one."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from rest_framework_api_key.models import APIKey

from claims import services as claim_services
from claims.evidence.intake import inspect_upload
from claims.models import CustodyAction, CustodyEvent, Evidence
from incidents import services as incident_services
from incidents.dossier import software_version
from tests.claims.evidence.conftest import upload
from tests.claims.evidence.test_intake import minimal_pdf
from tests.factories import ClaimFactory, IncidentFactory, submit
from tests.photos import encoded, scene

NOTES = (
    "Geolocated the trucks to the Buryn bypass from the church tower.",
    "The same photograph appeared in 2019 on a forum about a car market.",
)


@pytest.fixture
def dossier_incident(journalist, editor):
    """A published incident with a verified claim (a photo and a PDF) and a disputed one
    (with a checklist, a reason and a translation), logged and reviewed through the
    services."""
    incident = IncidentFactory(created_by=journalist, title="Truck column from Buryn")
    verified = ClaimFactory(
        incident=incident,
        original_text="A column of trucks loaded with washing machines left Buryn at dawn.",
    )
    disputed = ClaimFactory(
        incident=incident,
        language="uk",
        original_text="Колона вантажівок з пральними машинами виїхала з Бурині.",
        translation="A truck column with washing machines left Buryn.",
        translated_by="Kyiv Independent",
        translator_kind="organisation",
        reported_via=verified,
    )
    submit(incident)
    files = {
        "photo.jpg": encoded(scene(7)),
        "statement.pdf": minimal_pdf(),
    }
    for name, data in files.items():
        claim_services.attach_evidence(
            claim=verified, file=upload(data, name), uploaded_by=journalist
        )
    claim_services.attach_evidence(
        claim=disputed, file=upload(encoded(scene(8), "PNG"), "repost.png"), uploaded_by=journalist
    )
    claim_services.review_claim(
        claim=verified, reviewer=editor, to_status="verified", note=NOTES[0]
    )
    claim_services.review_claim(
        claim=disputed,
        reviewer=editor,
        to_status="disputed",
        note=NOTES[1],
        dispute_reason="recycled_content",
        checklist={"content_provenance": "failed", "geolocation": "not_checked"},
    )
    incident_services.publish_incident(incident=incident, editor=editor)
    return {"incident": incident, "claims": [verified, disputed], "files": files}


def url(incident, package):
    return reverse(f"incidents:dossier-{package}", kwargs={"public_id": incident.public_id})


def flat(text):
    return " ".join(text.split())


def pdf_text(data):
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_the_pdf_holds_every_claim_review_note_and_evidence_hash(
    editor_client, dossier_incident, editor
):
    response = editor_client.get(url(dossier_incident["incident"], "pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(body))
    pages = [page.extract_text() for page in reader.pages]
    text = flat(" ".join(pages))
    for claim in dossier_incident["claims"]:
        assert flat(claim.original_text) in text
    assert "A truck column with washing machines left Buryn." in text
    assert "Kyiv Independent" in text
    for note in NOTES:
        assert note in text
    assert "recycled content" in text.lower()
    assert "content_provenance failed" in text
    for evidence in Evidence.objects.filter(claim__incident=dossier_incident["incident"]):
        assert evidence.sha256 in text
    # Staff identities appear here, for editors.
    assert editor.get_username() in text
    assert "Truck column from Buryn" in text
    footer = f"{software_version()} · incident {dossier_incident['incident'].public_id}"
    assert len(pages) > 2
    assert all(footer in flat(page) for page in pages)
    assert response["X-Content-SHA256"] == hashlib.sha256(body).hexdigest()


def test_each_pdf_download_is_a_custody_event_for_every_file(editor_client, dossier_incident):
    body = b"".join(editor_client.get(url(dossier_incident["incident"], "pdf")).streaming_content)

    events = CustodyEvent.objects.filter(action=CustodyAction.EXPORTED)
    evidence = Evidence.objects.filter(claim__incident=dossier_incident["incident"])
    assert sorted(event.evidence_id for event in events) == sorted(e.pk for e in evidence)
    for event in events:
        assert event.actor.get_username() == "ed-editor"
        assert event.detail["dossier_sha256"] == hashlib.sha256(body).hexdigest()
        assert event.detail["original_included"] is False


def test_the_zip_holds_the_pdf_and_every_original_and_its_manifest_verifies(
    editor_client, dossier_incident
):
    response = editor_client.get(url(dossier_incident["incident"], "zip"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert "dossier.pdf" in listed
    assert set(archive.namelist()) == {*listed, "manifest.json", "SHA256SUMS"}
    for path, entry in listed.items():
        data = archive.read(path)
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["size"]
    originals = sorted(archive.read(path) for path in listed if path.startswith("evidence/"))
    uploaded = [*dossier_incident["files"].values(), encoded(scene(8), "PNG")]
    assert originals == sorted(uploaded)
    sums = archive.read("SHA256SUMS").decode().splitlines()
    assert sorted(sums) == sorted(f"{e['sha256']}  {e['path']}" for e in manifest["files"])
    assert manifest["incident"] == str(dossier_incident["incident"].public_id)
    assert NOTES[0] in pdf_text(archive.read("dossier.pdf"))
    events = CustodyEvent.objects.filter(action=CustodyAction.EXPORTED)
    assert events.count() == 3
    assert {event.detail["path"] for event in events} == {
        path for path in listed if path.startswith("evidence/")
    }
    assert all(event.detail["original_included"] for event in events)


def test_an_altered_original_stops_the_zip_and_records_nothing(
    editor_client, dossier_incident, media_storage
):
    photo = Evidence.objects.get(original_filename="photo.jpg")
    (media_storage["private"] / photo.original.name).write_bytes(b"tampered")

    response = editor_client.get(url(dossier_incident["incident"], "zip"))

    assert response.status_code == 409
    assert "verify_evidence" in response.content.decode()
    assert not CustodyEvent.objects.filter(action=CustodyAction.EXPORTED).exists()


@pytest.mark.parametrize("package", ["pdf", "zip"])
def test_journalists_and_partners_are_refused(
    package, journalist_client, partner_client, dossier_incident
):
    for client in (journalist_client, partner_client):
        assert client.get(url(dossier_incident["incident"], package)).status_code == 403
    anonymous = Client().get(url(dossier_incident["incident"], package))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    assert not CustodyEvent.objects.filter(action=CustodyAction.EXPORTED).exists()


def test_a_partner_key_cannot_reach_a_dossier(dossier_incident):
    _, key = APIKey.objects.create_key(name="Partner desk")
    response = Client().get(
        url(dossier_incident["incident"], "pdf"), HTTP_AUTHORIZATION=f"Api-Key {key}"
    )
    assert response.status_code in (302, 403, 404)
    assert not response.get("Content-Type", "").startswith("application/pdf")


def test_an_unknown_incident_is_404_for_editors(editor_client):
    missing = reverse(
        "incidents:dossier-pdf", kwargs={"public_id": "00000000-0000-4000-8000-000000000000"}
    )
    assert editor_client.get(missing).status_code == 404


def test_the_incident_admin_page_links_both_dossiers(editor_client, dossier_incident):
    incident = dossier_incident["incident"]
    content = editor_client.get(
        reverse("admin:incidents_incident_change", args=[incident.pk])
    ).content.decode()
    assert url(incident, "pdf") in content
    assert url(incident, "zip") in content


def test_a_draft_without_evidence_still_has_a_dossier(editor_client, journalist):
    draft = IncidentFactory(created_by=journalist, title="Only a draft")
    response = editor_client.get(url(draft, "pdf"))
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content))
    assert "Only a draft" in text
    assert "This incident has no claims" in text


def test_rendering_dossiers_leaves_evidence_intake_refusing_truncated_images(
    editor_client, dossier_incident
):
    """WeasyPrint, on import, makes Pillow accept truncated images process-wide."""
    editor_client.get(url(dossier_incident["incident"], "pdf"))
    data = encoded(scene(9))

    with pytest.raises(ValidationError, match="damaged or incomplete"):
        inspect_upload(upload(data[: len(data) // 2]))


def test_an_editor_reading_ukrainian_gets_the_dossier_in_ukrainian(editor_client, dossier_incident):
    """The dossier speaks the downloader's language; its ids, digests and times stay exact."""
    editor_client.post("/language/", {"language": "uk", "next": "/incidents/"})
    incident = dossier_incident["incident"]
    response = editor_client.get(url(incident, "pdf"))
    assert response.status_code == 200
    pages = [
        flat(page.extract_text())
        for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    ]
    text = " ".join(pages)
    for heading in (
        "Досьє інциденту",
        "Твердження 1:",
        "Оригінальний текст",
        "Рецензії",
        "Докази",
        "Історія змін інциденту",
        "Конфіденційно:",
    ):
        assert heading in text
    for english in ("Incident dossier", "Reviews", "Change history", "Original text", "Custody"):
        assert english not in text
    assert all(f"інцидент {incident.public_id}" in page for page in pages)
    assert "сторінка 1 з" in pages[0]
    for evidence in Evidence.objects.filter(claim__incident=incident):
        assert evidence.sha256 in text
        assert str(evidence.public_id) in text
        assert f"{evidence.uploaded_at:%Y-%m-%d %H:%M:%S} UTC" in text
    for claim in dossier_incident["claims"]:
        assert str(claim.public_id) in text
