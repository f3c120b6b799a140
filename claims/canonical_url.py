"""The form of a claim's URL under which its everyday variants compare equal, so that the
same post or article cited under another address is recognised as already logged.

Every rule is in the tables below; tests/claims/test_canonical_url.py holds one row per
alias it must know. A page capture naming its ``rel=canonical`` address is matched on that
address too (see canonical_link and incidents.duplicates).
"""

import functools
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Leading host labels that name the same site: www, mobile and AMP editions.
HOST_PREFIXES = ("www.", "mobile.", "m.", "amp.")
# Hosts that are one site under two names.
HOST_ALIASES = {
    "x.com": "twitter.com",
    "edition.cnn.com": "cnn.com",
    "us.cnn.com": "cnn.com",
    "fb.com": "facebook.com",
}
# AMP editions that also add a path prefix: amp.cnn.com/cnn/2022/… is cnn.com/2022/….
AMP_PATH_PREFIXES = {"cnn.com": "/cnn"}
# Query parameters that say how a link was shared or rendered, not what it points to.
TRACKING_PARAMS = {"s", "t", "fbclid", "igshid", "ref", "amp", "outputtype", "cmpid"}
# Last path segments that name a site's default page: /story/index.html is /story.
INDEX_PAGES = ("index.html", "index.htm", "index.php")


# Pure, and asked twice of each URL an import reads (its check, then what later lines are
# checked against): the recent answers are kept.
@functools.lru_cache(maxsize=4096)
def normalise_url(url):
    """The form of ``url`` under which its everyday variants compare equal.

    ``https://x.com/DefenceU/status/1?s=20`` and ``http://www.twitter.com/DefenceU/status/1/``
    both become ``twitter.com/DefenceU/status/1``; ``https://edition.cnn.com/2022/05/01/x/
    index.html``, ``https://www.cnn.com/2022/05/01/x`` and ``https://amp.cnn.com/cnn/2022/05/
    01/x/index.html`` all become ``cnn.com/2022/05/01/x``. Dropped: the scheme, www/mobile/AMP
    host labels, tracking and AMP parameters (``utm_*`` too), ``/amp`` path segments, index
    pages, the fragment and a trailing slash. The host is lowercased and its aliases
    resolved; the path keeps its case (it matters on most sites)."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        # Not a URL that can be taken apart (say a stray bracket): compare it as typed.
        return url.strip()
    path = parts.path
    was_amp = False
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix):
            was_amp = prefix == "amp."
            host = host[len(prefix) :]
            break
    host = HOST_ALIASES.get(host, host)
    amp_prefix = AMP_PATH_PREFIXES.get(host)
    if was_amp and amp_prefix and path.startswith(f"{amp_prefix}/"):
        path = path[len(amp_prefix) :]
    segments = [segment for segment in path.split("/") if segment and segment.lower() != "amp"]
    if segments and segments[-1].lower() in INDEX_PAGES:
        segments.pop()
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower() not in TRACKING_PARAMS and not name.lower().startswith("utm_")
    ]
    path = "/" + "/".join(segments) if segments else ""
    return urlunsplit(("", host, path, urlencode(query), "")).lstrip("/")


def url_search_terms(normalised):
    """Pieces of a normalised URL that every stored variant of it contains, to narrow the
    database search: its path's segments (kept as typed) and the values of its query that
    no re-encoding changes, or its host if it has neither. All of them, not the longest
    alone: on a site whose addresses share a long segment (a channel's name, "news") that
    one matched every claim of the site, and each check read them all."""
    host, _, rest = normalised.partition("/")
    path, _, query = rest.partition("?")
    pieces = {segment for segment in path.split("/") if segment}
    # A query's values where no encoding changes them (a video's id, a post's number): on
    # a site whose every address has the same path ("watch", "story.php") they are what
    # tells its pages apart.
    pieces |= {value for __, value in parse_qsl(query) if AS_TYPED.fullmatch(value)}
    return sorted(pieces, key=lambda piece: (-len(piece), piece)) or [host]


# Characters that a URL's query keeps as typed, whichever way it is encoded.
AS_TYPED = re.compile(r"[A-Za-z0-9._~-]+")


CANONICAL_LINK = re.compile(rb"<link\b[^>]*\brel\s*=\s*[\"']?canonical[\"']?[^>]*>", re.IGNORECASE)
HREF = re.compile(rb"\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)


def canonical_link(html, *, base=""):
    """The address a saved web page names as its canonical one (``<link rel="canonical"
    href="…">`` in its head), made absolute against ``base``; "" if it names none."""
    link = CANONICAL_LINK.search(html[:262144])
    if not link:
        return ""
    href = HREF.search(link.group(0))
    if not href:
        return ""
    value = next(group for group in href.groups() if group is not None)
    address = urljoin(base, value.decode("utf-8", "replace").strip())
    return address if address.startswith(("http://", "https://")) and len(address) <= 2000 else ""
