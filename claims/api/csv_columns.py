"""A claim's representation as CSV columns: the partner API's ``?format=csv`` and the
export (exchange/formats.py) read them from here."""

# (column, value of a claim's representation): what was said, by whom, and its review.
CLAIM_FIELD_COLUMNS = [
    ("source_id", lambda claim: claim["source"]["id"]),
    ("source", lambda claim: claim["source"]["name"]),
    ("source_kind", lambda claim: claim["source"]["kind"]),
    ("medium", lambda claim: claim["medium"]),
    ("url", lambda claim: claim["url"]),
    ("archived_url", lambda claim: claim["archived_url"]),
    ("published_at", lambda claim: claim["published_at"]),
    ("language", lambda claim: claim["language"]),
    ("text", lambda claim: claim["text"]),
    ("translation", lambda claim: claim["translation"]),
    ("translated_by", lambda claim: claim["translated_by"]),
    ("reported_via", lambda claim: claim["reported_via"]),
    ("status", lambda claim: claim["status"]),
    ("dispute_reason", lambda claim: claim["dispute_reason"]),
    ("reviewed_at", lambda claim: claim["reviewed_at"]),
    ("evidence_urls", lambda claim: "; ".join(e["display_url"] or "" for e in claim["evidence"])),
]

# The partner API's claim CSV: one row per claim, naming its incident.
CLAIM_CSV_COLUMNS = [
    ("id", lambda claim: claim["id"]),
    ("incident", lambda claim: claim["incident"]),
    *CLAIM_FIELD_COLUMNS,
    ("created_at", lambda claim: claim["created_at"]),
    ("updated_at", lambda claim: claim["updated_at"]),
]
