"""Benchmark: the stacking index with decomposition for all Dutch buurten x 12 periods.

A synthetic panel the size of the Netherlands (about 14,600 buurten, 12 periods, 25
indicators over the 8 default themes; fixed seed) goes through
``analysis.stacking.stacking_index`` and through a plain pandas implementation of the same
rules (merges, groupby aggregation per area and period, a groupby ``apply`` per period and
domain), written below without tricks. The two must agree to 1e-9 on a subsample of areas;
the figures are the median of 3 timed runs each (``time.perf_counter``) and their ratio.
Target: the vectorised index under 2 s.

Run: ``.venv/bin/python -m benchmarks.bench_stacking`` (or ``make benchmark``).
"""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from wijkbalans.analysis.stacking import StackingConfig, stacking_index
from wijkbalans.analysis.standardise import DEFAULT_THEMES

SEED = 20240601
N_AREAS, N_PERIODS, N_INDICATORS = 14_600, 12, 25
CHECK_AREAS = 300  # the subsample compared with the plain implementation


def synthetic(n_areas: int = N_AREAS, n_periods: int = N_PERIODS,
              n_indicators: int = N_INDICATORS, seed: int = SEED):
    """A panel, its indicator table and the population per (area, period)."""
    rng = np.random.default_rng(seed)
    areas = np.array([f"BU{i:08d}" for i in range(n_areas)], dtype=object)
    periods = np.array([str(2013 + p) for p in range(n_periods)], dtype=object)
    codes = np.array([f"ind_{i:02d}" for i in range(n_indicators)], dtype=object)
    themes = [DEFAULT_THEMES[i % len(DEFAULT_THEMES)] for i in range(n_indicators)]
    polarity = np.where(rng.random(n_indicators) < 0.4, "higher_better", "higher_worse")
    latent = rng.normal(size=n_areas)[:, None] + np.cumsum(
        rng.normal(scale=0.1, size=(n_areas, n_periods)), axis=1)
    loading = rng.uniform(0.3, 1.0, size=n_indicators) * np.where(
        polarity == "higher_worse", 1.0, -1.0)
    values = 20.0 + 5.0 * (latent[:, :, None] * loading + rng.normal(
        size=(n_areas, n_periods, n_indicators)))
    population = np.round(rng.lognormal(mean=6.5, sigma=1.2, size=(n_areas, n_periods)))
    values[rng.random(values.shape) < 0.03] = np.nan  # missing
    values[(population < 50)[:, :, None] & (rng.random(values.shape) < 0.5)] = np.nan  # suppressed
    panel = pd.DataFrame({
        "area": np.repeat(areas, n_periods * n_indicators),
        "period": np.tile(np.repeat(periods, n_indicators), n_areas),
        "indicator": np.tile(codes, n_areas * n_periods),
        "value": values.ravel(),
    })
    table = pd.DataFrame({"code": codes, "theme": themes, "polarity": polarity})
    pop = pd.Series(population.ravel(), index=pd.MultiIndex.from_arrays(
        [np.repeat(areas, n_periods), np.tile(periods, n_areas)], names=["area", "period"]),
        name="population")
    return panel, table, pop


# --- the plain pandas implementation --------------------------------------------------

def plain(panel: pd.DataFrame, table: pd.DataFrame, pop: pd.Series, config: StackingConfig):
    """The same rules, written the straightforward way (no fixed reference period)."""
    themes = list(config.themes)
    df = panel.merge(table.rename(columns={"code": "indicator"}), on="indicator")
    df = df[df["theme"].isin(themes) & (df["polarity"] != "neutral")].copy()
    df = df.merge(pop.rename("population").reset_index(), on=["area", "period"], how="left")
    df["small"] = df["population"] < config.min_population
    ref = df[~df["small"] & df["value"].notna()]
    stats = ref.groupby(["period", "indicator"])["value"].agg(
        ref_mean="mean", ref_sd=lambda v: v.std(ddof=0)).reset_index()
    df = df.merge(stats, on=["period", "indicator"], how="left")
    sign = df["polarity"].map({"higher_worse": 1.0, "higher_better": -1.0})
    df["z"] = sign * (df["value"] - df["ref_mean"]) / df["ref_sd"].where(df["ref_sd"] > 0)
    n_theme = df.groupby("theme")["indicator"].nunique()

    dom = df.groupby(["area", "period", "theme"]).agg(
        z_sum=("z", "sum"), n_present=("z", "count"), small=("small", "first")).reset_index()
    dom["dz"] = dom["z_sum"] / dom["n_present"]
    enough = dom["n_present"] >= config.min_share_present * dom["theme"].map(n_theme)
    dom.loc[~enough | (dom["n_present"] == 0), "dz"] = np.nan
    dom["index100"] = 100 - config.index_scale * dom["dz"]

    def position(group):
        period, theme = group.name
        reference = dom[(dom["period"] == period) & (dom["theme"] == theme) & ~dom["small"]]
        ref = np.sort(reference["dz"].dropna().to_numpy())
        k = max(1, math.ceil(config.worst_share * len(ref) - 1e-9))
        cutoff = ref[len(ref) - k]
        pos = group["dz"].map(
            lambda x: np.searchsorted(ref, x, side="right") / len(ref) if x == x else np.nan)
        return pd.DataFrame({"position": pos, "worst": group["dz"] >= cutoff}, index=group.index)

    dom = dom.join(dom.groupby(["period", "theme"], group_keys=False)[["dz"]].apply(position))
    dom["exp"] = -23 * np.log(1 - dom["position"] * (1 - np.exp(-100 / 23)))

    dom["worst"] = dom["worst"].astype(float)
    scores = dom.groupby(["area", "period"]).agg(
        n_domains=("dz", "count"), index100=("index100", "mean"), deprivation=("exp", "mean"),
        stack_count=("worst", "sum"), small=("small", "first")).reset_index()
    incomplete = scores["n_domains"] < len(themes)
    scores.loc[incomplete, ["index100", "deprivation", "stack_count"]] = np.nan
    for method, ascending in (("index100", True), ("deprivation", False)):
        ok = ~scores["small"] & scores[method].notna()
        ranked = scores[ok].groupby("period")[method].rank(method="min", ascending=ascending)
        scores[f"{method}_rank"] = ranked
        n = ok.groupby(scores["period"]).transform("sum")
        scores[f"{method}_decile"] = np.ceil(10 * scores[f"{method}_rank"] / n - 1e-12)
    # Decomposition: equal weights, so each domain contributes (index100_d - 100) / D.
    dom = dom.merge(scores[["area", "period", "index100"]].rename(
        columns={"index100": "overall"}), on=["area", "period"])
    d = len(themes)
    dom["index100_contribution"] = ((dom["index100"] - 100) / d).where(dom["overall"].notna())
    df = df.merge(dom[["area", "period", "theme", "n_present", "dz", "overall"]],
                  on=["area", "period", "theme"], suffixes=("", "_dom"))
    df["index100_contribution"] = (-config.index_scale * df["z"] / df["n_present"] / d).where(
        df["overall"].notna() & df["dz"].notna())
    return scores, dom, df


def _check(result, scores, dom, ind, areas) -> None:
    got = result.scores.astype({"area": str, "period": str})
    got = got[got["area"].isin(areas)].set_index(["area", "period"]).sort_index()
    want = scores[scores["area"].isin(areas)].set_index(["area", "period"]).sort_index()
    for col in ["index100", "deprivation", "stack_count", "index100_rank", "index100_decile",
                "deprivation_rank", "deprivation_decile"]:
        np.testing.assert_allclose(got[col].to_numpy(), want[col].to_numpy(), rtol=0,
                                   atol=1e-9, err_msg=col)
    got = result.domains.astype({"area": str, "period": str, "domain": str})
    got = got[got["area"].isin(areas)].set_index(["area", "period", "domain"]).sort_index()
    want = dom[dom["area"].isin(areas)].set_index(["area", "period", "theme"]).sort_index()
    for mine, theirs in [("z_problem", "dz"), ("position", "position"), ("exp_score", "exp"),
                         ("index100_contribution", "index100_contribution")]:
        np.testing.assert_allclose(got[mine].to_numpy(), want[theirs].to_numpy(), rtol=0,
                                   atol=1e-9, err_msg=mine)
    assert (got["worst"].to_numpy() == want["worst"].to_numpy().astype(bool)).all()
    got = result.indicators.astype({"area": str, "period": str, "indicator": str})
    got = got[got["area"].isin(areas)].set_index(["area", "period", "indicator"]).sort_index()
    want = ind[ind["area"].isin(areas)].set_index(["area", "period", "indicator"]).sort_index()
    np.testing.assert_allclose(got["index100_contribution"].to_numpy(),
                               want["index100_contribution"].to_numpy(), rtol=0, atol=1e-9)


def _median_time(fn: Callable, repeats: int):
    """Median wall time (``perf_counter``), median CPU time of this process, last result."""
    walls, cpus, out = [], [], None
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), out


def run(report: Callable[[dict], None] | None = None, *, n_areas: int = N_AREAS,
        n_periods: int = N_PERIODS, n_indicators: int = N_INDICATORS, repeats: int = 3) -> dict:
    """Time both implementations, check they agree, and return the figures."""
    panel, table, pop = synthetic(n_areas, n_periods, n_indicators)
    config = StackingConfig()
    seconds, cpu_seconds, result = _median_time(
        lambda: stacking_index(panel, table, population=pop, config=config), repeats)
    baseline_seconds, baseline_cpu, (scores, dom, ind) = _median_time(
        lambda: plain(panel, table, pop, config), repeats)
    rng = np.random.default_rng(SEED)
    areas = set(rng.choice(panel["area"].unique(), size=min(CHECK_AREAS, n_areas), replace=False))
    _check(result, scores, dom, ind, areas)
    figures = {
        "name": "stacking index with decomposition",
        "seconds": seconds,
        "baseline_seconds": baseline_seconds,
        "ratio": baseline_seconds / seconds,
        "n_areas": n_areas,
        "n_periods": n_periods,
        "n_indicators": n_indicators,
        # On a shared machine wall time depends on the load; CPU time much less so.
        "cpu_seconds": cpu_seconds,
        "baseline_cpu_seconds": baseline_cpu,
        "load_average": os.getloadavg()[0],
    }
    if report is not None:
        report(figures)
    return figures


if __name__ == "__main__":
    print(run())
