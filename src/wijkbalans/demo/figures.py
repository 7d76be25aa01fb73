"""Twelve years of the core indicators for Demostad, with known, planted effects.

Every buurt gets a lasting *deprivation* score ``d`` (about 1.3 in the northern band that
forms the programme area Demostad-Noord, about -0.4 elsewhere). Each rate follows

    value[b, t] = f(base + per_d * d[b] + trend * (t - 2013) + u[b] + e[b, t])

with ``u`` a lasting deviation of the buurt, ``e`` year-to-year noise and ``f`` the
identity (additive rates) or ``exp`` on a log scale (rates that cannot go below zero;
``base`` then is the level at ``d = 0`` and ``per_d`` and ``trend`` are relative). All
buurten share the same trend, so before the programme treated and other buurten run in
parallel. :data:`PLANTED_EFFECTS` then shifts the programme area's values from its start
year on; a difference-in-differences finds the shift back (see docs/demo.md).

Buurt values are rounded as CBS publishes them (the catalogue's ``decimals``); counts are
integers and the age groups add up to ``inwoners``. Wijk and gemeente values are computed
from the buurten by the catalogue's aggregation rule, unrounded: counts are summed, rates
are means weighted by their denominator over the buurten that have a value (see
docs/indicators.md). The Leefbaarometer total ``lbm_afw`` is the sum of its five
dimensions, and ``lbm_klasse`` is read from ``lbm_afw`` by :data:`LBM_CLASS_BOUNDS` at
every level.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from wijkbalans.indicators import catalogue
from wijkbalans.indicators.importers.base import Parsed, observations_frame

from .geography import GEMEENTE_NAME, GEMEENTECODE, PROGRAMME_SLUG, Geography, build_geography

DEFAULT_SEED = 9999
YEARS = tuple(range(2013, 2025))
AGE_GROUPS = ("inwoners_0_14", "inwoners_15_24", "inwoners_25_44", "inwoners_45_64",
              "inwoners_65plus")
COUNTS = ("inwoners", "mannen", "vrouwen", *AGE_GROUPS, "huishoudens", "woningen")
LBM_DIMENSIONS = ("lbm_won", "lbm_fys", "lbm_vrz", "lbm_soc", "lbm_onv")
# Upper bounds of classes 1..8 on lbm_afw; above the last is class 9. Chosen for the demo
# in the spirit of the Leefbaarometer's nine classes, not copied from it.
LBM_CLASS_BOUNDS = (-0.30, -0.20, -0.10, -0.05, 0.0, 0.05, 0.10, 0.20)
# Deprivation: mean and spread in the programme area and elsewhere.
BAND_D = (1.3, 0.3)
REST_D = (-0.4, 0.5)
# Cells set to missing (status "missing") at random, in these indicators only.
MISSING_CELLS = 12


@dataclass(frozen=True)
class Rate:
    """How one rate is generated; see the module docstring for the formula."""

    base: float
    per_d: float
    trend: float
    persistent: float
    yearly: float
    log: bool
    low: float
    high: float


RATES: dict[str, Rate] = {
    "werkzaam_pct": Rate(69.0, -6.0, 0.35, 1.5, 0.5, False, 35, 85),
    "bijstand_per_1000": Rate(22.0, 0.65, -0.012, 0.12, 0.04, True, 1, 250),
    "inkomen_per_inwoner": Rate(29.0, -0.17, 0.024, 0.06, 0.015, True, 12, 80),
    "laag_inkomen_hh_pct": Rate(7.5, 0.45, -0.01, 0.10, 0.05, True, 0.5, 60),
    "kinderen_armoede_pct": Rate(6.5, 0.55, -0.012, 0.12, 0.06, True, 0.5, 70),
    "moeite_rondkomen_pct": Rate(14.0, 0.35, -0.005, 0.08, 0.05, True, 2, 70),
    "onderwijsachterstand_pct": Rate(8.0, 0.50, -0.01, 0.12, 0.05, True, 0.5, 60),
    "woz_waarde": Rate(225.0, -0.22, 0.045, 0.10, 0.015, True, 60, 900),
    "corporatiewoningen_pct": Rate(24.0, 18.0, -0.15, 6.0, 0.4, False, 0, 95),
    "ervaren_gezondheid_pct": Rate(76.0, -5.0, -0.25, 1.5, 0.6, False, 40, 92),
    "angst_depressie_hoog_pct": Rate(6.0, 0.35, 0.02, 0.10, 0.06, True, 1, 30),
    "eenzaam_ernstig_pct": Rate(10.0, 0.30, 0.01, 0.10, 0.05, True, 2, 35),
    "vrijwilligerswerk_pct": Rate(31.0, -0.20, -0.008, 0.08, 0.04, True, 5, 60),
    "misdrijven_per_1000": Rate(42.0, 0.40, -0.02, 0.20, 0.07, True, 5, 250),
    "jonge_verdachten_per_1000": Rate(14.0, 0.50, -0.035, 0.20, 0.12, True, 1, 100),
    "lbm_won": Rate(0.0, -0.045, 0.001, 0.015, 0.004, False, -0.5, 0.5),
    "lbm_fys": Rate(0.0, -0.020, 0.0, 0.015, 0.004, False, -0.5, 0.5),
    "lbm_vrz": Rate(0.01, 0.010, 0.0, 0.015, 0.003, False, -0.5, 0.5),
    "lbm_soc": Rate(0.0, -0.040, -0.0005, 0.012, 0.004, False, -0.5, 0.5),
    "lbm_onv": Rate(0.0, -0.060, 0.002, 0.015, 0.005, False, -0.5, 0.5),
}
MISSING_ELIGIBLE = ("bijstand_per_1000", "laag_inkomen_hh_pct", "kinderen_armoede_pct",
                    "moeite_rondkomen_pct", "onderwijsachterstand_pct", "woz_waarde",
                    "corporatiewoningen_pct", "angst_depressie_hoog_pct",
                    "eenzaam_ernstig_pct", "vrijwilligerswerk_pct", "misdrijven_per_1000",
                    "jonge_verdachten_per_1000")
INDICATORS = (*COUNTS, *[c for c in RATES if c not in LBM_DIMENSIONS], "lbm_klasse",
              "lbm_afw", *LBM_DIMENSIONS)


@dataclass(frozen=True)
class PlantedEffect:
    """A known programme effect: ``shift`` (in the indicator's unit) is added to every
    buurt of the area set ``area_set`` from ``from_year`` on, on top of the trend that all
    buurten share. A shift of 0 is a planted *absence* of effect (a placebo outcome)."""

    indicator: str
    area_set: str
    from_year: int
    shift: float
    note: str


PLANTED_EFFECTS: dict[str, PlantedEffect] = {
    "werkzaam_pct": PlantedEffect(
        "werkzaam_pct", PROGRAMME_SLUG, 2019, 3.0,
        "Employment rises by 3 percentage points from 2019 on, relative to the trend of "
        "the other buurten."),
    "ervaren_gezondheid_pct": PlantedEffect(
        "ervaren_gezondheid_pct", PROGRAMME_SLUG, 2019, 0.0,
        "No effect: self-rated health follows the common trend; an evaluation that "
        "finds an effect here is wrong."),
}


def deprivation(rng: np.random.Generator, buurten: pd.DataFrame) -> np.ndarray:
    """The lasting deprivation score of each buurt (higher is worse)."""
    band = buurten["programme"].to_numpy()
    d = np.where(band, rng.normal(*BAND_D, len(band)), rng.normal(*REST_D, len(band)))
    return np.where(buurten["industrial"].to_numpy(), 0.0, d)


def _split(total: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Integer parts of ``total`` by ``shares`` (last axis) that add up to ``total``
    exactly: floors first, the remainder to the largest fractions (Hamilton's method)."""
    raw = shares / shares.sum(axis=-1, keepdims=True) * total[..., None]
    floor = np.floor(raw)
    left = (total - floor.sum(axis=-1)).astype(int)
    rank = np.argsort(np.argsort(-(raw - floor), axis=-1, kind="stable"), axis=-1,
                      kind="stable")
    return (floor + (rank < left[..., None])).astype(np.int64)


def counts(rng: np.random.Generator, buurten: pd.DataFrame, d: np.ndarray) -> dict:
    """Residents, sex, age groups, households and dwellings: integer arrays (buurt, year)."""
    n, k = len(buurten), np.arange(len(YEARS))
    industrial = buurten["industrial"].to_numpy()
    band = buurten["programme"].to_numpy()
    base = np.clip(rng.lognormal(np.log(1900), 0.35, n), 700, 4500) * np.where(band, 1.15, 1)
    growth = rng.normal(0.004, 0.004, n)
    inwoners = np.rint(base[:, None] * (1 + growth[:, None]) ** k
                       * np.exp(rng.normal(0, 0.004, (n, len(k)))))
    small = rng.integers(20, 40, n)[:, None] + rng.integers(0, 8, (n, len(k)))
    inwoners = np.where(industrial[:, None], small, inwoners).astype(np.int64)

    # Deprived buurten are younger; everywhere the young shrink and the old grow a little.
    dd = d[:, None]
    shares = np.stack(np.broadcast_arrays(
        0.155 + 0.02 * dd - 0.0008 * k, 0.12 + 0.01 * dd, 0.25 + 0.01 * dd,
        0.27 - 0.01 * dd, 0.205 - 0.03 * dd + 0.002 * k), axis=-1)
    shares = shares + rng.normal(0, 0.01, (n, 1, 5))
    shares[industrial] = [0.02, 0.08, 0.45, 0.40, 0.05]
    ages = _split(inwoners, np.clip(shares, 0.02, None))

    mannen = rng.binomial(inwoners, 0.497)
    size = 2.25 - 0.15 * d[:, None] + rng.normal(0, 0.1, (n, 1)) - 0.005 * k
    size = np.where(industrial[:, None], 1.6, size)
    huishoudens = np.maximum(np.rint(inwoners / size), 1).astype(np.int64)
    vacancy = 1.01 + np.abs(rng.normal(0, 0.015, (n, 1)))
    woningen = np.rint(huishoudens * vacancy).astype(np.int64)
    out = {"inwoners": inwoners, "mannen": mannen, "vrouwen": inwoners - mannen,
           "huishoudens": huishoudens, "woningen": woningen}
    out.update({code: ages[..., i] for i, code in enumerate(AGE_GROUPS)})
    return out


def rates(rng: np.random.Generator, buurten: pd.DataFrame, d: np.ndarray) -> dict:
    """Every rate and Leefbaarometer score as float arrays (buurt, year), rounded."""
    n, k = len(buurten), np.arange(len(YEARS))
    band = buurten["programme"].to_numpy()
    out = {}
    for code, rate in RATES.items():
        own = rng.normal(0, rate.persistent, (n, 1))
        noise = rng.normal(0, rate.yearly, (n, len(k)))
        if rate.log:
            value = rate.base * np.exp(rate.per_d * d[:, None] + rate.trend * k + own + noise)
        else:
            value = rate.base + rate.per_d * d[:, None] + rate.trend * k + own + noise
        effect = PLANTED_EFFECTS.get(code)
        if effect is not None:
            after = np.array(YEARS) >= effect.from_year
            value = value + effect.shift * (band[:, None] & after[None, :])
        out[code] = np.round(np.clip(value, rate.low, rate.high), catalogue.spec(code).decimals)
    out["lbm_afw"] = np.round(sum(out[c] for c in LBM_DIMENSIONS), 4)
    return out


def lbm_class(afw: np.ndarray) -> np.ndarray:
    """Class 1..9 of a total score; NaN stays NaN."""
    classes = np.searchsorted(np.array(LBM_CLASS_BOUNDS), afw, side="left") + 1.0
    return np.where(np.isnan(afw), np.nan, classes)


def aggregate(values: dict[str, np.ndarray], groups: np.ndarray) -> dict[str, np.ndarray]:
    """Values of parent areas from their buurten by each indicator's catalogue rule.

    ``groups`` is a 0/1 matrix (parent, buurt). Counts are summed; a rate is
    ``sum(w * v) / sum(w)`` over the buurten with a value, ``w`` its denominator; a
    parent without any such buurt gets NaN (missing). ``lbm_klasse`` comes from the
    parent's own ``lbm_afw``.
    """
    out: dict[str, np.ndarray] = {}
    for code, matrix in values.items():
        spec = catalogue.spec(code)
        if spec.aggregation == "sum":
            out[code] = groups @ matrix.astype(np.float64)
        elif spec.aggregation == "weighted_mean":
            has = ~np.isnan(matrix)
            weight = values[spec.denominator].astype(np.float64) * has
            with np.errstate(invalid="ignore", divide="ignore"):
                out[code] = ((groups @ (weight * np.where(has, matrix, 0.0)))
                             / (groups @ weight))
    out["lbm_klasse"] = lbm_class(out["lbm_afw"])
    return out


@dataclass(frozen=True)
class City:
    """Demostad as generated from one seed: its map and its observations (long format,
    the columns of :data:`~wijkbalans.indicators.importers.base.OBSERVATION_COLUMNS`)."""

    seed: int
    geography: Geography
    observations: pd.DataFrame
    digest: str  # SHA-256 of the seed, the observations and the areas

    def parsed(self) -> Parsed:
        """The city as an importer would hand it to the loader."""
        return Parsed(
            observations=self.observations,
            indicators=[catalogue.spec(code) for code in INDICATORS],
            areas=list(self.geography.records),
            notes=[f"Synthetic data for the fictitious municipality {GEMEENTE_NAME} "
                   f"({GEMEENTECODE}), seed {self.seed}: not real figures. See docs/demo.md."],
        )

    def wide(self, indicator: str) -> pd.DataFrame:
        """One indicator as a table: areas down, years across."""
        rows = self.observations[self.observations["indicator"] == indicator]
        return rows.pivot(index="area", columns="period", values="value")


def _blank(buurten: pd.DataFrame, values: dict, rng: np.random.Generator) -> dict:
    """Suppress every rate of the industrial buurt and blank a few random cells; returns
    the status arrays."""
    shape = values["inwoners"].shape
    status = {code: np.full(shape, "value", dtype=object) for code in values}
    industrial = buurten["industrial"].to_numpy()
    for code in values:
        if code not in COUNTS:
            values[code][industrial] = np.nan
            status[code][industrial] = "suppressed"
    eligible = np.flatnonzero(~industrial)
    chosen: set[tuple[str, int, int]] = set()
    while len(chosen) < MISSING_CELLS:
        chosen.add((str(rng.choice(MISSING_ELIGIBLE)), int(rng.choice(eligible)),
                    int(rng.integers(len(YEARS)))))
    for code, b, t in sorted(chosen):
        values[code][b, t] = np.nan
        status[code][b, t] = "missing"
    return status


def _long(codes_: list[str], values: dict, status: dict) -> pd.DataFrame:
    n_area, n_year = len(codes_), len(YEARS)
    parts = {"indicator": [], "area": [], "period": [], "value": [], "status": []}
    for code in INDICATORS:
        parts["indicator"].append(np.full(n_area * n_year, code, dtype=object))
        parts["area"].append(np.repeat(np.array(codes_, dtype=object), n_year))
        parts["period"].append(np.tile(np.array([str(y) for y in YEARS], dtype=object), n_area))
        parts["value"].append(values[code].astype(np.float64).ravel())
        parts["status"].append(status[code].ravel())
    records = {key: np.concatenate(chunks) for key, chunks in parts.items()}
    records["row"] = np.arange(1, len(records["value"]) + 1)
    records["column"] = records["indicator"]
    return observations_frame(records)


def build_city(seed: int = DEFAULT_SEED) -> City:
    """Generate Demostad. The same seed gives byte-identical data (same ``digest``)."""
    geo_seq, fig_seq = np.random.SeedSequence(seed).spawn(2)
    geography = build_geography(np.random.default_rng(geo_seq))
    rng = np.random.default_rng(fig_seq)
    buurten = geography.buurten
    d = deprivation(rng, buurten)
    values = {code: array.astype(np.float64)
              for code, array in {**counts(rng, buurten, d), **rates(rng, buurten, d)}.items()}
    values["lbm_klasse"] = lbm_class(values["lbm_afw"])
    status = _blank(buurten, values, rng)

    wijken = sorted(buurten["wijk"].unique())
    groups = np.vstack([np.ones(len(buurten))]
                       + [(buurten["wijk"] == w).to_numpy(dtype=np.float64) for w in wijken])
    parents = aggregate(values, groups)
    parent_status = {code: np.where(np.isnan(v), "missing", "value").astype(object)
                     for code, v in parents.items()}
    all_values = {code: np.vstack([parents[code], values[code]]) for code in INDICATORS}
    all_status = {code: np.vstack([parent_status[code], status[code]]) for code in INDICATORS}
    observations = _long([GEMEENTECODE, *wijken, *buurten["code"]], all_values, all_status)

    digest = hashlib.sha256(f"demostad seed={seed}\n".encode())
    digest.update(observations.to_csv(index=False).encode())
    digest.update(json.dumps([asdict(r) for r in geography.records], sort_keys=True).encode())
    return City(seed=seed, geography=geography, observations=observations,
                digest=digest.hexdigest())
