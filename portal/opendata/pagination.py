"""Cursor pagination over ids: pages stay consistent while rows are added, at any depth."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.pagination import CursorPagination


class InvalidCursor(ParseError):
    default_code = "invalid_cursor"
    default_detail = _(
        "The cursor is not one this API gave out; follow the next and previous links."
    )


class InvalidPageSize(ParseError):
    default_code = "invalid_page_size"


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def check(self, request) -> None:
        """Refuse a bad page size or cursor before anything else looks at the request (a
        conditional request would otherwise get its 304 without them being checked)."""
        self.get_page_size(request)
        self.decode_cursor(request)

    def get_page_size(self, request) -> int:
        """The page size asked for; unlike DRF, one out of range or not a number is a 400,
        not silently the default."""
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        asked = values[0]
        if len(values) > 1 or not (
            asked.isascii() and asked.isdigit() and 1 <= int(asked) <= self.max_page_size
        ):
            raise InvalidPageSize(
                _("page_size must be a whole number from 1 to %(max)d.")
                % {"max": self.max_page_size}
            )
        return int(asked)

    def decode_cursor(self, request):
        """DRF's, but a malformed cursor is a 400 and its position must be an id: DRF would
        pass any text on to the query, and the database would refuse it with a 500."""
        try:
            cursor = super().decode_cursor(request)
        except NotFound as error:
            raise InvalidCursor from error
        position = cursor.position if cursor else None
        if position is not None and not (position.isascii() and position.isdigit()):
            raise InvalidCursor
        return cursor

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
                parameter["description"] = str(
                    _("Rows per page, 1 to %(max)d (default %(default)d).")
                    % {"max": self.max_page_size, "default": self.page_size}
                )
        return parameters
