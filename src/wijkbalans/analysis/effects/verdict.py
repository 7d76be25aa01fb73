"""A verdict in plain Dutch and English: what the estimate shows, and what it cannot show.

The verdict reads the diagnostics of a result (``sdid``, ``sc``, ``did``, ``did-cs``) and
applies these rules. *Blocking* problems mean no conclusion can be drawn; *warnings* are
stated next to the conclusion.

============================  ===========================================================
rule (constant)               when
============================  ===========================================================
``BLOCK_PRE_PERIODS`` = 2     blocking: fewer pre-periods; nothing can be checked
``MIN_PRE_PERIODS`` = 5       warning: a short pre-period says little about whether the
                              comparison would have kept following the area (Abadie 2021)
``MIN_DONORS`` = 10           warning: few comparison areas
placebo resolution            blocking (placebo-based p-values: sc, did with one treated
                              area): with ``J`` donors the smallest p-value is ``1/(J+1)``;
                              if that exceeds ``alpha`` no result can be significant
no uncertainty                blocking: no standard error and no placebo p-value
``POOR_FIT`` = 0.5            warning when the pre-period RMSPE exceeds 0.5 times the
``NO_FIT`` = 1.0              spread between comparison areas (see :func:`outcome_spread`);
                              blocking above 1.0 (the comparison does not follow the area)
misfit larger than effect     warning: ``|estimate|`` below the pre-period RMSPE
``PRETREND_ALPHA`` = 0.05     warning: the joint test of the leads of the event study
                              rejects parallel pre-trends
``NEAR_OPTIMAL`` = 1.1        warning (sc with predictors): a start whose loss is within
                              10% of the best gives an estimate that differs by more than
                              the pre-period RMSPE (the weights are not pinned down)
within the placebo range      ``p > alpha`` (``alpha = 1 - level``, default 0.05): the
                              estimate cannot be told apart from chance
============================  ===========================================================

Example
-------
>>> v = verdict({"method": "sdid", "estimate": 2.0, "se": 0.5, "p_value": 0.0001,
...              "level": 0.95, "ci": (1.02, 2.98), "n_pre": 8, "n_controls": 30,
...              "pre_rmspe": 0.1}, spread=1.0, outcome="score")
>>> v.conclusion
'effect'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

BLOCK_PRE_PERIODS = 2
MIN_PRE_PERIODS = 5
MIN_DONORS = 10
POOR_FIT = 0.5
NO_FIT = 1.0
PRETREND_ALPHA = 0.05
NEAR_OPTIMAL = 1.1


@dataclass
class Issue:
    code: str
    blocking: bool
    en: str
    nl: str


@dataclass
class Verdict:
    conclusion: str  # effect | effect_with_caveats | no_evidence | unreliable
    en: str
    nl: str
    issues: list[Issue] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def outcome_spread(y_donors_pre: np.ndarray, *, remove_levels: bool) -> float:
    """Typical distance between comparison areas before the start: the root mean over
    pre-periods of the cross-sectional variance of the donors' outcomes. With
    ``remove_levels`` (DiD, SDID, whose intercepts absorb level differences) each donor's
    pre-period mean is subtracted first."""
    y = np.asarray(y_donors_pre, dtype=float)
    if remove_levels:
        y = y - y.mean(axis=1, keepdims=True)
    if y.shape[0] < 2:
        return float("nan")
    return float(np.sqrt(np.mean(y.var(axis=0, ddof=1))))


def _num(x: float, nl: bool) -> str:
    text = f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"
    if nl:
        text = text.replace(",", " ").replace(".", ",")
    return text


def _get(result: Any, name: str, default=None):
    if isinstance(result, dict):
        return result.get(name, default)
    return getattr(result, name, default)


MESSAGES = {
    "too_few_pre_periods": (
        "Only {n_pre} period(s) before the start: the comparison cannot be checked.",
        "Slechts {n_pre} periode(n) vóór de start: de vergelijking is niet te controleren."),
    "few_pre_periods": (
        "Only {n_pre} periods before the start (at least {min_pre} advised): a good fit "
        "over so short a period proves little.",
        "Slechts {n_pre} perioden vóór de start (minstens {min_pre} aanbevolen): een goede "
        "aansluiting over zo'n korte periode zegt weinig."),
    "few_donors": (
        "Only {n_co} comparison areas (at least {min_donors} advised).",
        "Slechts {n_co} vergelijkingsgebieden (minstens {min_donors} aanbevolen)."),
    "placebo_resolution": (
        "With {n_co} comparison areas the placebo test cannot reach p <= {alpha}: the "
        "smallest possible p-value is {p_min}.",
        "Met {n_co} vergelijkingsgebieden kan de placebotoets nooit p <= {alpha} geven: de "
        "kleinste mogelijke p-waarde is {p_min}."),
    "no_uncertainty": (
        "No measure of uncertainty could be computed (too few comparison areas for the "
        "placebo variance).",
        "Er is geen onzekerheidsmaat te berekenen (te weinig vergelijkingsgebieden voor de "
        "placebovariantie)."),
    "poor_fit": (
        "Before the start the comparison misses the area by {rmspe} on average, {ratio} "
        "times the usual spread between areas: the comparison does not follow the area well.",
        "Vóór de start wijkt de vergelijking gemiddeld {rmspe} af van het gebied, {ratio} "
        "keer de gewone spreiding tussen gebieden: de vergelijking volgt het gebied slecht."),
    "effect_below_misfit": (
        "The estimated effect is smaller than the misfit before the start.",
        "Het geschatte effect is kleiner dan de afwijking vóór de start."),
    "unstable_weights": (
        "Another weighting of the predictors fits almost as well but gives {other} instead "
        "of {estimate}: the comparison is not pinned down by the data.",
        "Een andere weging van de voorspellers past bijna even goed maar geeft {other} in "
        "plaats van {estimate}: de cijfers leggen de vergelijking niet eenduidig vast."),
    "pretrends": (
        "Before the start the area already developed differently from the comparison "
        "(test of pre-trends: p = {p}).",
        "Vóór de start ontwikkelde het gebied zich al anders dan de vergelijking (toets op "
        "trends vooraf: p = {p})."),
}
MESSAGES["no_fit"] = MESSAGES["poor_fit"]


def _issue(code: str, blocking: bool, **values) -> Issue:
    """Fill in the English and Dutch text; floats get each language's decimal mark."""
    en, nl = MESSAGES[code]

    def fill(template, as_nl):
        return template.format(**{k: _num(v, as_nl) if isinstance(v, float) else v
                                  for k, v in values.items()})
    return Issue(code, blocking, fill(en, False), fill(nl, True))


def _issues(result, spread: float | None, alpha: float) -> list[Issue]:
    out: list[Issue] = []
    method = _get(result, "method")
    n_pre = _get(result, "n_pre")
    n_co = _get(result, "n_controls")
    if n_pre is not None and n_pre < BLOCK_PRE_PERIODS:
        out.append(_issue("too_few_pre_periods", True, n_pre=n_pre))
    elif n_pre is not None and n_pre < MIN_PRE_PERIODS:
        out.append(_issue("few_pre_periods", False, n_pre=n_pre, min_pre=MIN_PRE_PERIODS))
    if n_co is not None and n_co < MIN_DONORS:
        out.append(_issue("few_donors", False, n_co=n_co, min_donors=MIN_DONORS))
    placebo_based = method == "sc" or (method == "did" and _get(result, "se") is None)
    if placebo_based and n_co is not None and 1.0 / (n_co + 1) > alpha:
        out.append(_issue("placebo_resolution", True, n_co=n_co, alpha=float(alpha),
                          p_min=1.0 / (n_co + 1)))
    if _get(result, "se") is None and _get(result, "p_value") is None:
        out.append(_issue("no_uncertainty", True))
    pre_rmspe = _get(result, "pre_rmspe")
    if pre_rmspe is not None and spread is not None and np.isfinite(spread) and spread > 0:
        ratio = pre_rmspe / spread
        if ratio > POOR_FIT:
            out.append(_issue("poor_fit" if ratio <= NO_FIT else "no_fit", ratio > NO_FIT,
                              rmspe=float(pre_rmspe), ratio=float(ratio)))
    estimate = _get(result, "estimate")
    if pre_rmspe is not None and estimate is not None and abs(estimate) < pre_rmspe:
        out.append(_issue("effect_below_misfit", False))
    starts = _get(result, "starts") or []
    best = _get(result, "loss")
    if starts and best is not None and pre_rmspe is not None and estimate is not None:
        near = [s for s in starts if s.get("estimate") is not None
                and s["loss"] <= NEAR_OPTIMAL * best
                and abs(s["estimate"] - estimate) > pre_rmspe]
        if near:
            other = max(near, key=lambda s: abs(s["estimate"] - estimate))["estimate"]
            out.append(_issue("unstable_weights", False, other=float(other),
                              estimate=float(estimate)))
    pretrend = _get(result, "pretrend")
    if pretrend and pretrend.get("p_value") is not None and pretrend["p_value"] < PRETREND_ALPHA:
        out.append(_issue("pretrends", False, p=float(pretrend["p_value"])))
    return out


def verdict(result: Any, *, spread: float | None = None, outcome: str = "the outcome",
            alpha: float | None = None) -> Verdict:
    """The verdict for one result (a result dataclass or its ``to_dict()``)."""
    level = _get(result, "level") or 0.95
    alpha = 1.0 - level if alpha is None else alpha
    issues = _issues(result, spread, alpha)
    est = float(_get(result, "estimate"))
    p = _get(result, "p_value")
    ci = _get(result, "ci")
    direction_en = "higher" if est > 0 else "lower"
    direction_nl = "hoger" if est > 0 else "lager"
    what_en = (f"After the start, {outcome} in the programme area was on average "
               f"{_num(abs(est), False)} {direction_en} than in its comparison")
    what_nl = (f"Na de start lag {outcome} in het programmagebied gemiddeld "
               f"{_num(abs(est), True)} {direction_nl} dan in de vergelijking")
    if ci:
        pct = int(round(level * 100))
        what_en += f" ({pct}% interval {_num(ci[0], False)} to {_num(ci[1], False)})"
        what_nl += f" ({pct}%-interval {_num(ci[0], True)} tot {_num(ci[1], True)})"
    limits_en = ("Even a clear difference shows an effect of the programme only if nothing else "
                 "that affected just this area changed at the same time, and if the programme did "
                 "not also affect the comparison areas.")
    limits_nl = ("Ook een duidelijk verschil wijst alleen op een effect van het programma als er "
                 "tegelijk niets anders veranderde dat alleen dit gebied raakte, en als het "
                 "programma de vergelijkingsgebieden niet ook beïnvloedde.")
    caveats_en = " ".join(i.en for i in issues)
    caveats_nl = " ".join(i.nl for i in issues)
    if any(i.blocking for i in issues):
        return Verdict("unreliable",
                       f"No conclusion can be drawn. {caveats_en} {what_en}, but this figure "
                       "cannot be relied on.",
                       f"Hieruit is geen conclusie te trekken. {caveats_nl} {what_nl}, maar op dit "
                       "getal kunt u niet bouwen.", issues)
    significant = p is not None and p <= alpha and (not ci or ci[0] > 0 or ci[1] < 0)
    if not significant:
        p_en = f" (p = {_num(p, False)})" if p is not None else ""
        p_nl = f" (p = {_num(p, True)})" if p is not None else ""
        return Verdict("no_evidence",
                       f"{what_en}. This is within the range that chance alone produces{p_en}: "
                       "the data do not show an effect. That is not proof that there was none; "
                       f"a small effect may go unseen. {caveats_en}".strip(),
                       f"{what_nl}. Dat valt binnen wat ook door toeval ontstaat{p_nl}: de cijfers "
                       "tonen geen effect aan. Dat bewijst niet dat er geen effect was; een klein "
                       f"effect kan onzichtbaar blijven. {caveats_nl}".strip(), issues)
    conclusion = "effect_with_caveats" if issues else "effect"
    text_en = (f"{what_en}. A difference this large rarely arises by chance "
               f"(p = {_num(p, False)}). {limits_en}")
    text_nl = (f"{what_nl}. Zo'n groot verschil ontstaat zelden door toeval "
               f"(p = {_num(p, True)}). {limits_nl}")
    if issues:
        text_en += f" Note: {caveats_en}"
        text_nl += f" Let op: {caveats_nl}"
    return Verdict(conclusion, text_en, text_nl, issues)
