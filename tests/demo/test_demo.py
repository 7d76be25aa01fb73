"""The demo city: deterministic, consistent, with its planted effects, loaded idempotently."""

import json
from io import StringIO

import numpy as np
import pandas as pd
import pytest
import shapely
from django.core.management import call_command
from shapely.geometry import shape

from wijkbalans.accounts.models import AuditEntry, Membership, Organisation
from wijkbalans.accounts.selectors import user_roles
from wijkbalans.areas.models import Area, AreaSet, AreaVersion
from wijkbalans.demo.figures import (
    AGE_GROUPS,
    COUNTS,
    DEFAULT_SEED,
    INDICATORS,
    PLANTED_EFFECTS,
    YEARS,
    build_city,
)
from wijkbalans.demo.geography import GEMEENTE_NAME, GEMEENTECODE, PROGRAMME_SLUG
from wijkbalans.demo.people import ORGANISATIONS, USERS
from wijkbalans.demo.register import PLANS
from wijkbalans.demo.services import DEMO_USERNAMES
from wijkbalans.indicators import catalogue
from wijkbalans.indicators.models import ImportBatch, Indicator, Observation
from wijkbalans.programmes.models import Activity, BudgetLine, ResultUpdate


@pytest.fixture(scope="module")
def city():
    return build_city(DEFAULT_SEED)


def buurt_groups(city):
    buurten = city.geography.buurten
    return buurten, {**{w: g["code"].tolist() for w, g in buurten.groupby("wijk")},
                     GEMEENTECODE: buurten["code"].tolist()}


def did(city, indicator):
    """Difference in differences of unweighted buurt means: programme area minus the
    other buurten, 2020-2024 minus 2016-2018."""
    buurten = city.geography.buurten
    wide = city.wide(indicator)
    treated = buurten.loc[buurten["programme"], "code"]
    others = buurten.loc[~buurten["programme"] & ~buurten["industrial"], "code"]

    def mean(codes, years):
        return np.nanmean(wide.loc[codes, [str(y) for y in years]].to_numpy())

    before, after = range(2016, 2019), range(2020, 2025)
    return ((mean(treated, after) - mean(treated, before))
            - (mean(others, after) - mean(others, before)))


def test_same_seed_gives_identical_data_and_another_seed_does_not(city):
    again = build_city(DEFAULT_SEED)
    pd.testing.assert_frame_equal(city.observations, again.observations)
    assert city.observations.to_csv(index=False) == again.observations.to_csv(index=False)
    assert city.geography.records == again.geography.records
    assert city.digest == again.digest
    other = build_city(DEFAULT_SEED + 1)
    assert other.digest != city.digest
    assert not city.wide("werkzaam_pct").equals(other.wide("werkzaam_pct"))
    assert city.geography.records[-1].geometry != other.geography.records[-1].geometry


def test_areas_are_fictitious_nested_and_tile_the_city(city):
    records = {r.code: r for r in city.geography.records}
    assert records[GEMEENTECODE].name == GEMEENTE_NAME == "Demostad (fictief)"
    wijken = sorted(c for c in records if c.startswith("WK"))
    buurten = sorted(c for c in records if c.startswith("BU"))
    assert wijken == [f"WK9999{n:02d}" for n in range(8)]
    assert len(buurten) == 40 and all(r.parent_code == r.code[:8].replace("BU", "WK")
                                      for r in records.values() if r.level == "buurt")
    assert len({records[b].name for b in buurten}) == 40
    geoms = {code: shape(r.geometry) for code, r in records.items()}
    assert all(g.is_valid and not g.is_empty for g in geoms.values())
    for wijk in wijken:
        members = [geoms[b] for b in buurten if b.startswith("BU" + wijk[2:])]
        # The buurten cover their wijk without overlap (to rounding at 1e-6 degrees).
        assert sum(g.area for g in members) == pytest.approx(geoms[wijk].area, rel=1e-3)
        assert shapely.union_all(members).symmetric_difference(geoms[wijk]).area \
            < 1e-4 * geoms[wijk].area
    gm = records[GEMEENTECODE]
    assert 3_000 < gm.land_area_ha < 6_000
    assert 5.8 < gm.centroid[0] < 6.0 and 52.9 < gm.centroid[1] < 53.1


def test_counts_are_integers_and_age_groups_add_up(city):
    obs = city.observations
    counts = obs[obs["indicator"].isin(COUNTS)]
    assert counts["status"].eq("value").all()
    assert (counts["value"] == counts["value"].round()).all()
    inwoners = city.wide("inwoners")
    ages = sum(city.wide(code) for code in AGE_GROUPS)
    assert (ages == inwoners).all().all()
    assert ((city.wide("mannen") + city.wide("vrouwen")) == inwoners).all().all()
    assert 70_000 < inwoners.loc[GEMEENTECODE, "2024"] < 110_000


def test_wijk_and_gemeente_follow_the_aggregation_rules(city):
    buurten, groups = buurt_groups(city)
    for code in INDICATORS:
        spec = catalogue.spec(code)
        wide = city.wide(code)
        for parent, members in groups.items():
            got = wide.loc[parent]
            if spec.aggregation == "sum":
                assert (got == wide.loc[members].sum()).all(), (code, parent)
            elif spec.aggregation == "weighted_mean":
                values = wide.loc[members]
                weights = city.wide(spec.denominator).loc[members].where(values.notna())
                expected = (values * weights).sum() / weights.sum()
                assert np.allclose(got, expected, rtol=0, atol=1e-9), (code, parent)
    # Spelled out for the two the brief names.
    wijk = "WK999901"
    members = buurten.loc[buurten["wijk"] == wijk, "code"]
    inwoners = city.wide("inwoners")
    assert inwoners.loc[wijk, "2020"] == inwoners.loc[members, "2020"].sum()
    werkzaam = city.wide("werkzaam_pct")
    expected = ((werkzaam.loc[members, "2020"] * inwoners.loc[members, "2020"]).sum()
                / inwoners.loc[members, "2020"].sum())
    assert abs(werkzaam.loc[wijk, "2020"] - expected) < 1e-9


def test_lbm_total_is_the_sum_of_its_dimensions_and_gives_the_class(city):
    dims = sum(city.wide(f"lbm_{d}") for d in ("won", "fys", "vrz", "soc", "onv"))
    afw = city.wide("lbm_afw")
    assert np.allclose(afw, dims, atol=1e-6, equal_nan=True)
    klasse = city.wide("lbm_klasse")
    assert set(np.unique(klasse.stack().dropna())) <= set(range(1, 10))
    assert klasse.loc[afw.stack().idxmin()[0], afw.stack().idxmin()[1]] <= 2


def test_the_programme_area_is_worse_on_most_domains(city):
    buurten = city.geography.buurten
    band = buurten.loc[buurten["programme"], "code"]
    rest = buurten.loc[~buurten["programme"] & ~buurten["industrial"], "code"]
    assert 8 <= len(band) <= 10
    # The band is the north: its buurten lie north of every other buurt's median.
    assert buurten.loc[buurten["programme"], "y"].min() > buurten["y"].median()
    bijstand = city.wide("bijstand_per_1000")
    assert bijstand.loc[band].mean().mean() > 1.5 * bijstand.loc[rest].mean().mean()
    lbm = city.wide("lbm_afw")
    assert lbm.loc[band].mean().mean() < lbm.loc[rest].mean().mean() - 0.15
    worse_by_theme: dict[str, list[bool]] = {}
    for code in INDICATORS:
        spec = catalogue.spec(code)
        if spec.polarity == "neutral" or code == "lbm_klasse":
            continue
        wide = city.wide(code)
        gap = np.nanmean(wide.loc[band].to_numpy()) - np.nanmean(wide.loc[rest].to_numpy())
        worse = gap > 0 if spec.polarity == "higher_worse" else gap < 0
        worse_by_theme.setdefault(spec.theme, []).append(bool(worse))
    themes_worse = [t for t, flags in worse_by_theme.items() if sum(flags) > len(flags) / 2]
    assert len(themes_worse) > len(worse_by_theme) / 2
    assert {"work_income", "poverty", "health", "safety"} <= set(themes_worse)


def test_the_planted_effect_shows_in_a_difference_in_differences(city):
    employment = PLANTED_EFFECTS["werkzaam_pct"]
    placebo = PLANTED_EFFECTS["ervaren_gezondheid_pct"]
    assert (employment.shift, employment.from_year, employment.area_set) == \
        (3.0, 2019, PROGRAMME_SLUG)
    assert placebo.shift == 0.0
    assert did(city, "werkzaam_pct") == pytest.approx(3.0, abs=0.5)
    assert did(city, "ervaren_gezondheid_pct") == pytest.approx(0.0, abs=0.5)
    # Before the programme the two groups run in parallel: no "effect" 2013-15 vs 2016-18.
    buurten = city.geography.buurten
    wide = city.wide("werkzaam_pct")
    treated = buurten.loc[buurten["programme"], "code"]
    others = buurten.loc[~buurten["programme"] & ~buurten["industrial"], "code"]
    early, late = ["2013", "2014", "2015"], ["2016", "2017", "2018"]
    pre = ((wide.loc[treated, late].mean().mean() - wide.loc[treated, early].mean().mean())
           - (wide.loc[others, late].mean().mean() - wide.loc[others, early].mean().mean()))
    assert abs(pre) < 0.5
    for seed in (1, 2):
        assert did(build_city(seed), "werkzaam_pct") == pytest.approx(3.0, abs=0.6)


def test_missing_values_and_a_suppressed_small_buurt(city):
    obs = city.observations
    industrial = city.geography.industrial_code
    inwoners = city.wide("inwoners").loc[industrial]
    assert (inwoners < 50).all() and (inwoners > 0).all()
    own = obs[obs["area"] == industrial]
    rates = own[~own["indicator"].isin(COUNTS)]
    assert rates["status"].eq("suppressed").all() and rates["value"].isna().all()
    assert len(rates) == (len(INDICATORS) - len(COUNTS)) * len(YEARS)
    missing = obs[obs["status"] == "missing"]
    assert len(missing) == 12 and missing["value"].isna().all()
    assert missing["area"].str.startswith("BU").all()
    assert not missing["indicator"].isin(["werkzaam_pct", "ervaren_gezondheid_pct"]).any()
    assert obs.loc[obs["status"] == "value", "value"].notna().all()


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def db_counts():
    return {model.__name__: model.objects.count()
            for model in (Observation, ImportBatch, AuditEntry, Area, AreaVersion, Indicator,
                          AreaSet, Organisation, Membership, Activity, BudgetLine,
                          ResultUpdate)}


@pytest.mark.django_db
def test_demo_twice_loads_once_and_then_changes_nothing(fast_passwords):
    out = StringIO()
    call_command("demo", "--format", "json", stdout=out)
    first = json.loads(out.getvalue())
    assert first["ok"] and first["changed"] and first["batch_id"] is not None
    assert first["created"] == 49 * len(INDICATORS) * len(YEARS) == Observation.objects.filter(
        batch__kind="demo").count()
    assert first["survey_batch_id"] is not None
    assert first["people"]["users_created"] == len(USERS)
    assert first["concerns_created"] > 0
    assert first["activities_created"] == len(PLANS)
    # and the four winners of the closed 2025 neighbourhood budget round
    assert Activity.objects.count() == len(PLANS) + 4
    before = db_counts()
    out = StringIO()
    call_command("demo", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert "created 0, updated 0, unchanged 18816" in out.getvalue()
    assert db_counts() == before
    assert sorted(ImportBatch.objects.values_list("kind", flat=True)) == [
        "concerns", "demo", "demo-survey"]  # the early-warning series published

    gemeente = Area.objects.get(code=GEMEENTECODE)
    assert gemeente.name == "Demostad (fictief)" and gemeente.level == "gemeente"
    area_set = AreaSet.objects.get(slug=PROGRAMME_SLUG)
    assert area_set.name == "Demostad-Noord"
    assert set(area_set.members.values_list("level", flat=True)) == {"buurt"}
    assert area_set.members.count() == 9
    # Stored wijk values are what the stored buurt values give by the catalogue rule.
    rows = pd.DataFrame(Observation.objects.filter(
        indicator__code__in=["werkzaam_pct", "inwoners"], period="2021",
        area__code__startswith="BU999901").values_list(
        "indicator__code", "area__code", "value"), columns=["indicator", "area", "value"])
    wide = rows.pivot(index="area", columns="indicator", values="value")
    stored = Observation.objects.get(indicator__code="werkzaam_pct", period="2021",
                                     area__code="WK999901").value
    expected = (wide["werkzaam_pct"] * wide["inwoners"]).sum() / wide["inwoners"].sum()
    assert abs(stored - expected) < 1e-9


@pytest.mark.django_db
def test_demo_users_log_in_with_their_roles(client, fast_passwords):
    call_command("demo", stdout=StringIO())
    expected = {"beheer": {"admin", "programme_staff"}, "bureau": {"programme_staff"},
                "analist": {"analyst"}, "financien": {"finance_officer"},
                "partner": {"partner"}, "school": {"partner"}, "sociaalteam": {"partner"},
                "zorggroep": {"partner"}, "schuldhulp": {"partner"},
                "professional": {"professional"}, "bewoner": {"resident"}}
    from django.contrib.auth import get_user_model

    for username, roles in expected.items():
        assert client.login(username=username, password="demo"), username
        user = get_user_model().objects.get(username=username)
        assert user_roles(user=user) == roles
        client.logout()
    assert not client.login(username="analist", password="wrong")
    beheer = get_user_model().objects.get(username="beheer")
    assert beheer.is_staff and beheer.is_superuser
    assert not get_user_model().objects.get(username="bewoner").is_staff
    partner = Membership.objects.get(user__username="partner")
    assert partner.organisation.name == "Woonstichting Demostad"
    assert partner.organisation.kind == "housing_corporation"
    assert Organisation.objects.count() == len(ORGANISATIONS)
    assert AuditEntry.objects.filter(action="user.create").count() == len(DEMO_USERNAMES)


@pytest.mark.django_db
def test_demo_register_has_a_coverage_gap_and_reviewed_results(fast_passwords):
    """The demo register as the coverage page and the review queue show it: the state grant
    ends in 2032, the structural contribution asked for from 2033 is not granted."""
    from decimal import Decimal

    from wijkbalans.programmes.coverage import coverage_table

    call_command("demo", stdout=StringIO())
    table = coverage_table(from_year=2022, to_year=2042)
    by_year = {y.year: y for y in table.years}
    # 2033: need 600,000 + 450,000 (Rijke Schooldag, Preventie met Gezag on the asked-for
    # contribution) + 150,000 + 250,000 (municipal lines) = 1,450,000; secured 700,000.
    assert by_year[2033].need == Decimal("1450000.00")
    assert by_year[2033].secured == Decimal("700000.00")
    assert by_year[2033].gap == Decimal("750000.00")
    (spuk,) = [e for e in table.ending if e.source_code == "nplv-spuk"]
    assert [(a.year, a.falls_away, a.activities) for a in spuk.after[:2]] == [
        (2033, Decimal("320000.00"), ("kansrijk-demostad",)),
        (2034, Decimal("320000.00"), ("kansrijk-demostad",))]
    statuses = sorted(ResultUpdate.objects.values_list("status", flat=True))
    assert statuses.count("approved") == 8
    assert {"submitted", "returned"} <= set(statuses)
