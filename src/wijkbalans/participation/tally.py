"""Which projects of a budget round win: greedy by votes within the budget. No Django.

The rule (docs/participation.md, "The tally"): take the projects in order of votes, most
first; ties go to the lower cost, then to the lower id (the project entered first). Walk
down the list and select each project that still fits in what is left of the budget; a
project that does not fit is skipped and the walk goes on, so a cheaper project further
down can still be selected. Projects without votes are never selected; with a maximum
number of projects, the walk stops when it is reached. This is the "greedy" rule most
participatory budgeting processes use (Decidim's budgets, the Stanford Participatory
Budgeting Platform).

>>> from decimal import Decimal as D
>>> projects = [Votes(1, D("6000"), 10), Votes(2, D("5000"), 9), Votes(3, D("3000"), 9),
...             Votes(4, D("1000"), 2), Votes(5, D("500"), 0)]
>>> winners(projects, budget=D("10000"))
[1, 3, 4]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Votes:
    id: int
    cost: Decimal
    votes: int


def ranking(projects: Iterable[Votes]) -> list[Votes]:
    """Most votes first; ties: lower cost, then lower id."""
    return sorted(projects, key=lambda p: (-p.votes, p.cost, p.id))


def winners(projects: Iterable[Votes], *, budget: Decimal,
            max_projects: int | None = None) -> list[int]:
    """Ids of the selected projects, in ranking order."""
    left = Decimal(budget)
    chosen: list[int] = []
    for project in ranking(projects):
        if project.votes <= 0 or (max_projects is not None and len(chosen) >= max_projects):
            break
        if project.cost <= left:
            chosen.append(project.id)
            left -= project.cost
    return chosen
