"""Attacks on protected identities through the partner API: a witness's name, handle and
URLs, and a staff translator's name, never appear in any endpoint or format, and cannot be
found by searching, sorting or filtering. Partners see a stable public label instead."""

import csv
import io
import json

import pytest

from claims import services as claim_services
from claims.models import Source
from tests.factories import SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

WITNESS = "Olena Kovalenko"
WITNESS_URL = "https://www.facebook.com/olena.kovalenko.private"
WITNESS_POST = "https://www.facebook.com/olena.kovalenko.private/posts/77"
WITNESS_ARCHIVE = "https://web.archive.org/web/2022/olena-kovalenko-post"
INSIDER = "Ivan Hrytsenko"
INSIDER_URL = "https://t.me/hrytsenko_private"
TRANSLATOR = "tanya-translator"
# Anything of these in a partner response is a leak.
SECRETS = (
    WITNESS,
    "Kovalenko",
    "kovalenko",
    WITNESS_URL,
    INSIDER,
    "Hrytsenko",
    "hrytsenko",
    TRANSLATOR,
)


@pytest.fixture
def identities(publish, journalist, editor):
    """A published incident with a witness's statement (translated by staff), a claim by a
    social-media account an editor protected (speaking for a public organisation), and a
    claim by a public outlet; and a second incident citing the same witness."""
    UserFactory(username=TRANSLATOR, role="journalist")
    witness = SourceFactory(name=WITNESS, kind="witness", url=WITNESS_URL)
    council = SourceFactory(name="Hostomel town council", kind="government")
    insider = SourceFactory(
        name=INSIDER, kind="social_media_account", url=INSIDER_URL, organisation=council
    )
    insider.identity_protected = True
    claim_services.update_source(source=insider, editor=editor, fields=["identity_protected"])
    outlet = SourceFactory(name="Kyiv Independent", kind="media_outlet")
    incident = publish(
        title="Washing machines taken from flats",
        claims=[
            (
                "verified",
                {
                    "source": witness,
                    "medium": "witness_statement",
                    "url": WITNESS_POST,
                    "archived_url": WITNESS_ARCHIVE,
                    "original_text": "Вони забрали пральну машину.",
                    "language": "uk",
                    "translation": "They took the washing machine.",
                    "translated_by": TRANSLATOR,
                    "translator_kind": "staff",
                },
            ),
            ("verified", {"source": insider, "url": f"{INSIDER_URL}/5"}),
            (
                "verified",
                {
                    "source": outlet,
                    "translation": "Cars taken.",
                    "translated_by": "Kyiv Independent",
                    "translator_kind": "organisation",
                },
            ),
        ],
    )
    second = publish(
        title="Carpets taken",
        claims=[("verified", {"source": witness, "url": f"{WITNESS_POST}9"})],
    )
    witness.refresh_from_db()
    insider.refresh_from_db()
    return {
        "incident": incident,
        "second": second,
        "witness": witness,
        "insider": insider,
        "council": council,
        "outlet": outlet,
    }


def assert_no_secret(text):
    leaks = [secret for secret in SECRETS if secret in text]
    assert leaks == [], f"leaked {leaks}"


def body(response):
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_witnesses_are_protected_by_default_with_a_stable_random_label(identities):
    witness = identities["witness"]
    assert witness.identity_protected
    assert witness.public_label == f"Witness W-{witness.public_code}"
    assert WITNESS.split()[0].upper() not in witness.public_code
    # Stored once: it does not change when the source is edited or read again.
    label = witness.public_label
    witness.name = "Olena K."
    claim_services.update_source(source=witness, editor=UserFactory(role="editor"), fields=["name"])
    assert Source.objects.get(pk=witness.pk).public_label == label
    assert identities["insider"].public_label.startswith("Protected source P-")
    assert len({s.public_code for s in Source.objects.all()}) == Source.objects.count()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/incidents/",
        "/api/v1/incidents/?format=geojson",
        "/api/v1/incidents/?format=csv",
        "/api/v1/claims/",
        "/api/v1/claims/?format=csv",
        "/api/v1/sources/",
        "/api/v1/sources/?kind=witness",
        "/api/v1/deletions/",
    ],
)
def test_no_list_in_any_format_names_a_protected_source(partner_client, identities, path):
    text = body(partner_client.get(path))
    assert_no_secret(text)
    assert WITNESS_POST not in text and WITNESS_ARCHIVE not in text
    if "deletions" not in path:
        assert identities["witness"].public_label in text or "kind=witness" not in path


@pytest.mark.parametrize("fmt", ["json", "geojson", "csv"])
def test_no_detail_in_any_format_names_a_protected_source(partner_client, identities, fmt):
    incident = identities["incident"]
    text = body(partner_client.get(f"/api/v1/incidents/{incident.public_id}/?format={fmt}"))
    assert_no_secret(text)
    for claim in incident.claims.all():
        if fmt == "geojson":
            continue
        claim_text = body(partner_client.get(f"/api/v1/claims/{claim.public_id}/?format={fmt}"))
        assert_no_secret(claim_text)
        assert WITNESS_POST not in claim_text and WITNESS_ARCHIVE not in claim_text


def test_partners_see_the_label_the_type_and_no_links(partner_client, identities):
    witness, insider = identities["witness"], identities["insider"]
    claims = json.loads(body(partner_client.get("/api/v1/claims/?page_size=500")))["results"]
    by_source = {claim["source"]["id"]: claim for claim in claims}
    statement = by_source[witness.pk]
    assert statement["source"] == {
        "id": witness.pk,
        "name": witness.public_label,
        "kind": "witness",
    }
    assert statement["url"] == "" and statement["archived_url"] == ""
    assert statement["translated_by"] == "Lootwatch staff"
    assert by_source[insider.pk]["source"]["name"] == insider.public_label
    assert by_source[insider.pk]["url"] == ""
    outlet_claim = by_source[identities["outlet"].pk]
    assert outlet_claim["translated_by"] == "Kyiv Independent"
    assert outlet_claim["url"].startswith("https://")

    sources = json.loads(body(partner_client.get("/api/v1/sources/")))["results"]
    listed = {source["id"]: source for source in sources}
    assert listed[witness.pk] == {
        "id": witness.pk,
        "name": witness.public_label,
        "kind": "witness",
        "country": "UA",
        "url": "",
        "organisation": None,
    }
    # The insider's organisation is withheld, and not listed on the insider's account.
    assert listed[insider.pk]["organisation"] is None
    assert identities["council"].pk not in listed


def test_the_label_is_the_same_everywhere(partner_client, identities):
    label = identities["witness"].public_label
    incidents = body(partner_client.get("/api/v1/incidents/"))
    claims_csv = body(partner_client.get("/api/v1/claims/?format=csv"))
    assert incidents.count(label) == 2  # one statement in each incident
    rows = list(csv.DictReader(io.StringIO(claims_csv)))
    assert sorted(row["source"] for row in rows if row["source_kind"] == "witness") == [
        label,
        label,
    ]
    assert {row["url"] for row in rows if row["source_kind"] == "witness"} == {""}


@pytest.mark.parametrize(
    "query",
    [
        WITNESS,
        "Kovalenko",
        "kovalenko",
        "olena.kovalenko.private",
        INSIDER,
        "hrytsenko",
        TRANSLATOR,
    ],
)
def test_searching_a_protected_name_finds_nothing(partner_client, identities, query):
    found = json.loads(body(partner_client.get("/api/v1/incidents/", {"q": query})))
    assert found["results"] == []


def test_search_by_the_label_or_the_statement_still_works(partner_client, identities):
    found = json.loads(body(partner_client.get("/api/v1/incidents/", {"q": "washing machine"})))
    assert [incident["id"] for incident in found["results"]] == [
        str(identities["incident"].public_id)
    ]


def test_sources_sort_by_the_names_partners_see(partner_client, identities):
    """Sorted on the real names, "Olena Kovalenko" would sit between "Kyiv Independent" and
    others, telling partners where the witness's name falls in the alphabet."""
    pages, url = [], "/api/v1/sources/?page_size=1"
    while url:
        page = json.loads(body(partner_client.get(url)))
        pages += page["results"]
        url = page["next"]
    names = [source["name"] for source in pages]
    assert names == sorted(names)
    assert len(names) == len({source["id"] for source in pages})


def test_filtering_by_a_protected_source_id_shows_only_the_label(partner_client, identities):
    witness = identities["witness"]
    claims = body(partner_client.get("/api/v1/claims/", {"source": witness.pk}))
    assert_no_secret(claims)
    assert json.loads(claims)["results"][0]["source"]["name"] == witness.public_label
    # A guess at the name instead of an id is refused without echoing anything back.
    unknown = partner_client.get("/api/v1/claims/", {"source": WITNESS})
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"source": ["Give an id: a whole number, e.g. 12."]}


def test_withdrawn_witness_claims_leave_no_name_in_the_deletions_feed(
    partner_client, identities, editor
):
    claim = identities["second"].claims.get()
    claim_services.withdraw_claim(claim=claim, editor=editor, reason=f"{WITNESS} asked us to.")
    text = body(partner_client.get("/api/v1/deletions/"))
    assert str(claim.public_id) in text
    assert_no_secret(text)


def test_staff_reading_the_api_see_what_partners_see(editor_client, identities):
    assert_no_secret(body(editor_client.get("/api/v1/incidents/?format=csv")))
    assert_no_secret(body(editor_client.get("/api/v1/sources/")))
