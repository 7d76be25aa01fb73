"""/api/v1/schema/: a valid OpenAPI 3 document that lists every endpoint."""

from __future__ import annotations

import json

import pytest
import yaml
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def api_paths() -> set[str]:
    """Every route under /api/v1/, in OpenAPI form (``{code}`` for ``<str:code>``)."""
    import re

    resolver = next(p for p in get_resolver().url_patterns
                    if isinstance(p, URLResolver) and str(p.pattern) == "api/v1/")
    paths = set()
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern)
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        route = route.replace("{pk}", "{id}")  # drf-spectacular names a primary key "id"
        paths.add("/api/v1/" + route)
    return paths


def test_schema_yaml_is_valid_openapi_3(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_schema_json_and_every_path_listed(api):
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    listed = set(schema["paths"])
    expected = api_paths() - {"/api/v1/schema/"}
    assert len(expected) >= 18  # areas, indicators, index and targets, evaluations, ...
    assert expected <= listed, expected - listed


def test_filters_and_formats_are_documented(api):
    schema = json.loads(api.get("/api/v1/schema/", {"format": "json"}).content)
    observations = schema["paths"]["/api/v1/observations/"]["get"]
    names = {p["name"] for p in observations["parameters"]}
    assert {"indicator", "area", "area_set", "level", "within", "period", "status", "limit",
            "offset", "format"} <= names
    assert set(observations["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    areas = schema["paths"]["/api/v1/areas/"]["get"]
    assert {"level", "within", "parent", "year", "q"} <= {p["name"] for p in areas["parameters"]}
    assert "application/geo+json" in areas["responses"]["200"]["content"]
    assert set(schema["paths"]["/api/v1/area-sets/{slug}/"]) >= {"get", "put", "delete"}


def test_schema_generates_without_warnings():
    """drf-spectacular's warnings (two components of one name, an unknown field type)
    mean a wrong document for clients; the build fails on any of them."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache, sorted(GENERATOR_STATS._warn_cache)
