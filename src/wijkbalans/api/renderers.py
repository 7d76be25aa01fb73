"""The API's output formats besides JSON: CSV and GeoJSON, chosen with ``?format=``.

CSV (RFC 4180, UTF-8, comma, header row) is streamed from the database in chunks and
never paginated; numbers are written in their shortest exact form (``4440``, ``12.5``),
a missing value as an empty cell. GeoJSON follows RFC 7946: WGS84 longitude/latitude,
a ``Feature`` per area with its CBS code as ``id``, and a ``FeatureCollection`` whose
paging (``count``, ``next``, ``previous``) travels as foreign members.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer

CSV_CHUNK_ROWS = 2000


def format_cell(value: object) -> object:
    """A cell as CSV shows it: whole floats without ``.0``, missing values empty.

    >>> format_cell(4440.0), format_cell(12.5), format_cell(None), format_cell(float("nan"))
    ('4440', '12.5', '', '')
    """
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return value


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text in pieces of :data:`CSV_CHUNK_ROWS` rows, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    pending = 0
    for row in rows:
        writer.writerow([format_cell(v) for v in row])
        pending += 1
        if pending >= CSV_CHUNK_ROWS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue()


def csv_response(*, filename: str, header: Sequence[str],
                 rows: Iterable[Sequence]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_chunks(header, rows),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CSVRenderer(BaseRenderer):
    """Announces ``?format=csv``; views stream the rows with :func:`csv_response`.

    Data that does reach this renderer (a list of flat dicts, or a page of them) is
    written the same way.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get("results", []) if isinstance(data, dict) else list(data or [])
        header = list(rows[0]) if rows else []
        return "".join(csv_chunks(header, ([row.get(k) for k in header] for row in rows)))


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class FormatNegotiation(DefaultContentNegotiation):
    """``?format=`` that the endpoint does not offer is a 400 naming the formats it does
    (the default would be a bare 404)."""

    def filter_renderers(self, renderers, format):
        offered = [r for r in renderers if r.format == format]
        if not offered:
            raise ValidationError({"format": [
                f"expected one of {', '.join(r.format for r in renderers)}; found {format!r}"
            ]})
        return offered


def feature(*, code: str, geometry: dict | None, properties: dict) -> dict:
    return {"type": "Feature", "id": code, "geometry": geometry, "properties": properties}


def feature_collection(features: list[dict], **foreign_members) -> dict:
    return {"type": "FeatureCollection", **foreign_members, "features": features}
