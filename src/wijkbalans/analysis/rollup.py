"""Progress of a programme's results, rolled up its tree of activities. No Django here.

The rule (docs/programmes.md, "The roll-up rule"):

1. **A result indicator.** With ``b`` its baseline, ``t`` its latest target (the target of
   the latest period that has one) and ``a`` its latest approved actual (the actual of the
   latest period that has one)::

       progress = (a - b) / (t - b)

   In the indicator's direction, ``t`` must be an improvement on ``b`` (above it for
   "higher is better", below it for "lower is better"); otherwise the progress is unknown.
   The result is clipped to ``[0, 1]``: getting worse counts as no progress, and
   over-achieving counts as reaching the target, so that one indicator far above its
   target cannot hide another one far below it. The unclipped value is kept as ``raw``
   (a page may say "120% of the target").
2. **An activity.** The weighted mean of the progress of its own result indicators and of
   its children, a missing weight counting as 1. Parts whose progress is unknown are
   skipped (``skipped`` says how many); with nothing known, or only zero weights, the
   activity's progress is unknown (``None``).

The arithmetic is exact: :class:`fractions.Fraction` inside, from decimal inputs, so a
hand-computed case such as 7/12 comes out as exactly 7/12; ``progress`` gives a
:class:`decimal.Decimal` rounded to six places for display and storage.

This follows the IATI results standard (baseline, targets and actuals per period) and the
usual "percentage of target achieved" of results-based management; the weighted mean over
a results tree is the roll-up of a logical framework (outputs to outcomes to programme).

Example: an action line with two output indicators (one at 50% of its target, one at
100%, weight 2) and one intervention at 25%::

    >>> from decimal import Decimal as D
    >>> node = Node("line", results=(
    ...     ResultInput("pupils", baseline=D(0), target=D(200), actual=D(100)),
    ...     ResultInput("parents", baseline=D(0), target=D(10), actual=D(12), weight=D(2)),
    ... ), children=(Node("school", results=(
    ...     ResultInput("absence", baseline=D(8), target=D(4), actual=D(7), direction="down"),
    ... )),))
    >>> done = rollup(node)
    >>> done.value, done.progress, done.counted, done.skipped
    (Fraction(11, 16), Decimal('0.687500'), 3, 0)
    >>> done.results[1].raw
    Fraction(6, 5)
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

UP, DOWN = "up", "down"
DIRECTIONS = (UP, DOWN)
PLACES = 6

# Why a progress is unknown (pages translate these keys).
NO_BASELINE = "no_baseline"
NO_TARGET = "no_target"
NO_ACTUAL = "no_actual"
NOT_AN_IMPROVEMENT = "target_not_an_improvement"
NOTHING_KNOWN = "nothing_known"
ZERO_WEIGHT = "zero_weight"

_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")


def period_key(period: str) -> tuple[int, int]:
    """Sort key of a result period: ``YYYY-Qn`` as (year, n); a whole year ``YYYY`` ends
    with its fourth quarter and sorts just after it, as (year, 5).

    >>> sorted(["2025", "2024-Q4", "2025-Q1", "2024"], key=period_key)
    ['2024-Q4', '2024', '2025-Q1', '2025']
    """
    match = _PERIOD.match(str(period))
    if not match:
        raise ValueError(f"period {period!r} is not YYYY or YYYY-Qn")
    year, quarter = match.groups()
    return int(year), int(quarter) if quarter else 5


def latest(values: dict[str, Decimal | None]) -> Decimal | None:
    """The value of the latest period that has one.

    >>> from decimal import Decimal as D
    >>> latest({"2024": D(3), "2025-Q2": D(5), "2026": None})
    Decimal('5')
    """
    known = [p for p, v in values.items() if v is not None]
    return values[max(known, key=period_key)] if known else None


def _fraction(value: Decimal | int | None, name: str) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, float) or isinstance(value, bool):
        raise TypeError(f"{name} is a Decimal or an int, not {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{name} is not a finite number: {value}")
    return Fraction(value)


def _weight(value: Decimal | int | None, name: str) -> Fraction:
    weight = _fraction(value, name)
    if weight is None:
        return Fraction(1)
    if weight < 0:
        raise ValueError(f"{name} is negative: {value}")
    return weight


def to_decimal(value: Fraction | None, places: int = PLACES) -> Decimal | None:
    """A fraction as a decimal rounded half-even to ``places``.

    >>> to_decimal(Fraction(2, 3)), to_decimal(Fraction(1, 8), 2)
    (Decimal('0.666667'), Decimal('0.12'))
    """
    if value is None:
        return None
    with decimal.localcontext() as context:
        context.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_EVEN)


@dataclass(frozen=True)
class ResultInput:
    """One result indicator: baseline, latest target and latest approved actual."""

    key: str
    baseline: Decimal | None
    target: Decimal | None
    actual: Decimal | None
    direction: str = UP
    weight: Decimal | None = None


@dataclass(frozen=True)
class Node:
    """One activity: its own result indicators and its children."""

    key: str
    results: tuple[ResultInput, ...] = ()
    children: tuple[Node, ...] = ()
    weight: Decimal | None = None


@dataclass(frozen=True)
class ResultProgress:
    key: str
    value: Fraction | None
    raw: Fraction | None
    weight: Fraction
    reason: str = ""

    @property
    def progress(self) -> Decimal | None:
        return to_decimal(self.value)


@dataclass(frozen=True)
class NodeProgress:
    key: str
    value: Fraction | None
    weight: Fraction
    results: tuple[ResultProgress, ...] = ()
    children: tuple[NodeProgress, ...] = ()
    reason: str = ""
    counted: int = 0
    skipped: int = 0
    skipped_keys: tuple[str, ...] = field(default=())

    @property
    def progress(self) -> Decimal | None:
        return to_decimal(self.value)

    def walk(self):
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def result_progress(result: ResultInput) -> ResultProgress:
    """Step 1 of the rule: one indicator's progress, clipped to [0, 1], or its reason.

    >>> from decimal import Decimal as D
    >>> result_progress(ResultInput("x", D(10), D(20), D(14))).value
    Fraction(2, 5)
    >>> result_progress(ResultInput("x", D(10), D(5), D(14), direction="down")).value
    Fraction(0, 1)
    >>> result_progress(ResultInput("x", D(10), D(5), D(14))).reason
    'target_not_an_improvement'
    """
    if result.direction not in DIRECTIONS:
        raise ValueError(f"direction of {result.key!r} is 'up' or 'down', "
                         f"not {result.direction!r}")
    weight = _weight(result.weight, f"weight of {result.key!r}")
    baseline = _fraction(result.baseline, f"baseline of {result.key!r}")
    target = _fraction(result.target, f"target of {result.key!r}")
    actual = _fraction(result.actual, f"actual of {result.key!r}")
    reason = ""
    if baseline is None:
        reason = NO_BASELINE
    elif target is None:
        reason = NO_TARGET
    elif actual is None:
        reason = NO_ACTUAL
    else:
        sign = 1 if result.direction == UP else -1
        needed = sign * (target - baseline)
        if needed <= 0:
            reason = NOT_AN_IMPROVEMENT
    if reason:
        return ResultProgress(result.key, None, None, weight, reason)
    raw = (actual - baseline) / (target - baseline)
    return ResultProgress(result.key, min(max(raw, Fraction(0)), Fraction(1)), raw, weight)


def rollup(node: Node) -> NodeProgress:
    """Step 2 of the rule: the weighted mean over a node's results and children."""
    results = tuple(result_progress(r) for r in node.results)
    children = tuple(rollup(c) for c in node.children)
    weight = _weight(node.weight, f"weight of {node.key!r}")
    parts = [*results, *children]
    known = [p for p in parts if p.value is not None]
    skipped = tuple(p.key for p in parts if p.value is None)
    total = sum((p.weight for p in known), Fraction(0))
    value, reason = None, ""
    if not known:
        reason = NOTHING_KNOWN
    elif total == 0:
        reason = ZERO_WEIGHT
    else:
        value = sum((p.weight * p.value for p in known), Fraction(0)) / total
    return NodeProgress(node.key, value, weight, results, children, reason,
                        counted=len(known), skipped=len(skipped), skipped_keys=skipped)
