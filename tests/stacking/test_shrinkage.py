"""Empirical Bayes shrinkage of the index's rates towards the gemeente (``shrink``), checked
by hand with :func:`wijkbalans.analysis.smallarea.shrink_rates` on a small country."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wijkbalans.analysis.smallarea import shrink_rates
from wijkbalans.areas.models import AreaSet
from wijkbalans.demo.geography import PROGRAMME_SLUG
from wijkbalans.indicators import catalogue
from wijkbalans.indicators.importers.base import AreaRecord, Parsed, observations_frame
from wijkbalans.indicators.services import load_parsed
from wijkbalans.stacking import selectors

from .cities import INWONERS, B, C, werkzaam

pytestmark = pytest.mark.django_db
RANKED = [c for c in B + C if INWONERS[c] >= 100]  # c3 has 50 residents: small

# Two gemeenten. GM0881: five big buurten and a tiny one (20 residents) with an extreme
# bijstand rate; GM0882: low rates, so the tiny buurt must move towards GM0881, not the
# country. BU08820003 has no inwoners: it keeps its raw rate.
D = [f"BU08810{i:03d}" for i in range(6)]
E = [f"BU08820{i:03d}" for i in range(4)]
TINY, BIG, NO_POP = D[5], D[1], E[3]
POP = dict(zip(D + E[:3], [4000, 5000, 6000, 5000, 4000, 20, 3000, 3000, 3000], strict=True))
BIJSTAND = dict(zip(D + E, [20, 40, 30, 50, 25, 200, 5, 8, 6, 9], strict=True))
WERKZAAM = dict(zip(D + E, [70, 60, 65, 55, 72, 20, 75, 74, 76, 70], strict=True))


def make_small_country() -> None:
    areas = [AreaRecord(code="NL00", name="Nederland", level="land", year=2024)]
    for gm, name, codes in (("GM0881", "Grootdorp", D), ("GM0882", "Kleinstad", E)):
        areas.append(AreaRecord(code=gm, name=name, level="gemeente", year=2024))
        areas += [AreaRecord(code=c, name=f"Buurt {c[-2:]} {name}", level="buurt", year=2024)
                  for c in codes]
    data = [("inwoners", c, v) for c, v in POP.items()]
    data += [("bijstand_per_1000", c, v) for c, v in BIJSTAND.items()]
    data += [("werkzaam_pct", c, v) for c, v in WERKZAAM.items()]
    frame = observations_frame({
        "indicator": [r[0] for r in data], "area": [r[1] for r in data],
        "period": ["2024"] * len(data), "value": [float(r[2]) for r in data],
        "status": ["value"] * len(data), "row": list(range(len(data))),
        "column": [r[0] for r in data]})
    parsed = Parsed(observations=frame, areas=areas, indicators=[
        catalogue.spec(c) for c in ("inwoners", "bijstand_per_1000", "werkzaam_pct")])
    load_parsed(parsed=parsed, kind="test", file_name="small", file_sha256="small-country")


@pytest.fixture
def small_country(db):
    make_small_country()


def values(result, indicator: str) -> dict[str, float]:
    rows = result.stacking.indicators
    rows = rows[(rows["indicator"] == indicator) & (rows["period"].astype(str) == "2024")]
    return dict(zip(rows["area"].astype(str), rows["value"].astype(float), strict=True))


def by_hand(rates: dict, scale: float, model: str) -> dict[str, float]:
    codes = [c for c in rates if c in POP]
    frame = pd.DataFrame({"area": codes, "parent": ["GM" + c[2:6] for c in codes],
                          "numerator": [rates[c] / scale * POP[c] for c in codes],
                          "denominator": [float(POP[c]) for c in codes]})
    out = shrink_rates(frame, model=model)
    return dict(zip(codes, out["shrunk_rate"] * scale, strict=True))


def test_small_buurt_moves_towards_its_gemeente_big_one_barely(small_country):
    raw = selectors.index_panel(level="buurt", indicators=["bijstand_per_1000",
                                                           "werkzaam_pct"])
    shrunk = selectors.index_panel(level="buurt", indicators=["bijstand_per_1000",
                                                              "werkzaam_pct"], shrink=True)
    before, after = values(raw, "bijstand_per_1000"), values(shrunk, "bijstand_per_1000")
    assert before[TINY] == 200.0
    pooled = sum(BIJSTAND[c] * POP[c] for c in D) / sum(POP[c] for c in D)  # 33.89 per 1000
    assert pooled == pytest.approx(33.8884, abs=1e-4)
    # The tiny buurt loses almost all of its distance to GM0881's rate, and lands far
    # above GM0882's rates (it is shrunk towards its own gemeente).
    assert pooled < after[TINY] < before[TINY]
    assert after[TINY] - pooled < 0.2 * (before[TINY] - pooled)
    assert after[TINY] > max(BIJSTAND[c] for c in E)
    assert abs(after[BIG] - before[BIG]) < 0.01 * before[BIG]
    # Equal to a hand computation with shrink_rates on the same numbers.
    for rates, code, scale, model in ((BIJSTAND, "bijstand_per_1000", 1000.0, "poisson"),
                                      (WERKZAAM, "werkzaam_pct", 100.0, "binomial")):
        hand = by_hand(rates, scale, model)
        got = values(shrunk, code)
        for area, value in hand.items():
            assert got[area] == pytest.approx(value, rel=1e-12)
    assert after[TINY] == pytest.approx(45.33, abs=0.005)  # C = 0.069 by hand
    # No denominator: the raw rate stays, and the notes say so.
    assert after[NO_POP] == before[NO_POP] == 9.0
    assert ("rates shrunk towards their gemeente (empirical Bayes): bijstand_per_1000 "
            "(2024, poisson), werkzaam_pct (2024, binomial)") in shrunk.notes
    assert ("bijstand_per_1000 (2024): 1 areas without a value of inwoners in 2024 keep "
            "their raw rate") in shrunk.notes
    assert not any("shrunk" in n for n in raw.notes)
    # The tiny buurt is small: scored, not ranked, with or without shrinkage.
    tiny = [r for r in selectors.index_rows(shrunk) if r["code"] == TINY][0]
    assert tiny["rank"] is None and tiny["score"] is not None


def test_shrink_reads_one_more_query_whatever_the_areas(small_country):
    with CaptureQueriesContext(connection) as plain:
        selectors.index_panel(level="buurt")
    with CaptureQueriesContext(connection) as shrunk:
        selectors.index_panel(level="buurt", shrink=True)
    assert len(shrunk) == len(plain) + 1


def test_shrink_false_leaves_the_index_as_it_was(country):
    default = selectors.index_panel(level="buurt", method="index100")
    off = selectors.index_panel(level="buurt", method="index100", shrink=False)
    pd.testing.assert_frame_equal(selectors.index_frame(default), selectors.index_frame(off))
    assert default.notes == off.notes
    # b0's work domain by hand from the raw werkzaam_pct (as in test_selectors).
    w = np.array([werkzaam(c, "2024") for c in RANKED])
    z = -(werkzaam(B[0], "2024") - w.mean()) / w.std()
    row = selectors.index_rows(off)[0]
    assert row["code"] == B[0] and row["work_income"] == pytest.approx(100 - 10 * z, abs=1e-9)
    # With shrinkage the small c3 (50 residents) moves; the angst survey of 2020 has no
    # inwoners of 2020 in this country, so it is not shrunk and the notes say so.
    on = selectors.index_panel(level="buurt", method="index100", shrink=True)
    assert values(on, "werkzaam_pct")[C[3]] != values(off, "werkzaam_pct")[C[3]]
    assert INWONERS[C[3]] == 50
    assert ("angst_depressie_hoog_pct (2024): not shrunk, no values of its denominator "
            "inwoners in 2020") in on.notes


def test_command_accepts_shrink_and_notes_the_rates(small_country):
    out, err = io.StringIO(), io.StringIO()
    call_command("index", "--level", "buurt", "--themes", "work_income", "--shrink",
                 "--format", "json", stdout=out, stderr=err)
    payload = json.loads(out.getvalue())
    assert ("rates shrunk towards their gemeente (empirical Bayes): bijstand_per_1000 "
            "(2024, poisson), werkzaam_pct (2024, binomial)") in payload["notes"]
    out, err = io.StringIO(), io.StringIO()
    call_command("index", "--level", "buurt", "--shrink", stdout=out, stderr=err)
    assert "note: rates shrunk towards their gemeente" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command("index", "--level", "buurt", stdout=out, stderr=err)
    assert "shrunk" not in err.getvalue()


def test_demostad_with_shrinkage_keeps_the_tiny_buurt_unranked(demo_city, db):
    result = selectors.index_panel(level="buurt", shrink=True)
    assert any(n.startswith("rates shrunk towards their gemeente") for n in result.notes)
    rows = selectors.index_rows(result)
    tiny = [r for r in rows if r["code"] == "BU99990603"][0]
    assert tiny["rank"] is None
    band = set(AreaSet.objects.get(slug=PROGRAMME_SLUG).members.values_list("code", flat=True))
    assert rows[0]["rank"] == 1 and rows[0]["code"] in band


def test_api_shrink_parameter(small_country):
    from rest_framework.test import APIClient

    api = APIClient()
    on = api.get("/api/v1/index/", {"level": "buurt", "shrink": "1"})
    assert on.status_code == 200
    assert any(n.startswith("rates shrunk towards their gemeente") for n in on.json()["notes"])
    off = api.get("/api/v1/index/", {"level": "buurt"}).json()
    assert not any("shrunk" in n for n in off["notes"])
    bad = api.get("/api/v1/index/", {"level": "buurt", "shrink": "yes"})
    assert bad.status_code == 400 and "shrink" in bad.json()
