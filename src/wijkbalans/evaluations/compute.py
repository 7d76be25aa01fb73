"""One evaluation computed from a stored panel and a run specification; no Django here.

A run (``services.evaluation_run``) reads the panel from the database, stores it, and then
calls :func:`compute` on the stored form; the reproducibility check
(``services.evaluation_rerun_check``) calls it again on what was stored. Both go through
this one function, so the same input gives the identical output.

Panel (JSON): ``{"outcome": code, "level": "buurt", "units": [code, ...] (sorted),
"times": [period, ...] (sorted; whole years as numbers), "values": [[number or null, ...],
...]}``, one row per unit, one column per period; null is a missing or suppressed figure.

Specification (JSON): ``{"method": "sdid"|"sc"|"did", "outcome", "outcome_name_nl",
"outcome_name_en", "treated": [codes], "start": period, "similar": [codes],
"exclude": [codes], "exclude_own_municipality": bool, "placebo_reps", "seed", "level"}``.
The donor rules are those of :func:`wijkbalans.analysis.effects.donors.donor_pool`; an
area's municipality is read from its CBS code (``BU0014....`` lies in ``GM0014``).

The result is the estimator's ``to_dict()`` without its timings, plus ``spec``,
``donor_pool``, ``spread_between_areas`` and ``verdict`` (``conclusion``, ``nl``, ``en``,
``issues``): plain JSON values, so that the stored result compares equal to a new one.
"""

from __future__ import annotations

import hashlib
import json
import platform

import numpy as np

from wijkbalans.analysis.effects.did import did
from wijkbalans.analysis.effects.donors import donor_pool, restrict
from wijkbalans.analysis.effects.panel import Panel, PanelError, jsonable
from wijkbalans.analysis.effects.sdid import sdid
from wijkbalans.analysis.effects.synth import synth
from wijkbalans.analysis.effects.verdict import outcome_spread, verdict
from wijkbalans.areas.codes import gemeente_of

METHODS = ("sdid", "sc", "did")
# The unit-weight problem of SDID holds an N x N matrix; beyond a few thousand comparison
# areas memory and time grow past what one machine should spend on one evaluation.
MAX_DONORS = 2000


def canonical(value) -> str:
    """The JSON text that is hashed: sorted keys, no spaces, NaN refused."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def panel_sha256(panel: dict) -> str:
    return hashlib.sha256(canonical(panel).encode("utf-8")).hexdigest()


def plain(value):
    """``value`` as it reads back from a JSON column: tuples become lists, and so on."""
    return json.loads(canonical(jsonable(value)))


def panel_from_wide(panel: Panel, *, level: str) -> dict:
    """The stored form of a :class:`Panel`."""
    return plain({"outcome": panel.outcome, "level": level, "units": list(panel.units),
                  "times": list(panel.times),
                  "values": [[None if not np.isfinite(v) else float(v) for v in row]
                             for row in panel.y]})


def panel_to_wide(stored: dict) -> Panel:
    values = np.array([[np.nan if v is None else v for v in row] for row in stored["values"]],
                      dtype=float).reshape(len(stored["units"]), len(stored["times"]))
    return Panel(units=tuple(stored["units"]), times=tuple(stored["times"]), y=values,
                 outcome=stored["outcome"])


def software() -> dict:
    import pandas
    import scipy

    from wijkbalans import __version__

    return {"wijkbalans": __version__, "numpy": np.__version__, "scipy": scipy.__version__,
            "pandas": pandas.__version__, "python": platform.python_version()}


def _verdict(out: dict, spread: float, spec: dict) -> dict:
    """The verdict in both languages, each naming the outcome in its own language."""
    level = spec["level"]
    nl = verdict(out | {"level": level}, spread=spread,
                 outcome=spec.get("outcome_name_nl") or spec["outcome"])
    en = verdict(out | {"level": level}, spread=spread,
                 outcome=spec.get("outcome_name_en") or spec["outcome"])
    return {"conclusion": nl.conclusion, "nl": nl.nl, "en": en.en,
            "issues": [{"code": i.code, "blocking": i.blocking, "nl": i.nl, "en": i.en}
                       for i in nl.issues]}


def compute(stored_panel: dict, spec: dict) -> tuple[dict, dict]:
    """``(result, timings)`` for one evaluation; raises :class:`PanelError` (with every
    problem listed) or ``ValueError`` when it cannot be computed."""
    if spec["method"] not in METHODS:
        raise PanelError([f"unknown method {spec['method']!r}"])
    panel = panel_to_wide(stored_panel)
    units = set(panel.units)
    treated = list(spec["treated"])
    absent = [t for t in treated if t not in units]
    if absent:
        raise PanelError([f"treated area {t!r} has no figures for {panel.outcome!r}"
                          for t in absent])
    # Areas to be left out that have no figures cannot be donors anyway.
    similar = [u for u in spec.get("similar", []) if u in units and u not in treated]
    exclude = [u for u in spec.get("exclude", []) if u in units and u not in treated
               and u not in similar]
    own = bool(spec.get("exclude_own_municipality"))
    city_of = {u: gemeente_of(u) or "" for u in panel.units} if own else None
    pool = donor_pool(panel, treated=treated, start=spec["start"], similar=similar,
                      exclude=exclude, city_of=city_of, exclude_own_city=own)
    if len(pool.donors) > MAX_DONORS:
        raise PanelError([f"{len(pool.donors)} comparison areas, at most {MAX_DONORS}: "
                          "restrict them to some municipalities"])
    sub, _rows = restrict(panel, pool)
    n_tr = len(treated)
    rows = list(range(n_tr))
    start = sub.column(spec["start"])
    common = {"units": sub.units, "times": sub.times}
    if spec["method"] == "sdid":
        result = sdid(sub.y, treated=rows, start=start, placebo_reps=spec["placebo_reps"],
                      seed=spec["seed"], level=spec["level"], **common)
    elif spec["method"] == "sc":
        result = synth(sub.y, treated=rows, start=start, seed=spec["seed"], **common)
    else:
        result = did(sub.y, treated=rows, start=start, level=spec["level"],
                     placebo_reps=spec["placebo_reps"], seed=spec["seed"], **common)
    out = result.to_dict()
    timings = out.pop("timings", {}) or {}
    spread = outcome_spread(sub.y[n_tr:, :start], remove_levels=spec["method"] != "sc")
    out.update({"level": spec["level"], "spec": spec, "donor_pool": pool.to_dict(),
                "spread_between_areas": spread})
    out["verdict"] = _verdict(out, spread, spec)
    return plain(out), plain(timings)


def differences(stored: dict, fresh: dict, path: str = "") -> list[str]:
    """Where two results differ, as ``key.key[3]`` paths (at most 20)."""
    found: list[str] = []

    def walk(a, b, where):
        if len(found) >= 20:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                if key not in a or key not in b:
                    found.append(f"{where}.{key}".lstrip("."))
                else:
                    walk(a[key], b[key], f"{where}.{key}")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{where}[{i}]")
        elif a != b:
            found.append(where.lstrip(".") or "(result)")

    walk(stored, fresh, path)
    return found
