"""What every API view shares: format negotiation, pagination, JSON errors."""

from __future__ import annotations

from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .pagination import ApiPagination
from .renderers import FormatNegotiation


# A thin view: check the parameters, call one selector or service, render. (A comment,
# not a docstring: drf-spectacular would show a docstring as every endpoint's description.)
class ApiView(GenericAPIView):

    content_negotiation_class = FormatNegotiation
    pagination_class = ApiPagination
    renderer_classes = [JSONRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        # An error is JSON whatever format was asked: a CSV or GeoJSON client still gets
        # a message it can show, not an error dict forced into rows.
        if isinstance(response, Response) and response.status_code >= 400:
            renderer = getattr(request, "accepted_renderer", None)
            if renderer is not None and renderer.format != "json":
                request.accepted_renderer = JSONRenderer()
                request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def wants(self, fmt: str) -> bool:
        return self.request.accepted_renderer.format == fmt

    def paging(self) -> dict:
        """The page's ``count``, ``next`` and ``previous``, for a GeoJSON collection."""
        return {"count": self.paginator.count, "next": self.paginator.get_next_link(),
                "previous": self.paginator.get_previous_link()}
