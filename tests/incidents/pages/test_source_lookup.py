"""The claim form's source picker: a search box (/incidents/sources/) fills the select, which
the pages render with the chosen source only, so that a form does not grow with the number
of sources (5,000 at the size of a war)."""

import re

import pytest

from tests.factories import IncidentFactory, SourceFactory

pytestmark = pytest.mark.django_db


def offered(client, text):
    response = client.get("/incidents/sources/", {"source_search": text})
    assert response.status_code == 200
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', response.content.decode())


def test_sources_whose_name_contains_the_text_are_offered(journalist_client):
    SourceFactory(name="Ministry of Defence of Ukraine")
    SourceFactory(name="General Staff of the Armed Forces")
    SourceFactory(name="Kyiv Independent")

    assert offered(journalist_client, "DEFENCE") == ["Ministry of Defence of Ukraine"]
    assert offered(journalist_client, "of") == [
        "General Staff of the Armed Forces",
        "Ministry of Defence of Ukraine",
    ]
    assert offered(journalist_client, "nothing like it") == []
    assert "No source matches: name it below" in journalist_client.get(
        "/incidents/sources/?source_search=nothing"
    ).content.decode("utf-8")


def test_a_single_match_is_chosen_and_the_new_option_stays(journalist_client):
    source = SourceFactory(name="Kyiv Independent")

    content = journalist_client.get("/incidents/sources/?source_search=kyiv").content.decode()

    assert f'<option value="{source.pk}" selected>Kyiv Independent</option>' in content
    assert '<option value="new">' in content and '<option value="">' in content


def test_at_most_a_hundred_are_offered(journalist_client):
    for number in range(105):
        SourceFactory(name=f"Outlet {number:03}")

    assert len(offered(journalist_client, "outlet")) == 100
    assert len(offered(journalist_client, "")) == 100


def test_bad_input_is_no_match_and_staff_only(journalist_client, client):
    assert offered(journalist_client, "\x00" * 3 + "x" * 5000) == []
    assert client.get("/incidents/sources/?source_search=a").status_code in (302, 403)


def test_the_form_pages_do_not_grow_with_the_number_of_sources(journalist_client, journalist):
    incident = IncidentFactory(created_by=journalist, status="submitted")
    pages = ("/incidents/new/", f"{incident.get_absolute_url()}claims/new/")

    def sizes():
        return [len(journalist_client.get(url).content) for url in pages]

    SourceFactory(name="A source")
    before = sizes()
    for number in range(200):
        SourceFactory(name=f"A source with quite a long name, number {number:03}")

    assert sizes() == before
