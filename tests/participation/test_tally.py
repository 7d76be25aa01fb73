"""The winner rule: greedy by votes within the budget; ties by lower cost, then id."""

from __future__ import annotations

from decimal import Decimal as D

from wijkbalans.participation.tally import Votes, ranking, winners


def test_greedy_skips_what_no_longer_fits_and_goes_on():
    # 6000 (10 votes) leaves 4000; 5000 (8) does not fit; 3000 (7) does, leaving 1000;
    # 2000 (5) does not fit; 1000 (1) does.
    projects = [Votes(1, D("6000"), 10), Votes(2, D("5000"), 8), Votes(3, D("3000"), 7),
                Votes(4, D("2000"), 5), Votes(5, D("1000"), 1)]
    assert winners(projects, budget=D("10000")) == [1, 3, 5]


def test_ties_go_to_the_lower_cost_then_the_lower_id():
    projects = [Votes(7, D("4000"), 5), Votes(3, D("4000"), 5), Votes(5, D("3000"), 5)]
    assert [p.id for p in ranking(projects)] == [5, 3, 7]
    assert winners(projects, budget=D("7000")) == [5, 3]


def test_no_votes_no_win_and_the_maximum_number_of_projects():
    projects = [Votes(1, D("100"), 3), Votes(2, D("100"), 2), Votes(3, D("100"), 0)]
    assert winners(projects, budget=D("1000")) == [1, 2]
    assert winners(projects, budget=D("1000"), max_projects=1) == [1]
    assert winners([], budget=D("1000")) == []


def test_exact_budget_fits_in_cents():
    projects = [Votes(1, D("3333.33"), 2), Votes(2, D("6666.67"), 1)]
    assert winners(projects, budget=D("10000.00")) == [1, 2]
    assert winners(projects, budget=D("9999.99")) == [1]
    # A cent-cheap project tied on votes ranks first and leaves 6666.66: 2 no longer fits.
    assert winners([*projects, Votes(3, D("0.01"), 1)], budget=D("10000.00")) == [1, 3]
