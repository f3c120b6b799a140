"""The offline gazetteer: settlements by name in any script and transliteration, by
coordinates, and regions as ISO 3166-2 subdivisions, all from the packaged GeoNames and
pycountry data."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings

from incidents import gazetteer
from incidents.gazetteer import settlements
from incidents.gazetteer.names import keys
from incidents.gazetteer.regions import GEONAMES_ADMIN1, region_of_settlement
from incidents.gazetteer.settlements import distance_km

# Where these places are (their centres, from the Ukrainian national atlas), for the
# "within a few km" of the issue.
MELITOPOL = (46.8489, 35.3675)
KHARKIV = (49.9935, 36.2304)
KYIV = (50.4501, 30.5234)


def first(query, **options):
    results = gazetteer.lookup(query, **options)
    assert results, f"nothing found for {query!r}"
    return results[0]


@pytest.mark.parametrize("query", ["Melitopol", "Мелітополь", "Мелитополь", "melitopol'"])
def test_melitopol_is_found_in_latin_and_cyrillic(query):
    found = first(query)
    assert (found.name, found.country, found.admin1_code) == ("Melitopol", "UA", "UA-23")
    assert distance_km(found.latitude, found.longitude, *MELITOPOL) < 3
    assert "Мелітополь" in found.alternative_names


@pytest.mark.parametrize(
    ("query", "name", "truth"),
    [
        ("Kharkov", "Kharkiv", KHARKIV),
        ("Харків", "Kharkiv", KHARKIV),
        ("Харьков", "Kharkiv", KHARKIV),
        ("Kiev", "Kyiv", KYIV),
        ("Київ", "Kyiv", KYIV),
        ("Kyiv", "Kyiv", KYIV),
    ],
)
def test_transliterations_find_the_same_city(query, name, truth):
    found = first(query)
    assert found.name == name
    assert distance_km(found.latitude, found.longitude, *truth) < 5


def test_the_beginning_of_a_name_finds_it_and_exact_names_come_first():
    assert first("Мелітоп").name == "Melitopol"
    names = [settlement.name for settlement in gazetteer.lookup("Bucha")]
    assert names[0] == "Bucha"


def test_a_country_narrows_the_search():
    minsk = gazetteer.lookup("Minsk", country="BY")
    assert minsk and {s.country for s in minsk} == {"BY"}
    assert "Kyiv" not in {s.name for s in gazetteer.lookup("Kyiv", country="BY")}


@pytest.mark.parametrize("query", ["", " ", "x", "Zzzyzzxq", "\x00", "'"])
def test_nothing_sensible_finds_nothing(query):
    assert gazetteer.lookup(query) == []


def test_suggestions_carry_what_the_form_fills():
    suggestion = first("Melitopol").as_suggestion()
    assert suggestion["name"] == "Melitopol"
    assert suggestion["country"] == "UA"
    assert suggestion["admin1"] == "Zaporizhzhia Oblast"
    assert suggestion["admin1_code"] == "UA-23"
    assert suggestion["admin2"] == ""
    assert suggestion["precision"] == "settlement"
    assert {"latitude", "longitude", "alternative_names"} <= suggestion.keys()


def test_reverse_lookup_names_the_nearest_settlement_and_its_distance():
    settlement, distance = gazetteer.nearest(46.85, 35.37)
    assert settlement.name == "Melitopol"
    assert distance < 2


def test_reverse_lookup_finds_nothing_in_the_open_sea():
    assert gazetteer.nearest(43.0, 34.0, within_km=50) is None


def test_keys_meet_across_scripts():
    assert keys("Київ") & keys("Kyiv")
    assert keys("Мелітополь") & keys("Melitopol")
    assert keys("Melitopol'") == keys("Melitopol")


@pytest.mark.parametrize(
    "spelling",
    [
        "Kyiv Oblast",
        "Київська область",
        "UA-32",
        "ua-32",
        "Kyivska oblast",
        "Киевская область",
        "Kiev region",
        "Київська обл.",
    ],
)
def test_one_region_by_any_name(spelling):
    assert gazetteer.region_code(spelling) == "UA-32"


def test_the_city_of_kyiv_is_not_its_oblast():
    assert gazetteer.region_code("Kyiv") == "UA-30"
    assert gazetteer.region_code("місто Київ") == "UA-30"


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("Zaporizhzhia Oblast", "UA-23"),
        ("Запорізька область", "UA-23"),
        ("Kharkiv region", "UA-63"),
        ("Sumy Oblast", "UA-59"),
        ("Gomel Region", "BY-HO"),
        ("Гомельська область", "BY-HO"),
        ("Crimea", "UA-43"),
    ],
)
def test_regions_of_the_demo_and_of_neighbours(spelling, code):
    assert gazetteer.region_code(spelling) == code


def test_a_region_we_cannot_read_has_no_code():
    assert gazetteer.region_code("Somewhere unheard of") == ""
    assert gazetteer.region_code("") == ""
    assert gazetteer.region_code("Kyiv Oblast", country="BY") == ""


def test_region_names_in_each_language():
    assert gazetteer.region_name("UA-32", language="en") == "Kyiv Oblast"
    assert gazetteer.region_name("UA-32", language="uk") == "Київська область"
    assert gazetteer.region_name("XX-99") == ""


# Each GeoNames division code checked against the capital it holds: the mapping is data
# we wrote by hand, so each line is checked against the packaged settlements.
CAPITALS = {
    "UA-71": "Cherkasy", "UA-74": "Chernihiv", "UA-77": "Chernivtsi", "UA-12": "Dnipro",
    "UA-14": "Donetsk", "UA-26": "Ivano-Frankivsk", "UA-63": "Kharkiv", "UA-65": "Kherson",
    "UA-68": "Khmelnytskyi", "UA-35": "Kropyvnytskyi", "UA-43": "Simferopol",
    "UA-30": "Kyiv", "UA-32": "Bila Tserkva", "UA-09": "Luhansk", "UA-46": "Lviv",
    "UA-48": "Mykolayiv", "UA-51": "Odesa", "UA-53": "Poltava", "UA-56": "Rivne",
    "UA-40": "Sevastopol", "UA-59": "Sumy", "UA-61": "Ternopil", "UA-05": "Vinnytsya",
    "UA-07": "Lutsk", "UA-21": "Uzhhorod", "UA-23": "Zaporizhzhya", "UA-18": "Zhytomyr",
    "BY-BR": "Brest", "BY-HO": "Homyel'", "BY-HR": "Hrodna", "BY-HM": "Minsk",
    "BY-MI": "Barysaw", "BY-MA": "Mahilyow", "BY-VI": "Vitebsk",
}  # fmt: skip


@pytest.mark.parametrize(("code", "capital"), sorted(CAPITALS.items()))
def test_geonames_divisions_map_to_their_iso_codes(code, capital):
    country = code[:2]
    found = [s for s in gazetteer.lookup(capital, country=country) if s.name == capital]
    assert found and found[0].admin1_code == code
    assert len(GEONAMES_ADMIN1[country]) == len({*GEONAMES_ADMIN1[country].values()})
    assert region_of_settlement(country, "99") == ""


def test_a_server_worker_loads_the_gazetteer_before_its_first_request():
    """lootwatch/gunicorn.conf.py reads the settlements in each worker as it starts, so that
    no request waits the seconds it takes."""
    config = runpy.run_path(str(Path(settings.BASE_DIR) / "lootwatch" / "gunicorn.conf.py"))
    settlements._gazetteer.cache_clear()
    config["post_worker_init"](None)
    assert settlements._gazetteer.cache_info().currsize == 1
