"""The incident page lists claims in the order they were made, a claim known through
another after it and indented, with the chain it came through."""

import datetime

import pytest

from tests.factories import ClaimFactory, IncidentFactory, SourceFactory

pytestmark = pytest.mark.django_db


def at(day):
    return datetime.datetime(2022, 5, day, 12, tzinfo=datetime.UTC)


def test_the_dealer_quote_follows_the_report_it_is_known_through(journalist, journalist_client):
    incident = IncidentFactory(created_by=journalist)
    cnn = SourceFactory(name="CNN")
    dealer = SourceFactory(name="Dealership owner")
    report = ClaimFactory(incident=incident, source=cnn, medium="press_report", published_at=at(1))
    quote = ClaimFactory(
        incident=incident,
        source=dealer,
        medium="other",
        published_at=at(1) - datetime.timedelta(days=3),
        reported_via=report,
    )
    tweet = ClaimFactory(incident=incident, published_at=at(2))

    page = journalist_client.get(incident.get_absolute_url()).content.decode()

    positions = [page.index(f'id="claim-{claim.public_id}"') for claim in (report, quote, tweet)]
    assert positions == sorted(positions)
    quote_card = page[positions[1] : positions[2]]
    assert f'<article class="claim relayed depth-1" id="claim-{quote.public_id}"' in page
    assert '<dt>Reported via</dt><dd><ol class="relay-chain">' in quote_card
    assert f'<a href="#claim-{report.public_id}">CNN (Press report)</a>' in quote_card
