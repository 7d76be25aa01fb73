"""Alerts: a buurt and theme clearly above their own baseline (Poisson exceedance with at
least k concerns), checked by hand."""

from __future__ import annotations

import math

import pytest

from wijkbalans.concerns.alerts import alerts, exceedance, is_alert

from .conftest import buurt_code

B11, B12, B13, B21, B22 = (buurt_code(1, 1), buurt_code(1, 2), buurt_code(1, 3),
                           buurt_code(2, 1), buurt_code(2, 2))


def poisson_tail(observed: int, expected: float) -> float:
    """1 - P(X <= observed - 1), written out."""
    return 1 - sum(math.exp(-expected) * expected ** i / math.factorial(i)
                   for i in range(observed))


def test_the_tail_probability_by_hand():
    # baseline 13 in 52 weeks: 1.0 expected in 4; P(X >= 5) = 1 - e^-1 (1+1+1/2+1/6+1/24)
    assert exceedance(5, 13) == pytest.approx(0.0036598, abs=1e-7)
    assert exceedance(5, 13) == pytest.approx(poisson_tail(5, 1.0), rel=1e-9)
    # baseline 26: 2.0 expected; P(X >= 6) = 0.016564
    assert exceedance(6, 26) == pytest.approx(0.0165636, abs=1e-7)
    # baseline 6: 6 × 4 / 52 = 0.4615 expected; P(X >= 4) = 1 - 0.63031 × 1.58443 = 0.00131
    assert exceedance(4, 6) == pytest.approx(poisson_tail(4, 6 * 4 / 52), rel=1e-9)
    assert exceedance(4, 6) == pytest.approx(0.0013108, abs=1e-7)
    assert exceedance(0, 3) == 1.0 and exceedance(2, 0) == 0.0


def test_the_rule_needs_both_a_low_p_and_k_concerns():
    assert is_alert(5, 13)  # p 0.0037, 5 concerns
    assert not is_alert(6, 26)  # p 0.017
    assert not is_alert(4, 6)  # p 0.0014, but only 4 concerns
    assert is_alert(4, 6, k=4)
    assert is_alert(5, 0)  # no baseline at all: 5 concerns are a rise


@pytest.fixture
def season(add_concerns):
    """Today is 18 June 2025 (W25): the window is W21-W24, the baseline 2024-W21 to
    2025-W20."""
    add_concerns([
        # undermining in B11: 13 in the baseline, 5 now -> alert (p 0.0037)
        *[("undermining", B11, f"2024-W{w}", 1) for w in range(22, 48, 2)],
        ("undermining", B11, "2025-W22", 3), ("undermining", B11, "2025-W24", 2),
        # poverty in B12: 26 in the baseline, 6 now -> p 0.017, no alert
        ("poverty_debts", B12, "2024-W21", 13), ("poverty_debts", B12, "2025-W20", 13),
        ("poverty_debts", B12, "2025-W21", 6),
        # youth in B13: nothing before, 5 now -> alert (p 0)
        ("youth_at_risk", B13, "2025-W23", 5),
        # loneliness in B21: 6 before, 4 now -> p 0.0014 but fewer than 5
        ("loneliness", B21, "2024-W40", 6), ("loneliness", B21, "2025-W21", 4),
        # housing in B22: 50 a week before the baseline starts (2024-W20), 5 now -> alert;
        # counted in the baseline it would expect 3.85 and p would be 0.34
        ("housing", B22, "2024-W20", 50), ("housing", B22, "2025-W24", 5),
        # this week (W25) is not complete: not in the window
        ("other", B22, "2025-W25", 9),
    ])


def test_alerts_of_the_gemeente(season):
    found = alerts(gemeente="GM0998")
    assert [(a.buurt, a.theme, a.p_below) for a in found] == [
        (B11, "undermining", 0.01), (B13, "youth_at_risk", 0.001), (B22, "housing", 0.001)]
    assert {(a.first_week, a.last_week) for a in found} == {("2025-W21", "2025-W24")}
    assert found[0].buurt_name == "Buurt 1.1"
    assert not hasattr(found[0], "count")  # alerts carry no counts


def test_the_window_can_be_named(season):
    found = alerts(gemeente="GM0998", week="2025-W25")  # W22-W25, baseline from 2024-W22
    assert [(a.buurt, a.theme) for a in found] == [
        (B11, "undermining"), (B13, "youth_at_risk"), (B22, "housing"), (B22, "other")]
    # W17-W20 holds the 13 poverty concerns of W20 against 13 in the year before
    assert [(a.buurt, a.theme) for a in alerts(gemeente="GM0998", week="2025-W20")] == [
        (B12, "poverty_debts")]
    assert alerts(gemeente="GM0999") == []


def test_k_raises_the_bar(season, settings):
    settings.CONCERNS_MIN_CELL = 6
    assert [(a.buurt, a.theme) for a in alerts(gemeente="GM0998")] == []
    assert [(a.buurt, a.theme) for a in alerts(gemeente="GM0998", k=4)] == [
        (B11, "undermining"), (B13, "youth_at_risk"), (B21, "loneliness"), (B22, "housing")]


def test_the_selector_gives_the_same_alerts(season):
    from wijkbalans.concerns import selectors

    assert selectors.alerts(gemeente="GM0998") == alerts(gemeente="GM0998")
