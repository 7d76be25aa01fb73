"""What the monitor's views share: CSV and SVG responses, and the 400 page."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def svg_response(svg: str, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def bad_request(request, message: str):
    return render(request, "monitor/bad_request.html", {"message": message}, status=400)


def csv_value(value) -> str:
    return "" if value is None or value != value else repr(float(value))
