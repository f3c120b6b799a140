"""The claims of a page of the partner API's incidents as JSON text written by PostgreSQL.

Building ~200 claims' dictionaries per page of 50 in Python, then encoding them, was the
largest fixed cost of the list (issue 11, round 3). Here each claim's ClaimSerializer data
is written by its own statement, compact and in the serializer's key order, as Python's
``json.dumps`` writes it (PostgreSQL's ``to_json`` escapes text exactly as it does; the
renderer writes U+2028 and U+2029 as JSONRenderer does, over the whole body), and the view
places those bytes in the body as they are (lootwatch.api.renderers.RawJSON).

The rules are the same ones, read as SQL: which claims (visible_claims(), by the caller),
which relay (claims.relay_rule.visible_relay(), which
claims.selectors.with_visible_relay() reads too), which evidence
(evidence_with_derivatives()), a protected source's label and withheld URLs
(claims.rules.source_name_for, claim_urls_for) and the withheld translators
(claims.rules.WITHHELD_TRANSLATORS). tests/api/test_fast_path.py compares the bytes with
the serializers' ones, and tests/api/test_claims_json.py does on the hard cases.
"""

import json
from types import SimpleNamespace

from django.db import connection
from django.db.models import OuterRef, Subquery, TextField
from django.db.models.expressions import RawSQL

from claims.choices import SourceKind, TranslatorKind
from claims.models import PROTECTED_LABEL_PREFIX, WITNESS_LABEL_PREFIX, Claim
from claims.relay_rule import visible_relay
from claims.rules import WITHHELD_TRANSLATORS
from claims.selectors import evidence_with_derivatives, visible_claims
from incidents.api.related_rows import compiled_once

PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
CLAIM = '"claims_claim"'  # the claims' own table in the outer statement


def _text(column):
    """A text column as a JSON string (null when NULL), escaped as json.dumps does."""
    return f"coalesce(to_json({column})::text, 'null')"


def _time(column):
    """A time as Rendering.time() writes it in UTC (incidents.api.rows.UtcIsoTime)."""
    utc = f"{column} AT TIME ZONE 'UTC'"
    return (
        f"coalesce('\"' || to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE to_char({utc}, "
        f"'US') WHEN '000000' THEN '' ELSE to_char({utc}, '.US') END || 'Z\"', 'null')"
    )


def _dumps(value):
    return json.dumps(value, ensure_ascii=False)


class _Link:
    """Stands for one of a page's link parameters (links()) until claim_json() knows them."""

    def __init__(self, index):
        self.index = index


LINKS = tuple(_Link(index) for index in range(4))


def _url(column):
    # Rendering.link(): the derivative's absolute link, made of the page's prefix and suffix.
    return (
        f"CASE WHEN coalesce(e.{column}, '') = '' THEN 'null' "
        "ELSE to_json(%s || e.public_id::text || %s)::text END"
    )


def _evidence_sql():
    """(sql, params): a claim's visible evidence as a JSON array, in upload order."""
    files, params = compiled_once(
        Claim,
        "page_evidence_rows",
        lambda: _subquery(
            evidence_with_derivatives()
            .filter(claim_id=OuterRef("pk"))
            .values("public_id", "kind", "display", "thumbnail", "uploaded_at", "pk")
        ),
    ).as_sql(None, connection)
    row = (
        '\'{"id":"\' || e.public_id::text || \'","kind":\' || '
        f"{_text('e.kind')} || ',\"display_url\":' || {_url('display')} || "
        f"',\"thumbnail_url\":' || {_url('thumbnail')} || '}}'"
    )
    # No value of a request's in the text: all are parameters.
    aggregate = f"string_agg({row}, ',' ORDER BY e.uploaded_at, e.pk)"
    sql = f"coalesce((SELECT '[' || {aggregate} || ']' FROM {files} e), '[]')"  # noqa: S608
    return sql, (*LINKS, *params)


def _subquery(values):
    return Subquery(values, output_field=TextField())


def _translator():
    """(sql, params): claims.rules.translator_for() for partners."""
    withheld = [(kind, _dumps(label)) for kind, label in WITHHELD_TRANSLATORS.items()]
    kind, name = "claims_claim.translator_kind", "claims_claim.translated_by"
    cases = " ".join(f"WHEN {kind} = %s THEN %s" for _ in withheld)
    sql = (
        f"CASE WHEN coalesce({name}, '') = '' THEN '\"\"' "
        f"WHEN {kind} = %s THEN to_json({name})::text {cases} ELSE %s END"
    )
    params = [str(TranslatorKind.ORGANISATION)]
    for withheld_kind, label in withheld:
        params += [str(withheld_kind), label]
    params.append(_dumps(WITHHELD_TRANSLATORS[TranslatorKind.INDIVIDUAL]))
    return sql, tuple(params)


def _withheld(column):
    # claims.rules.claim_urls_for(): a protected source's post is not linked for partners.
    return f"CASE WHEN s.identity_protected THEN '\"\"' ELSE {_text(column)} END"


_SQL = {}


def _claim_sql():
    """(sql, params before the links' four): one claim's ClaimSerializer data as JSON text."""
    if "claim" in _SQL:
        return _SQL["claim"]
    relay, relay_params = compiled_once(Claim, "page_relay", visible_relay).as_sql(None, connection)
    evidence, evidence_params = _evidence_sql()
    translator, translator_params = _translator()
    # claims.rules.source_name_for(): the public label unless the source is unprotected.
    name = (
        "CASE WHEN s.identity_protected THEN to_json(CASE WHEN s.kind = %s THEN %s ELSE %s END "
        "|| s.public_code)::text ELSE to_json(s.name)::text END"
    )
    fields = [
        ("'{\"id\":\"' || claims_claim.public_id::text || '\"'", ()),
        (
            f'\',"source":{{"id":\' || s.id::text || \',"name":\' || {name} || '
            f"',\"kind\":' || {_text('s.kind')} || '}}'",
            (str(SourceKind.WITNESS), WITNESS_LABEL_PREFIX, PROTECTED_LABEL_PREFIX),
        ),
        (f"',\"medium\":' || {_text('claims_claim.medium')}", ()),
        (f"',\"url\":' || {_withheld('claims_claim.url')}", ()),
        (f"',\"archived_url\":' || {_withheld('claims_claim.archived_url')}", ()),
        (f"',\"published_at\":' || {_time('claims_claim.published_at')}", ()),
        (f"',\"language\":' || {_text('claims_claim.language')}", ()),
        (f"',\"text\":' || {_text('claims_claim.original_text')}", ()),
        (f"',\"translation\":' || {_text('claims_claim.translation')}", ()),
        (f"',\"translated_by\":' || {translator}", translator_params),
        (
            f"',\"reported_via\":' || coalesce('\"' || ({relay})::text || '\"', 'null')",
            relay_params,
        ),
        (f"',\"status\":' || {_text('claims_claim.status')}", ()),
        (
            "',\"dispute_reason\":' || CASE WHEN coalesce(claims_claim.dispute_reason, '') = '' "
            f"THEN 'null' ELSE {_text('claims_claim.dispute_reason')} END",
            (),
        ),
        (f"',\"reviewed_at\":' || {_time('claims_claim.status_changed_at')}", ()),
        (f"',\"evidence\":' || {evidence}", evidence_params),
        (f"',\"created_at\":' || {_time('claims_claim.created_at')}", ()),
        (f"',\"updated_at\":' || {_time('claims_claim.updated_at')} || '}}'", ()),
    ]
    body = " || ".join(sql for sql, _ in fields)
    # The outer statement's claim is "claims_claim"; the compiled subqueries name it so too.
    # Only the source is read again (by its primary key); the claim's own columns are the
    # outer statement's ("claims_claim", which the compiled subqueries name so too).
    sql = f"(SELECT {body} FROM claims_source s WHERE s.id = {CLAIM}.source_id)"  # noqa: S608
    params = tuple(param for _, params in fields for param in params)
    _SQL["claim"] = (sql, params)
    return sql, params


def _visible():
    """(sql, params): claims.rules.visible_to_partners() on "claims_claim", whose incident is
    "incidents_incident": in incident_claims_json(), the page's own incident row."""
    if "visible" not in _SQL:
        query = visible_claims().query
        where, params = query.get_compiler(connection=connection).compile(query.where)
        _SQL["visible"] = (where, tuple(params))
    return _SQL["visible"]


def links(rendering):
    """The four parameters that make evidence links: (display prefix, display suffix,
    thumbnail prefix, thumbnail suffix), as Rendering.link() writes them for this page."""
    evidence = SimpleNamespace(public_id=PLACEHOLDER)
    parts = []
    for url_name in ("claims:evidence-display", "claims:evidence-thumbnail"):
        parts += rendering.link(evidence, True, url_name).split(PLACEHOLDER, 1)
    return parts


def incident_claims_json(rendering):
    """An annotation of the page's incidents: the JSON text of each one's ``claims`` list
    (what claim_json() writes of each claim partners see, oldest first), in the page's own
    statement. The visibility rule is claims.selectors.visible_claims()'s, compiled; its
    incident is the page's row, which is the claim's incident."""
    claim, params = _claim_sql()
    visible, visible_params = _visible()
    # No value of a request's in the text: all are parameters.
    aggregate = f"string_agg({claim}, ',' ORDER BY {CLAIM}.published_at, {CLAIM}.id)"
    mine = f'{CLAIM}.incident_id = "incidents_incident"."id"'
    sql = f"SELECT '[' || coalesce({aggregate}, '') || ']' FROM {CLAIM} WHERE {mine}"  # noqa: S608
    sql = f"{sql} AND ({visible})"
    page = links(rendering)
    params = [page[param.index] if isinstance(param, _Link) else param for param in params]
    return RawSQL(sql, [*params, *visible_params], output_field=TextField())  # noqa: S611


def claim_json(rendering):
    """An annotation: the claim's ClaimSerializer data (for partners) as JSON text."""
    sql, params = _claim_sql()
    page = links(rendering)
    params = [page[param.index] if isinstance(param, _Link) else param for param in params]
    return RawSQL(sql, params, output_field=TextField())  # noqa: S611 (built here)
