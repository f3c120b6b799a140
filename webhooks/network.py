"""Sending a webhook without becoming a way into the server's own network.

A partner chooses the URL, so a URL is a request we make on their behalf: to the cloud's
metadata service, the database or Redis, if we let it (server-side request forgery). So:

- only ``http`` and ``https`` URLs, without credentials in them;
- the host is resolved and *every* address it resolves to must be public (not private,
  loopback, link-local, multicast, reserved or unspecified; an IPv4 address inside IPv6 is
  judged as IPv4), unless ``settings.WEBHOOK_ALLOW_PRIVATE`` (tests and development);
- at delivery the host is resolved and checked again, and the connection goes to one of
  the addresses just checked, never to a second look-up an attacker's DNS could answer
  differently (DNS rebinding);
- one deadline for everything (``settings.WEBHOOK_TIMEOUT`` seconds: connecting, sending,
  reading the status line), so a slow or dripping endpoint cannot hold a worker; only the
  status line is read, and redirects are not followed (a 3xx is a failed attempt).
"""

import ipaddress
import re
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

USER_AGENT = "Lootwatch-Webhooks/1"
STATUS_LINE = re.compile(rb"^HTTP/\d(?:\.\d)? (\d{3})[ \r]")
MAX_STATUS_LINE = 4096


class RefusedURL(ValueError):
    """A webhook URL Lootwatch will not send to; the message says why."""


class DeliveryError(OSError):
    """The endpoint could not be reached, or did not answer in time."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str

    @property
    def host_header(self):
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def parse(url):
    """Return the Target of ``url``; raise RefusedURL for anything but a plain http(s) URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise RefusedURL(f"This is not a valid URL: {error}.") from error
    if parts.scheme not in ("http", "https"):
        raise RefusedURL("A webhook URL must start with https:// (or http://).")
    if not parts.hostname:
        raise RefusedURL("The URL names no host.")
    if parts.username or parts.password:
        raise RefusedURL("Put no user name or password in the URL: deliveries are signed.")
    if any(character in url for character in "\r\n\t "):
        raise RefusedURL("The URL contains white space.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(
        scheme=parts.scheme,
        host=parts.hostname,
        port=port or (443 if parts.scheme == "https" else 80),
        path=path,
    )


def address_allowed(address):
    """Return True if Lootwatch may connect to this IP address."""
    if settings.WEBHOOK_ALLOW_PRIVATE:
        return True
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def checked_addresses(target):
    """Resolve ``target``'s host and return its addresses; raise RefusedURL if it does not
    resolve or if any address is not allowed (a name resolving to a public and a private
    address is refused: which one a client picks is not ours to guess)."""
    try:
        found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise RefusedURL(f"The host {target.host} cannot be resolved.") from error
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    refused = [address for address in addresses if not address_allowed(address)]
    if refused or not addresses:
        raise RefusedURL(
            f"{target.host} resolves to an address webhooks may not reach "
            f"({', '.join(refused) or 'none'}): private, loopback and link-local "
            "addresses are refused."
        )
    return addresses


def check_url(url):
    """Raise RefusedURL unless webhooks may be sent to ``url`` now."""
    checked_addresses(parse(url))


def post(url, body, headers, *, timeout=None):
    """POST ``body`` (bytes) to ``url`` with ``headers`` and return the response's status
    code. Raise RefusedURL for an address not allowed, DeliveryError when unreachable or
    too slow: ``timeout`` seconds (settings.WEBHOOK_TIMEOUT) in all."""
    timeout = timeout or settings.WEBHOOK_TIMEOUT
    deadline = time.monotonic() + timeout
    target = parse(url)
    addresses = checked_addresses(target)
    request = _request(target, body, headers)
    errors = []
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            sock = socket.create_connection((address, target.port), timeout=remaining)
        except OSError as error:
            errors.append(f"{address}: {error}")
            continue
        try:
            if target.scheme == "https":
                context = ssl.create_default_context()
                sock = context.wrap_socket(sock, server_hostname=target.host)
            return _exchange(sock, request, deadline)
        except (OSError, ssl.SSLError) as error:
            raise DeliveryError(f"{address}: {error}") from error
        finally:
            sock.close()
    raise DeliveryError("; ".join(errors) or f"No answer within {timeout} s.")


def _request(target, body, headers):
    lines = [
        f"POST {target.path} HTTP/1.1",
        f"Host: {target.host_header}",
        f"User-Agent: {USER_AGENT}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Connection: close",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    if any(("\r" in line or "\n" in line) for line in lines):
        raise RefusedURL("A header or the URL contains a line break.")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + body


def _exchange(sock, request, deadline):
    """Send ``request`` and read the status line, never past ``deadline``."""
    sock.settimeout(max(deadline - time.monotonic(), 0.001))
    sock.sendall(request)
    received = b""
    while b"\n" not in received and len(received) < MAX_STATUS_LINE:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeliveryError("The endpoint did not answer in time.")
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(1024)
        except TimeoutError as error:
            raise DeliveryError("The endpoint did not answer in time.") from error
        if not chunk:
            break
        received += chunk
    match = STATUS_LINE.match(received)
    if not match:
        raise DeliveryError("The endpoint did not answer with an HTTP status line.")
    return int(match.group(1))
