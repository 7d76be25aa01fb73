"""Difference-in-differences: the 2x2 estimate with an event study, and Callaway &
Sant'Anna (2021) for staggered starts.

**Block design** (all treated units start in the same period; :func:`did`). With ``d_i``
the mean of unit ``i`` after the start minus its mean before,
``tau = mean_tr(d) - mean_co(d)``: the two-way fixed-effects estimate of a balanced panel.
Its standard error is the cluster-robust (by unit) one of the unit-level collapse,
``sqrt(s_tr^2 / N_tr + s_co^2 / N_co)``, with Welch-Satterthwaite degrees of freedom for the
t-interval (Bertrand, Duflo & Mullainathan 2004). With one treated unit no such variance
exists; the p-value then comes from in-space permutation (each control as the treated
unit; Conley & Taber 2011). The event study estimates, for every period ``t`` except the
reference ``start - 1``, ``beta_t = mean_tr(Y_t - Y_ref) - mean_co(Y_t - Y_ref)`` with the same
variance (with one treated unit, its variance taken equal to the controls'). The leads are
tested jointly with the two-sample Hotelling T^2 test (pooled covariance, F distribution).

**Staggered starts** (:func:`callaway_santanna`): never a pooled two-way fixed-effects
regression, which weights some group-time effects negatively when effects vary
(Goodman-Bacon 2021; de Chaisemartin & D'Haultfoeuille 2020). Unconditional group-time
effects, with ``G_i`` the first treated period of unit ``i`` and ``C`` the comparison units,
``ATT(g, t) = mean_{G=g}(Y_t - Y_b) - mean_{C}(Y_t - Y_b)``, base ``b = g - 1`` for ``t >= g``
and, before the start, ``b = t - 1`` ("varying") or ``g - 1`` ("universal"). ``C`` is the
never-treated units (default) or the not-yet-treated ones (``G > max(t, b)``). Each
estimate has an influence function ``IF_i = N/N_g 1{G=g}(dY_i - mu_g) - N/N_C 1{C}(dY_i - mu_C)``;
the aggregations (simple: all post cells weighted by group size; dynamic: by event time
``e = t - g``) add the influence function of the estimated weights, as in the R package
``did``. Standard errors are ``sqrt(sum IF^2) / N``; a multiplier bootstrap (Rademacher
weights) gives the critical value of a uniform band over event times.

Example
-------
>>> import numpy as np
>>> y = np.tile(np.arange(6.0), (4, 1)); y[0, 3:] += 2.0; y[1, 3:] += 2.0
>>> round(did(y, treated=[0, 1], start=3).estimate, 6)
2.0
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy.stats import f as f_dist
from scipy.stats import norm
from scipy.stats import t as student_t

from .panel import jsonable


@dataclass
class DiDResult:
    estimate: float
    se: float | None
    level: float
    ci: tuple[float, float] | None
    p_value: float | None
    p_value_method: str
    placebo_p_value: float | None
    unit_weights: dict[str, float]
    time_weights: dict[str, float]
    event_study: list[dict]
    pretrend: dict | None
    n_treated: int
    n_controls: int
    n_pre: int
    n_post: int
    periods: list
    treated_path: list[float]
    counterfactual: list[float]
    gap: list[float]
    pre_rmspe: float
    placebo_estimates: list[float]
    timings: dict[str, float] = field(default_factory=dict)
    method: str = "did"

    def to_dict(self) -> dict:
        return jsonable(asdict(self))


@dataclass
class CSResult:
    estimate: float
    se: float
    level: float
    ci: tuple[float, float]
    p_value: float
    control_group: str
    base_period: str
    group_time: list[dict]
    event_study: list[dict]
    uniform_critical_value: float | None
    groups: dict[str, int]
    n_comparison_never: int
    dropped: list[str]
    unit_weights: None = None
    time_weights: None = None
    timings: dict[str, float] = field(default_factory=dict)
    method: str = "did-cs"

    def to_dict(self) -> dict:
        return jsonable(asdict(self))


def _welch(a: np.ndarray, b: np.ndarray) -> tuple[float | None, float | None]:
    """Standard error and Welch-Satterthwaite df of ``mean(a) - mean(b)`` (None if n_a < 2)."""
    if len(a) < 2 or len(b) < 2:
        return None, None
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = float(np.sqrt(va + vb))
    denom = va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)
    return se, float((va + vb) ** 2 / denom) if denom > 0 else float(len(a) + len(b) - 2)


def did(y: np.ndarray, *, treated: Sequence[int], start: int, units: Sequence[str] | None = None,
        times: Sequence | None = None, level: float = 0.95, placebo_reps: int = 200,
        seed: int = 0) -> DiDResult:
    """2x2 difference-in-differences and event study for a block design (module docstring)."""
    t_begin = time.perf_counter()
    y = np.asarray(y, dtype=float)
    n, t = y.shape
    if not np.isfinite(y).all():
        raise ValueError("the panel has missing values; apply the donor rules first")
    if not 1 <= start < t:
        raise ValueError("difference-in-differences needs a pre- and a post-period")
    tr = np.zeros(n, dtype=bool)
    tr[list(treated)] = True
    if tr.all() or not tr.any():
        raise ValueError("difference-in-differences needs treated and control units")
    units = list(units) if units is not None else [str(i) for i in range(n)]
    times = list(times) if times is not None else list(range(t))
    d = y[:, start:].mean(axis=1) - y[:, :start].mean(axis=1)
    d_tr, d_co = d[tr], d[~tr]
    tau = float(d_tr.mean() - d_co.mean())
    se, df = _welch(d_tr, d_co)

    # In-space permutation: the same number of controls drawn as if treated.
    rng = np.random.default_rng(seed)
    n_tr, n_co = int(tr.sum()), int((~tr).sum())
    placebo = np.array([])
    placebo_p = None
    if n_co > n_tr:
        if n_tr == 1:
            draws = np.arange(n_co)[:, None]
        else:
            draws = np.argsort(rng.random((placebo_reps, n_co)), axis=1)[:, :n_tr]
        mask = np.zeros((len(draws), n_co), dtype=bool)
        np.put_along_axis(mask, draws, True, axis=1)
        sums = mask @ d_co
        placebo = sums / n_tr - (d_co.sum() - sums) / (n_co - n_tr)
        placebo_p = float((1 + np.sum(np.abs(placebo) >= abs(tau))) / (len(placebo) + 1))
    if se is not None and se > 0:
        q = student_t.ppf(0.5 + level / 2, df)
        ci = (tau - q * se, tau + q * se)
        p_value, how = float(2 * student_t.sf(abs(tau) / se, df)), "cluster-robust t"
    else:
        ci, p_value, how = None, placebo_p, "in-space permutation"

    event, pretrend = _event_study(y, tr, start, times, level)
    y_tr, y_co = y[tr].mean(axis=0), y[~tr].mean(axis=0)
    counterfactual = y_co + (y_tr[:start].mean() - y_co[:start].mean())
    gap = y_tr - counterfactual
    return DiDResult(
        estimate=tau, se=se, level=level, ci=ci, p_value=p_value, p_value_method=how,
        placebo_p_value=placebo_p,
        unit_weights={units[i]: 1.0 / n_co for i in np.flatnonzero(~tr)},
        time_weights={str(times[s]): 1.0 / start for s in range(start)},
        event_study=event, pretrend=pretrend, n_treated=n_tr, n_controls=n_co, n_pre=start,
        n_post=t - start, periods=times, treated_path=y_tr.tolist(),
        counterfactual=counterfactual.tolist(), gap=gap.tolist(),
        pre_rmspe=float(np.sqrt(np.mean(gap[:start] ** 2))), placebo_estimates=placebo.tolist(),
        timings={"total": time.perf_counter() - t_begin},
    )


def _event_study(y, tr, start, times, level):
    ref = start - 1
    diff = y - y[:, [ref]]
    a, b = diff[tr], diff[~tr]
    beta = a.mean(axis=0) - b.mean(axis=0)
    n_tr, n_co = len(a), len(b)
    if n_tr >= 2:
        cov = np.cov(a, rowvar=False, ddof=1) / n_tr + np.cov(b, rowvar=False, ddof=1) / n_co
    else:  # one treated unit: its variance taken equal to the controls'
        cov = np.cov(b, rowvar=False, ddof=1) * (1.0 / n_tr + 1.0 / n_co)
    cov = np.atleast_2d(cov)
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    z = norm.ppf(0.5 + level / 2)
    rows = []
    for s in range(y.shape[1]):
        if s == ref:
            continue
        low, high = float(beta[s] - z * se[s]), float(beta[s] + z * se[s])
        rows.append({"relative": s - start, "period": times[s], "estimate": float(beta[s]),
                     "se": float(se[s]), "ci": (low, high)})
    leads = np.arange(ref)
    pretrend = None
    if leads.size:
        # Two-sample Hotelling T^2 with the pooled covariance: exact F under normality and
        # equal covariances, where a Wald test with a covariance estimated from a handful of
        # treated units would reject far too often.
        dev = np.vstack([a[:, leads] - a[:, leads].mean(0), b[:, leads] - b[:, leads].mean(0)])
        dof_resid = n_tr + n_co - 2
        k = int(np.linalg.matrix_rank(dev)) if dof_resid > 0 else 0
        if k > 0 and dof_resid - k + 1 > 0:
            pooled = dev.T @ dev / dof_resid * (1.0 / n_tr + 1.0 / n_co)
            t2 = float(beta[leads] @ np.linalg.pinv(pooled) @ beta[leads])
            f = t2 * (dof_resid - k + 1) / (dof_resid * k)
            pretrend = {"hotelling_t2": t2, "f": f, "df": (k, dof_resid - k + 1),
                        "p_value": float(f_dist.sf(f, k, dof_resid - k + 1))}
    return rows, pretrend


def _cells(starts, n_t, control, base_period):
    """The (g, t, base, treated mask, comparison mask) cells of Callaway & Sant'Anna."""
    never = starts < 0
    cells = []
    for g in sorted(set(starts[~never].tolist())):
        in_g = starts == g
        for s in range(n_t):
            if s == g - 1 and base_period == "universal":
                continue
            base = g - 1 if (s >= g or base_period == "universal") else s - 1
            if base < 0 or s == base:
                continue
            if control == "never":
                comp = never
            else:
                comp = never | ((starts > max(s, base)) & ~in_g)
            if comp.sum() == 0:
                continue
            cells.append((g, s, base, in_g, comp))
    return cells


def callaway_santanna(y: np.ndarray, *, starts: Sequence[int], units: Sequence[str] | None = None,
                      times: Sequence | None = None, control: str = "never",
                      base_period: str = "varying", level: float = 0.95,
                      bootstrap_reps: int = 999, seed: int = 0) -> CSResult:
    """Group-time ATTs and their simple and dynamic aggregation (module docstring).

    ``starts[i]`` is the column of unit ``i``'s first treated period, or ``-1`` for a unit
    never treated. Units treated from the first column have no pre-period and are dropped.
    """
    t_begin = time.perf_counter()
    if control not in ("never", "notyet"):
        raise ValueError("control must be 'never' or 'notyet'")
    if base_period not in ("varying", "universal"):
        raise ValueError("base_period must be 'varying' or 'universal'")
    y = np.asarray(y, dtype=float)
    st = np.asarray(starts, dtype=int)
    units = list(units) if units is not None else [str(i) for i in range(len(y))]
    times = list(times) if times is not None else list(range(y.shape[1]))
    dropped = [units[i] for i in np.flatnonzero(st == 0)]
    keep_units = st != 0
    y, st = y[keep_units], st[keep_units]
    if not np.isfinite(y).all():
        raise ValueError("the panel has missing values; apply the donor rules first")
    n = len(y)
    cells = _cells(st, y.shape[1], control, base_period)
    if not cells:
        raise ValueError("no group-time effect can be estimated: no comparison units "
                         "(never treated, or not yet treated)")
    att = np.empty(len(cells))
    infl = np.zeros((len(cells), n))
    for k, (_g, s, b, in_g, comp) in enumerate(cells):
        dy = y[:, s] - y[:, b]
        mu_g, mu_c = dy[in_g].mean(), dy[comp].mean()
        att[k] = mu_g - mu_c
        infl[k] = (n / in_g.sum()) * in_g * (dy - mu_g) - (n / comp.sum()) * comp * (dy - mu_c)
    se_cell = np.sqrt((infl**2).sum(axis=1)) / n
    group_of = np.array([c[0] for c in cells])
    rel = np.array([c[1] - c[0] for c in cells])
    sizes = {g: int((st == g).sum()) for g in set(group_of.tolist())}
    g_n = np.array([sizes[g] for g in group_of])
    # Influence of the group shares p_g = N_g / N, per cell: 1{G_i = g} - p_g.
    psi_p = np.array([(st == g).astype(float) - sizes[g] / n for g in group_of])

    def agg(keep):
        share = g_n[keep] / n
        total = share.sum()
        w = share / total
        est = float(w @ att[keep])
        psi_w = psi_p[keep] / total - np.outer(share / total**2, psi_p[keep].sum(axis=0))
        return est, w @ infl[keep] + att[keep] @ psi_w

    z = norm.ppf(0.5 + level / 2)
    est, if_simple = agg(rel >= 0)
    se = float(np.sqrt((if_simple**2).sum()) / n)
    events = sorted(set(rel.tolist()))
    dyn = [agg(rel == e) for e in events]
    if_dyn = np.array([d[1] for d in dyn])
    se_dyn = np.sqrt((if_dyn**2).sum(axis=1)) / n
    crit = None
    if bootstrap_reps:
        rng = np.random.default_rng(seed)
        v = rng.choice([-1.0, 1.0], size=(bootstrap_reps, n))
        boot = v @ if_dyn.T / n  # (reps, events)
        ok = se_dyn > 0
        if ok.any():
            crit = float(np.quantile(np.abs(boot[:, ok] / se_dyn[ok]).max(axis=1), level))
    event_rows = []
    for e, (val, _), s_e in zip(events, dyn, se_dyn, strict=True):
        row = {"relative": e, "estimate": val, "se": float(s_e),
               "ci": (val - z * s_e, val + z * s_e)}
        if crit is not None:
            row["uniform_band"] = (val - crit * s_e, val + crit * s_e)
        event_rows.append(row)
    group_rows = [{"group": times[g], "period": times[s], "base": times[b], "att": float(a),
                   "se": float(sc), "n_group": int(in_g.sum()), "n_comparison": int(comp.sum()),
                   "post": s >= g}
                  for (g, s, b, in_g, comp), a, sc in zip(cells, att, se_cell, strict=True)]
    return CSResult(
        estimate=est, se=se, level=level, ci=(est - z * se, est + z * se),
        p_value=float(2 * norm.sf(abs(est) / se)) if se > 0 else float("nan"),
        control_group=control, base_period=base_period, group_time=group_rows,
        event_study=event_rows, uniform_critical_value=crit,
        groups={str(times[g]): sizes[g] for g in sorted(sizes)},
        n_comparison_never=int((st < 0).sum()), dropped=dropped,
        timings={"total": time.perf_counter() - t_begin},
    )
