"""How a place's name is matched whatever its spelling: Kyiv, Kiev, Київ and Киев.

A name becomes a *key*: case folded, accents and apostrophes dropped (Melitopol', Мелітополь
and Melitopolʼ are one word), hyphens and punctuation turned into spaces, and Cyrillic
transliterated into Latin letters by Ukraine's national system (2010), which also reads the
Russian letters. Both the name as written and its transliteration are keys, so a Cyrillic
query finds a settlement known only by Latin names, and the reverse.
"""

import re
import unicodedata

# Ukraine's national transliteration (Cabinet of Ministers resolution 55, 2010), in the
# forms used inside a word, plus the Russian letters it lacks. Letters with a mark (ї, й, ё,
# ў) have lost it in fold() by the time they are transliterated.
CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia", "ы": "y", "э": "e", "ъ": "",
}  # fmt: skip

APOSTROPHES = "'’ʼʻ`´\u02bc\u02b9\u2032"
SEPARATORS = re.compile(r"[\s\-‐‑–—_.,;:/()\"«»]+")


def is_cyrillic(text):
    return any("\u0400" <= char <= "\u04ff" for char in text)


def is_latin_or_cyrillic(text):
    """True for names written in Latin or Cyrillic letters only: the scripts our users type."""
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(
        char.isascii() or "\u00c0" <= char <= "\u024f" or "\u0400" <= char <= "\u04ff"
        for char in letters
    )


def fold(text):
    """Case-fold ``text``, drop accents and apostrophes and normalise the spaces.

    Accents go from Cyrillic letters too (й is и, ї is і): spelt either way, a name meets
    its Latin forms, e.g. Йосипівка and Yosypivka.
    """
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.translate({ord(char): None for char in APOSTROPHES})
    return SEPARATORS.sub(" ", text).strip()


def transliterate(text):
    """The Latin transliteration of a folded Cyrillic text (Latin text is returned as is)."""
    return "".join(CYRILLIC_TO_LATIN.get(char, char) for char in text)


def keys(name):
    """Every key ``name`` is found by: its folded form, and its transliteration."""
    folded = fold(name)
    if not folded:
        return set()
    found = {folded}
    if is_cyrillic(folded):
        found.add(transliterate(folded))
    return found
