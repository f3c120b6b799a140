"""Check a running Lootwatch from outside, as a browser and a partner would.

Used by .ci/run against gunicorn under the production settings; works against any server:

    LW_CHECK_PASSWORD=… LW_CHECK_API_KEY=… python scripts/check_production.py \\
        http://127.0.0.1:8123 --username ci-admin

Requests carry ``X-Forwarded-Proto: https``, as the TLS proxy in front of a real installation
sends them, so the server runs with its production security settings (HTTPS redirect, secure
cookies) and only needs BEHIND_TLS_PROXY=1. Exits non-zero at the first check that fails.
"""

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Keeps cookies itself: they are Secure, which urllib's cookie jar would not send over
    the plain-HTTP loopback hop behind the (pretended) proxy."""

    def __init__(self, base):
        self.base = base.rstrip("/")
        self.cookies = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path, *, data=None, headers=None):
        headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        try:
            response = self.opener.open(req, timeout=20)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, response.read()


def check(condition, message, detail=""):
    if not condition:
        print(f"FAIL {message}\n{detail}"[:2000], file=sys.stderr)
        sys.exit(1)
    print(f"ok   {message}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="e.g. http://127.0.0.1:8123")
    parser.add_argument("--username", required=True)
    args = parser.parse_args()
    password = os.environ["LW_CHECK_PASSWORD"]
    api_key = os.environ["LW_CHECK_API_KEY"]
    host = urllib.parse.urlsplit(args.base).netloc
    browser = Browser(args.base)

    status, headers, body = browser.request("/readyz")
    check(status == 200 and json.loads(body) == {"status": "ok"}, "/readyz: ready", body)
    check(len(headers.get("X-Request-ID", "")) == 32, "a request id is returned")

    status, _, body = browser.request("/accounts/login/")
    page = body.decode()
    check(status == 200 and "csrfmiddlewaretoken" in page, "/accounts/login/ renders", page)
    css = re.search(r'href="(/static/css/lootwatch\.[0-9a-f]{12}\.css)"', page)
    check(css is not None, "the login page links a hashed stylesheet", page[:1500])

    status, headers, _ = browser.request(css.group(1), headers={"Accept-Encoding": "gzip"})
    check(
        status == 200 and headers.get("Content-Encoding") == "gzip",
        f"whitenoise serves {css.group(1)} compressed",
        str(headers),
    )
    check("immutable" in headers.get("Cache-Control", ""), "hashed files are cached for good")

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, headers, _ = browser.request(
        "/accounts/login/",
        data={"username": args.username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Origin": f"https://{host}", "Referer": f"https://{host}/accounts/login/"},
    )
    check(
        status == 302 and "sessionid" in browser.cookies,
        "signing in with CSRF works",
        f"{status} {headers}",
    )

    status, _, body = browser.request("/incidents/")
    check(status == 200 and b"Incidents" in body, "/incidents/ answers the signed-in user")
    status, headers, _ = Browser(args.base).request("/incidents/")
    check(
        status == 302 and "/accounts/login/" in headers["Location"],
        "/incidents/ sends strangers to sign in",
    )

    status, _, body = Browser(args.base).request("/admin/login/")
    check(status == 200 and b"Lootwatch" in body, "/admin/login/ renders")

    status, _, body = Browser(args.base).request("/api/v1/docs/")
    docs = body.decode()
    check(status == 200 and "swagger" in docs.lower(), "/api/v1/docs/ renders", docs[:1500])
    asset = re.search(r'(/static/drf_spectacular_sidecar/[^"\']+\.js)', docs)
    check(asset is not None, "the docs load their scripts locally", docs[:1500])
    status, _, _ = browser.request(asset.group(1))
    check(status == 200, f"{asset.group(1)} is served")

    partner = {"Authorization": f"Api-Key {api_key}"}
    status, headers, body = Browser(args.base).request("/api/v1/incidents/", headers=partner)
    check(
        status == 200 and "results" in json.loads(body),
        "the API answers a partner key",
        body[:500],
    )
    status, _, body = Browser(args.base).request("/api/v1/incidents/")
    check(status == 401 and "detail" in json.loads(body), "the API refuses callers without a key")
    print("Production checks passed.")


if __name__ == "__main__":
    main()
