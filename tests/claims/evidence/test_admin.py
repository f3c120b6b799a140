"""Evidence in the admin: uploaded through the same form and service as the pages, then
only looked at; the chain of custody is shown and never editable."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from claims.models import CustodyAction, CustodyEvent, Evidence
from claims.services import attach_evidence
from tests.claims.evidence.conftest import gps_exif, jpeg, png, stored_files, upload
from tests.claims.evidence.test_intake import minimal_pdf
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:claims_evidence_add")


def test_the_claim_admin_page_links_to_the_upload_page(claim, editor_client):
    response = editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert response.status_code == 200
    assert f'{UPLOAD}?claim={claim.pk}"'.encode() in response.content
    assert b"Upload evidence for this claim" in response.content


def test_an_editor_uploads_several_files_for_a_claim(claim, editor, editor_client):
    form = editor_client.get(f"{UPLOAD}?claim={claim.pk}")
    assert form.status_code == 200
    assert f'value="{claim.pk}"'.encode() in form.content

    photo = jpeg(exif=gps_exif())
    response = editor_client.post(
        UPLOAD,
        {
            "claim": claim.pk,
            "files": [upload(photo, name="truck.jpg"), upload(minimal_pdf(), name="report.pdf")],
            "page_capture": upload(
                b"<!doctype html><html><title>Post</title></html>", name="post.html"
            ),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_claim_change", args=[claim.pk])
    kinds = dict(claim.evidence.values_list("original_filename", "kind"))
    assert kinds == {"truck.jpg": "image", "report.pdf": "document", "post.html": "page_capture"}
    truck = claim.evidence.get(original_filename="truck.jpg")
    assert truck.uploaded_by == editor
    assert truck.metadata["gps"]["latitude"] == 50.54
    assert truck.custody.filter(action=CustodyAction.UPLOADED, actor=editor).exists()


def test_a_refused_file_is_shown_on_the_form_and_nothing_is_written(
    claim, editor_client, media_storage
):
    response = editor_client.post(
        UPLOAD,
        {
            "claim": claim.pk,
            "files": [
                upload(png(), name="fine.png"),
                upload(b"not an image at all", name="fake.jpg"),
            ],
        },
    )
    assert response.status_code == 200
    assert b"fake.jpg: The file is not a JPEG, PNG, WebP or GIF image, nor a PDF." in (
        response.content
    )
    assert not Evidence.objects.exists()
    assert stored_files(media_storage["private"]) == []
    assert stored_files(media_storage["public"]) == []


def test_a_file_already_on_the_claim_is_a_form_error(claim, journalist, editor_client):
    photo = jpeg()
    attach_evidence(claim=claim, file=upload(photo), uploaded_by=journalist)
    response = editor_client.post(
        UPLOAD, {"claim": claim.pk, "files": [upload(photo, name="again.jpg")]}
    )
    assert response.status_code == 200
    assert b"again.jpg is already attached to this claim." in response.content
    assert claim.evidence.count() == 1


def test_uploading_a_file_held_elsewhere_says_where(claim, other_claim, journalist, editor_client):
    photo = jpeg()
    attach_evidence(claim=other_claim, file=upload(photo), uploaded_by=journalist)
    response = editor_client.post(
        UPLOAD, {"claim": claim.pk, "files": [upload(photo, name="same.jpg")]}, follow=True
    )
    messages = [str(message) for message in response.context["messages"]]
    assert any(
        "same.jpg is already evidence elsewhere" in m and other_claim.incident.title in m
        for m in messages
    )


def test_no_files_is_a_form_error(claim, editor_client):
    response = editor_client.post(UPLOAD, {"claim": claim.pk})
    assert response.status_code == 200
    assert b"Choose at least one file to upload." in response.content


def test_staff_without_the_upload_permission_cannot_open_the_upload_page(db):
    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_evidence"))
    from django.test import Client

    client = Client()
    client.force_login(clerk)
    assert client.get(UPLOAD).status_code == 403


def test_the_evidence_page_shows_the_chain_of_custody_read_only(claim, journalist, editor_client):
    evidence = attach_evidence(claim=claim, file=upload(jpeg()), uploaded_by=journalist)
    editor_client.get(reverse("claims:evidence-original", kwargs={"public_id": evidence.public_id}))

    page = editor_client.get(reverse("admin:claims_evidence_change", args=[evidence.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Chain of custody" in content
    for action in ("Uploaded", "Derivatives made", "Original downloaded"):
        assert action in content
    assert evidence.sha256 in content
    assert reverse("claims:evidence-original", kwargs={"public_id": evidence.public_id}) in content
    assert 'name="_save"' not in content  # nothing to save: evidence is never edited

    # Custody events cannot be added, changed or deleted through the admin.
    event = CustodyEvent.objects.filter(evidence=evidence).first()
    assert editor_client.get(reverse("admin:claims_custodyevent_add")).status_code == 403
    change = editor_client.post(
        reverse("admin:claims_custodyevent_change", args=[event.pk]), {"action": "verified"}
    )
    assert change.status_code == 403
    delete = editor_client.post(
        reverse("admin:claims_custodyevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert CustodyEvent.objects.get(pk=event.pk).action == CustodyAction.UPLOADED


def test_the_evidence_list_is_one_query_per_page(
    claim, journalist, editor_client, django_assert_max_num_queries
):
    for shade in range(5):
        attach_evidence(claim=claim, file=upload(png(colour=(shade, 9, 9))), uploaded_by=journalist)
    with django_assert_max_num_queries(12):
        response = editor_client.get(reverse("admin:claims_evidence_changelist"))
    assert response.status_code == 200


def test_the_same_file_chosen_twice_in_one_upload_is_a_form_error(claim, editor_client):
    photo = jpeg()
    response = editor_client.post(
        UPLOAD,
        {"claim": claim.pk, "files": [upload(photo, name="a.jpg"), upload(photo, name="b.jpg")]},
    )
    assert response.status_code == 200
    assert b"b.jpg is the same file as a.jpg." in response.content
    assert not claim.evidence.exists()
