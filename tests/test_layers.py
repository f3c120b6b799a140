"""The shape ARCHITECTURE.md describes, checked on the source itself so it cannot erode:
each rule written once, and the layers importing only downwards."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "incidents", "claims", "lootwatch", "webhooks", "exchange")


def sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def relative(path):
    return path.relative_to(ROOT).as_posix()


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            for alias in node.names:
                yield f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name


def test_custody_rows_are_written_by_record_custody_only():
    writers = {
        relative(path)
        for path in sources()
        if re.search(
            r"(?<!class )CustodyEvent(\.objects\.(create|bulk_create)|\()", path.read_text()
        )
    }
    assert writers == {"claims/services/evidence.py"}


# Synthetic benchmark data is written in bulk, by design (see its docstring); it is marked
# as synthetic and refused in a database holding real records.
BULK_GENERATOR = "incidents/demo/synthetic.py"


def test_reviews_are_written_by_the_review_service_only():
    creates_review = re.compile(r"(?<!class )(?<!\w)Review(\.objects\.(create|bulk_create)|\()")
    writers = {relative(path) for path in sources() if creates_review.search(path.read_text())}
    assert writers == {"claims/services/review.py", BULK_GENERATOR}


def test_no_status_is_written_outside_the_services():
    """An editorial state changes only through a service, which checks and records it."""
    pattern = re.compile(
        r"\.(status|status_changed_at|published_at|withdrawn_at|dispute_reason"
        r"|assigned_to|assigned_at)\s*=(?!=)"
    )
    writers = {
        relative(path)
        for path in sources()
        if pattern.search(path.read_text()) and "/services/" not in relative(path)
    }
    assert writers <= {BULK_GENERATOR}


def test_webhook_records_are_written_by_the_webhook_services_only():
    """Deliveries, attempts and endpoints' state are the record of what partners were told:
    only webhooks.services writes them (the admin saves an endpoint's on/off switch)."""
    writes = re.compile(
        r"(?<!class )(?<!\w)(Delivery|Attempt|Endpoint)(\.objects\.(create|bulk_create|update)|\()"
        r"|\.(deliveries|attempt_log)\.(create|update|filter\([^)]*\)\.update)"
    )
    writers = {relative(path) for path in sources() if writes.search(path.read_text())}
    assert writers <= {
        "webhooks/services/registration.py",
        "webhooks/services/events.py",
        "webhooks/services/delivery.py",
    }
    assert "webhooks/services/delivery.py" in writers


def test_perceptual_hashes_are_written_by_the_evidence_service_only():
    writers = {
        relative(path)
        for path in sources()
        if re.search(
            r"(?<!class )PerceptualHash(\.objects\.(create|bulk_create|update)|\()",
            path.read_text(),
        )
    }
    assert writers == {"claims/services/evidence.py"}


def test_webhook_events_come_from_the_services_that_make_the_change():
    """Events are announced inside the services' transactions (sent after the commit),
    never from views, the admin or the API, which would forget one path."""
    announcers = {
        relative(path) for path in sources() if re.search(r"\bannounce\(", path.read_text())
    }
    assert announcers and all("/services/" in path for path in announcers)


def test_mail_is_sent_by_the_notifications_only():
    """Emails go out after the transaction commits, from one place that knows how."""
    senders = {
        relative(path)
        for path in sources()
        if re.search(r"\b(send_mail|send_mass_mail|EmailMessage)\(", path.read_text())
    }
    assert senders == {"accounts/notifications.py"}


@pytest.mark.parametrize(
    ("lower", "forbidden"),
    [
        # Claims build on incidents' data and rules, never on their higher layers.
        ("claims/models", ("incidents.selectors", "incidents.services", "incidents.views")),
        ("claims/rules.py", ("incidents.selectors", "incidents.services", "claims.selectors")),
        ("claims/selectors.py", ("incidents.selectors", "incidents.services", "claims.services")),
        ("claims/services", ("incidents.services", "incidents.views", "incidents.admin")),
        ("incidents/models", ("claims", "incidents.rules", "incidents.selectors")),
        ("incidents/rules.py", ("claims", "incidents.selectors", "incidents.services")),
        ("incidents/selectors.py", ("claims.services", "incidents.services")),
        # People's preferences and the emails they get sit below both apps.
        ("accounts", ("claims", "incidents")),
        # Neither app imports the other's admin: what they share is in lootwatch.
        ("claims/admin", ("incidents.admin",)),
        ("incidents/admin", ("claims.admin",)),
        # Webhooks sit beside the services: they read the partners' selectors and the API's
        # representation, and are called by the services of both apps, never the reverse.
        ("webhooks/models.py", ("webhooks.services", "webhooks.tasks", "incidents", "claims")),
        ("webhooks/network.py", ("incidents", "claims", "webhooks.services")),
        ("webhooks/services", ("incidents.services", "claims.services", "webhooks.tasks")),
        ("claims/selectors.py", ("webhooks",)),
        ("incidents/selectors.py", ("webhooks",)),
        ("claims/models", ("webhooks",)),
        ("incidents/models", ("webhooks",)),
    ],
)
def test_layers_import_only_downwards(lower, forbidden):
    target = ROOT / lower
    paths = sorted(target.rglob("*.py")) if target.is_dir() else [target]
    offending = {
        (relative(path), module)
        for path in paths
        for module in imported_modules(path)
        if any(module == name or module.startswith(f"{name}.") for name in forbidden)
    }
    assert offending == set()


def test_modules_do_one_job():
    """No module grows past about 400 lines: one that does should be split by job."""
    long = {
        relative(path): n for path in sources() if (n := len(path.read_text().splitlines())) > 420
    }
    assert long == {}
