"""Regions (admin1: oblasts, cities with special status, voblasts) as ISO 3166-2 subdivisions.

"Kyiv Oblast", "Kyivska oblast", "Київська область", "Киевская область" and ``UA-32`` are
one region: ``region_code`` turns any of them into the code, and places keep that code
beside the name they were given (``Place.admin1_code``), so filters find them all.

The names come from ``pycountry`` (the ISO names, and their Ukrainian and Russian
translations from Debian's iso-codes), plus the English names newsrooms write ("Kyiv
Oblast", "Zaporizhzhia Oblast") for Ukraine and Belarus, where Lootwatch works.
"""

import gettext
from functools import cache

import pycountry
from django.utils import translation

from incidents.gazetteer.names import keys

# GeoNames numbers first-level divisions by their own (FIPS 10-4) codes, not ISO 3166-2; its
# admin1CodesASCII.txt is not in the package, so here are the two countries we need.
# tests/incidents/test_gazetteer.py checks each against the division's capital.
GEONAMES_ADMIN1 = {
    "UA": {
        "01": "UA-71", "02": "UA-74", "03": "UA-77", "04": "UA-12", "05": "UA-14",
        "06": "UA-26", "07": "UA-63", "08": "UA-65", "09": "UA-68", "10": "UA-35",
        "11": "UA-43", "12": "UA-30", "13": "UA-32", "14": "UA-09", "15": "UA-46",
        "16": "UA-48", "17": "UA-51", "18": "UA-53", "19": "UA-56", "20": "UA-40",
        "21": "UA-59", "22": "UA-61", "23": "UA-05", "24": "UA-07", "25": "UA-21",
        "26": "UA-23", "27": "UA-18",
    },
    "BY": {
        "01": "BY-BR", "02": "BY-HO", "03": "BY-HR", "04": "BY-HM", "05": "BY-MI",
        "06": "BY-MA", "07": "BY-VI",
    },
}  # fmt: skip

# The English names in common use (the ISO names are romanised Ukrainian and Belarusian).
ENGLISH = {
    "UA-05": "Vinnytsia", "UA-07": "Volyn", "UA-09": "Luhansk", "UA-12": "Dnipropetrovsk",
    "UA-14": "Donetsk", "UA-18": "Zhytomyr", "UA-21": "Zakarpattia", "UA-23": "Zaporizhzhia",
    "UA-26": "Ivano-Frankivsk", "UA-30": "Kyiv", "UA-32": "Kyiv", "UA-35": "Kirovohrad",
    "UA-40": "Sevastopol", "UA-43": "Crimea", "UA-46": "Lviv", "UA-48": "Mykolaiv",
    "UA-51": "Odesa", "UA-53": "Poltava", "UA-56": "Rivne", "UA-59": "Sumy",
    "UA-61": "Ternopil", "UA-63": "Kharkiv", "UA-65": "Kherson", "UA-68": "Khmelnytskyi",
    "UA-71": "Cherkasy", "UA-74": "Chernihiv", "UA-77": "Chernivtsi",
    "BY-BR": "Brest", "BY-HO": "Gomel", "BY-HR": "Grodno", "BY-HM": "Minsk",
    "BY-MI": "Minsk", "BY-MA": "Mogilev", "BY-VI": "Vitebsk",
}  # fmt: skip
# Other spellings of those English names (older, or from Russian).
ENGLISH_ALSO = {
    "UA-32": ["Kiev"], "UA-30": ["Kiev"], "UA-63": ["Kharkov"], "UA-23": ["Zaporozhye"],
    "UA-51": ["Odessa"], "UA-48": ["Nikolaev"], "UA-43": ["Autonomous Republic of Crimea"],
    "BY-HO": ["Homel", "Homiel"], "BY-HR": ["Hrodna"], "BY-MA": ["Mahilyow"],
}  # fmt: skip

# Words meaning "region" are one word; words meaning "city" say nothing.
REGION_WORDS = {"obl", "oblast", "oblasti", "oblasts", "region", "province", "voblasc", "voblast"}
NOISE_WORDS = {"city", "misto", "horad", "gorod", "of", "the"}
REGION_TYPES = {"Region", "Oblast", "Province"}


def _region_keys(name):
    """The keys of a region's name, with "region", "oblast", "область"… as one word."""
    found = set()
    for key in keys(name):
        words = [
            "oblast" if word in REGION_WORDS else word
            for word in key.split()
            if word not in NOISE_WORDS
        ]
        if words:
            found.add(" ".join(words))
    return found


@cache
def _translations(language):
    try:
        return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


@cache
def _index():
    """Every key of every subdivision's names → the codes it may mean."""
    index = {}
    translations = [_translations("uk"), _translations("ru")]
    for subdivision in pycountry.subdivisions:
        names = {subdivision.code, subdivision.name}
        names.update(t.gettext(subdivision.name) for t in translations)
        is_region = subdivision.type in REGION_TYPES
        if is_region:
            # "Kyivska" alone, as people shorten "Kyivska oblast".
            names.update(name.rsplit(" ", 1)[0] for name in list(names) if " " in name)
        for english in [ENGLISH.get(subdivision.code), *ENGLISH_ALSO.get(subdivision.code, [])]:
            if english:
                names.add(f"{english} Oblast" if is_region else english)
        for name in names:
            for key in _region_keys(name):
                index.setdefault(key, set()).add(subdivision.code)
    return index


def region_code(text, *, country=""):
    """Return the ISO 3166-2 code ``text`` names (a code, or a name in any of its spellings),
    within ``country`` if given; "" if it names none, or more than one."""
    country = (country or "").upper()
    codes = set()
    for key in _region_keys(text or ""):
        codes |= _index().get(key, set())
    if country:
        codes = {code for code in codes if code.startswith(f"{country}-")}
    return codes.pop() if len(codes) == 1 else ""


def region_of_settlement(country, geonames_admin1):
    """The ISO 3166-2 code of a GeoNames admin1 code, where we know it."""
    return GEONAMES_ADMIN1.get(country, {}).get(geonames_admin1, "")


def region_name(code, *, language=None):
    """The region's name in ``language`` (the active one by default): "Zaporizhzhia Oblast",
    "Запорізька область"."""
    subdivision = pycountry.subdivisions.get(code=code) if code else None
    if subdivision is None:
        return ""
    language = (language or translation.get_language() or "en").split("-")[0]
    if language == "en":
        english = ENGLISH.get(code)
        if english:
            return f"{english} Oblast" if subdivision.type in REGION_TYPES else english
        return subdivision.name
    return _translations(language).gettext(subdivision.name)
