"""Targets: the straight path and the status rule, by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from wijkbalans.analysis.targets import (
    closure_target,
    period_time,
    reference_target,
    target_path,
    target_status,
    value_target,
)


def test_period_time():
    assert period_time("2022") == 2022.0
    assert period_time("2022-Q2") == 2022.25
    assert period_time("2022-12") == pytest.approx(2022 + 11 / 12)
    with pytest.raises(ValueError):
        period_time("2022-13")
    with pytest.raises(ValueError):
        period_time("22")


def test_value_target_path_and_status_by_hand():
    # Health 50% in 2022, target 60% in 2032: the path rises 1 point a year.
    target = value_target("Noord", "ervaren_gezondheid_pct", baseline="2022", target_period="2032",
                          value=60.0, polarity="higher_better")
    path = target_path(target, ["2022", "2024", "2032", "2034"], baseline_value=50.0)
    assert path["path_value"].tolist() == [50.0, 52.0, 60.0, 60.0]
    observed = pd.DataFrame({"period": ["2022", "2024", "2026", "2028", "2030"],
                             "value": [50.0, 54.0, 53.0, 51.0, np.nan]})
    out = target_status(target, observed).set_index("period")
    # Required progress 0.2, 0.4, 0.6, 0.8; actual 0.4, 0.3, 0.1. Tolerance 0.1:
    # 2024: 0.4 > 0.2 + 0.1 ahead; 2026: 0.3 on the band's lower edge 0.4 - 0.1, on track;
    # 2028: 0.1 < 0.6 - 0.1 behind; 2030: no value.
    assert out.loc["2024", "progress"] == pytest.approx(0.4)
    assert out["status"].tolist() == [
        "on track", "ahead", "on track", "behind", "no data", "no data"]
    assert out.index.tolist() == ["2022", "2024", "2026", "2028", "2030", "2032"]
    assert out.loc["2028", "path"] == pytest.approx(56.0)


def test_falling_value_target_uses_the_same_rule():
    target = value_target("Noord", "bijstand", baseline="2020", target_period="2030", value=5.0,
                          polarity="higher_worse")
    observed = pd.DataFrame({"period": ["2020", "2025"], "value": [10.0, 7.0]})
    out = target_status(target, observed, periods=["2025"])
    # Needed -5 by 2030, half by 2025; came -3: progress 0.6 vs required 0.5 -> on track.
    assert out["progress"].tolist() == [pytest.approx(0.6)]
    assert out["status"].tolist() == ["on track"]
    assert target_status(target, observed, periods=["2025"], tolerance=0.05)["status"].tolist() == [
        "ahead"]


def test_half_the_gap_by_2032():
    target = closure_target("Zuid", "bijstand", baseline="2022", target_period="2032", share=0.5)
    observed = pd.DataFrame({"period": ["2022", "2027", "2032"], "value": [12.0, 10.0, 7.0],
                             "reference": [4.0, 4.0, 3.0]})
    out = target_status(target, observed).set_index("period")
    # G0 = 8. 2027: G = 6, C = 0.25, progress 0.25 / 0.5 = 0.5 = required 0.5 -> on track.
    # 2032: G = 4, C = 0.5, progress 1.0 -> on track (the path ends at closure 0.5).
    assert out.loc["2027", "progress"] == pytest.approx(0.5)
    assert out.loc["2032", "path"] == pytest.approx(0.5)
    assert out["status"].tolist() == ["on track", "on track", "on track"]
    path = target_path(target, ["2022", "2027", "2032"], baseline_value=12.0, baseline_gap=8.0)
    assert path["path_gap"].tolist() == [8.0, 6.0, 4.0]


def test_city_average_within_20_years():
    target = reference_target("Zuid", "lbm", baseline="2022", years=20, polarity="higher_better")
    assert target.target_period == "2042" and target.amount == 1.0
    observed = pd.DataFrame({"period": ["2022", "2032"], "value": [-0.2, -0.19],
                             "reference": [0.0, 0.0]})
    out = target_status(target, observed).set_index("period")
    # Half way in time (required 0.5) but only 5% of the gap closed -> behind.
    assert out.loc["2032", "progress"] == pytest.approx(0.05)
    assert out.loc["2032", "status"] == "behind"
    assert out.loc["2042", "status"] == "no data"


def test_nothing_to_close_means_hold_the_line():
    target = closure_target("A", "x", baseline="2020", target_period="2030", share=1.0,
                            polarity="higher_worse")
    observed = pd.DataFrame({"period": ["2020", "2025", "2026"], "value": [5.0, 4.0, 6.0],
                             "reference": [5.0, 5.0, 5.0]})
    out = target_status(target, observed).set_index("period")
    assert out.loc["2025", "status"] == "on track"  # below the reference: better
    assert out.loc["2026", "status"] == "behind"  # above it: worse
    assert math.isnan(out.loc["2026", "progress"])


def test_no_baseline_value_means_no_data():
    target = value_target("A", "x", baseline="2020", target_period="2030", value=1.0)
    out = target_status(target, pd.DataFrame({"period": ["2025"], "value": [3.0]}))
    assert set(out["status"]) == {"no data"}
    assert set(out["reason"]) == {"no baseline value"}


def test_target_must_lie_after_baseline():
    with pytest.raises(ValueError):
        value_target("A", "x", baseline="2030", target_period="2020", value=1.0)
