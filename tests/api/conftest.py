"""Small fixtures for the API tests: a gemeente with wijken and buurten drawn as squares,
observations loaded through the bulk loader, users with roles, API clients."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict

import numpy as np
import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from wijkbalans.areas.services import areas_register
from wijkbalans.indicators.importers.base import AreaRecord, IndicatorSpec
from wijkbalans.indicators.loader import merge_observations
from wijkbalans.indicators.models import ImportBatch, Indicator

GEMEENTE = "GM0014"


def square(lon: float, lat: float, size: float = 0.001) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size],
            [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def buurt_code(wijk: int, buurt: int, gemeente: str = GEMEENTE) -> str:
    return f"BU{gemeente[2:]}{wijk:02d}{buurt:02d}"


def area_records(n_buurten: int, *, gemeente: str = GEMEENTE, year: int = 2024,
                 per_wijk: int = 50, geometry: bool = True) -> list[AreaRecord]:
    """A gemeente, its wijken and ``n_buurten`` buurten (``per_wijk`` to a wijk)."""
    records = [AreaRecord(code=gemeente, name=f"Gemeente {gemeente}", level="gemeente",
                          year=year)]
    wijken = set()
    for i in range(n_buurten):
        wijk, buurt = divmod(i, per_wijk)
        wijk_code = f"WK{gemeente[2:]}{wijk:02d}"
        if wijk_code not in wijken:
            wijken.add(wijk_code)
            records.append(AreaRecord(code=wijk_code, name=f"Wijk {wijk}", level="wijk",
                                      year=year))
        lon, lat = 6.5 + buurt * 0.001, 53.2 + wijk * 0.001
        records.append(AreaRecord(
            code=buurt_code(wijk, buurt, gemeente), name=f"Buurt {wijk}-{buurt}",
            level="buurt", year=year,
            geometry=square(lon, lat) if geometry else None,
            centroid=(lon + 0.0005, lat + 0.0005) if geometry else None,
            land_area_ha=7.5 if geometry else None))
    return records


def register(records: list[AreaRecord]) -> None:
    with transaction.atomic():
        areas_register(records=records)


def load_observations(rows, *, kind: str = "test", file_name: str = "test.csv") -> ImportBatch:
    """Load ``(indicator, area_code, period, value, status)`` rows as one batch."""
    from wijkbalans.areas.models import Area

    codes = {r[0] for r in rows}
    with transaction.atomic():
        for code in codes - set(Indicator.objects.values_list("code", flat=True)):
            Indicator.objects.create(**asdict(IndicatorSpec(
                code=code, name_nl=f"Indicator {code}", theme="population",
                aggregation="sum")))
        now = timezone.now()
        batch = ImportBatch.objects.create(kind=kind, file_name=file_name, file_sha256="0" * 64,
                                           started_at=now, finished_at=now, created=len(rows))
        indicator_ids = dict(Indicator.objects.values_list("code", "pk"))
        area_ids = dict(Area.objects.values_list("code", "pk"))
        merge_observations(
            indicator_ids=np.array([indicator_ids[r[0]] for r in rows], dtype=np.int64),
            area_ids=np.array([area_ids[r[1]] for r in rows], dtype=np.int64),
            periods=np.array([r[2] for r in rows], dtype=object),
            values=np.array([np.nan if r[3] is None else r[3] for r in rows], dtype=np.float64),
            statuses=np.array([r[4] for r in rows], dtype=object),
            batch_id=batch.pk,
        )
    return batch


def groningen_2017(shared_data) -> tuple[list[AreaRecord], list[tuple]]:
    """The real CBS Wijk- en buurtkaart 2017 of Groningen, read in place: area records
    (gemeente, 15 wijken, 108 buurten with WGS84 polygons) and ``inwoners`` rows for 2017
    (``AANT_INW``; -99999999 would mean no figure, and this clip has none)."""
    import pandas as pd
    from shapely import wkt
    from shapely.geometry import mapping

    folder = shared_data / "cbs-wijkbuurtkaart-2017-groningen"
    wijken = pd.read_csv(folder / "wijk2017.csv")
    buurten = pd.read_csv(folder / "buurt2017.csv")
    records = [AreaRecord(code="GM0014", name="Groningen", level="gemeente", year=2017)]
    records += [AreaRecord(code=r.WK_CODE.strip(), name=r.WK_NAAM, level="wijk", year=2017)
                for r in wijken.itertuples()]
    records += [AreaRecord(code=r.BU_CODE.strip(), name=r.BU_NAAM, level="buurt", year=2017,
                           parent_code=r.WK_CODE.strip(),
                           geometry=mapping(wkt.loads(r.geometry)))
                for r in buurten.itertuples()]
    rows = [("inwoners", r.WK_CODE.strip(), "2017", float(r.AANT_INW), "value")
            for r in wijken.itertuples()]
    rows += [("inwoners", r.BU_CODE.strip(), "2017", float(r.AANT_INW), "value")
             for r in buurten.itertuples()]
    return records, rows


def buurt_codes(n: int, *, per_wijk: int = 50) -> list[str]:
    return [buurt_code(*divmod(i, per_wijk)) for i in range(n)]


def parse_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def make_user(db, settings):
    """``make_user("analyst")``: a user holding that role in an organisation."""
    # A fast hasher: the real one takes most of a second per password, by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from wijkbalans.accounts.services import membership_grant, organisation_create, user_create

    made = {}

    def make(role: str | None, username: str | None = None):
        username = username or f"user-{role or 'none'}"
        user = user_create(username=username, password="a-long-test-password")
        if role:
            org = made.get("org") or organisation_create(name="Gemeente Groningen",
                                                         kind="municipality")
            made["org"] = org
            membership_grant(user=user, organisation=org, role=role)
        return user

    return make


@pytest.fixture
def client_as(make_user):
    """``client_as("analyst")``: an API client authenticated with that user's token."""
    from wijkbalans.accounts.services import api_token_issue

    def make(role: str | None) -> APIClient:
        user = make_user(role)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user).key}")
        api.user = user
        return api

    return make
