"""The pages speak Ukrainian throughout once it is chosen: no English left outside the
translation tags. The records are written in Ukrainian, so any Latin word left on a page
(beyond names that are the same in every language: Lootwatch, URL, SHA-256, the user names)
is interface text that a template or a view forgot to mark for translation."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model

from claims.services import review_claim
from incidents.models import ItemCategory
from tests.factories import (
    ClaimFactory,
    IncidentFactory,
    IncidentItemFactory,
    PlaceFactory,
    SourceFactory,
    fresh,
    reference_editor,
    set_route,
    submit,
)

pytestmark = pytest.mark.django_db

# Words that are the same in Ukrainian: names, abbreviations, formats, keys.
SAME_IN_UKRAINIAN = {
    "Lootwatch", "URL", "SHA", "PDF", "UTC", "API", "JSON", "CSV", "zip", "GPS", "EXIF",
    "HTML", "WARC", "JPEG", "PNG", "WebP", "GIF", "Tab", "Enter", "Esc", "Wayback", "Machine",
    "Facebook", "Telegram", "YYYY", "OpenStreetMap", "Leaflet", "GeoJSON", "ISO", "alpha",
    # Examples of spellings the gazetteer and the region filter understand.
    "Kyiv", "Oblast", "Melitopol",
}  # fmt: skip
# Text a reader sees: text nodes outside scripts and styles, and these attributes.
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


class VisibleText(HTMLParser):
    """The text of a page as a reader (or a screen reader) meets it, in Ukrainian: what an
    element marks as another language (a quote in English, "English" in the language
    switcher) is left out, and so is a record kept as written (translate="no")."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden, self.other_language = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):
            self.hidden += 1
        attributes = dict(attrs)
        # A record kept as it was written (a change's reason) is marked translate="no".
        other = tag != "html" and not (attributes.get("lang") or "uk").startswith("uk")
        if other or attributes.get("translate") == "no":
            self.other_language.append(tag)
        if self.other_language:
            return
        for name in READ_ATTRIBUTES & attributes.keys():
            self.parts.append(attributes[name] or "")
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code"):
            self.hidden -= 1
        if self.other_language and self.other_language[-1] == tag:
            self.other_language.pop()

    def handle_data(self, data):
        if not self.hidden and not self.other_language:
            self.parts.append(data)


def english_left(html, *, names=()):
    """The snippets of ``html``'s visible text holding a Latin word that is not the same in
    Ukrainian; ``names`` are further words to pass (user names, e.g.)."""
    parser = VisibleText()
    parser.feed(html)
    passing = SAME_IN_UKRAINIAN | {word for name in names for word in re.findall(r"\w+", name)}
    found = []
    for part in parser.parts:
        text = re.sub(r"\S+@\S+|https?://\S*|/[\w./-]+/", " ", part)
        words = [word for word in re.findall(r"[A-Za-z]{3,}", text) if word not in passing]
        if words:
            found.append(" ".join(part.split())[:100])
    return sorted(set(found))


@pytest.fixture
def ukrainian_record(journalist, editor):
    """An incident written in Ukrainian with everything its pages show: items, a route, a
    claim relayed by another, evidence-free reviews, a history."""
    place = PlaceFactory(name="Мелітополь", admin1="Запорізька область")
    source = SourceFactory(name="Міністерство оборони України")
    incident = IncidentFactory(
        created_by=journalist,
        title="Пограбовані будинки в Мелітополі",
        summary="Військові вивезли побутову техніку з приватних будинків.",
        place=place,
        occurred_from=datetime.date(2022, 3, 28),
        occurred_to=datetime.date(2022, 4, 2),
    )
    first = ClaimFactory(
        incident=incident, source=source, original_text="Окупанти вивозять техніку.", language="uk"
    )
    IncidentItemFactory(
        incident=incident,
        category=ItemCategory.objects.get(slug="washing-machines"),
        description="пральні машини",
    )
    ClaimFactory(
        incident=incident,
        source=SourceFactory(name="Генеральний штаб ЗСУ"),
        original_text="Колона вантажівок рухалася на південь.",
        language="uk",
        reported_via=first,
    )
    submit(incident)
    review_claim(
        claim=first, reviewer=fresh(editor), to_status="verified", note="Перевірено за фото."
    )
    set_route(
        incident,
        (PlaceFactory(name="Джанкой", admin1="Крим"), {"claims": [first], "note": "За фото"}),
    )
    incident.refresh_from_db()
    return incident


def in_ukrainian(client):
    response = client.post("/language/", {"language": "uk", "next": "/incidents/"})
    assert response.status_code == 302
    return client


def user_names():
    return set(get_user_model().objects.values_list("username", flat=True))


def test_the_english_detector_finds_english(journalist_client, ukrainian_record):
    """The check below can fail: the same page in English is full of it."""
    html = journalist_client.get(ukrainian_record.get_absolute_url()).content.decode()
    assert "Change history" in " ".join(english_left(html, names=user_names()))


@pytest.mark.parametrize(
    "path",
    [
        "/incidents/",
        "/incidents/map/",
        "/incidents/timeline/",
        "/incidents/new/",
        "/me/",
        "/methodology/",
        "{detail}",
        "{detail}claims/new/",
        "{detail}edit/",
    ],
)
def test_the_journalists_pages_have_no_english_left(path, journalist_client, ukrainian_record):
    client = in_ukrainian(journalist_client)
    url = path.format(detail=ukrainian_record.get_absolute_url())
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="uk">' in html
    assert english_left(html, names=user_names()) == []


def test_a_refused_claim_form_has_no_english_left(journalist_client, ukrainian_record):
    client = in_ukrainian(journalist_client)
    response = client.post(f"{ukrainian_record.get_absolute_url()}claims/new/", {})
    assert response.status_code == 200
    assert english_left(response.content.decode(), names=user_names()) == []


def test_the_review_workspace_has_no_english_left(editor_client, ukrainian_record):
    claim = ukrainian_record.claims.order_by("pk").last()
    client = in_ukrainian(editor_client)
    response = client.get(f"/admin/claims/claim/{claim.pk}/review/")
    assert response.status_code == 200
    html = response.content.decode()
    # The workspace's own part: Django's admin frame is Django's translation.
    start = html.rindex("<", 0, html.index('id="content-main"'))
    workspace = html[start : html.index('id="footer"')]
    names = user_names() | {reference_editor().username}
    assert english_left(workspace, names=names) == []


def test_the_publish_step_has_no_english_left(editor_client, ukrainian_record):
    client = in_ukrainian(editor_client)
    response = client.get(f"/admin/incidents/incident/{ukrainian_record.pk}/publish/")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.rindex("<", 0, html.index('id="content-main"'))
    names = user_names() | {reference_editor().username}
    assert english_left(html[start : html.index('id="footer"')], names=names) == []


@pytest.mark.parametrize(
    "path",
    [
        "/admin/claims/claim/",
        "/admin/claims/claim/?status__exact=verified",
        "/admin/incidents/incident/",
        "/admin/incidents/incident/{pk}/change/",
        "/admin/claims/source/",
        "/admin/incidents/place/",
        "/admin/incidents/actor/",
        "/admin/incidents/itemcategory/",
        "/admin/claims/evidence/",
        "/admin/exchange/importrun/",
        "/admin/",
    ],
)
def test_the_admin_lists_and_the_incident_page_have_no_english_left(
    path, editor_client, ukrainian_record
):
    """The review queue, the incident list and an incident's page: Django's own words
    built from the models' names ("Add claim", "By status", "1 claim") are Ukrainian too."""
    client = in_ukrainian(editor_client)
    response = client.get(path.format(pk=ukrainian_record.pk))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.rindex("<", 0, html.index('id="content"'))
    # Django writes these two alt texts itself, untranslated (the search box's magnifier,
    # a boolean column's icon); the record's public id is an id.
    names = user_names() | {reference_editor().username, "Search", "False", "True"}
    names |= set(ItemCategory.objects.values_list("slug", flat=True))  # ids partners use
    content = html[start : html.index('id="footer"')].replace(str(ukrainian_record.public_id), "")
    assert english_left(content, names=names) == []
