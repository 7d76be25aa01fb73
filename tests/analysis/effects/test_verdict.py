"""The verdict rules, one by one, in Dutch and English."""

import numpy as np
import pytest

from wijkbalans.analysis.effects.verdict import outcome_spread, verdict


def good(**changes):
    result = {"method": "sdid", "estimate": 2.0, "se": 0.5, "p_value": 0.0001, "level": 0.95,
              "ci": (1.02, 2.98), "n_pre": 8, "n_controls": 30, "pre_rmspe": 0.1}
    result.update(changes)
    return result


def codes(v):
    return [i.code for i in v.issues]


def test_a_clear_effect():
    v = verdict(good(), spread=1.0, outcome="de leefbaarheidsscore")
    assert v.conclusion == "effect" and v.issues == []
    assert "gemiddeld 2 hoger" in v.nl and "(95%-interval 1,02 tot 2,98)" in v.nl
    assert "on average 2 higher" in v.en and "rarely arises by chance" in v.en
    assert "niets anders veranderde" in v.nl  # what cannot be concluded, always said


def test_within_the_placebo_range_is_no_evidence_not_proof_of_no_effect():
    v = verdict(good(estimate=-0.3, p_value=0.41, ci=(-1.2, 0.6)), spread=1.0)
    assert v.conclusion == "no_evidence"
    assert "lager" in v.nl and "toont" not in v.nl and "tonen geen effect aan" in v.nl
    assert "not proof that there was none" in v.en


@pytest.mark.parametrize("changes, code, blocking", [
    ({"n_pre": 1}, "too_few_pre_periods", True),
    ({"n_pre": 3}, "few_pre_periods", False),
    ({"n_controls": 6}, "few_donors", False),
    ({"pre_rmspe": 0.7}, "poor_fit", False),
    ({"pre_rmspe": 1.5}, "no_fit", True),
    ({"se": None, "p_value": None, "ci": None}, "no_uncertainty", True),
    ({"method": "sc", "se": None, "ci": None, "p_value": 0.0625, "n_controls": 15},
     "placebo_resolution", True),
    ({"pretrend": {"p_value": 0.001}}, "pretrends", False),
    ({"estimate": 0.08, "ci": (0.01, 0.15), "p_value": 0.03}, "effect_below_misfit", False),
    ({"loss": 0.010, "starts": [{"loss": 0.0105, "estimate": 0.9}, {"loss": 0.02, "estimate": 9}]},
     "unstable_weights", False),
])
def test_each_rule(changes, code, blocking):
    v = verdict(good(**changes), spread=1.0)
    issue = [i for i in v.issues if i.code == code]
    assert issue and issue[0].blocking is blocking
    assert issue[0].nl and issue[0].en and issue[0].nl != issue[0].en
    expected = "unreliable" if blocking else ("effect_with_caveats" if v.conclusion != "no_evidence"
                                              else "no_evidence")
    assert v.conclusion == expected
    if blocking:
        assert v.nl.startswith("Hieruit is geen conclusie te trekken.")


def test_dutch_numbers_use_a_decimal_comma():
    v = verdict(good(pre_rmspe=0.75), spread=1.0)
    assert "0,75" in v.nl and "0.75" in v.en and "Let op:" in v.nl


def test_spread_between_areas():
    y = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 9.0]])
    assert outcome_spread(y, remove_levels=False) == pytest.approx(np.sqrt((4 + 13) / 2))
    demeaned = y - y.mean(axis=1, keepdims=True)
    assert outcome_spread(y, remove_levels=True) == pytest.approx(
        np.sqrt(demeaned.var(axis=0, ddof=1).mean()))
