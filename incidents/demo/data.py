"""The demo records, as plain data: the HuffPost report of April 2022 on looting around Kyiv
(shared/seed/article-2022-04-kyiv-looting.txt) and the incidents and claims it yields, in
every editorial state. incidents.demo.loader feeds them to the services.

Records refer to each other by their keys here. Claims are listed in the order they are
logged; ``reported_via`` names an earlier claim of the same incident; ``review`` is the
editor's decision and note, with the checklist and, for a dispute, its reason;
``unconfirmed`` is the note of an editor who could not confirm a claim (it stays
unverified); ``evidence`` names files made by incidents.demo.files. A ``route`` lists the
places the goods were taken to, each citing claims of its incident; ``links`` name an
incident logged earlier, with what it is to this one (``role``) and what happened to the
goods (``kind``).
"""

from datetime import UTC, date, datetime

NOTE = "Demo record modelled on the HuffPost report of April 2022; URLs are illustrative."
REPORT_URL = "https://www.huffpost.com/entry/russia-troops-looting-ukraine-kyiv_n_62487a"
DEFENCE_MINISTRY_TWEET = "https://twitter.com/DefenceU/status/1510265447712448514"


def utc(*args):
    return datetime(*args, tzinfo=UTC)


PLACES = {
    "kyiv-suburbs": {
        "name": "Kyiv suburbs",
        "country": "UA",
        "alternative_names": ["Kyiv Oblast", "Київська область"],
        "admin1": "Kyiv Oblast",
        "latitude": "50.530000",
        "longitude": "30.250000",
        "precision": "region",
    },
    "narowlya": {
        "name": "Narowlya",
        "country": "BY",
        "alternative_names": ["Naroulia", "Narovlya", "Наровля", "Нароўля"],
        "admin1": "Gomel Region",
        "admin2": "Narowlya District",
        "latitude": "51.799400",
        "longitude": "29.499200",
        "precision": "settlement",
    },
    "buryn": {
        "name": "Buryn",
        "country": "UA",
        "alternative_names": ["Буринь"],
        "admin1": "Sumy Oblast",
        "admin2": "Konotop Raion",
        "latitude": "51.200000",
        "longitude": "33.816700",
        "precision": "settlement",
    },
    # The report gives only a direction, "towards the Russian border", not a crossing: the
    # point stands for the stretch of border north-east of Buryn, at the precision of a region.
    "russian-border-sumy": {
        "name": "Russian border, north-east of Buryn",
        "country": "UA",
        "admin1": "Sumy Oblast",
        "latitude": "51.350000",
        "longitude": "34.250000",
        "precision": "region",
    },
}

ACTORS = {
    "russian-forces": {
        "name": "Armed Forces of the Russian Federation",
        "kind": "armed_forces",
        "country": "RU",
    },
}

# Sources are created in this order: an organisation before the sources speaking for it.
SOURCES = {
    "government": {"name": "Government of Ukraine", "kind": "government", "country": "UA"},
    "defence-ministry": {
        "name": "Ministry of Defence of Ukraine",
        "kind": "military",
        "country": "UA",
        "url": "https://twitter.com/DefenceU",
        "organisation": "government",
    },
    "nikolenko": {
        "name": "Oleg Nikolenko, Ministry of Foreign Affairs of Ukraine spokesperson",
        "kind": "official_spokesperson",
        "country": "UA",
        "url": "https://twitter.com/OlegNikolenko_",
        "organisation": "government",
    },
    "huffpost": {
        "name": "HuffPost",
        "kind": "media_outlet",
        "country": "US",
        "url": "https://www.huffpost.com",
    },
    "naroulia-channel": {
        "name": "Anonymous Telegram channel about Narowlya",
        "kind": "social_media_account",
        "country": "BY",
    },
    "business-insider": {
        "name": "Business Insider",
        "kind": "media_outlet",
        "country": "US",
        "url": "https://www.businessinsider.com",
    },
    # A witness (invented for the demo): logged by the journalist, who keeps seeing her name;
    # partners and other journalists see only her public label.
    "witness-hostomel": {
        "name": "Halyna Petrenko, resident of Hostomel (demo witness)",
        "kind": "witness",
        "country": "UA",
        "url": "https://www.facebook.com/profile.php?id=100000000000001",
        "logged_by": "journalist",
    },
}

# The report every incident below is modelled on, as each one's first claim cites it.
HUFFPOST_REPORT = {
    "key": "huffpost",
    "source": "huffpost",
    "medium": "press_report",
    "url": REPORT_URL,
    "published_at": utc(2022, 4, 3, 9, 0),
    "language": "en",
}

INCIDENTS = [
    {
        "key": "kyiv-suburbs",
        "state": "published",
        "title": "Homes in the Kyiv suburbs looted by retreating Russian troops",
        "summary": (
            "Ukrainian authorities allege that Russian troops retreating from the suburbs of "
            "Kyiv looted civilians' homes, taking electronics, jewellery, cars, home "
            "appliances, children's toys, carpets, clothes, shoes and cosmetics."
        ),
        "place": "kyiv-suburbs",
        "occurred_from": date(2022, 3, 28),
        "occurred_to": date(2022, 4, 2),
        "actors": ["russian-forces"],
        "items": [
            ("cars", "cars loaded with loot", 100, 999),
            ("washing-machines", "washing machines", None, None),
            ("childrens-toys", "children's toys", None, None),
            ("carpets", "carpets", None, None),
            ("electronics", "electronics", None, None),
            ("jewellery-and-valuables", "jewellery", None, None),
            ("clothing-and-shoes", "clothes and shoes", None, None),
            ("cosmetics", "cosmetics", None, None),
        ],
        "claims": [
            {
                **HUFFPOST_REPORT,
                "original_text": (
                    "Ukrainian authorities allege that retreating Russian troops are looting "
                    "the homes of citizens around Kyiv, taking with them electronics, jewelry, "
                    "cars, home appliances, children's toys and other items of value."
                ),
                "review": (
                    "verified",
                    "Report retrieved from HuffPost; quotes match the original tweets.",
                ),
            },
            {
                "key": "defence-ministry-tweet",
                "source": "defence-ministry",
                "medium": "tweet",
                "url": DEFENCE_MINISTRY_TWEET,
                "published_at": utc(2022, 4, 2, 11, 40),
                "language": "en",
                "original_text": (
                    "Not every military trophy reaches Russia. Hundreds of cars with loot from "
                    "the suburbs of Kyiv ― from children's toys, carpets to, as in this photo, "
                    "washing machines, were grabbed in the last few days by retreating Russian "
                    "troops."
                ),
                "evidence": ["burnt-truck-photo"],
                "review": (
                    "verified",
                    "Tweet found on the ministry's verified account; archived copy matches.",
                    {
                        "checklist": {
                            "source_authenticity": "passed",
                            "content_provenance": "passed",
                            "geolocation": "not_checked",
                            "chronolocation": "passed",
                            "consistency": "passed",
                        }
                    },
                ),
            },
            {
                "key": "nikolenko-tweet",
                "source": "nikolenko",
                "medium": "tweet",
                "url": "https://twitter.com/OlegNikolenko_/status/1510308712960561155",
                "published_at": utc(2022, 4, 2, 14, 32),
                "language": "en",
                "original_text": (
                    "Electronics, clothes, shoes, cosmetics. This is not an army. This is a "
                    "disgrace. We will never forget and we will never forgive."
                ),
                "review": (
                    "verified",
                    "Tweet on the spokesperson's verified account, quoted by several outlets.",
                ),
            },
            {
                "key": "witness-hostomel",
                "source": "witness-hostomel",
                "medium": "witness_statement",
                "url": "https://www.facebook.com/permalink.php?story_fbid=demo-hostomel",
                "published_at": utc(2022, 4, 2, 16, 5),
                "language": "uk",
                "original_text": (
                    "Вони винесли з нашого будинку пральну машину, телевізор і дитячі "
                    "іграшки, а потім поїхали колоною в бік Білорусі."
                ),
                "translation": (
                    "They carried a washing machine, a television and children's toys out "
                    "of our building, then drove off in a column towards Belarus."
                ),
                "translated_by": "journalist",
                "translator_kind": "staff",
                "review": (
                    "verified",
                    "Interviewed by phone; her account matches the ministry's photos and "
                    "neighbours' statements. She asked not to be named.",
                ),
            },
        ],
    },
    {
        "key": "naroulia-market",
        "state": "published",
        "title": "Market for goods looted in Ukraine opened in Narowlya, Belarus",
        "summary": (
            "Ukraine's Defence Ministry said Russian troops opened a market across the border "
            "in Narowlya (Naroulia), Belarus, to sell items looted in Ukraine."
        ),
        "place": "narowlya",
        "occurred_from": date(2022, 3, 28),
        "occurred_to": date(2022, 4, 2),
        "actors": ["russian-forces"],
        "items": [("other", "items looted in the Kyiv region", None, None)],
        "claims": [
            {
                **HUFFPOST_REPORT,
                "original_text": (
                    "The Ukrainian Defense Ministry said on Saturday that the Russians have "
                    "opened a market for the stolen items across the border in Naroulia, Belarus."
                ),
                "review": (
                    "verified",
                    "The report says this; checked against the published article.",
                ),
            },
            {
                "key": "defence-ministry-statement",
                "source": "defence-ministry",
                "medium": "official_statement",
                "published_at": utc(2022, 4, 2, 10, 0),
                "language": "en",
                "original_text": (
                    "The Russians have opened a market for the stolen items in Naroulia."
                ),
                "reported_via": "huffpost",
                "unconfirmed": (
                    "The ministry's own statement could not be found on its channels, and no "
                    "imagery or witness from Narowlya confirms or contradicts a market."
                ),
            },
            {
                "key": "naroulia-channel-post",
                "source": "naroulia-channel",
                "medium": "telegram_post",
                "url": "https://t.me/s/example_narowlya/1204",
                "published_at": utc(2022, 4, 4, 18, 5),
                "language": "ru",
                "original_text": (
                    "Вот он, рынок в Наровле: продают стиральные машины и ковры из-под Киева."
                ),
                "translation": (
                    "Here it is, the market in Narowlya: washing machines and carpets from "
                    "around Kyiv are on sale."
                ),
                "translated_by": "Lootwatch staff",
                "translator_kind": "staff",
                "review": (
                    "disputed",
                    "The photo in the post is a 2019 picture of a flea market in Homel: a "
                    "reverse image search finds it in a local news story of that year.",
                    {
                        "dispute_reason": "recycled_content",
                        "checklist": {
                            "source_authenticity": "not_checked",
                            "content_provenance": "failed",
                            "geolocation": "failed",
                            "chronolocation": "failed",
                            "consistency": "not_applicable",
                        },
                    },
                ),
            },
        ],
        # The market sells "the stolen items": goods looted in the Kyiv suburbs.
        "links": [{"incident": "kyiv-suburbs", "kind": "sold_at", "role": "origin"}],
    },
    {
        "key": "buryn-column",
        "state": "submitted",
        "title": "Truck column with looted property moving from Buryn towards Russia",
        "summary": (
            "Ukraine's Defence Ministry said on Facebook that a Russian column of trucks "
            "carrying industrial goods and household things was seen moving from Buryn towards "
            "the Russian border."
        ),
        "place": "buryn",
        "occurred_from": date(2022, 4, 1),
        "occurred_to": date(2022, 4, 3),
        "actors": ["russian-forces"],
        "items": [
            ("industrial-goods", "industrial goods", None, None),
            ("other", "household things", None, None),
            ("trucks-and-vans", "column of trucks", None, None),
        ],
        "claims": [
            {
                **HUFFPOST_REPORT,
                "original_text": (
                    'The Ukrainian defense ministry said on Facebook that a Russian "column of '
                    'trucks with various properties," including "industrial goods and '
                    'household things," was also spotted en route from the Ukrainian city of '
                    "Buryn towards the Russian border, according to a translation from "
                    "Business Insider."
                ),
            },
            {
                "key": "business-insider",
                "source": "business-insider",
                "medium": "press_report",
                "url": "https://www.businessinsider.com/russian-troops-looting-ukraine-homes-2022-4",
                "published_at": utc(2022, 4, 2, 18, 0),
                "language": "en",
                "original_text": (
                    "A column of trucks with various properties, including industrial goods "
                    "and household things, was spotted moving from Buryn towards the Russian "
                    "border."
                ),
                "reported_via": "huffpost",
            },
            {
                "key": "defence-ministry-facebook",
                "source": "defence-ministry",
                "medium": "facebook_post",
                "url": "https://www.facebook.com/MinistryofDefence.UA/posts/demo-buryn-column",
                "published_at": utc(2022, 4, 2, 12, 0),
                "language": "uk",
                "original_text": (
                    "[Original Ukrainian text not yet captured: the post is known through "
                    "Business Insider's translation.]"
                ),
                "translation": (
                    "A column of trucks with various properties, including industrial goods "
                    "and household things, moving from Buryn towards the Russian border."
                ),
                "translated_by": "Business Insider",
                "translator_kind": "organisation",
                "reported_via": "business-insider",
            },
        ],
        "route": [
            {
                "place": "russian-border-sumy",
                "note": (
                    "Reported by the Defence Ministry on Facebook as moving towards the Russian "
                    "border; no crossing named."
                ),
                "claims": ["huffpost", "business-insider", "defence-ministry-facebook"],
            },
        ],
    },
    {
        # A journalist's draft citing the same tweet and photo as the first incident: the
        # likely duplicate the log form warns about.
        "key": "burnt-truck-draft",
        "state": "draft",
        "title": "Bombed-out truck packed with charred washing machines",
        "summary": "Photo posted by the Defence Ministry; location of the truck still unknown.",
        "place": "kyiv-suburbs",
        "occurred_from": date(2022, 3, 30),
        "occurred_to": date(2022, 4, 2),
        "actors": ["russian-forces"],
        "items": [("washing-machines", "washing machines", None, None)],
        "claims": [
            {
                "key": "defence-ministry-tweet",
                "source": "defence-ministry",
                "medium": "photo_video",
                "url": DEFENCE_MINISTRY_TWEET,
                "published_at": utc(2022, 4, 2, 11, 40),
                "language": "en",
                "original_text": (
                    "Not every military trophy reaches Russia. [photo of a burnt truck]"
                ),
                "evidence": ["burnt-truck-photo"],
            },
        ],
    },
]
