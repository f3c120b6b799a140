"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Under CI=true these tests never skip: a missing browser is a failure. Elsewhere they skip
with the reason when /usr/bin/chromium is not installed.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import connections

from claims.models import Evidence

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Anything not served by the live server (map tiles) is refused: tests run offline.
EXTERNAL = re.compile(r"^https?://(?!127\.0\.0\.1|localhost)")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser(django_db_setup):
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(
                f"CI is set but {CHROMIUM} is missing: install Debian's chromium "
                "(apt-get install chromium); browser tests must not be skipped in CI.",
                pytrace=False,
            )
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    # While Playwright's event loop runs in this thread, Django's per-context connection
    # storage hands out new connection objects. Carry over the serialized copy of the
    # migrated data (groups, categories) that serialized_rollback restores after a flush.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls
    # from a thread with a running loop unless told that it is safe, as it is here (the
    # loop only drives the browser). Only while the browser runs: the setting must not
    # leak into the rest of the suite (`check --deploy` warns about it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()
            # Close the connections opened under Playwright, or dropping the test
            # database at the end of the session finds them still attached.
            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def evidence_storage(settings, tmp_path, monkeypatch):
    """Keep evidence files written by the live server in a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(
        Evidence._meta.get_field("original"), "storage", FileSystemStorage(tmp_path / "private")
    )


# Generous waits: the machine may be busy (CI runs the whole suite); nothing sleeps.
TIMEOUT_MS = 15_000


def _new_page(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.route(EXTERNAL, lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page


@pytest.fixture
def page(browser, live_server, evidence_storage):
    context, page = _new_page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server, evidence_storage):
    context, page = _new_page(
        browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    yield page
    context.close()


@pytest.fixture
def screenshot(tmp_path):
    """Save a full-page screenshot when LOOTWATCH_SCREENSHOTS names a directory."""
    directory = os.environ.get("LOOTWATCH_SCREENSHOTS")

    def take(page, name):
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)

    return take
