"""The arithmetic of the index, checked against hand-computed values."""

import math

import numpy as np
import pytest

from wijkbalans.analysis.stacking_methods import (
    ID2019_DOMAIN_WEIGHTS,
    ID2019_PRESET,
    deciles_from_ranks,
    domain_means,
    exponential_transform,
    normalised_weights,
    rank_worst_first,
    scaled_position,
    weighted_mean,
    worst_cutoff,
)

# e^(-100/23) = 0.0129345..., so 1 - e^(-100/23) = 0.9870655...
FACTOR = 1 - math.exp(-100 / 23)


def test_exponential_transform_by_hand():
    # R = 0.5: -23 ln(1 - 0.5 * 0.9870655) = -23 ln(0.5064672) = -23 * -0.6802952 = 15.6468
    # R = 0.25: -23 ln(0.7532336) = 6.5177; R = 0.75: -23 ln(0.2597009) = 31.0091
    # R = 0.9: -23 ln(0.1116410) = 50.4267; R = 1: -23 ln(e^(-100/23)) = 100
    got = exponential_transform(np.array([0.0, 0.25, 0.5, 0.75, 0.9, 1.0]))
    np.testing.assert_allclose(got, [0.0, 6.5177, 15.6468, 31.0091, 50.4267, 100.0], atol=1e-4)
    assert exponential_transform(0.5) == pytest.approx(-23 * math.log(1 - 0.5 * FACTOR), abs=1e-12)


def test_exponential_transform_puts_a_tenth_above_50():
    # X > 50 exactly when R > (1 - e^(-50/23)) / (1 - e^(-100/23)) = 0.89788: about 10%.
    threshold = (1 - math.exp(-50 / 23)) / FACTOR
    assert threshold == pytest.approx(0.89788, abs=1e-5)
    assert exponential_transform(threshold) == pytest.approx(50.0, abs=1e-9)
    r = (np.arange(1000) + 1) / 1000
    assert (exponential_transform(r) > 50).mean() == pytest.approx(1 - threshold, abs=1e-3)  # 10.2%


def test_exponential_transform_is_increasing_and_keeps_nan():
    got = exponential_transform(np.array([0.1, 0.2, np.nan, 0.3]))
    assert np.isnan(got[2])
    assert got[0] < got[1] < got[3]


def test_exponential_transform_rejects_r_outside_0_1():
    with pytest.raises(ValueError):
        exponential_transform(1.2)


def test_tied_ranks_take_the_minimum_and_share_r():
    scores = np.array([[3.0, 1.0, 2.0, 3.0]])
    ranks = rank_worst_first(scores, np.ones_like(scores, dtype=bool))
    assert ranks.tolist() == [[1.0, 4.0, 3.0, 1.0]]
    # R = (N - rank + 1) / N: (4 - 1 + 1)/4 = 1, (4 - 4 + 1)/4 = 0.25, (4 - 3 + 1)/4 = 0.5
    assert scaled_position(scores[0], scores[0]).tolist() == [1.0, 0.25, 0.5, 1.0]


def test_ranks_skip_ineligible_and_missing_areas():
    scores = np.array([[5.0, 9.0, np.nan, 7.0, 1.0]])
    eligible = np.array([[True, False, True, True, True]])
    ranks = rank_worst_first(scores, eligible)
    # Ranked: 5, 7, 1 -> 7 is rank 1, 5 rank 2, 1 rank 3; 9 (ineligible) and NaN get none.
    assert ranks[0, [0, 3, 4]].tolist() == [2.0, 1.0, 3.0]
    assert np.isnan(ranks[0, [1, 2]]).all()


def test_ranks_are_per_period():
    scores = np.array([[1.0, 2.0], [2.0, 1.0]])
    assert rank_worst_first(scores, np.ones((2, 2), dtype=bool)).tolist() == [[2, 1], [1, 2]]


def test_deciles_from_ranks():
    ranks = np.arange(1.0, 21.0)[None, :]
    assert deciles_from_ranks(ranks)[0].tolist() == [d for d in range(1, 11) for _ in range(2)]
    # Ties at rank 1 of 3: ceil(10 * 1 / 3) = 4; rank 3: ceil(10) = 10.
    assert deciles_from_ranks(np.array([[1.0, 1.0, 3.0, np.nan]]))[0, :3].tolist() == [4, 4, 10]


def test_worst_cutoff_counts_ties_in():
    assert worst_cutoff(np.arange(20.0), 0.1) == 18.0  # k = ceil(2) = 2: 19 and 18
    assert worst_cutoff(np.arange(5.0), 0.1) == 4.0  # k = ceil(0.5) = 1
    assert worst_cutoff(np.array([5.0, 5.0, 5.0, 1.0, np.nan]), 0.25) == 5.0
    assert math.isnan(worst_cutoff(np.array([np.nan]), 0.1))


def test_domain_mean_of_available_indicators_with_half_present():
    # Domain 0 = indicators 0, 1, 2; domain 1 = indicator 3.
    z = np.array([[[1.0, np.nan, 2.0, np.nan], [1.0, np.nan, np.nan, 4.0]]])
    means, present = domain_means(z, np.array([0, 0, 0, 1]), 2, min_share=0.5)
    # Area 0: 2 of 3 present (>= 1.5) -> (1 + 2) / 2 = 1.5, never (1 + 0 + 2) / 3 = 1.
    assert means[0, 0, 0] == 1.5
    assert np.isnan(means[0, 0, 1])  # 0 of 1
    assert np.isnan(means[0, 1, 0])  # 1 of 3 < 1.5
    assert means[0, 1, 1] == 4.0
    assert present[0].tolist() == [[2, 0], [1, 1]]
    lenient, _ = domain_means(z, np.array([0, 0, 0, 1]), 2, min_share=0.3)
    assert lenient[0, 1, 0] == 1.0


def test_domain_means_accept_indicators_in_any_order():
    z = np.array([[[1.0, 10.0, 3.0]]])
    means, _ = domain_means(z, np.array([1, 0, 1]), 2, min_share=0.5)
    assert means[0, 0].tolist() == [10.0, 2.0]


def test_weighted_aggregation_by_hand():
    scores = np.array([[[10.0, 20.0, 40.0], [10.0, 20.0, np.nan]]])
    w = np.array([2.0, 1.0, 1.0])
    # (2*10 + 20 + 40) / 4 = 20; the second area misses a domain.
    full = weighted_mean(scores, w, allow_partial=False)
    assert full[0, 0] == 20.0 and np.isnan(full[0, 1])
    # Partial: (2*10 + 20) / 3 = 13.333...
    assert weighted_mean(scores, w, allow_partial=True)[0, 1] == pytest.approx(40 / 3)
    # A domain with weight 0 does not count, even when it is missing.
    assert weighted_mean(scores, np.array([1.0, 1.0, 0.0]), allow_partial=False)[0, 1] == 15.0


def test_id2019_weights_and_preset():
    assert sum(ID2019_DOMAIN_WEIGHTS.values()) == pytest.approx(99.9)
    assert ID2019_DOMAIN_WEIGHTS["Income"] == ID2019_DOMAIN_WEIGHTS["Employment"] == 22.5
    assert ID2019_PRESET["poverty"] == 22.5 and ID2019_PRESET["physical"] == 9.3
    assert ID2019_PRESET["social"] == 0.0
    # The ID combination with X = 100 on Income and 0 elsewhere is 22.5 / 99.9 * 100.
    domains = list(ID2019_PRESET)
    x = np.array([[[100.0 if d == "poverty" else 0.0 for d in domains]]])
    got = weighted_mean(x, normalised_weights(domains, ID2019_PRESET), allow_partial=False)
    assert got[0, 0] == pytest.approx(22.5 / 99.9 * 100)


def test_weights_must_be_positive_somewhere():
    with pytest.raises(ValueError):
        normalised_weights(["a", "b"], {"c": 1.0})
    with pytest.raises(ValueError):
        normalised_weights(["a"], {"a": -1.0})
