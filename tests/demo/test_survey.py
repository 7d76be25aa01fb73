"""Demostad's resident panel: deterministic, in step with the city, pooled correctly, and
loaded idempotently through the survey importer."""

import numpy as np
import pandas as pd
import pytest

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.models import Area
from wijkbalans.areas.services import areas_register
from wijkbalans.demo.figures import DEFAULT_SEED, build_city
from wijkbalans.demo.geography import GEMEENTECODE
from wijkbalans.demo.survey import (
    KIND,
    QUESTIONS,
    YEARS,
    _city_inputs,
    demo_survey_load,
    survey_csv,
    survey_frame,
)
from wijkbalans.indicators.importers.base import ImportFailed
from wijkbalans.indicators.models import ImportBatch, Indicator, Observation


@pytest.fixture(scope="module")
def frame():
    return survey_frame(DEFAULT_SEED)


def numbers(frame):
    return frame.assign(waarde=pd.to_numeric(frame["waarde"]))


def test_same_seed_same_file_another_seed_another(frame):
    assert survey_csv(DEFAULT_SEED) == frame.to_csv(sep=";", index=False, lineterminator="\n")
    assert survey_csv(DEFAULT_SEED + 1) != survey_csv(DEFAULT_SEED)
    # 6 questions x 6 years x (40 buurten + 8 wijken + the gemeente)
    assert len(frame) == len(QUESTIONS) * len(YEARS) * 49 == 1764
    assert sorted(frame["periode"].unique()) == [str(y) for y in range(2019, 2025)]


def test_panel_follows_the_city_and_its_deprivation(frame):
    geography, d, adults = _city_inputs(DEFAULT_SEED)
    city = build_city(DEFAULT_SEED)
    codes = geography.buurten["code"]
    # the same residents as the city's figures: the repeated draws are in step
    city_adults = (city.wide("inwoners") - city.wide("inwoners_0_14")).loc[codes]
    assert np.array_equal(city_adults[[str(y) for y in YEARS]].to_numpy(), adults)
    safe = numbers(frame[frame["vraag"] == "veilig_buurt"]).set_index("gebied")
    per_buurt = safe.loc[codes].groupby(level=0)["waarde"].mean().reindex(codes)
    ordinary = ~geography.buurten["industrial"].to_numpy()
    # correlated with deprivation (higher d, less safe) but not a copy of it
    r = np.corrcoef(per_buurt[ordinary], d[ordinary])[0, 1]
    assert -0.97 < r < -0.6
    employed = city.wide("werkzaam_pct").loc[codes, [str(y) for y in YEARS]].mean(axis=1)
    assert np.corrcoef(per_buurt[ordinary], employed[ordinary])[0, 1] > 0.5


def test_wijk_and_city_pool_their_buurten(frame):
    geography, _d, _adults = _city_inputs(DEFAULT_SEED)
    rows = numbers(frame[(frame["vraag"] == "buren_helpen") & (frame["periode"] == "2024")])
    rows = rows.set_index("gebied")
    wijk = geography.buurten["wijk"].iloc[0]
    members = geography.buurten.loc[geography.buurten["wijk"] == wijk, "code"]
    part = rows.loc[members]
    assert rows.at[wijk, "n"] == part["n"].sum()
    # pooled over every respondent; buurt results are rounded to 0.1, so within 0.05
    weighted = (part["waarde"] * part["n"]).sum() / part["n"].sum()
    assert rows.at[wijk, "waarde"] == pytest.approx(weighted, abs=0.05)
    assert rows.at[GEMEENTECODE, "n"] == rows.loc[geography.buurten["code"], "n"].sum()


def test_some_buurten_have_too_few_respondents(frame):
    buurten = frame[frame["gebied"].str.startswith("BU")]
    few = buurten[buurten["n"] < 30]
    assert 0.02 < len(few) / len(buurten) < 0.2
    # more than the industrial buurt alone (36 rows)
    assert few["gebied"].nunique() > 3
    assert (buurten["n"] >= 0).all()
    numeric = numbers(buurten)
    shares = numeric[numeric["maat"] == "%"]["waarde"].dropna()
    scores = numeric[numeric["maat"] == "score"]["waarde"].dropna()
    assert shares.between(0, 100).all() and scores.between(1, 10).all()


def snapshot():
    return tuple(m.objects.count() for m in (Observation, ImportBatch, Indicator, AuditEntry))


@pytest.mark.django_db
def test_load_is_idempotent_and_suppresses_small_panels(frame):
    before = snapshot()
    with pytest.raises(ImportFailed):
        demo_survey_load(seed=DEFAULT_SEED)  # the city is not there yet
    assert snapshot() == before
    geography, _d, _adults = _city_inputs(DEFAULT_SEED)
    areas_register(records=geography.records)
    assert Area.objects.filter(code=GEMEENTECODE).exists()
    result = demo_survey_load(seed=DEFAULT_SEED)
    assert result.batch_id is not None and result.created == 2 * len(frame)
    assert result.indicators_created == 12
    batch = ImportBatch.objects.get(pk=result.batch_id)
    assert batch.kind == KIND == "demo-survey"
    few = (frame["n"] < 30) & (frame["waarde"] != "")
    assert Observation.objects.filter(status="suppressed").count() == int(few.sum())
    assert Indicator.objects.filter(code__startswith="enquete_", perception=True).count() == 12
    after = snapshot()
    again = demo_survey_load(seed=DEFAULT_SEED)
    assert again.batch_id is None and again.unchanged == 2 * len(frame)
    assert snapshot() == after
