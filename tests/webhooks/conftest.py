"""A live HTTP receiver on loopback standing in for a partner's server, and endpoints
registered for it through the service."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rest_framework_api_key.models import APIKey

from webhooks.services import create_endpoint


class Receiver:
    """A partner's webhook receiver: records every request and answers with the statuses
    queued in ``answers`` (200 when none is left), after ``delay`` seconds."""

    def __init__(self):
        self.requests = []
        self.answers = []
        self.delay = 0.0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver._lock:
                    receiver.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                    status = receiver.answers.pop(0) if receiver.answers else 200
                time.sleep(receiver.delay)
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/lootwatch"

    def events(self):
        return [json.loads(request["body"]) for request in self.requests]

    def wait_for(self, count, timeout=20.0):
        """Wait until ``count`` requests have arrived; return them."""
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.requests


@pytest.fixture
def receiver():
    live = Receiver()
    live.thread.start()
    yield live
    live.server.shutdown()
    live.server.server_close()


@pytest.fixture(autouse=True)
def in_process(settings):
    """Deliveries run in the test's process unless a test starts a worker (test_worker)."""
    settings.WEBHOOKS_IN_PROCESS = True


@pytest.fixture
def allow_loopback(settings):
    """The receiver is on loopback, which webhooks refuse unless told otherwise."""
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_TIMEOUT = 2.0


@pytest.fixture
def partner_key(db):
    api_key, _ = APIKey.objects.create_key(name="Partner desk")
    return api_key


@pytest.fixture
def endpoint(allow_loopback, partner_key, receiver):
    """An endpoint for every event, and its secret."""
    registered, secret = create_endpoint(api_key=partner_key, url=receiver.url)
    registered.secret_shown = secret
    return registered
