"""The log form's gazetteer (JSON for signed-in staff) and regions as one region in the
filters, whatever their spelling."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from incidents.models import Place
from tests.factories import IncidentFactory, PlaceFactory

pytestmark = pytest.mark.django_db

LOOKUP = "/incidents/places/lookup/"
NEAREST = "/incidents/places/nearest/"
PHOTO = "/incidents/places/photo-location/"


def photo(*, gps=None):
    """A real JPEG; with ``gps`` (latitude, longitude) in its EXIF as a phone writes it."""
    exif = Image.Exif()
    if gps is not None:
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
        for (ref, tag), value, signs in (
            ((ExifTags.GPS.GPSLatitudeRef, ExifTags.GPS.GPSLatitude), gps[0], "NS"),
            ((ExifTags.GPS.GPSLongitudeRef, ExifTags.GPS.GPSLongitude), gps[1], "EW"),
        ):
            degrees = abs(value)
            minutes = (degrees % 1) * 60
            info[ref] = signs[0] if value >= 0 else signs[1]
            info[tag] = (float(int(degrees)), float(int(minutes)), round((minutes % 1) * 60, 2))
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), "image/jpeg")


@pytest.mark.parametrize("query", ["Melitopol", "Мелітополь"])
def test_lookup_answers_json_suggestions(journalist_client, query):
    response = journalist_client.get(LOOKUP, {"q": query})
    assert response.status_code == 200
    best = response.json()["results"][0]
    assert best["name"] == "Melitopol"
    assert best["country"] == "UA"
    assert best["admin1"] == "Zaporizhzhia Oblast"
    assert best["admin2"] == ""
    assert abs(best["latitude"] - 46.8489) < 0.03 and abs(best["longitude"] - 35.3675) < 0.03


def test_lookup_finds_kharkov_under_its_ukrainian_name(journalist_client):
    results = journalist_client.get(LOOKUP, {"q": "Kharkov"}).json()["results"]
    assert results[0]["name"] == "Kharkiv"
    assert "Харків" in results[0]["alternative_names"]


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "\x00"}, {"q": "x" * 5000}])
def test_lookup_of_nothing_is_an_empty_list(journalist_client, params):
    response = journalist_client.get(LOOKUP, params)
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_gazetteer_is_for_staff_only(client, partner_client):
    for url in (f"{LOOKUP}?q=Kyiv", f"{NEAREST}?latitude=50&longitude=30"):
        assert client.get(url).status_code == 302
        assert partner_client.get(url).status_code == 403


def test_nearest_settlement_to_typed_coordinates(journalist_client):
    response = journalist_client.get(NEAREST, {"latitude": "46.85", "longitude": "35.37"})
    nearest = response.json()["nearest"]
    assert nearest["name"] == "Melitopol"
    assert 0 < nearest["distance_km"] < 2


def test_nearest_to_the_open_sea_is_nobody(journalist_client):
    response = journalist_client.get(NEAREST, {"latitude": "43", "longitude": "34"})
    assert response.json() == {"nearest": None}


@pytest.mark.parametrize(
    "params",
    [{}, {"latitude": "91", "longitude": "30"}, {"latitude": "abc", "longitude": "1"},
     {"latitude": "NaN", "longitude": "1"}, {"latitude": "50", "longitude": "-181"}],
)  # fmt: skip
def test_bad_coordinates_are_refused_with_a_message(journalist_client, params):
    response = journalist_client.get(NEAREST, params)
    assert response.status_code == 400
    assert "latitude" in response.json()["detail"]


def test_a_photo_with_gps_suggests_where_it_was_taken(journalist_client):
    response = journalist_client.post(PHOTO, {"photo": photo(gps=(46.85, 35.37))})
    body = response.json()
    assert response.status_code == 200
    assert abs(body["latitude"] - 46.85) < 0.001 and abs(body["longitude"] - 35.37) < 0.001
    assert body["nearest"]["name"] == "Melitopol"


def test_a_photo_without_gps_says_so(journalist_client):
    body = journalist_client.post(PHOTO, {"photo": photo()}).json()
    assert body == {"latitude": None, "longitude": None, "nearest": None}


def test_a_file_that_is_no_photo_is_refused_and_nothing_kept(journalist_client):
    from claims.models import Evidence

    upload = SimpleUploadedFile("notes.txt", b"not a picture", "text/plain")
    response = journalist_client.post(PHOTO, {"photo": upload})
    assert response.status_code == 400
    assert "JPEG" in response.json()["detail"]
    assert journalist_client.post(PHOTO, {}).status_code == 400
    assert Evidence.objects.count() == 0


def test_places_keep_their_region_code():
    assert PlaceFactory(admin1="Київська область").admin1_code == "UA-32"
    assert PlaceFactory(admin1="Kyiv Oblast").admin1_code == "UA-32"
    assert PlaceFactory(admin1="Nowhere in particular").admin1_code == ""


def test_editing_the_region_reads_its_code_again(editor):
    from incidents import services

    place = PlaceFactory(admin1="Kyiv Oblast")
    place.admin1 = "Запорізька область"
    services.update_place(place=place, editor=editor, fields=["admin1"])
    place.refresh_from_db()
    assert place.admin1_code == "UA-23"


@pytest.mark.parametrize("spelling", ["Kyiv Oblast", "Київська область", "UA-32", "kyivska"])
def test_the_list_filter_takes_any_spelling_of_a_region(journalist, journalist_client, spelling):
    english = IncidentFactory(
        created_by=journalist, title="English", place=PlaceFactory(admin1="Kyiv Oblast")
    )
    IncidentFactory(
        created_by=journalist, title="Ukrainian", place=PlaceFactory(admin1="Київська область")
    )
    IncidentFactory(created_by=journalist, title="Elsewhere", place=PlaceFactory(admin1="Sumy"))
    response = journalist_client.get("/incidents/", {"region": spelling})
    found = {incident.title for incident in response.context["page"].object_list}
    assert found == {"English", "Ukrainian"}
    assert english.place.admin1_code == "UA-32"


def test_a_region_name_we_cannot_read_is_matched_as_written(journalist, journalist_client):
    IncidentFactory(created_by=journalist, title="Here", place=PlaceFactory(admin1="Polissia"))
    IncidentFactory(created_by=journalist, title="There", place=PlaceFactory(admin1="Kyiv Oblast"))
    response = journalist_client.get("/incidents/", {"region": "polissia"})
    assert [i.title for i in response.context["page"].object_list] == ["Here"]
    assert Place.objects.filter(admin1="Polissia", admin1_code="").exists()
