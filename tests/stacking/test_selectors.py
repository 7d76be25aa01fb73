"""The index read from the store (vintages, references, methods, errors), drivers,
robustness, the place units (rest of city, weights) and gaps, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wijkbalans.stacking import selectors
from wijkbalans.stacking.panels import vintage_up_to
from wijkbalans.stacking.units import CITY, COUNTRY, REST, SUBJECT, resolve_place, unit_panel

from .cities import ANGST_2020, GM_A, INWONERS, B, C, ervaren, werkzaam

pytestmark = pytest.mark.django_db
RANKED = [c for c in B + C if INWONERS[c] >= 100]  # c3 has 50 residents: small


def z_better(values: dict, code: str) -> float:
    """Problem z of a higher-is-better indicator against the non-small buurten."""
    ref = np.array([values[c] for c in RANKED])
    return -(values[code] - ref.mean()) / ref.std()


def test_vintage_is_the_newest_period_up_to_the_index_period():
    assert vintage_up_to(["2016", "2020"], "2024") == "2020"
    assert vintage_up_to(["2020", "2024-Q3"], "2024") == "2024-Q3"
    assert vintage_up_to(["2020", "2025"], "2019") is None


def test_index_takes_each_indicator_at_its_vintage(country):
    result = selectors.index_panel(level="buurt", method="index100")
    assert result.period == "2024"
    assert result.vintages == {"werkzaam_pct": "2024", "ervaren_gezondheid_pct": "2024",
                               "angst_depressie_hoog_pct": "2020"}
    assert "angst_depressie_hoog_pct: figures of 2020 (the newest up to 2024)" in result.notes
    assert result.domains == ("work_income", "health")
    # b0 by hand: work from werkzaam 2024, health = mean z of ervaren 2024 and angst 2020.
    w = {c: werkzaam(c, "2024") for c in B + C}
    e = {c: ervaren(c, "2024") for c in B + C}
    a = np.array([ANGST_2020[c] for c in RANKED])
    z_angst = (ANGST_2020[B[0]] - a.mean()) / a.std()
    work = 100 - 10 * z_better(w, B[0])
    health = 100 - 10 * (z_better(e, B[0]) + z_angst) / 2
    row = selectors.index_rows(result)[0]
    assert row["code"] == B[0] and row["rank"] == 1
    assert row["work_income"] == pytest.approx(work, abs=1e-9)
    assert row["health"] == pytest.approx(health, abs=1e-9)
    assert row["score"] == pytest.approx((work + health) / 2, abs=1e-9)
    small = [r for r in selectors.index_rows(result) if r["code"] == C[3]][0]
    assert small["rank"] is None and small["score"] is not None  # scored, not ranked


def test_within_lists_the_city_with_national_or_city_ranks(country):
    national = selectors.index_rows(selectors.index_panel(level="buurt", within=GM_A))
    assert {r["code"] for r in national} == set(B)
    everywhere = selectors.index_rows(selectors.index_panel(level="buurt"))
    by_code = {r["code"]: r["rank"] for r in everywhere}
    assert all(r["rank"] == by_code[r["code"]] for r in national)
    city = selectors.index_panel(level="buurt", within=GM_A, reference="city")
    assert city.reference_label == "the buurten of GM0777"
    assert sorted(r["rank"] for r in selectors.index_rows(city)) == [1, 2, 3, 4, 5, 6]


def test_fixed_base_uses_the_base_years_statistics(country):
    result = selectors.index_panel(level="buurt", reference="base:2019", method="index100")
    assert result.base_vintages == {"werkzaam_pct": "2019", "ervaren_gezondheid_pct": "2019"}
    assert ("angst_depressie_hoog_pct: no figures up to the base period 2019; not "
            "standardised") in result.notes
    base = np.array([werkzaam(c, "2019") for c in RANKED])
    expected = 100 - 10 * -(werkzaam(B[0], "2024") - base.mean()) / base.std()
    row = [r for r in selectors.index_rows(result) if r["code"] == B[0]][0]
    assert row["work_income"] == pytest.approx(expected, abs=1e-9)


def test_an_explicit_period_takes_older_vintages(country):
    result = selectors.index_panel(level="buurt", period="2020")
    assert result.vintages["werkzaam_pct"] == "2019"
    assert result.vintages["angst_depressie_hoog_pct"] == "2020"
    assert len(result.areas) == 10


@pytest.mark.parametrize(("kwargs", "parameter", "words"), [
    ({"level": "gemeente"}, "level", "expected one of buurt, wijk; found 'gemeente'"),
    ({"level": "buurt", "period": "2022"}, "period", "2019, 2020, 2021, 2024; found '2022'"),
    ({"level": "buurt", "period": "2024-13"}, "period", "found '2024-13'"),
    ({"level": "buurt", "reference": "city"}, "reference", "needs within"),
    ({"level": "buurt", "reference": "base:2030"}, "reference", "comes after"),
    ({"level": "buurt", "reference": "base:2010"}, "reference", "no values of the index"),
    ({"level": "buurt", "reference": "town"}, "reference", "expected country, city or base"),
    ({"level": "buurt", "method": "sum"}, "method", "found 'sum'"),
    ({"level": "buurt", "within": "GM0999"}, "within", "no buurt lies in GM0999"),
    ({"level": "buurt", "within": "Groningen"}, "within", "expected a gemeentecode"),
    ({"level": "buurt", "themes": ["geluk"]}, "themes", "found 'geluk'"),
    ({"level": "buurt", "themes": ["safety"]}, "themes", "no values of the index indicators"),
])
def test_bad_parameters_name_themselves(country, kwargs, parameter, words):
    with pytest.raises(selectors.IndexParameterError) as caught:
        selectors.index_panel(**kwargs)
    assert caught.value.parameter == parameter
    assert words in str(caught.value)


def test_count_method_ranks_by_domains_in_the_worst_decile(country):
    rows = selectors.index_rows(selectors.index_panel(level="buurt", method="count"))
    ranked = [r for r in rows if r["rank"] is not None]
    counts = [r["score"] for r in ranked]
    assert counts == sorted(counts, reverse=True)
    assert ranked[0]["code"] == B[0] and ranked[0]["score"] == 2
    assert ranked[0]["work_income"] == 1 and ranked[0]["health"] == 1
    assert {r["rank"] for r in ranked[1:]} == {2}  # ties share the minimum rank


def test_index_reads_a_fixed_number_of_queries(country):
    with CaptureQueriesContext(connection) as queries:
        selectors.index_panel(level="buurt")
    assert len(queries) <= 6


def test_drivers_add_up_to_the_score(country):
    drivers = selectors.area_drivers(code_or_slug=B[0], method="index100")
    assert drivers["rank"] == 1 and drivers["decile"] == 2  # ceil(10 * 1 / 9)
    total = sum(d["index100_contribution"] for d in drivers["drivers"])
    assert total == pytest.approx(drivers["score"] - 100, abs=1e-9)
    contributions = [d["index100_contribution"] for d in drivers["drivers"]]
    assert contributions == sorted(contributions)  # worst (most negative) first
    by_indicator = selectors.area_drivers(code_or_slug=B[0], by="indicator")
    assert {d["indicator"] for d in by_indicator["drivers"]} == {
        "werkzaam_pct", "ervaren_gezondheid_pct", "angst_depressie_hoog_pct"}
    as_set = selectors.area_drivers(code_or_slug="noord", reference="city")
    assert as_set["kind"] == "area_set" and as_set["rank"] is None
    assert sum(d["index100_contribution"] for d in as_set["drivers"]) == pytest.approx(
        as_set["score"] - 100, abs=1e-9)
    with pytest.raises(selectors.IndexParameterError, match="only the index 100"):
        selectors.area_drivers(code_or_slug=B[0], method="deprivation", by="indicator")
    with pytest.raises(selectors.IndexParameterError, match="no area with code"):
        selectors.area_drivers(code_or_slug="BU99999999")


def test_robustness_lists_each_weighting(country):
    frame = selectors.index_robustness(level="buurt")
    assert list(frame["variant"]) == ["ID 2019 weights", "without work_income",
                                      "without health"]
    assert set(frame["n_compared"]) == {9}
    assert frame["n_changed"].between(0, 9).all()
    with pytest.raises(selectors.IndexParameterError, match="no weights"):
        selectors.index_robustness(level="buurt", method="count")


def test_rest_of_city_is_the_other_buurten_weighted(country):
    up = unit_panel(resolve_place("noord"), indicators=["werkzaam_pct"])
    value = {(u, p): v for u, p, i, v in up.values[["unit", "period", "indicator", "value"]]
             .itertuples(index=False) if i == "werkzaam_pct"}
    # (50*100 + 55*200 + 60*300) / 600 and (70*400 + 72*500 + 74*600) / 1500
    assert value[(SUBJECT, "2019")] == pytest.approx(34000 / 600)
    assert value[(SUBJECT, "2024")] == pytest.approx(36400 / 600)
    assert value[(REST, "2019")] == pytest.approx(108400 / 1500)
    assert value[(CITY, "2019")] == 66.0  # the gemeente's own figure wins
    assert value[(CITY, "2024")] == pytest.approx(144800 / 2100)  # else all its buurten
    assert value[(COUNTRY, "2024")] == 71.0


def test_weights_of_another_year_when_a_period_has_none(country):
    up = unit_panel(resolve_place("noord"), indicators=["angst_depressie_hoog_pct"])
    rows = up.values[(up.values["unit"] == SUBJECT)
                     & (up.values["indicator"] == "angst_depressie_hoog_pct")]
    assert rows["period"].tolist() == ["2020"]
    # 2020 has no inwoners: the nearest year's (2019) weigh, with a note.
    assert rows["value"].item() == pytest.approx((10 * 100 + 9 * 200 + 8 * 300) / 600)
    assert any("borrowed" in note and "2020" in note for note in up.notes)


def test_gaps_and_closure_to_the_rest_of_the_city(country):
    frame = selectors.place_gaps(area_set_or_code="noord", reference="rest_of_city",
                                 base_period="2019", indicators=["werkzaam_pct"])
    rows = frame[(frame["kind"] == "indicator")].set_index("period")
    assert rows.loc["2019", "gap"] == pytest.approx(34000 / 600 - 108400 / 1500)  # -15.6
    assert rows.loc["2019", "gap"] == pytest.approx(-15.6)
    assert rows.loc["2024", "gap"] == pytest.approx(-11.6)
    assert rows.loc["2024", "closure"] == pytest.approx(1 - 11.6 / 15.6)
    assert rows.loc["2021", "closure"] == pytest.approx(1 - 13.6 / 15.6)
    assert rows.loc["2024", "gap_problem"] == pytest.approx(11.6)  # positive: worse off
    domains = frame[frame["kind"] == "domain"]
    assert set(domains["key"]) == {"work_income"}
    assert (domains["gap_problem"] > 0).all()


def test_gaps_to_the_city_and_bad_parameters(country):
    frame = selectors.place_gaps(area_set_or_code="noord", reference="city",
                                 base_period="2019", indicators=["werkzaam_pct"],
                                 domains=False)
    rows = frame.set_index("period")
    g0, g1 = 34000 / 600 - 66.0, 36400 / 600 - 144800 / 2100
    assert rows.loc["2024", "closure"] == pytest.approx(1 - g1 / g0)
    one_buurt = selectors.place_gaps(area_set_or_code=B[3], reference="country",
                                     base_period="2019", indicators=["werkzaam_pct"],
                                     domains=False).set_index("period")
    assert one_buurt.loc["2019", "gap"] == 0.0  # 70 against the country's 70
    assert one_buurt.loc["2024", "gap"] == pytest.approx(-1.0)
    assert one_buurt.loc["2024", "reason"] == "no gap in base period"
    assert np.isnan(one_buurt.loc["2024", "closure"])  # never 0
    for kwargs, parameter in (({"reference": "town", "base_period": "2019"}, "reference"),
                              ({"reference": "city", "base_period": "2018"}, "base")):
        with pytest.raises(selectors.ParameterError) as caught:
            selectors.place_gaps(area_set_or_code="noord", **kwargs)
        assert caught.value.parameter == parameter
    with pytest.raises(selectors.ParameterError, match="no area set or area 'zuid'"):
        selectors.place_gaps(area_set_or_code="zuid", reference="city", base_period="2019")
