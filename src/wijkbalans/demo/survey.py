"""Demostad's resident panel: six questions, yearly 2019–2024, for every buurt, wijk and
the gemeente, loaded through the ``survey`` importer as batch kind ``demo-survey``.

**How a result is made.** Each buurt keeps the deprivation ``d`` of the demo city
(:func:`wijkbalans.demo.figures.deprivation`, the same draw as :func:`build_city`). For a
question asked as a share, a buurt's true share agreeing is

    p[b, t] = logistic(base + per_d * d[b] + trend * (t - 2019) + u[b] + e[b, t])

with ``u`` a lasting deviation of the buurt and ``e`` year-to-year noise; for a mean score
(1–10), ``mu[b, t] = base + per_d * d[b] + ...`` on the score itself. The panel then
*samples*: a buurt's panel has ``Binomial(adults, rate * exp(-0.3 d))`` members (deprived
buurten answer less), each question is answered by ``Binomial(panel, 0.9–0.98)`` of them,
and the result is ``Binomial(n, p) / n`` (a share) or ``mu + Normal(0, 1.5 / sqrt(n))`` (a
score, the spread of answers about 1.5 points). So results are correlated with
deprivation but noisy, most in the smallest buurten. A wijk's and the gemeente's results
pool all their respondents (the panel has the answers, so a buurt with too few
respondents still counts in its wijk); ``n`` is the sum. Shares are written with one
decimal, scores with one.

The results go into a CSV in the importer's format (``;``), which
:func:`wijkbalans.indicators.importers.survey.parse` reads like any panel file: results
from fewer than 30 respondents become suppressed. The batch's "file hash" is the CSV's
SHA-256, so loading the same seed again writes nothing.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wijkbalans.areas.models import Area
from wijkbalans.indicators.importers import survey
from wijkbalans.indicators.importers.base import ImportFailed, Problem
from wijkbalans.indicators.services import ImportResult, load_parsed

from .figures import DEFAULT_SEED, counts, deprivation
from .geography import GEMEENTECODE, Geography, build_geography

KIND = "demo-survey"
YEARS = tuple(range(2019, 2025))
# A stream of random numbers of its own, so the panel does not shift the city's figures.
SURVEY_STREAM = 5
PANEL_RATE = 0.03  # panel members per adult at d = 0
DEPRIVED_RESPONSE = -0.3  # log response rate per unit of deprivation
ANSWER_SD = 1.5  # spread of individual scores on 1-10


@dataclass(frozen=True)
class Question:
    """One question of the panel; ``base``/``per_d``/``trend`` on the logit scale for a
    share, on the score itself for a score (see the module docstring)."""

    code: str
    text: str
    theme: str
    measure: str  # "%" or "score"
    base: float
    per_d: float
    trend: float
    persistent: float
    yearly: float
    answered: float  # share of the panel that answers the question


QUESTIONS = (
    Question("veilig_buurt", "Ik voel me veilig in mijn buurt", "safety", "%",
             1.40, -0.55, 0.02, 0.15, 0.08, 0.98),
    Question("tevreden_woning", "Ik ben tevreden met mijn woning", "housing", "%",
             1.75, -0.45, 0.0, 0.15, 0.06, 0.97),
    Question("buren_helpen", "Mensen in de buurt helpen elkaar", "social", "%",
             0.20, -0.35, -0.01, 0.15, 0.08, 0.95),
    Question("rapportcijfer_buurt", "Rapportcijfer voor de buurt", "liveability", "score",
             7.40, -0.50, 0.01, 0.20, 0.08, 0.96),
    Question("rondkomen", "Ik kan rondkomen van mijn inkomen", "poverty", "%",
             1.50, -0.60, -0.01, 0.15, 0.07, 0.90),
    Question("invloed_buurt", "Ik heb invloed op wat er in mijn buurt gebeurt", "social", "%",
             -0.85, -0.25, 0.0, 0.12, 0.08, 0.93),
)
COLUMNS = ["gebied", "periode", "vraag", "vraagtekst", "waarde", "maat", "n", "thema",
           "polariteit"]


def _city_inputs(seed: int) -> tuple[Geography, np.ndarray, np.ndarray]:
    """Demostad's buurten, their deprivation and adults (buurt, year) for ``YEARS``.

    Repeats the first two draws of :func:`wijkbalans.demo.figures.build_city` (geography,
    then deprivation and counts from the figures' stream), so ``d`` is the city's own;
    tests/demo/test_survey.py checks the residents against the city's.
    """
    from .figures import YEARS as CITY_YEARS

    geo_seq, fig_seq = np.random.SeedSequence(seed).spawn(2)
    geography = build_geography(np.random.default_rng(geo_seq))
    rng = np.random.default_rng(fig_seq)
    d = deprivation(rng, geography.buurten)
    people = counts(rng, geography.buurten, d)
    adults = people["inwoners"] - people["inwoners_0_14"]
    columns = [CITY_YEARS.index(y) for y in YEARS]
    return geography, d, adults[:, columns]


def survey_frame(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The panel's results as a file in the ``survey`` importer's format, one row per
    area, year and question (buurten, then wijken, then the gemeente)."""
    geography, d, adults = _city_inputs(seed)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(SURVEY_STREAM,)))
    buurten = geography.buurten
    n_b, k = len(buurten), np.arange(len(YEARS))
    rate = PANEL_RATE * np.exp(DEPRIVED_RESPONSE * d)[:, None]
    panel = rng.binomial(adults, np.broadcast_to(rate, adults.shape))
    wijken = sorted(buurten["wijk"].unique())
    groups = [(w, (buurten["wijk"] == w).to_numpy()) for w in wijken]
    groups.append((GEMEENTECODE, np.ones(n_b, dtype=bool)))
    parts = []
    for q in QUESTIONS:
        eta = (q.base + q.per_d * d[:, None] + q.trend * k[None, :]
               + rng.normal(0, q.persistent, (n_b, 1)) + rng.normal(0, q.yearly, (n_b, len(k))))
        n = rng.binomial(panel, q.answered)
        if q.measure == "%":
            agree = rng.binomial(n, 1 / (1 + np.exp(-eta))).astype(float)
            total = agree  # pooled: the count of those agreeing
        else:
            mean = np.clip(eta + rng.normal(0, 1, eta.shape) * ANSWER_SD
                           / np.sqrt(np.maximum(n, 1)), 1, 10)
            total = mean * n  # pooled: the sum of the scores
        codes = list(buurten["code"]) + [code for code, _ in groups]
        sums = np.vstack([total] + [total[mask].sum(axis=0) for _, mask in groups])
        ns = np.vstack([n] + [n[mask].sum(axis=0) for _, mask in groups])
        with np.errstate(invalid="ignore", divide="ignore"):
            value = sums / ns * (100 if q.measure == "%" else 1)
        parts.append(pd.DataFrame({
            "gebied": np.repeat(codes, len(YEARS)),
            "periode": np.tile([str(y) for y in YEARS], len(codes)),
            "vraag": q.code, "vraagtekst": q.text,
            # No respondent, no result: an empty cell (missing), never a made-up 0.
            "waarde": [f"{v:.1f}" if np.isfinite(v) else "" for v in value.ravel()],
            "maat": q.measure, "n": ns.ravel().astype(np.int64), "thema": q.theme,
            "polariteit": "higher_better"}))
    return pd.concat(parts, ignore_index=True)[COLUMNS]


def survey_csv(seed: int = DEFAULT_SEED) -> str:
    return survey_frame(seed).to_csv(sep=";", index=False, lineterminator="\n")


def demo_survey_load(*, seed: int = DEFAULT_SEED, acting_user=None) -> ImportResult:
    """Generate Demostad's panel results from ``seed`` and load them (after the city).

    Goes through the ``survey`` importer's checks and rules (suppression below 30
    respondents) and :func:`load_parsed`, as one batch of kind ``demo-survey``.
    Idempotent: the same seed again writes nothing (no batch, no audit entry).
    """
    if not Area.objects.filter(code=GEMEENTECODE).exists():
        raise ImportFailed([Problem(file=KIND, expected="Demostad's areas in the registry "
                                    "(load the demo city first)", found="no " + GEMEENTECODE)])
    text = survey_csv(seed)
    name = f"demostad-bewonerspanel-seed-{seed}.csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        parsed = survey.parse(path, {"source": "Bewonerspanel Demostad (fictief)"},
                              lambda _n: None)
    parsed.notes.insert(0, f"Synthetic resident panel of Demostad, seed {seed}: not real "
                        "figures. See docs/demo.md.")
    return load_parsed(parsed=parsed, kind=KIND, file_name=name,
                       file_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                       options={"seed": seed}, acting_user=acting_user)
