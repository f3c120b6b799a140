"""English (and English-UK, the default language): day first, as people write dates where
Lootwatch is used. The first format of each list is the one the forms show and name; the
day-first dotted form (as Ukrainian pages write it) and the ISO forms after it are still
read, for dates pasted from elsewhere."""

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
]
