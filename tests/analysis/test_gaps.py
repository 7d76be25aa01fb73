"""Gaps to a reference and their closure."""

import math

import numpy as np
import pandas as pd
import pytest

from wijkbalans.analysis.gaps import gaps, reference_mean


def test_gap_and_closure_by_hand():
    values = pd.DataFrame({"area": "Noord", "period": ["2020", "2022", "2024", "2026"],
                           "indicator": "bijstand", "value": [12.0, 10.0, 8.0, 3.0]})
    city = pd.DataFrame({"period": ["2020", "2022", "2024", "2026"], "indicator": "bijstand",
                         "value": [4.0, 4.0, 5.0, 4.0]})
    out = gaps(values, city, base_period="2020",
               polarities={"bijstand": "higher_worse"}).set_index("period")
    # G = 8, 6, 3, -1; C = 1 - G/8 = 0, 0.25, 0.625, 1.125 (overtook the city).
    assert out["gap"].tolist() == [8.0, 6.0, 3.0, -1.0]
    assert out["closure"].tolist() == [0.0, 0.25, 0.625, 1.125]
    assert out["gap_problem"].tolist() == [8.0, 6.0, 3.0, -1.0]  # positive = worse off


def test_no_base_gap_means_closure_is_undefined():
    values = pd.DataFrame({"area": "A", "period": ["2020", "2021"], "indicator": "x",
                           "value": [5.0, 6.0]})
    ref = pd.DataFrame({"period": ["2020", "2021"], "indicator": "x", "value": [5.0, 5.0]})
    out = gaps(values, ref, base_period="2020")
    assert out["gap"].tolist() == [0.0, 1.0]
    assert out["closure"].isna().all()
    assert set(out["reason"]) == {"no gap in base period"}


def test_missing_values_give_nan_with_a_reason():
    values = pd.DataFrame({"area": ["A", "A", "B", "B"], "period": ["2020", "2021"] * 2,
                           "indicator": "x", "value": [8.0, np.nan, np.nan, 3.0]})
    ref = pd.DataFrame({"period": ["2020", "2021"], "indicator": "x", "value": [4.0, 4.0]})
    out = gaps(values, ref, base_period="2020").set_index(["area", "period"])
    assert math.isnan(out.loc[("A", "2021"), "closure"])
    assert out.loc[("A", "2021"), "reason"] == "no value or reference in this period"
    assert out.loc[("B", "2021"), "reason"] == "no value or reference in the base period"


def test_domain_gaps_against_the_reference_mean():
    frame = pd.DataFrame({"area": ["a", "b", "c"] * 2, "period": ["2020"] * 3 + ["2024"] * 3,
                          "domain": "health", "value": [80.0, 100.0, 120.0, 90.0, 100.0, 110.0]})
    ref = reference_mean(frame, on=("domain",))
    assert ref["value"].tolist() == [100.0, 100.0]
    out = gaps(frame[frame.area == "a"], ref, base_period="2020", on=("domain",))
    assert out["closure"].tolist() == [0.0, 0.5]
    at = pd.MultiIndex.from_tuples([("a", "2020"), ("b", "2020"), ("c", "2020")])
    weighted = reference_mean(frame, on=("domain",), weights=pd.Series([1.0, 1.0, 2.0], index=at))
    assert weighted["value"].tolist() == [pytest.approx(105.0)]  # 2024 has no weights
