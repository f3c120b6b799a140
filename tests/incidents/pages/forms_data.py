"""POST data for the log-an-incident form, as a browser would send it."""


def incident_post(*, place, claims=None, items=None, route=(), links=(), **overrides):
    """Return the form data for logging an incident at ``place`` with ``claims``, and
    optionally the places its goods were taken to (``route``: dicts of route point fields)
    and ``links`` (dicts of link fields)."""
    claims = claims if claims is not None else [claim_fields()]
    items = items if items is not None else []
    data = {
        "title": "Washing machines taken from homes in Bucha",
        "summary": "Residents returning after the retreat found their homes stripped.",
        "place": str(place.pk) if place else "",
        "occurred_from": "2022-03-20",
        "occurred_to": "2022-03-30",
        "date_precision": "range",
        "internal_notes": "",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "claims-TOTAL_FORMS": str(len(claims)),
        "claims-INITIAL_FORMS": "0",
        "claims-MIN_NUM_FORMS": "1",
        "claims-MAX_NUM_FORMS": "20",
        **management_form("route", route),
        **management_form("links", links),
    }
    for index, item in enumerate(items):
        for name, value in item.items():
            data[f"items-{index}-{name}"] = value
    for index, claim in enumerate(claims):
        for name, value in claim.items():
            data[f"claims-{index}-{name}"] = value
    data.update(overrides)
    return data


def management_form(prefix, forms, *, initial=0):
    """The management form and the fields of a formset's ``forms`` (dicts of fields; a list
    value is sent as several values of the field)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(forms)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, form in enumerate(forms):
        for name, value in form.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def claim_fields(**overrides):
    fields = {
        "source": "",
        "new_source_name": "Ministry of Defence of Ukraine",
        "new_source_kind": "government",
        "new_source_country": "ua",
        "medium": "tweet",
        "url": "https://twitter.com/DefenceU/status/1510000000000000001",
        "archived_url": "",
        "published_at": "2022-04-02T11:40",
        "language": "en",
        "original_text": "Russian troops are looting washing machines.",
        "translation": "",
        "translated_by": "",
        "translator_kind": "",
        "reported_via_number": "",
    }
    fields.update(overrides)
    return fields
