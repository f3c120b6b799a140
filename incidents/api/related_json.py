"""The actors, items and linked incidents of a page of the partner API's incidents as JSON
text written by PostgreSQL, in the page's own statement (issue 11, round 4).

As the claims (incidents.api.claims_json): reading these lists as arrays of JSON objects,
parsing them and building their dictionaries again cost more of a page's CPU than the
database spent writing them. Here each list is the compact JSON text JSONRenderer would
write of incident_data()'s ``actors``, ``items`` and ``linked_incidents`` (same keys, same
order, text escaped by ``to_json`` as ``json.dumps`` does), placed in the body as it is
(lootwatch.api.renderers.RawJSON). The rows and their order are the ones
incidents.api.related_rows reads (the same querysets, compiled once): the visibility of a
linked incident is incidents.rules.visible_to_partners(). JSON and GeoJSON only: CSV
reads the arrays. tests/api/test_claims_json.py compares the bytes on hard text.
"""

import json

from django.db import connection
from django.db.models import F, OuterRef, Subquery, TextField
from django.db.models.expressions import RawSQL

from incidents.api.plain import DESTINATION, ORIGIN
from incidents.api.related_rows import (
    actor_rows,
    compiled_once,
    in_one_statement,
    item_rows,
    link_rows,
    with_related_rows,
)
from incidents.models import Incident


def _text(column):
    """A text column as a JSON string (null when NULL), escaped as json.dumps does."""
    return f"coalesce(to_json({column})::text, 'null')"


def _number(column):
    return f"coalesce(({column})::text, 'null')"


def _rows(name, values):
    """(sql, params) of ``values()`` (a queryset over OuterRef("pk"), an incident) compiled
    once, as a derived table."""
    subquery = compiled_once(Incident, name, lambda: Subquery(values(), output_field=TextField()))
    return subquery.as_sql(None, connection)


def _list(name, values, row, order):
    """(sql, params): the JSON text of the rows' list, "[]" when there is none."""
    rows, params = _rows(name, values)
    aggregate = f"string_agg({row}, ',' ORDER BY {order})"
    return f"coalesce((SELECT '[' || {aggregate} || ']' FROM {rows} r), '[]')", params  # noqa: S608


def _actors_sql():
    incident = OuterRef("pk")
    return _list(
        "page_actors_rows",
        lambda: (
            actor_rows()
            .filter(incident_id=incident)
            .values(a_id=F("actor_id"), a_name=F("actor__name"), a_kind=F("actor__kind"))
        ),
        f"'{{\"id\":' || r.a_id::text || ',\"name\":' || {_text('r.a_name')} || "
        f"',\"kind\":' || {_text('r.a_kind')} || '}}'",
        "r.a_name, r.a_id",
    )


def _items_sql():
    incident = OuterRef("pk")
    return _list(
        "page_items_rows",
        lambda: (
            item_rows()
            .filter(incident_id=incident)
            .values(
                i_pk=F("pk"),
                i_slug=F("category__slug"),
                i_name=F("category__name"),
                i_description=F("description"),
                i_min=F("quantity_min"),
                i_max=F("quantity_max"),
            )
        ),
        f"'{{\"category\":' || {_text('r.i_slug')} || ',\"category_name\":' || "
        f"{_text('r.i_name')} || ',\"description\":' || {_text('r.i_description')} || "
        f"',\"quantity_min\":' || {_number('r.i_min')} || ',\"quantity_max\":' || "
        f"{_number('r.i_max')} || '}}'",
        "r.i_pk",
    )


def _links_sql():
    """Destinations first, then origins, each in the links' order (as linked_data())."""
    incident = OuterRef("pk")
    parts, params = [], []
    for end, other, role in (
        ("origin", "destination", DESTINATION),
        ("destination", "origin", ORIGIN),
    ):
        rows, rows_params = _rows(
            f"page_{other}_rows",
            lambda end=end, other=other: link_rows(incident, end, other).values(
                l_pk=F("pk"), l_id=F(f"{other}__public_id"), l_kind=F("kind")
            ),
        )
        row = (
            '\'{"id":"\' || r.l_id::text || \'","kind":\' || '
            f"{_text('r.l_kind')} || ',\"role\":' || %s || '}}'"
        )
        aggregate = f"string_agg({row}, ',' ORDER BY r.l_pk)"
        parts.append(f"(SELECT {aggregate} FROM {rows} r)")  # noqa: S608
        params += [json.dumps(role), *rows_params]
    return f"'[' || concat_ws(',', {', '.join(parts)}) || ']'", params


_SQL = {}


def related_json():
    """The annotations: ``page_actors_json``, ``page_items_json`` and ``page_links_json``."""
    if not _SQL:
        _SQL.update(
            page_actors_json=_actors_sql(),
            page_items_json=_items_sql(),
            page_links_json=_links_sql(),
        )
    return {
        name: RawSQL(sql, params, output_field=TextField())  # noqa: S611 (built here)
        for name, (sql, params) in _SQL.items()
    }


def with_related_json(incidents):
    """``incidents`` (partner_incident_rows()) with, on PostgreSQL, each one's route as
    with_related_rows() reads it and its actors, items and links as JSON text."""
    if not in_one_statement():
        return incidents
    return with_related_rows(incidents, only=("page_route",)).annotate(**related_json())
