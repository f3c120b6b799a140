"""System checks of the deployment's own settings (``manage.py check --deploy``). Their
messages are for whoever runs the server, in English, as Django's own checks."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


def site_url_problem(site_url):
    """Why ``site_url`` cannot stand in links that leave the site (emails, and the
    citations and file links of dataset releases, which are never changed once made), or
    None when it can."""
    parts = urlsplit(site_url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return None
    return (
        f"SITE_URL is {site_url!r}, not an absolute address such as "
        "https://lootwatch.example.org: links in emails and in dataset releases would be "
        "relative, and a release is never changed once made."
    )


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    if problem := site_url_problem(settings.SITE_URL):
        return [checks.Warning(problem, hint="Set SITE_URL.", id="lootwatch.W001")]
    if urlsplit(settings.SITE_URL).scheme != "https":
        message = (
            "SITE_URL does not start with https://: links in emails and releases would "
            "send people to the site unencrypted."
        )
        return [checks.Warning(message, hint="Set SITE_URL.", id="lootwatch.W002")]
    return []
