"""Limit/offset pagination: 100 rows by default, at most 1,000 a page.

A ``limit`` above 1,000 is cut to 1,000 (the ``next`` link leads on); a ``limit`` or
``offset`` that is no whole number is a 400 naming the parameter, never a silent default.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def _whole_number(request, name: str, *, minimum: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ValidationError({name: [f"expected a whole number of at least {minimum}; "
                                      f"found {raw!r}"]})
    return value


class ApiPagination(LimitOffsetPagination):
    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT

    def get_limit(self, request):
        limit = _whole_number(request, self.limit_query_param, minimum=1)
        if limit is None:
            return self.default_limit
        return min(limit, self.max_limit)

    def get_offset(self, request):
        return _whole_number(request, self.offset_query_param, minimum=0) or 0


# Documented by hand on views whose responses differ per format, where drf-spectacular
# cannot tell a list view from the response declarations.
PAGINATION_PARAMETERS = [
    OpenApiParameter("limit", OpenApiTypes.INT,
                     description=f"Rows per page (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})."),
    OpenApiParameter("offset", OpenApiTypes.INT, description="Rows to skip (default 0)."),
]
