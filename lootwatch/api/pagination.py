"""Keyset ("cursor") pagination that stays stable while incidents are being added.

A page is the rows after (or, going back, before) the position of the last row seen, in
the requested ordering with a unique tiebreaker appended (``public_id`` for incidents and
claims). Unlike offsets, a row inserted or changed meanwhile never makes a page repeat or
skip another row. The cursor is opaque to partners: they follow the ``next`` and
``previous`` links as given.
"""

import base64
import binascii
import json
from datetime import UTC, date, datetime
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class KeysetPagination(BasePagination):
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    invalid_cursor_message = gettext_lazy(
        "Invalid cursor: follow the next and previous links as given."
    )

    def paginate_queryset(self, queryset, request, view=None):
        return self.paginate_querysets([queryset], request, view)

    def paginate_querysets(self, querysets, request, view=None):
        """Return one page of the rows of ``querysets`` merged into one sequence.

        The querysets may be of different models (the deletions feed lists incidents and
        claims) as long as they share the ordering fields, all in the same direction. Each
        gives at most a page and one row past the cursor; the merge keeps the first ones.
        """
        self.request = request
        self.page_size = self.get_page_size(request)
        self.ordering = self.get_ordering(querysets[0], view)
        cursor = self.decode_cursor(request)
        self.base_url = request.build_absolute_uri()

        reverse = bool(cursor and cursor["reverse"])
        ordering = [self._flip(field) for field in self.ordering] if reverse else self.ordering
        rows = []
        for queryset in querysets:
            if cursor is not None:
                queryset = queryset.filter(self._after(ordering, cursor["values"]))
            rows += queryset.order_by(*ordering)[: self.page_size + 1]
        if len(querysets) > 1:
            descending = {field.startswith("-") for field in ordering}
            if len(descending) != 1:
                raise ValueError("Merged querysets need an ordering in one direction.")
            names = [field.lstrip("-") for field in ordering]
            rows.sort(
                key=lambda row: [getattr(row, name) for name in names], reverse=descending.pop()
            )
            rows = rows[: self.page_size + 1]
        has_more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if reverse:
            rows.reverse()

        first = self._position(rows[0]) if rows else None
        last = self._position(rows[-1]) if rows else None
        # An empty page (past the last row) links back from the cursor's own position.
        here = [_jsonable(value) for value in cursor["values"]] if cursor else None
        if reverse:
            self.previous_position = first if has_more else None
            self.next_position = last or here
        else:
            self.previous_position = (first or here) if cursor else None
            self.next_position = last if has_more else None
        return rows

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return DEFAULT_PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise exceptions.ValidationError(
                {
                    "page_size": [
                        gettext_lazy("Give a whole number from 1 to %(max)s.")
                        % {"max": MAX_PAGE_SIZE}
                    ]
                }
            )
        return size

    def get_ordering(self, queryset, view):
        """Return the ordering (the filter's, else the view's) with the tiebreaker last."""
        fields = list(queryset.query.order_by) or list(view.ordering)
        tiebreaker = view.ordering_tiebreaker
        if not any(field.lstrip("-") == tiebreaker for field in fields):
            descending = fields and fields[-1].startswith("-")
            fields.append(f"-{tiebreaker}" if descending else tiebreaker)
        self.model = queryset.model
        self.annotations = queryset.query.annotations
        return fields

    def get_paginated_response(self, data):
        response = Response(
            {
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((self.get_next_link(), "next"), (self.get_previous_link(), "prev"))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_next_link(self):
        return self._link(self.next_position, reverse=False)

    def get_previous_link(self):
        return self._link(self.previous_position, reverse=True)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position; take it from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Results per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}); "
                    "larger values are refused with a 400."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]

    # Cursors --------------------------------------------------------------------------

    def _link(self, position, *, reverse):
        if position is None:
            return None
        payload = json.dumps(
            {"o": self.ordering, "v": position, "r": int(reverse)}, separators=(",", ":")
        )
        token = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def decode_cursor(self, request):
        token = request.query_params.get(self.cursor_query_param)
        # An empty cursor is the first page, as no cursor is.
        if not token:
            return None
        try:
            padded = token + "=" * (-len(token) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            ordering, values, reverse = payload["o"], payload["v"], payload["r"]
            if ordering != self.ordering or not isinstance(values, list):
                raise ValueError("cursor made for another ordering")
            if len(values) != len(ordering) or reverse not in (0, 1):
                raise ValueError("malformed cursor")
            values = [
                _utc(self._model_field(field).to_python(value))
                for field, value in zip(ordering, values, strict=True)
            ]
        except (
            OverflowError,
            ValueError,
            TypeError,
            KeyError,
            UnicodeError,
            binascii.Error,
            DjangoValidationError,
        ):
            raise exceptions.ValidationError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            ) from None
        if any(value is None for value in values):
            raise exceptions.ValidationError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            )
        return {"values": values, "reverse": bool(reverse)}

    def _model_field(self, field):
        name = field.lstrip("-")
        if name == "pk":
            return self.model._meta.pk
        if name in self.annotations:
            # An ordering on a computed value (the name partners see of a source).
            return self.annotations[name].output_field
        return self.model._meta.get_field(name)

    def _position(self, row):
        return [_jsonable(getattr(row, field.lstrip("-"))) for field in self.ordering]

    @staticmethod
    def _flip(field):
        return field[1:] if field.startswith("-") else f"-{field}"

    @staticmethod
    def _after(ordering, values):
        """Q for rows strictly after ``values`` in ``ordering`` (lexicographic order)."""
        condition = Q()
        equal_so_far = Q()
        for field, value in zip(ordering, values, strict=True):
            name = field.lstrip("-")
            lookup = "lt" if field.startswith("-") else "gt"
            condition |= equal_so_far & Q(**{f"{name}__{lookup}": value})
            equal_so_far &= Q(**{name: value})
        # Implied by the above, but a condition the database can start an index scan at:
        # without it a deep page walks the index from its first row to the cursor.
        first = ordering[0]
        bound = "lte" if first.startswith("-") else "gte"
        return Q(**{f"{first.lstrip('-')}__{bound}": values[0]}) & condition


def _utc(value):
    """Normalise a cursor's times to UTC (a forged offset could upset the database)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value
