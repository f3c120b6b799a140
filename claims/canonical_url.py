"""The form of a claim's URL under which its everyday variants compare equal, so that the
same post or article cited under another address is recognised as already logged."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Host prefixes that name the same site (mobile and www variants).
HOST_PREFIXES = ("www.", "mobile.", "m.")
# Hosts that are one site under two names.
HOST_ALIASES = {"x.com": "twitter.com"}
# Query parameters that say how a link was shared, not what it points to.
TRACKING_PARAMS = {"s", "t", "fbclid", "igshid", "ref"}


def normalise_url(url):
    """The form of ``url`` under which its everyday variants compare equal.

    ``https://x.com/DefenceU/status/1?s=20`` and ``http://www.twitter.com/DefenceU/status/1/``
    both become ``twitter.com/DefenceU/status/1``: the scheme, ``www.``/``mobile.``/``m.``,
    tracking parameters (``s``, ``t``, ``utm_*``, ``fbclid``, ``igshid``, ``ref``), the
    fragment and a trailing slash are dropped, the host is lowercased and x.com is
    twitter.com. The path keeps its case (it matters on most sites)."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        # Not a URL that can be taken apart (say a stray bracket): compare it as typed.
        return url.strip()
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix) :]
            break
    host = HOST_ALIASES.get(host, host)
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower() not in TRACKING_PARAMS and not name.lower().startswith("utm_")
    ]
    path = parts.path.rstrip("/")
    return urlunsplit(("", host, path, urlencode(query), "")).lstrip("/")


def url_search_term(normalised):
    """A distinctive piece of a normalised URL that every stored variant of it contains
    (the longest run of path characters, e.g. a post's id), to narrow the database search."""
    host, _, rest = normalised.partition("/")
    pieces = [piece for piece in re.split(r"[/?&=]", rest) if piece]
    return max(pieces, key=len) if pieces else host
