"""claims.relays.in_relay_order: claims in the order they were made, each followed by the
claims known through it."""

import datetime
from types import SimpleNamespace

from claims.relays import MAX_DEPTH, in_relay_order


def claim(pk, day, via=None):
    published = datetime.datetime(2022, 4, day, tzinfo=datetime.UTC) if day else None
    created = datetime.datetime(2022, 5, 1, 12, pk, tzinfo=datetime.UTC)
    return SimpleNamespace(pk=pk, published_at=published, created_at=created, reported_via_id=via)


def shape(claims):
    return [(item.pk, depth, [link.pk for link in chain]) for item, depth, chain in claims]


def test_a_claim_known_through_another_follows_it_even_when_made_earlier():
    report = claim(1, 27)
    dealer_quote = claim(2, 25, via=1)  # CNN's quote of the dealer, made before the report
    tweet = claim(3, 26)

    assert shape(in_relay_order([dealer_quote, tweet, report])) == [
        (3, 0, []),
        (1, 0, []),
        (2, 1, [1]),
    ]


def test_a_chain_is_kept_whole_nearest_link_first():
    read = claim(1, 28)
    translation = claim(2, 27, via=1)
    post = claim(3, 26, via=2)
    second = claim(4, 29, via=1)

    assert shape(in_relay_order([post, second, translation, read])) == [
        (1, 0, []),
        (2, 1, [1]),
        (3, 2, [2, 1]),
        (4, 1, [1]),
    ]


def test_undated_claims_come_last_by_when_they_were_logged_and_depth_is_bounded():
    chain = [claim(1, 1)] + [claim(n, 1, via=n - 1) for n in range(2, 7)]
    undated = claim(9, None)
    ordered = in_relay_order([undated, *reversed(chain)])

    assert [item.pk for item, _, _ in ordered] == [1, 2, 3, 4, 5, 6, 9]
    assert max(depth for _, depth, _ in ordered) == MAX_DEPTH


def test_a_claim_known_through_one_not_listed_and_a_loop_are_still_shown():
    orphan = claim(1, 2, via=99)
    loop_a, loop_b = claim(2, 3, via=3), claim(3, 4, via=2)

    assert sorted(item.pk for item, _, _ in in_relay_order([loop_b, orphan, loop_a])) == [1, 2, 3]
