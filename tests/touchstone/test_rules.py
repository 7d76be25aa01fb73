"""The rating rules (``analysis.touchstone``) at their thresholds, by hand. No database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from wijkbalans.analysis import touchstone as rules
from wijkbalans.analysis.touchstone import (
    CellFacts,
    Effect,
    OutcomeFacts,
    ResidentFacts,
    YearMoney,
)

AREA = {"work_income": 88.7, "poverty": 86.2, "education": 86.9, "health": 87.9,
        "social": 86.4, "physical": 99.4}
CITY = {"work_income": 99.6, "poverty": 98.9, "education": 98.3, "health": 99.7,
        "social": 99.4, "physical": 99.9}


def test_need_the_worst_two_domains_below_the_city_are_strong():
    found = rules.need_rating(AREA, CITY, ["poverty", "work_income"])
    assert found.worst == ("poverty", "social")
    assert found.hits == ("poverty",) and found.rating == "strong"
    assert found.worse == ("poverty", "work_income")


def test_need_below_the_city_but_not_among_the_worst_is_adequate():
    assert rules.need_rating(AREA, CITY, ["education"]).rating == "adequate"


def test_need_within_one_index_point_counts_as_at_the_city():
    # physical: 99.4 against 99.9, 0.5 below: at the city average, so weak.
    assert rules.need_rating(AREA, CITY, ["physical"]).rating == "weak"
    # 1.01 below is below the city; physical is not among the worst two: adequate.
    assert rules.need_rating({**AREA, "physical": 98.89}, CITY, ["physical"]).rating \
        == "adequate"
    # exactly 1.0 below is still "at the city" (the margin is inclusive).
    assert rules.need_rating({"a": 99.0}, {"a": 100.0}, ["a"]).rating == "weak"


def test_need_a_worst_domain_at_the_city_level_is_not_strong():
    area = {"a": 99.5, "b": 110.0, "c": 105.0}
    found = rules.need_rating(area, {"a": 100.0, "b": 100.0, "c": 100.0}, ["a"])
    assert found.worst == ("a", "c") and found.rating == "weak"


def test_need_themes_without_scores_are_listed_and_unknown_alone():
    found = rules.need_rating(AREA, CITY, ["liveability", "poverty"])
    assert found.unscored == ("liveability",) and found.rating == "strong"
    assert rules.need_rating(AREA, {"poverty": None}, ["poverty"]).rating == "unknown"
    assert rules.need_rating({}, {}, []).rating == "unknown"


@pytest.mark.parametrize(("level", "rating"), [
    ("effectief_sterke", "strong"), ("effectief_goede", "strong"),
    ("effectief_eerste", "strong"), ("goed_onderbouwd", "adequate"),
    ("goed_beschreven", "weak"), ("not_rated", "weak")])
def test_evidence_levels(level, rating):
    found = rules.evidence_rating(level)
    assert (found.rating, found.basis, found.base) == (rating, "evidence_level", rating)


def test_evidence_effects_up_and_down():
    lower_better = Effect("1", "effect_with_caveats", -1.5, -1)
    assert rules.evidence_rating("goed_beschreven", [lower_better]).rating == "strong"
    wrong_way = Effect("2", "effect", 1.5, -1)
    assert wrong_way.direction == "undesired" and wrong_way.harmful
    assert rules.evidence_rating("goed_onderbouwd", [wrong_way]).rating == "weak"
    assert rules.evidence_rating("not_rated", [wrong_way]).rating == "weak"
    # A favourable effect wins over a harmful one of another evaluation.
    assert rules.evidence_rating("not_rated", [wrong_way, lower_better]).favourable == ("1",)
    # Unknown direction (a neutral indicator) changes nothing.
    neutral = Effect("3", "effect", 2.0, 0)
    assert rules.evidence_rating("goed_onderbouwd", [neutral]).rating == "adequate"
    unreliable = Effect("4", "unreliable", 5.0, 1)
    assert rules.evidence_rating("goed_onderbouwd", [unreliable]).unreliable == ("4",)
    with pytest.raises(ValueError, match="unknown evidence level"):
        rules.evidence_rating("excellent")


@pytest.mark.parametrize(("target", "group", "rating"), [
    (100, 1000, "strong"), (99, 1000, "adequate"), (20, 1000, "adequate"),
    (19, 1000, "weak"), (0, 1000, "weak"), (None, 1000, "unknown"), (5, None, "unknown"),
    (5, 0, "unknown")])
def test_reach_thresholds(target, group, rating):
    assert rules.reach_rating(target, group)[0] == rating


def test_reach_share_is_exact():
    assert rules.reach_rating(D("2300"), 22622.0) == ("strong", 2300 / 22622)


def test_residents_order_of_the_rules():
    assert rules.residents_rating(ResidentFacts(selected=1)) == "strong"
    assert rules.residents_rating(ResidentFacts(supported=1, not_selected=1)) == "strong"
    assert rules.residents_rating(ResidentFacts(in_area=2, below_threshold=1)) == "adequate"
    assert rules.residents_rating(ResidentFacts(outcomes=1)) == "adequate"
    assert rules.residents_rating(ResidentFacts(in_area=1, not_selected=1)) == "weak"


def test_coherence_mixed_cells():
    gap = CellFacts("b1", "social", True, 0, 0)
    dup = CellFacts("b2", "social", False, 3, 2)
    # One gap and one duplicate of two cells: share 0.5, not below it: adequate.
    found = rules.coherence_rating([gap, dup])
    assert (found.rating, found.duplicate_share) == ("adequate", 0.5)
    assert rules.coherence_rating([gap, dup, CellFacts("b3", "social", False, 1, 1)]).rating \
        == "strong"
    # A worst cell with others is a gap only when the coherence view flags it.
    assert not CellFacts("b1", "x", True, 2, 1).gap
    assert CellFacts("b1", "x", True, 2, 1, flagged=True).gap
    assert rules.coherence_rating([]).rating == "unknown"


def test_money_rules():
    found = rules.money_rating([YearMoney(2026, D("100000"), D("100000")),
                                YearMoney(2027, D("100000"), D("50000"))])
    assert (found.rating, found.covered, found.partly) == ("adequate", (2026,), (2027,))
    assert (found.need, found.secured, found.shortfall) == (D(200000), D(150000), D(50000))
    over = rules.money_rating([YearMoney(2026, D("10"), D("25"))])
    assert (over.rating, over.secured, over.shortfall) == ("strong", D(10), D(0))


def test_measurability_rules():
    def facts(baseline, target, years, donors):
        return OutcomeFacts("o", "i", baseline, target, years, donors)

    assert rules.measurability_rating([facts(True, True, 4, 20)]) == "strong"
    assert rules.measurability_rating([facts(True, True, 3, 20)]) == "adequate"
    assert rules.measurability_rating([facts(True, True, 4, 19)]) == "adequate"
    assert rules.measurability_rating([facts(True, False, 10, 30)]) == "adequate"
    assert rules.measurability_rating([facts(False, True, 1, 30)]) == "weak"
    assert rules.measurability_rating([facts(True, True, None, None),
                                       facts(True, True, 10, 30)]) == "strong"


def test_donor_count_leaves_out_the_treated_and_incomplete():
    values = {"a": {"2019": 1.0, "2020": 2.0}, "b": {"2019": 1.0, "2020": 2.0},
              "c": {"2019": float("nan"), "2020": 2.0}}
    assert rules.donor_count(values, treated=["a"], periods=["2019", "2020"]) == 1
    assert rules.donor_count(values, treated=[], periods=[]) == 3


def test_counts_are_a_summary_not_a_score():
    assert rules.rating_counts(["weak", "unknown"]) == {"strong": 0, "adequate": 0,
                                                        "weak": 1, "unknown": 1}
    with pytest.raises(ValueError, match="unknown rating"):
        rules.rating_counts(["excellent"])
