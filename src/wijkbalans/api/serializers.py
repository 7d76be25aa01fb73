"""The shapes of the API's JSON: output fields, and the input of area-set writes.

Serializers only map fields; what a value means and whether a write is allowed is
decided by selectors and services (an unknown member code is refused by
:func:`wijkbalans.areas.services.area_set_save`, not here).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wijkbalans.areas.models import AreaSet
from wijkbalans.indicators.models import ImportBatch, Indicator

# -- areas ------------------------------------------------------------------------------


class AreaSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="CBS code: GM + 4, WK + 6 or BU + 8 digits.")
    name = serializers.CharField(help_text="Name in the latest classification year.")
    level = serializers.CharField(help_text="land, gemeente, wijk or buurt.")
    parent = serializers.CharField(source="parent_code", allow_null=True,
                                   help_text="Code of the area one level up.")
    gemeentecode = serializers.CharField()
    latest_year = serializers.IntegerField(allow_null=True)


class AreaVersionSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    name = serializers.CharField()
    parent_code = serializers.CharField()
    centroid = serializers.SerializerMethodField(help_text="[longitude, latitude] in WGS84.")
    land_area_ha = serializers.FloatField(allow_null=True)

    @extend_schema_field(serializers.ListField(child=serializers.FloatField(), allow_null=True,
                                               min_length=2, max_length=2))
    def get_centroid(self, version) -> list[float] | None:
        if version.centroid_lon is None or version.centroid_lat is None:
            return None
        return [version.centroid_lon, version.centroid_lat]


class AreaDetailSerializer(AreaSerializer):
    versions = AreaVersionSerializer(many=True, help_text="Newest year first.")
    children = serializers.ListField(child=serializers.CharField(),
                                     help_text="Codes of the areas one level down.")
    area_sets = serializers.ListField(child=serializers.CharField(),
                                      help_text="Slugs of the area sets holding this area.")


# -- area sets --------------------------------------------------------------------------


class AreaSetSerializer(serializers.ModelSerializer):
    members = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code",
                                           help_text="Codes of the member buurten.")

    class Meta:
        model = AreaSet
        fields = ["slug", "name", "description", "members", "created_at", "updated_at"]


class AreaSetWriteSerializer(serializers.Serializer):
    """The body of ``PUT /area-sets/<slug>/``; ``POST`` adds the ``slug``."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    members = serializers.ListField(child=serializers.CharField(max_length=20),
                                    max_length=20_000,
                                    help_text="Buurtcodes (BU + 8 digits) of the set.")


class AreaSetCreateSerializer(AreaSetWriteSerializer):
    slug = serializers.SlugField(max_length=80)


# -- indicators -------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "name_nl", "name_en", "theme", "unit", "polarity", "source",
                  "licence", "description", "aggregation", "denominator", "decimals"]


class PeriodCoverageSerializer(serializers.Serializer):
    period = serializers.CharField()
    areas_per_level = serializers.DictField(child=serializers.IntegerField())
    values = serializers.IntegerField(help_text="Rows with status 'value'.")


class CoverageSerializer(serializers.Serializer):
    periods = serializers.ListField(child=serializers.CharField())
    areas_per_level = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Distinct areas with any row, per level, over all periods.")
    by_period = PeriodCoverageSerializer(many=True)
    observations = serializers.IntegerField()


class IndicatorDetailSerializer(IndicatorSerializer):
    coverage = CoverageSerializer()

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "coverage"]


# -- observations and provenance --------------------------------------------------------


class ObservationSerializer(serializers.Serializer):
    """One row of :func:`wijkbalans.indicators.selectors.observation_list` (a dict)."""

    indicator = serializers.CharField(source="indicator__code")
    area = serializers.CharField(source="area__code")
    area_name = serializers.CharField(source="area__name")
    level = serializers.CharField(source="area__level")
    period = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    status = serializers.CharField(help_text="value, missing or suppressed.")
    batch = serializers.IntegerField(source="batch_id", help_text="Import batch id.")


class ImportBatchSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ImportBatch
        fields = ["id", "kind", "file_name", "file_sha256", "options", "user", "started_at",
                  "finished_at", "created", "updated", "unchanged", "rejected",
                  "areas_created", "indicators_created"]


class ImportBatchDetailSerializer(ImportBatchSerializer):
    class Meta(ImportBatchSerializer.Meta):
        fields = [*ImportBatchSerializer.Meta.fields, "report"]


# Schemas of the non-JSON formats, for the OpenAPI document.
GEOJSON_FEATURE_COLLECTION = {
    "type": "object",
    "description": "RFC 7946 FeatureCollection (WGS84); paging as foreign members.",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "count": {"type": "integer"},
        "next": {"type": "string", "nullable": True},
        "previous": {"type": "string", "nullable": True},
        "features": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["type", "features"],
}
GEOJSON_FEATURE = {
    "type": "object",
    "description": "RFC 7946 Feature (WGS84); geometry null where none is stored.",
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "string"},
        "geometry": {"type": "object", "nullable": True},
        "properties": {"type": "object"},
    },
    "required": ["type", "geometry", "properties"],
}
CSV_TEXT = OpenApiTypes.STR
