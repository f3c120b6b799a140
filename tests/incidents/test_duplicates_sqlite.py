"""incidents.duplicates on SQLite (``make run``'s database): the claim URL checks build
their own query there (the ORM's), which PostgreSQL never runs, so it runs here in a
process of its own against a migrated SQLite file."""

import json
import textwrap

from tests.lootwatch.support import manage

SCRIPT = textwrap.dedent(
    """
    import json
    from incidents.duplicates import claims_with_each_url, claims_with_urls, find_duplicates
    from tests.factories import ClaimFactory, UserFactory

    editor = UserFactory(username="sqlite-editor", role="editor")
    claim = ClaimFactory(
        incident__created_by=editor, url="https://twitter.com/DefenceU/status/1510265447712448514"
    )
    variant = "https://x.com/DefenceU/status/1510265447712448514?s=20"
    # An import's batch: 500 lines of a few claims each.
    batch = [variant] + [f"https://example.org/news/2022/story-{n}" for n in range(1500)]
    print(json.dumps({
        "one": [c.pk for c in claims_with_urls(urls=[variant], user=editor)],
        "form": [c.pk for c in find_duplicates(user=editor, urls=[variant]).claims],
        "batch": {url: [c.pk for c in claims] for url, claims in
                  claims_with_each_url(urls=batch, user=editor).items()},
        "claim": claim.pk,
    }))
    """
)


def test_claim_urls_are_checked_on_sqlite(tmp_path):
    env = {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    migrated = manage("migrate", "--no-input", "-v", "0", **env)
    assert migrated.returncode == 0, migrated.stderr
    checked = manage("shell", "-c", SCRIPT, **env)
    assert checked.returncode == 0, checked.stderr[-2000:]
    found = json.loads(checked.stdout.strip().splitlines()[-1])
    claim = found["claim"]
    assert found["one"] == [claim]
    assert found["form"] == [claim]
    assert found["batch"] == {"twitter.com/DefenceU/status/1510265447712448514": [claim]}
