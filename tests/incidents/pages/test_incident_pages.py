"""The incident page, editing with optimistic locking, adding a claim, submitting a draft,
and "my incidents"."""

import pytest
from django.core.files.base import ContentFile

from claims import services as claim_services
from claims.models import Claim
from incidents import services as incident_services
from incidents.models import Incident, IncidentStatus, ItemCategory
from tests.factories import (
    ActorFactory,
    ClaimFactory,
    IncidentFactory,
    IncidentItemFactory,
    PlaceFactory,
    SourceFactory,
)
from tests.incidents.pages.conftest import jpeg_upload
from tests.incidents.pages.forms_data import claim_fields, management_form

pytestmark = pytest.mark.django_db


def edit_data(incident, **overrides):
    items = list(incident.items.all())
    data = {
        "title": incident.title,
        "summary": incident.summary,
        "place": str(incident.place_id),
        "occurred_from": incident.occurred_from.isoformat(),
        "occurred_to": incident.occurred_to.isoformat(),
        "date_precision": incident.date_precision,
        "internal_notes": "",
        "version": str(incident.version),
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        **management_form("route", []),
        **management_form("links", []),
    }
    for index, item in enumerate(items):
        data.update(
            {
                f"items-{index}-id": str(item.pk),
                f"items-{index}-incident": str(incident.pk),
                f"items-{index}-category": str(item.category_id),
                f"items-{index}-description": item.description,
                f"items-{index}-quantity_min": "",
                f"items-{index}-quantity_max": "",
            }
        )
    data.update(overrides)
    return data


def test_incident_page_shows_everything(journalist, journalist_client, editor, tmp_path):
    incident = IncidentFactory(created_by=journalist, status="submitted", title="Kyiv suburbs")
    incident.actors.add(ActorFactory(name="Russian Armed Forces"))
    IncidentItemFactory(incident=incident, description="hundreds of cars")
    press = ClaimFactory(
        incident=incident,
        source=SourceFactory(name="HuffPost"),
        medium="press_report",
        url="https://www.huffpost.com/entry/looting",
        archived_url="https://web.archive.org/web/2022/https://www.huffpost.com/entry/looting",
    )
    post = ClaimFactory(
        incident=incident,
        source=SourceFactory(name="Defence Ministry"),
        medium="facebook_post",
        language="uk",
        original_text="Окупанти вивозять пральні машини.",
        translation="The occupiers take washing machines away.",
        translated_by="HuffPost newsroom",
        translator_kind="organisation",
        reported_via=press,
    )
    claim_services.review_claim(
        claim=post,
        reviewer=editor,
        to_status="disputed",
        dispute_reason="contradicted",
        note="The photo dates from 2019.",
    )
    evidence = claim_services.attach_evidence(
        claim=post, file=jpeg_upload(), uploaded_by=journalist
    )
    if not evidence.thumbnail:
        # Derivatives may be made after the upload; make one here so the page links it.
        evidence.thumbnail.save("thumb.jpg", ContentFile(jpeg_upload().read()), save=False)
        evidence.display.save("display.jpg", ContentFile(jpeg_upload().read()), save=False)
        evidence.save(update_fields=["thumbnail", "display"])

    content = journalist_client.get(incident.get_absolute_url()).content.decode()

    for text in (
        "Kyiv suburbs",
        "Russian Armed Forces",
        "hundreds of cars",
        "HuffPost",
        "Press report",
        "Facebook post",
        "https://www.huffpost.com/entry/looting",
        "https://web.archive.org/web/2022/",
        "Окупанти вивозять пральні машини.",
        "The occupiers take washing machines away.",
        "Translation: HuffPost newsroom",
        "Reported via",
        "Unverified → Disputed",
        "The photo dates from 2019.",
        "ed-editor",
        "Change history",
        "reviewed: unverified → disputed",
        "Submitted for review",
        "Disputed",
    ):
        assert text in content, text
    assert f'href="/evidence/{evidence.public_id}/display/"' in content
    assert f'src="/evidence/{evidence.public_id}/thumbnail/"' in content


def test_detail_query_count_does_not_grow_with_claims(
    journalist, journalist_client, editor, django_assert_max_num_queries
):
    """Claims come with their source, relay, reviews (and reviewers) and evidence: each is
    loaded once for the whole page, not once per claim."""
    incident = IncidentFactory(created_by=journalist, status="submitted")
    first = ClaimFactory(incident=incident, submitted_by=journalist)

    def add_claims(count, colour):
        for number in range(count):
            claim = ClaimFactory(incident=incident, submitted_by=journalist, reported_via=first)
            claim_services.review_claim(
                claim=claim,
                reviewer=editor,
                to_status="disputed",
                dispute_reason="contradicted",
                note=f"Checked {number}.",
            )
            claim_services.attach_evidence(
                claim=claim,
                file=jpeg_upload(colour=colour, size=(40 + number, 30)),
                uploaded_by=journalist,
            )

    add_claims(1, "red")
    with django_assert_max_num_queries(25) as few:
        assert journalist_client.get(incident.get_absolute_url()).status_code == 200
    add_claims(8, "blue")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = journalist_client.get(incident.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("Reported via") >= 9
    assert content.count("Checked ") == 9
    assert content.count("/thumbnail/") == 9


def test_edit_saves_through_the_service(journalist, journalist_client):
    incident = IncidentFactory(created_by=journalist)
    IncidentItemFactory(incident=incident)
    new_place = PlaceFactory(name="Irpin")
    data = edit_data(incident, title="Better title", place=str(new_place.pk))
    data["items-0-description"] = "cars and vans"
    version, records = incident.version, incident.history.count()

    response = journalist_client.post(f"{incident.get_absolute_url()}edit/", data)

    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.title == "Better title"
    assert incident.place == new_place
    assert incident.items.get().description == "cars and vans"
    # One edit: one version step and one history record saying what changed.
    assert incident.version == version + 1
    assert incident.history.count() == records + 1
    record = incident.history.first()
    assert (record.history_user, record.history_change_reason) == (
        journalist,
        "edited title, place; 1 item added or changed",
    )


def test_stale_edit_is_refused_and_keeps_what_was_typed(journalist, journalist_client, editor):
    incident = IncidentFactory(created_by=journalist, status="submitted")
    opened = edit_data(incident, title="My new title")
    # Meanwhile an editor changes the summary.
    incident_services.edit_incident(
        incident=incident,
        editor=editor,
        expected_version=1,
        changes={"summary": "Corrected by the editor."},
    )

    response = journalist_client.post(f"{incident.get_absolute_url()}edit/", opened)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Not saved: this incident changed since you opened it." in content
    assert "changed by ed-editor" in content
    assert "summary" in content
    assert 'value="My new title"' in content
    assert 'name="version" value="1"' in content
    incident.refresh_from_db()
    assert incident.title != "My new title"
    assert incident.summary == "Corrected by the editor."


@pytest.mark.parametrize("version", [None, "", "zero", "0"], ids=["absent", "empty", "text", "0"])
def test_edit_without_the_opened_version_is_refused(journalist, journalist_client, version):
    """Without the version the form was opened at, an edit could overwrite someone else's
    change unseen: it is refused and nothing is saved."""
    incident = IncidentFactory(created_by=journalist, title="Original title")
    IncidentItemFactory(incident=incident, description="cars")
    data = edit_data(incident, title="Overwritten title")
    data["items-0-description"] = "overwritten items"
    before = (incident.version, incident.history.count())
    if version is None:
        del data["version"]
    else:
        data["version"] = version

    response = journalist_client.post(f"{incident.get_absolute_url()}edit/", data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was saved yet." in content
    assert "did not say which version of the incident it was opened at" in content
    incident.refresh_from_db()
    assert incident.title == "Original title"
    assert (incident.version, incident.history.count()) == before
    assert incident.items.get().description == "cars"


def test_edit_errors_are_shown_and_nothing_saved(journalist, journalist_client):
    incident = IncidentFactory(created_by=journalist)
    data = edit_data(incident, title="", occurred_to="2000-01-01")
    response = journalist_client.post(f"{incident.get_absolute_url()}edit/", data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    incident.refresh_from_db()
    assert incident.version == 1


def test_journalists_cannot_remove_items_but_editors_can(
    journalist, journalist_client, editor_client
):
    incident = IncidentFactory(created_by=journalist, status="submitted")
    IncidentItemFactory(incident=incident)
    journalist_page = journalist_client.get(f"{incident.get_absolute_url()}edit/")
    assert b"Remove this item" not in journalist_page.content
    data = edit_data(incident, **{"items-0-DELETE": "on"})
    journalist_client.post(f"{incident.get_absolute_url()}edit/", data)
    assert incident.items.count() == 1

    assert b"Remove this item" in editor_client.get(f"{incident.get_absolute_url()}edit/").content
    incident.refresh_from_db()
    data = edit_data(incident, **{"items-0-DELETE": "on"})
    response = editor_client.post(f"{incident.get_absolute_url()}edit/", data)
    assert response.status_code == 302
    assert incident.items.count() == 0


def test_submit_a_draft(journalist, journalist_client):
    incident = IncidentFactory(created_by=journalist)
    url = f"{incident.get_absolute_url()}submit/"
    response = journalist_client.post(url, follow=True)
    assert "Add at least one claim before submitting" in response.content.decode()
    ClaimFactory(incident=incident)
    assert b"Submit for review" in journalist_client.get(incident.get_absolute_url()).content
    journalist_client.post(url)
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.SUBMITTED
    assert journalist_client.get(url).status_code == 405


def test_add_a_claim_with_evidence(journalist, journalist_client, published_incident):
    earlier = published_incident.claims.get()
    source = SourceFactory(name="Foreign Ministry spokesperson")
    data = claim_fields(
        source=str(source.pk),
        new_source_name="",
        new_source_kind="",
        url="https://twitter.com/spokesperson/status/9",
        reported_via=str(earlier.pk),
        evidence=[jpeg_upload("one.jpg", "blue"), jpeg_upload("two.jpg", "green")],
    )
    del data["reported_via_number"]
    url = f"{published_incident.get_absolute_url()}claims/new/"
    assert b"Reported via" in journalist_client.get(url).content

    response = journalist_client.post(url, data)

    assert response.status_code == 302
    claim = Claim.objects.get(url="https://twitter.com/spokesperson/status/9")
    assert claim.incident == published_incident
    assert claim.source == source
    assert claim.reported_via == earlier
    assert claim.status == "unverified"
    assert claim.evidence.count() == 2


def test_add_claim_flags_a_file_already_held(journalist, journalist_client, published_incident):
    """The digests the evidence field computed while checking the files find a file already
    held elsewhere, before anything is saved."""
    elsewhere = ClaimFactory(incident=IncidentFactory(created_by=journalist, title="Has it"))
    claim_services.attach_evidence(
        claim=elsewhere, file=jpeg_upload(colour="navy"), uploaded_by=journalist
    )
    data = claim_fields(
        url="https://t.me/new/1", evidence=[jpeg_upload("again.jpg", colour="navy")]
    )
    del data["reported_via_number"]
    url = f"{published_incident.get_absolute_url()}claims/new/"

    content = journalist_client.post(url, data).content.decode()

    assert '<span class="tag match-reason">same file</span>' in content
    assert "Has it" in content
    assert published_incident.claims.count() == 1


def test_add_claim_refuses_a_claim_of_another_incident_as_reported_via(
    journalist, journalist_client, published_incident
):
    other = ClaimFactory(incident=IncidentFactory(created_by=journalist))
    data = claim_fields(reported_via=str(other.pk))
    url = f"{published_incident.get_absolute_url()}claims/new/"
    response = journalist_client.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert published_incident.claims.count() == 1


def test_add_claim_with_a_url_already_on_this_incident(journalist_client, published_incident):
    existing = published_incident.claims.get()
    url = f"{published_incident.get_absolute_url()}claims/new/"
    data = claim_fields(url=existing.url, confirm_duplicates="1")
    response = journalist_client.post(url, data)
    assert response.status_code == 200
    assert "This URL is already a claim of this incident." in response.content.decode()
    assert published_incident.claims.count() == 1


def test_my_incidents_shows_states_and_review_notes(
    journalist, journalist_client, editor, other_journalist
):
    draft = IncidentFactory(created_by=journalist, title="Still a draft")
    submitted = IncidentFactory(created_by=journalist, title="Waiting", status="submitted")
    claim = ClaimFactory(incident=submitted, submitted_by=journalist)
    claim_services.review_claim(
        claim=claim,
        reviewer=editor,
        to_status="disputed",
        dispute_reason="contradicted",
        note="Photo is older.",
    )
    IncidentFactory(created_by=other_journalist, title="Not mine", status="submitted")

    content = journalist_client.get("/me/").content.decode()

    assert "Still a draft" in content and "Only you can see it" in content
    assert "Waiting" in content and "Submitted for review" in content
    assert "Photo is older." in content and "ed-editor" in content
    assert "Not mine" not in content
    assert draft.get_absolute_url() in content


def test_my_incidents_query_count(journalist, journalist_client, django_assert_max_num_queries):
    category = ItemCategory.objects.get(slug="cars")
    for _ in range(3):
        IncidentItemFactory(incident=IncidentFactory(created_by=journalist), category=category)
    with django_assert_max_num_queries(10) as few:
        journalist_client.get("/me/")
    for _ in range(10):
        ClaimFactory(incident=IncidentFactory(created_by=journalist))
    with django_assert_max_num_queries(len(few.captured_queries)):
        journalist_client.get("/me/")
    assert Incident.objects.count() == 13
