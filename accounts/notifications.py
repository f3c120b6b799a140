"""Telling people by email what editors decided on what they logged.

A message is composed while the decision is being recorded, in the recipient's language
(the one they chose for the pages, else the site's), and sent only once the
transaction that records it commits: a decision that is rolled back tells nobody. The
editor's name is left out: an email travels further than Lootwatch's pages.
"""

import logging
import smtplib
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from accounts.services import profile_of

logger = logging.getLogger(__name__)

# Set while records are loaded in bulk (the demo data): nobody decided anything then.
_silenced = ContextVar("decision_emails_silenced", default=False)


@contextmanager
def silenced():
    """Send no decision emails while the block runs, e.g. while loading the demo data."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def wants_email(user):
    """Return True if ``user`` has an address and has not turned decision emails off."""
    return bool(user.is_active and user.email and profile_of(user).email_on_decisions)


def tell(*, recipient, actor, subject, template, context):
    """Email ``recipient`` the message ``template`` renders from ``context``, after the
    current transaction commits; unless they are the ``actor`` (nobody is told of their own
    decision) or do not want these emails. ``subject`` is a function returning the subject
    line, called (like the template rendered) in the recipient's language. Return True if a
    message was scheduled."""
    if _silenced.get() or recipient is None or recipient.pk == getattr(actor, "pk", None):
        return False
    if not wants_email(recipient):
        return False
    with translation.override(profile_of(recipient).language or settings.LANGUAGE_CODE):
        subject = subject()
        body = render_to_string(
            template, {**context, "recipient": recipient, "site_url": settings.SITE_URL}
        )
    address = recipient.email
    transaction.on_commit(lambda: _send(subject, body, address))
    return True


def _send(subject, body, address):
    # The decision is already on record: a mail server that is down must not turn it into
    # an error page. It is logged for the operator instead.
    try:
        send_mail(f"[Lootwatch] {subject}", body, None, [address])
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the decision email %r", subject)
