"""claims.canonical_url: one row per alias the duplicate check must know."""

import pytest

from claims.canonical_url import canonical_link, normalise_url, url_search_terms

TWEET = "twitter.com/DefenceU/status/1510265447712448514"
CNN = "cnn.com/2022/05/01/europe/russian-troops-steal-farm-equipment-melitopol-intl"

SAME = [
    # (variant, its normal form)
    ("https://twitter.com/DefenceU/status/1510265447712448514", TWEET),
    ("https://x.com/DefenceU/status/1510265447712448514?s=20", TWEET),
    ("http://www.twitter.com/DefenceU/status/1510265447712448514/", TWEET),
    ("https://mobile.twitter.com/DefenceU/status/1510265447712448514?t=abc&s=19#reply", TWEET),
    ("https://TWITTER.com/DefenceU/status/1510265447712448514?utm_source=share&fbclid=x", TWEET),
    # CNN's editions, index pages, AMP hosts and paths, mobile hosts, trailing slashes.
    (f"https://edition.{CNN}/index.html", CNN),
    (f"https://www.{CNN}/index.html", CNN),
    (f"https://www.{CNN}", CNN),
    (f"https://{CNN}/", CNN),
    (f"https://us.{CNN}/index.html", CNN),
    (
        "https://amp.cnn.com/cnn/2022/05/01/europe/russian-troops-steal-farm-equipment-melitopol-intl/index.html",
        CNN,
    ),
    (f"https://edition.{CNN}/index.html?amp", CNN),
    (f"https://edition.{CNN}/amp/index.html", CNN),
    (f"https://m.{CNN}/index.html", CNN),
    (f"https://mobile.{CNN}/", CNN),
    (f"https://www.{CNN}/index.html?utm_source=twCNN&cmpid=x#comments", CNN),
    # Elsewhere: an /amp suffix, ?amp=1 and outputType=amp.
    (
        "https://www.theguardian.com/world/2022/may/01/looting/amp",
        "theguardian.com/world/2022/may/01/looting",
    ),
    (
        "https://amp.theguardian.com/world/2022/may/01/looting",
        "theguardian.com/world/2022/may/01/looting",
    ),
    ("https://example.org/news/story?amp=1", "example.org/news/story"),
    ("https://example.org/news/story?outputType=amp", "example.org/news/story"),
    ("https://www.youtube.com/watch?v=abc&t=30", "youtube.com/watch?v=abc"),
]

DIFFERENT = [
    (
        "https://twitter.com/DefenceU/status/1510265447712448514",
        "https://twitter.com/DefenceU/status/1510265447712448515",
    ),
    (
        "https://twitter.com/DefenceU/status/1510265447712448514",
        "https://twitter.com/defenceu/status/1510265447712448514/photo/1",
    ),
    ("https://m.youtube.com/watch?v=abd", "https://youtube.com/watch?v=abc"),
    (f"https://{CNN}", "https://cnn.com/2022/05/01/europe/another-story"),
    ("https://example.org/news/amp-stadium", "https://example.org/news"),
]


@pytest.mark.parametrize(("variant", "normal"), SAME)
def test_every_alias_reaches_the_same_form(variant, normal):
    assert normalise_url(variant) == normal


@pytest.mark.parametrize(("variant", "normal"), SAME)
def test_every_alias_holds_the_pieces_its_form_is_searched_by(variant, normal):
    """The database is asked for claims holding every piece (incidents.duplicates): a
    variant missing one would never be found."""
    terms = url_search_terms(normal)
    assert terms
    assert all(term.lower() in variant.lower() for term in terms), terms


def test_a_url_is_searched_by_every_segment_of_its_path():
    assert url_search_terms("t.me/ukrainenow/12345") == ["ukrainenow", "12345"]
    assert url_search_terms("example.org") == ["example.org"]


def test_an_address_told_apart_by_its_query_is_searched_by_its_values_too():
    """A YouTube video, a Facebook post: the path ("watch", "story.php") is the same for
    every one, and searched by it alone each check read every claim of the site. A value
    made of characters no encoding changes is in every variant, as typed."""
    assert url_search_terms("youtube.com/watch?v=dQw4w9WgXcQ") == ["dQw4w9WgXcQ", "watch"]
    assert url_search_terms("facebook.com/story.php?story_fbid=1234567&id=42") == [
        "story.php",
        "1234567",
        "42",
    ]
    # Re-encoded (a space, an apostrophe): not as typed in every variant, so not a piece.
    assert url_search_terms("example.org/search?q=looted+cars&who=O%27Neil") == ["search"]


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_pages_stay_different(one, other):
    assert normalise_url(one) != normalise_url(other)


def test_an_unparseable_url_is_compared_as_typed():
    assert normalise_url(" http://[bad ") == "http://[bad"


@pytest.mark.parametrize(
    ("html", "canonical"),
    [
        (
            b'<html><head><link rel="canonical" href="https://www.cnn.com/x/index.html">',
            "https://www.cnn.com/x/index.html",
        ),
        (b"<html><head><LINK href='https://a.org/b' REL='canonical'>", "https://a.org/b"),
        (b'<html><head><link rel=canonical href="/2022/story">', "https://amp.cnn.com/2022/story"),
        (b'<html><head><link rel="alternate" href="https://a.org/b">', ""),
        (b'<html><head><link rel="canonical" href="javascript:alert(1)">', ""),
        (b"<html><head><title>No canonical</title>", ""),
    ],
)
def test_a_saved_page_names_its_canonical_address(html, canonical):
    assert canonical_link(html, base="https://amp.cnn.com/cnn/x") == canonical
