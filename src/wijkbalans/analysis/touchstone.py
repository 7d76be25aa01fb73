"""The rating rules of the touchstone: one function per criterion, numbers in, a rating out.

Pure (no Django): :mod:`wijkbalans.touchstone.criteria` reads the figures from the store
and calls these. Each rule gives ``strong``, ``adequate``, ``weak`` or ``unknown`` (the
data cannot say); the thresholds are the constants below, and docs/touchstone.md gives
the reasons for each. There is no total score: a scorecard shows every criterion.

=====================  ==================================================================
criterion              rule
=====================  ==================================================================
need                   strong: a plan theme is one of the area's two worst domains and
                       the area is more than :data:`AT_CITY` index points below the city
                       on it; weak: on every plan theme with a score the area is at or
                       above the city (within :data:`AT_CITY`); adequate otherwise
evidence               the evidence level (effectief_* strong, goed_onderbouwd adequate,
                       goed_beschreven and not rated weak); an effect shown in the desired
                       direction by an earlier evaluation makes it strong, one shown in the
                       wrong direction takes it a step down
reach                  output target / target group: >= :data:`REACH_STRONG` strong,
                       >= :data:`REACH_ADEQUATE` adequate, below weak
residents              strong: residents asked for it (a linked proposal reached its
                       support threshold) or chose it (a linked budget project selected);
                       weak: they chose other projects, or nothing of the area's
                       participation concerns the plan; adequate: they were consulted
coherence              strong: fills a high-need, low-effort cell and duplicates little;
                       weak: in at least :data:`DUPLICATE_SHARE` of its cells
                       :data:`DUPLICATE_PROGRAMMES` or more other programmes work already
money                  strong: every year of its span fully covered by secured funds;
                       weak: a year without a budget line or with nothing secured
measurability          strong: an outcome indicator with baseline and target on which an
                       effect evaluation is possible (>= :data:`MIN_PRE_YEARS` years before
                       the start, >= :data:`MIN_DONORS` comparison buurten)
=====================  ==================================================================
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

STRONG, ADEQUATE, WEAK, UNKNOWN = "strong", "adequate", "weak", "unknown"
RATINGS = (STRONG, ADEQUATE, WEAK, UNKNOWN)
CRITERIA = ("need", "evidence", "reach", "residents", "coherence", "money", "measurability")

# -- need ---------------------------------------------------------------------------------
#: How many of the area's worst domains count as "where its problems stack most".
WORST_DOMAINS = 2
#: Index points (one tenth of a standard deviation of the city's buurten) within which the
#: area counts as at the city average: smaller differences are within the noise of
#: survey-based indicators and of a year's change.
AT_CITY = 1.0


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class NeedFinding:
    rating: str
    worst: tuple[str, ...]      # the area's worst domains (ties at the cut-off included)
    scored: tuple[str, ...]     # plan themes with a score for the area and the city
    worse: tuple[str, ...]      # plan themes on which the area is below the city
    hits: tuple[str, ...]       # plan themes among the worst and below the city
    unscored: tuple[str, ...]   # plan themes without a score (not a domain, or no data)


def worst_domains(scores: Mapping[str, float | None], n: int = WORST_DOMAINS) -> tuple[str, ...]:
    """The ``n`` domains with the lowest index-100 score (higher is better); a domain tied
    with the n-th counts in, as in the stacking count.

    >>> worst_domains({"a": 90.0, "b": 95.0, "c": 101.0, "d": None})
    ('a', 'b')
    >>> worst_domains({"a": 90.0, "b": 95.0, "c": 95.0})
    ('a', 'b', 'c')
    """
    known = sorted((v, k) for k, v in scores.items() if _known(v))
    if not known:
        return ()
    cutoff = known[min(n, len(known)) - 1][0]
    return tuple(k for v, k in known if v <= cutoff)


def need_rating(area: Mapping[str, float | None], city: Mapping[str, float | None],
                themes: Iterable[str], *, at_city: float = AT_CITY) -> NeedFinding:
    """Rate a plan's aim against the area's domain scores (index 100, higher is better)
    and the city's on the same scale.

    >>> area = {"work_income": 82.0, "poverty": 85.0, "education": 97.0, "health": 104.0}
    >>> city = {"work_income": 99.0, "poverty": 99.5, "education": 99.0, "health": 100.0}
    >>> need_rating(area, city, ["poverty"]).rating
    'strong'
    >>> need_rating(area, city, ["education"]).rating
    'adequate'
    >>> need_rating(area, city, ["health", "liveability"]).rating
    'weak'
    >>> need_rating(area, city, ["liveability"]).rating
    'unknown'
    """
    themes = list(dict.fromkeys(themes))
    worst = worst_domains(area)
    scored = tuple(t for t in themes if _known(area.get(t)) and _known(city.get(t)))
    unscored = tuple(t for t in themes if t not in scored)
    worse = tuple(t for t in scored if area[t] < city[t] - at_city)
    hits = tuple(t for t in worse if t in worst)
    if not scored:
        rating = UNKNOWN
    elif hits:
        rating = STRONG
    elif not worse:
        rating = WEAK
    else:
        rating = ADEQUATE
    return NeedFinding(rating, worst, scored, worse, hits, unscored)


# -- evidence -----------------------------------------------------------------------------
#: The Dutch recognition ladder for interventions ("erkenningssystematiek") as a rating.
EVIDENCE_BASE: dict[str, str] = {
    "effectief_sterke": STRONG, "effectief_goede": STRONG, "effectief_eerste": STRONG,
    "goed_onderbouwd": ADEQUATE, "goed_beschreven": WEAK, "not_rated": WEAK,
}
SHOWN = ("effect", "effect_with_caveats")
_DOWN = {STRONG: ADEQUATE, ADEQUATE: WEAK, WEAK: WEAK, UNKNOWN: UNKNOWN}


@dataclass(frozen=True)
class Effect:
    """What one earlier evaluation found: its verdict's ``conclusion`` (effect,
    effect_with_caveats, no_evidence, unreliable), the sign of its estimate and the
    desired direction of the outcome (+1 higher is better, -1 lower, 0 unknown)."""

    key: str
    conclusion: str
    estimate: float | None
    desired: int

    @property
    def direction(self) -> str:
        """``desired``, ``undesired`` or ``unknown``."""
        if not _known(self.estimate) or self.estimate == 0 or self.desired == 0:
            return "unknown"
        return "desired" if (self.estimate > 0) == (self.desired > 0) else "undesired"

    @property
    def favourable(self) -> bool:
        return self.conclusion in SHOWN and self.direction == "desired"

    @property
    def harmful(self) -> bool:
        return self.conclusion in SHOWN and self.direction == "undesired"


@dataclass(frozen=True)
class EvidenceFinding:
    rating: str
    base: str                    # the rating of the evidence level alone
    basis: str                   # evidence_level | evaluation
    favourable: tuple[str, ...]  # keys of evaluations showing the desired effect
    harmful: tuple[str, ...]     # ... an effect in the wrong direction
    no_effect: tuple[str, ...]   # ... no effect shown (noted, does not change the rating)
    unreliable: tuple[str, ...]  # ... no conclusion possible (noted)


def evidence_rating(level: str, effects: Sequence[Effect] = ()) -> EvidenceFinding:
    """The evidence level's rating, changed by what wijkbalans measured before.

    >>> evidence_rating("goed_onderbouwd").rating
    'adequate'
    >>> evidence_rating("not_rated", [Effect("7", "effect", -2.0, -1)]).rating
    'strong'
    >>> evidence_rating("effectief_goede", [Effect("8", "effect", 2.0, -1)]).rating
    'adequate'
    >>> f = evidence_rating("goed_onderbouwd", [Effect("9", "no_evidence", 0.3, 1)])
    >>> f.rating, f.basis, f.no_effect
    ('adequate', 'evidence_level', ('9',))
    """
    if level not in EVIDENCE_BASE:
        raise ValueError(f"unknown evidence level {level!r}; expected one of "
                         f"{', '.join(EVIDENCE_BASE)}")
    base = EVIDENCE_BASE[level]
    favourable = tuple(e.key for e in effects if e.favourable)
    harmful = tuple(e.key for e in effects if e.harmful)
    no_effect = tuple(e.key for e in effects if e.conclusion == "no_evidence")
    unreliable = tuple(e.key for e in effects if e.conclusion == "unreliable")
    if favourable:
        rating, basis = STRONG, "evaluation"
    elif harmful:
        rating, basis = _DOWN[base], "evaluation"
    else:
        rating, basis = base, "evidence_level"
    return EvidenceFinding(rating, base, basis, favourable, harmful, no_effect, unreliable)


# -- reach --------------------------------------------------------------------------------
#: A tenth of the target group reached is a substantial share for one intervention in a
#: neighbourhood; below one in fifty it stays a pilot whatever its effect per person.
REACH_STRONG = 0.10
REACH_ADEQUATE = 0.02


def reach_rating(target: float | Decimal | None, group: float | None
                 ) -> tuple[str, float | None]:
    """``(rating, share)`` with share = output target / size of the target group.

    >>> reach_rating(650, 4000)
    ('strong', 0.1625)
    >>> reach_rating(60, 1200)
    ('adequate', 0.05)
    >>> reach_rating(10, 1200)[0], reach_rating(None, 1200), reach_rating(60, 0)
    ('weak', ('unknown', None), ('unknown', None))
    """
    if target is None or not _known(group) or group <= 0:
        return UNKNOWN, None
    share = float(target) / float(group)
    if share >= REACH_STRONG:
        return STRONG, share
    if share >= REACH_ADEQUATE:
        return ADEQUATE, share
    return WEAK, share


# -- residents ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ResidentFacts:
    """Counts of participation in the plan's area and of what is linked to the plan."""

    in_area: int = 0            # consultations, proposals and budget rounds of the area
    supported: int = 0          # linked proposals whose support reached the threshold
    selected: int = 0           # linked budget projects selected by the residents' votes
    not_selected: int = 0       # linked budget projects on a counted ballot, not selected
    consulted: int = 0          # published consultations on the plan
    below_threshold: int = 0    # linked proposals still below their support threshold
    outcomes: int = 0           # "you said, we did" outcomes that name the plan


def residents_rating(facts: ResidentFacts) -> str:
    """The first rule that applies: residents asked for it or chose it (strong); they
    chose other projects (weak); they were consulted or proposed it (adequate); the area
    has participation but none of it concerns the plan (weak); none at all (unknown).

    >>> residents_rating(ResidentFacts(in_area=3, supported=1))
    'strong'
    >>> residents_rating(ResidentFacts(in_area=3, consulted=1, not_selected=1))
    'weak'
    >>> residents_rating(ResidentFacts(in_area=3, consulted=1))
    'adequate'
    >>> residents_rating(ResidentFacts(in_area=3)), residents_rating(ResidentFacts())
    ('weak', 'unknown')
    """
    if facts.supported or facts.selected:
        return STRONG
    if facts.not_selected:
        return WEAK
    if facts.consulted or facts.below_threshold or facts.outcomes:
        return ADEQUATE
    if facts.in_area:
        return WEAK
    return UNKNOWN


# -- coherence ----------------------------------------------------------------------------
#: Two other programmes at work on the same theme in the same buurt is an overlap (the
#: coherence view's rule); a plan adding to it in half or more of its cells duplicates.
DUPLICATE_PROGRAMMES = 2
DUPLICATE_SHARE = 0.5


@dataclass(frozen=True)
class CellFacts:
    """One buurt and theme of the plan. ``worst``: in the worst fifth of the city on the
    theme (None: unknown); ``others``: activities outside the plan's own line;
    ``other_programmes``: their programmes other than the plan's; ``flagged``: the
    coherence view marks the cell high need, low effort."""

    buurt: str
    theme: str
    worst: bool | None
    others: int
    other_programmes: int
    flagged: bool = False

    @property
    def gap(self) -> bool:
        return bool(self.worst) and (self.others == 0 or self.flagged)

    @property
    def duplicate(self) -> bool:
        return self.other_programmes >= DUPLICATE_PROGRAMMES


@dataclass(frozen=True)
class CoherenceFinding:
    rating: str
    cells: int
    gaps: tuple[tuple[str, str], ...]
    duplicates: tuple[tuple[str, str], ...]
    duplicate_share: float | None


def coherence_rating(cells: Sequence[CellFacts]) -> CoherenceFinding:
    """Strong: fills a gap and duplicates in less than half its cells; weak: duplicates
    in half or more and fills no gap; unknown: no cells, or severity unknown everywhere
    and no duplication; adequate otherwise.

    >>> c = [CellFacts("b1", "poverty", True, 0, 0), CellFacts("b2", "poverty", False, 3, 1)]
    >>> coherence_rating(c).rating
    'strong'
    >>> coherence_rating([CellFacts("b1", "safety", False, 4, 2)]).rating
    'weak'
    >>> coherence_rating([CellFacts("b1", "safety", None, 1, 1)]).rating
    'unknown'
    >>> coherence_rating([CellFacts("b1", "safety", False, 1, 1)]).rating
    'adequate'
    """
    if not cells:
        return CoherenceFinding(UNKNOWN, 0, (), (), None)
    gaps = tuple((c.buurt, c.theme) for c in cells if c.gap)
    duplicates = tuple((c.buurt, c.theme) for c in cells if c.duplicate)
    share = len(duplicates) / len(cells)
    if gaps and share < DUPLICATE_SHARE:
        rating = STRONG
    elif share >= DUPLICATE_SHARE and not gaps:
        rating = WEAK
    elif all(c.worst is None for c in cells) and share < DUPLICATE_SHARE:
        rating = UNKNOWN
    else:
        rating = ADEQUATE
    return CoherenceFinding(rating, len(cells), gaps, duplicates, share)


# -- money --------------------------------------------------------------------------------

@dataclass(frozen=True)
class YearMoney:
    """The plan's need in one year (its budget lines) and its share of what the sources
    secured for those lines (``programmes.coverage``: pro rata when a source is short)."""

    year: int
    need: Decimal
    secured: Decimal

    @property
    def shortfall(self) -> Decimal:
        return max(self.need - self.secured, Decimal(0))


@dataclass(frozen=True)
class MoneyFinding:
    rating: str
    covered: tuple[int, ...]      # years fully covered
    partly: tuple[int, ...]       # years with some, not all, secured
    unsecured: tuple[int, ...]    # years with need and nothing secured
    no_line: tuple[int, ...]      # years without a budget line (no need planned)
    need: Decimal
    secured: Decimal
    shortfall: Decimal


def money_rating(years: Sequence[YearMoney]) -> MoneyFinding:
    """Rate the plan's money over every year of its span.

    >>> D = Decimal
    >>> money_rating([YearMoney(2026, D(100), D(100)), YearMoney(2027, D(100), D(120))]).rating
    'strong'
    >>> money_rating([YearMoney(2026, D(100), D(100)), YearMoney(2027, D(100), D(40))]).rating
    'adequate'
    >>> f = money_rating([YearMoney(2026, D(100), D(100)), YearMoney(2027, D(0), D(0))])
    >>> f.rating, f.no_line
    ('weak', (2027,))
    >>> money_rating([YearMoney(2033, D(450000), D(0))]).unsecured, money_rating([]).rating
    ((2033,), 'unknown')
    """
    zero = Decimal(0)
    covered = tuple(y.year for y in years if y.need > 0 and y.secured >= y.need)
    partly = tuple(y.year for y in years if y.need > 0 and zero < y.secured < y.need)
    unsecured = tuple(y.year for y in years if y.need > 0 and y.secured <= 0)
    no_line = tuple(y.year for y in years if y.need <= 0)
    if not years:
        rating = UNKNOWN
    elif unsecured or no_line:
        rating = WEAK
    elif partly:
        rating = ADEQUATE
    else:
        rating = STRONG
    return MoneyFinding(rating, covered, partly, unsecured, no_line,
                        sum((y.need for y in years), zero),
                        sum((min(y.secured, y.need) for y in years), zero),
                        sum((y.shortfall for y in years), zero))


# -- measurability ------------------------------------------------------------------------
#: An effect evaluation (synthetic DiD, synthetic control) compares the area with others
#: before the start: four years is the least that shows whether they ran in parallel
#: (the verdict warns below five, docs/methods/effects.md), twenty comparison buurten the
#: least for a placebo test that can reach p <= 0.05 with room for exclusions.
MIN_PRE_YEARS = 4
MIN_DONORS = 20


def pre_periods(periods: Iterable[str], start_year: int, period_year) -> list[str]:
    """The periods that end before ``start_year`` begins (``period_year`` maps a period to
    its year), in order.

    >>> pre_periods(["2020", "2019", "2024", "2023-Q4"], 2024, lambda p: int(p[:4]))
    ['2019', '2020', '2023-Q4']
    """
    return sorted(p for p in set(periods) if period_year(p) < start_year)


def donor_count(values: Mapping[str, Mapping[str, float | None]], *, treated: Iterable[str],
                periods: Sequence[str]) -> int:
    """How many areas could serve as comparison: the rules of
    :func:`wijkbalans.analysis.effects.donors.donor_pool` that can be applied before the
    start (not treated or left out; a value in every pre-period).

    >>> v = {"a": {"1": 1.0, "2": 2.0}, "b": {"1": 1.0}, "c": {"1": 3.0, "2": None},
    ...      "d": {"1": 0.5, "2": 0.7}}
    >>> donor_count(v, treated=["a"], periods=["1", "2"])
    1
    """
    left_out = set(treated)
    return sum(1 for area, series in values.items() if area not in left_out
               and all(_known(series.get(p)) for p in periods))


@dataclass(frozen=True)
class OutcomeFacts:
    """One outcome indicator of the plan. ``pre_years`` and ``donors`` are None when they
    cannot be counted (the plan has no area)."""

    name: str
    indicator: str
    has_baseline: bool
    has_target: bool
    pre_years: int | None
    donors: int | None

    @property
    def complete(self) -> bool:
        return self.has_baseline and self.has_target

    @property
    def evaluable(self) -> bool | None:
        if self.pre_years is None or self.donors is None:
            return None
        return self.pre_years >= MIN_PRE_YEARS and self.donors >= MIN_DONORS


def measurability_rating(outcomes: Sequence[OutcomeFacts]) -> str:
    """Strong: an outcome indicator with baseline and target that can be evaluated;
    unknown: a complete one whose evaluability cannot be counted; adequate: a complete
    one, or one that can be evaluated; weak otherwise (none at all included).

    >>> ok = OutcomeFacts("Werk", "werkzaam_pct", True, True, 12, 30)
    >>> measurability_rating([ok])
    'strong'
    >>> measurability_rating([OutcomeFacts("Werk", "werkzaam_pct", True, True, 2, 30)])
    'adequate'
    >>> measurability_rating([OutcomeFacts("Werk", "werkzaam_pct", False, False, 2, 30)])
    'weak'
    >>> measurability_rating([]), measurability_rating([OutcomeFacts("W", "w", 1, 1, None, None)])
    ('weak', 'unknown')
    """
    if any(o.complete and o.evaluable for o in outcomes):
        return STRONG
    if any(o.complete and o.evaluable is None for o in outcomes):
        return UNKNOWN
    if any(o.complete or o.evaluable for o in outcomes):
        return ADEQUATE
    return WEAK


def rating_counts(ratings: Iterable[str]) -> dict[str, int]:
    """How many criteria have each rating (a summary, never a score).

    >>> rating_counts(["strong", "weak", "strong"])
    {'strong': 2, 'adequate': 0, 'weak': 1, 'unknown': 0}
    """
    out = dict.fromkeys(RATINGS, 0)
    for r in ratings:
        if r not in out:
            raise ValueError(f"unknown rating {r!r}; expected one of {', '.join(RATINGS)}")
        out[r] += 1
    return out
