"""The signature on every delivery, so a partner can tell it came from Lootwatch, unchanged
and recently:

    X-Lootwatch-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>

The time is that of the attempt, so a partner rejects a replayed delivery by its age
(README.md, "Webhooks", shows the check in a few lines of Python).
"""

import hashlib
import hmac
import time

HEADER = "X-Lootwatch-Signature"
TOLERANCE_SECONDS = 300


def signature(secret, body, timestamp):
    """The hex HMAC-SHA256 of ``"<timestamp>.<body>"`` (``body`` as bytes) with ``secret``."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret, body, timestamp=None):
    """The value of the X-Lootwatch-Signature header for ``body`` sent now."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, body, timestamp)}"


def verify(secret, body, header, *, now=None, tolerance=TOLERANCE_SECONDS):
    """Return True if ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds
    of ``now``: what a partner's receiver does, in Python."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, body, timestamp), fields.get("v1", ""))
