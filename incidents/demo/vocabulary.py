"""The words synthetic data is made of: regions, settlement names, outlets, goods and the
sentences claims are written in (Ukrainian, Russian and English)."""

from incidents.gazetteer import region_code

# Regions the places are spread over: (oblast, its ISO 3166-2 code, latitude, longitude of
# its centre).
REGIONS = [
    (name, region_code(name), latitude, longitude)
    for name, latitude, longitude in [
        ("Kyiv Oblast", 50.45, 30.52),
        ("Chernihiv Oblast", 51.50, 31.30),
        ("Sumy Oblast", 50.91, 34.80),
        ("Kharkiv Oblast", 49.99, 36.23),
        ("Luhansk Oblast", 48.57, 39.31),
        ("Donetsk Oblast", 48.02, 37.80),
        ("Zaporizhzhia Oblast", 47.84, 35.14),
        ("Kherson Oblast", 46.64, 32.62),
        ("Mykolaiv Oblast", 46.98, 31.99),
        ("Dnipropetrovsk Oblast", 48.46, 35.05),
        ("Zhytomyr Oblast", 50.25, 28.66),
    ]
]
SETTLEMENT_STEMS = [
    "Kamianka", "Mykolaivka", "Oleksandrivka", "Ivanivka", "Petrivka", "Andriivka",
    "Vasylivka", "Dmytrivka", "Pokrovka", "Berezivka", "Novoselivka", "Hrushivka",
]  # fmt: skip
SETTLEMENT_PREFIXES = ["", "", "Nova ", "Stara ", "Velyka ", "Mala "]
STREETS = ["Sadova", "Shevchenka", "Tsentralna", "Lisova", "Myru", "Shkilna"]
OUTLETS = [
    "Ukrainska Pravda", "Kyiv Independent", "Suspilne", "Hromadske", "RFE/RL",
    "Reuters", "Associated Press", "BBC", "CNN", "HuffPost", "Business Insider",
    "Meduza", "Novaya Gazeta Europe", "The Guardian", "Le Monde",
]  # fmt: skip
# What was taken, in the words a claim uses, and the category it belongs to.
GOODS = [
    ("washing machines", "washing-machines"), ("cars", "cars"), ("tractors",
    "agricultural-machinery"), ("grain", "grain-and-agricultural-produce"),
    ("televisions", "televisions-and-audio"), ("laptops", "computers"),
    ("carpets", "carpets"), ("jewellery", "jewellery-and-valuables"),
    ("medicines", "medical-supplies"), ("icons", "religious-objects"),
    ("paintings", "artworks"), ("refrigerators", "refrigerators"),
]  # fmt: skip
TEXTS = {
    "en": "Residents of {place} said soldiers loaded {goods} onto trucks and drove away.",
    "uk": "Мешканці {place} розповіли, що військові вантажили {goods} на вантажівки.",
    "ru": "Жители {place} рассказали, что военные грузили {goods} в грузовики.",
}
# A word that appears in about one claim in a thousand: the rare search of the benchmark.
RARE_WORD = "samovar"
MEDIUMS = [
    "tweet", "facebook_post", "telegram_post", "press_report", "official_statement",
    "witness_statement", "photo_video", "other",
]  # fmt: skip
