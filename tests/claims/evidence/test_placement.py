"""What a photo's metadata says against its incident's place and dates."""

import datetime
from types import SimpleNamespace

import pytest

from claims.evidence.placement import distance_km, place_evidence

KYIV = SimpleNamespace(latitude="50.4501", longitude="30.5234", precision="settlement")
START, END = datetime.date(2022, 3, 28), datetime.date(2022, 4, 2)


def test_distance_is_the_great_circle_in_km():
    # Kyiv to Lviv is about 468 km as the crow flies.
    assert distance_km(50.4501, 30.5234, 49.8397, 24.0297) == pytest.approx(467.5, abs=0.5)
    assert distance_km(50.0, 30.0, 50.0, 30.0) == 0


@pytest.mark.parametrize(
    ("captured_at", "days", "flagged"),
    [
        ("2022-03-30T10:00:00", 0, False),
        ("2022-03-20T10:00:00+03:00", -8, True),
        ("2022-04-05T23:59:00", 3, True),
        ("not a date", None, False),
    ],
)
def test_days_outside_the_incident(captured_at, days, flagged):
    reading = place_evidence(
        {"captured_at": captured_at}, place=KYIV, occurred_from=START, occurred_to=END
    )
    assert reading.days_outside == days
    assert reading.flagged is flagged
    assert not reading.has_location


def test_far_from_the_place_and_taken_after_publication_are_flagged():
    metadata = {
        "captured_at": "2022-04-01T09:00:00",
        "gps": {"latitude": 49.84, "longitude": 24.03},
    }
    published = datetime.datetime(2022, 3, 31, 12, 0, tzinfo=datetime.UTC)

    reading = place_evidence(
        metadata, place=KYIV, occurred_from=START, occurred_to=END, published_at=published
    )

    assert reading.is_far and reading.far_km == 15
    assert reading.distance_km == pytest.approx(468.5, abs=1)
    assert reading.after_publication
    near = place_evidence(
        {"gps": {"latitude": 50.46, "longitude": 30.52}},
        place=KYIV,
        occurred_from=START,
        occurred_to=END,
    )
    assert not near.flagged and near.distance_km == pytest.approx(1.1, abs=0.1)
