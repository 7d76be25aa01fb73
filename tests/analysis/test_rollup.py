"""The roll-up of results (analysis/rollup.py) against hand-computed cases."""

import doctest
import subprocess
import sys
from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from wijkbalans.analysis import rollup as module
from wijkbalans.analysis.rollup import (
    NO_ACTUAL,
    NO_BASELINE,
    NO_TARGET,
    NOT_AN_IMPROVEMENT,
    NOTHING_KNOWN,
    ZERO_WEIGHT,
    Node,
    ResultInput,
    latest,
    period_key,
    result_progress,
    rollup,
    to_decimal,
)


def r(key, baseline, target, actual, direction="up", weight=None):
    as_d = [None if v is None else D(str(v)) for v in (baseline, target, actual)]
    return ResultInput(key, *as_d, direction=direction,
                       weight=None if weight is None else D(str(weight)))


def three_levels() -> Node:
    """p: r1 (2/5); a (weight 3): a1 (1/3, weight 2), a2 (3/2 clipped to 1), a-x (1/3),
    a-y (weight 0.5: y1 3/4, y2 no target); b: nothing known; c (weight 2): 0 (worse)."""
    return Node("p", results=(r("r1", 0, 10, 4),), children=(
        Node("a", weight=D(3), results=(
            r("a1", 20, 14, 18, "down", weight=2), r("a2", 100, 200, 250)), children=(
            Node("a-x", results=(r("x1", 0, 3, 1),)),
            Node("a-y", weight=D("0.5"), results=(r("y1", 0, 4, 3), r("y2", 0, None, 3))),
        )),
        Node("b", results=(r("b1", None, 10, 5),)),
        Node("c", weight=D(2), results=(r("c1", 50, 60, 45),)),
    ))


def test_a_three_level_tree_with_weights():
    done = rollup(three_levels())
    by_key = {n.key: n for n in done.walk()}
    assert by_key["a-x"].value == F(1, 3)
    # a-y: only y1 is known.
    assert (by_key["a-y"].value, by_key["a-y"].counted, by_key["a-y"].skipped) == (F(3, 4), 1, 1)
    assert by_key["a-y"].skipped_keys == ("y2",)
    # a = (2*1/3 + 1*1 + 1*1/3 + 0.5*3/4) / (2 + 1 + 1 + 0.5) = (19/8) / (9/2) = 19/36
    assert by_key["a"].value == F(19, 36)
    assert by_key["a"].results[1].raw == F(3, 2) and by_key["a"].results[1].value == 1
    assert by_key["b"].value is None and by_key["b"].reason == NOTHING_KNOWN
    assert by_key["c"].value == 0 and by_key["c"].results[0].raw == F(-1, 2)
    # p = (1*2/5 + 3*19/36 + 2*0) / (1 + 3 + 2) = (119/60) / 6 = 119/360; b skipped
    assert done.value == F(119, 360)
    assert (done.counted, done.skipped, done.skipped_keys) == (3, 1, ("b",))
    assert done.progress == D("0.330556")


def test_decimal_inputs_stay_exact():
    # With floats, (0.2 - 0.1) / (0.3 - 0.1) is 0.4999999999999999.
    assert result_progress(r("x", "0.1", "0.3", "0.2")).value == F(1, 2)
    assert result_progress(r("x", "0.1", "0.3", "0.2")).progress == D("0.500000")


@pytest.mark.parametrize("given, reason", [
    (r("x", None, 10, 5), NO_BASELINE),
    (r("x", 0, None, 5), NO_TARGET),
    (r("x", 0, 10, None), NO_ACTUAL),
    (r("x", 5, 5, 7), NOT_AN_IMPROVEMENT),          # target equals baseline
    (r("x", 10, 5, 7), NOT_AN_IMPROVEMENT),         # higher is better, target lower
    (r("x", 10, 15, 7, "down"), NOT_AN_IMPROVEMENT),  # lower is better, target higher
])
def test_unknown_progress_says_why(given, reason):
    done = result_progress(given)
    assert (done.value, done.raw, done.reason) == (None, None, reason)


@pytest.mark.parametrize("given, expected, raw", [
    (r("x", 10, 20, 10), F(0), F(0)),
    (r("x", 10, 20, 20), F(1), F(1)),
    (r("x", 10, 20, 5), F(0), F(-1, 2)),
    (r("x", 10, 20, 26), F(1), F(8, 5)),
    (r("x", 8, 4, 7, "down"), F(1, 4), F(1, 4)),
    (r("x", 8, 4, 9, "down"), F(0), F(-1, 4)),
    (r("x", -3, 3, 0), F(1, 2), F(1, 2)),
])
def test_progress_is_clipped_to_zero_and_one(given, expected, raw):
    done = result_progress(given)
    assert (done.value, done.raw) == (expected, raw)


def test_zero_weights_leave_the_progress_unknown():
    done = rollup(Node("p", results=(r("x", 0, 10, 5, weight=0),)))
    assert (done.value, done.reason, done.counted) == (None, ZERO_WEIGHT, 1)


def test_a_zero_weight_part_counts_for_nothing():
    done = rollup(Node("p", results=(r("x", 0, 10, 5, weight=0), r("y", 0, 10, 2))))
    assert done.value == F(1, 5)


def test_an_empty_activity_has_no_progress():
    done = rollup(Node("p"))
    assert (done.value, done.progress, done.counted, done.skipped) == (None, None, 0, 0)


@pytest.mark.parametrize("bad, error", [
    (Node("p", results=(r("x", 0, 10, 5, weight=-1),)), ValueError),
    (Node("p", weight=D(-2)), ValueError),
    (Node("p", results=(r("x", 0, 10, 5, "sideways"),)), ValueError),
    (Node("p", results=(ResultInput("x", 0.0, D(1), D(1)),)), TypeError),
    (Node("p", results=(ResultInput("x", D("NaN"), D(1), D(1)),)), ValueError),
])
def test_bad_input_is_refused(bad, error):
    with pytest.raises(error):
        rollup(bad)


def test_periods_sort_with_a_year_after_its_quarters():
    periods = ["2026", "2025-Q2", "2025", "2025-Q4", "2024"]
    assert sorted(periods, key=period_key) == ["2024", "2025-Q2", "2025-Q4", "2025", "2026"]
    with pytest.raises(ValueError):
        period_key("2025-06")


def test_latest_takes_the_latest_known_period():
    assert latest({"2025": D(1), "2025-Q3": D(2), "2024": D(3)}) == D(1)
    assert latest({"2025": None, "2024-Q1": D(7)}) == D(7)
    assert latest({"2025": None}) is None


def test_to_decimal_rounds_half_to_even():
    assert to_decimal(F(1, 8), 2) == D("0.12")
    assert to_decimal(F(3, 8), 2) == D("0.38")
    assert to_decimal(F(119, 360)) == D("0.330556")
    assert to_decimal(None) is None


def test_docstring_examples_run():
    assert doctest.testmod(module).failed == 0


def test_importing_the_module_does_not_import_django():
    code = ("import sys, wijkbalans.analysis.rollup\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'django')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={"PATH": "", "PYTHONPATH": ":".join(sys.path)})
    assert done.stdout.strip() == ""
