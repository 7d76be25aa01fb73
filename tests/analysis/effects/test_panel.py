"""Long to wide: sorting, period labels, and every problem named at once."""

import numpy as np
import pandas as pd
import pytest

from wijkbalans.analysis.effects.panel import PanelError, design, unit_means, wide_panel


def long_frame():
    return pd.DataFrame({"wijk": ["B", "A", "B", "A", "C"],
                         "periode": ["2020-Q2", "2020-Q1", "2020-Q1", "2020-Q2", "2020-Q1"],
                         "waarde": ["1,5", 2.0, 3.0, 4.0, 5.0]})


def test_wide_panel_sorts_units_and_periods_and_keeps_gaps():
    frame = long_frame()
    frame.loc[0, "waarde"] = 1.5
    panel = wide_panel(frame, unit="wijk", time="periode", outcome="waarde")
    assert panel.units == ("A", "B", "C") and panel.times == ("2020-Q1", "2020-Q2")
    assert panel.y[0].tolist() == [2.0, 4.0] and panel.y[1].tolist() == [3.0, 1.5]
    assert np.isnan(panel.y[2, 1])
    assert panel.column("2020-Q2") == 1 and panel.rows(["C", "A"]).tolist() == [2, 0]


def test_years_are_whole_numbers_and_text_starts_are_understood():
    frame = pd.DataFrame({"u": ["a", "a", "b", "b"], "t": [2019.0, 2020.0, 2019.0, 2020.0],
                          "y": [1.0, 2.0, 3.0, 4.0]})
    panel = wide_panel(frame, unit="u", time="t", outcome="y")
    assert panel.times == (2019, 2020) and isinstance(panel.times[0], int)
    assert panel.column("2020") == 1


def test_all_problems_are_reported_together():
    frame = long_frame()
    frame = pd.concat([frame, frame.iloc[[1]]], ignore_index=True)
    frame.loc[4, "wijk"] = " "
    with pytest.raises(PanelError) as err:
        wide_panel(frame, unit="wijk", time="periode", outcome="waarde")
    problems = err.value.problems
    assert "row 6: column 'wijk' is empty" in problems
    assert ("column 'waarde', unit 'B', period '2020-Q2': expected a number, found '1,5'"
            in problems)
    assert "unit 'A', period '2020-Q1': more than one row" in problems
    with pytest.raises(PanelError, match="column 'score' is not in the table"):
        wide_panel(frame, unit="wijk", time="periode", outcome="score")


def test_design_checks_names_and_starts():
    panel = wide_panel(pd.DataFrame({"u": list("aabb"), "t": [1, 2, 1, 2], "y": [1.0] * 4}),
                       unit="u", time="t", outcome="y")
    d = design(panel, treated=["b"], starts=[2])
    assert d.treated.tolist() == [1] and d.controls.tolist() == [0] and d.start == 1
    with pytest.raises(PanelError, match="unit 'z' is not in the panel"):
        design(panel, treated=["z"], starts=[2])
    with pytest.raises(PanelError, match="at least 2 needed"):
        design(panel, treated=["b"], starts=[2], min_pre=2)


def test_unit_means_ignore_gaps_like_synths_dataprep():
    frame = pd.DataFrame({"u": ["a"] * 3 + ["b"] * 3, "t": [1, 2, 3] * 2,
                          "x": [1.0, None, 3.0, 4.0, 5.0, 6.0]})
    means = unit_means(frame, unit="u", time="t", column="x", units=["b", "a", "c"],
                       periods=[1, 2, 3])
    assert means[:2].tolist() == [5.0, 2.0] and np.isnan(means[2])
