"""``wijkbalans evaluate``: estimate the effect of a programme on any panel in a CSV file.

Usage::

    wijkbalans evaluate --panel FILE.csv --unit COL --time COL --outcome COL
        --treated NAME[,NAME...] --start PERIOD[,PERIOD...] --method sdid|sc|did
        [--predictors COL[:FROM-TO[:STEP]],...] [--placebo-reps N] [--seed S]
        [--level 0.95] [--from PERIOD] [--to PERIOD] [--similar NAME,...] [--exclude NAME,...]
        [--city-column COL --exclude-own-city] [--control never|notyet]
        [--random-starts N] [--format json|text]

The CSV is long: one row per area and period, separated by ``,``, ``;`` or tabs. With
``--format json`` one JSON object is printed: ``estimate``, ``se`` (or null), ``p_value``
(or null), ``unit_weights``, ``time_weights``, ``timings`` (seconds), the paths
(``periods``, ``treated_path``, ``counterfactual``, ``gap``), the placebo results, the
donor pool with who was left out and why, and the ``verdict`` in Dutch and English. On
bad input the exit status is 2 and the object holds ``error`` and ``problems``.

Predictors (synthetic control) are means per area over the pre-period, or over
``FROM-TO`` or ``FROM..TO`` (every ``STEP``-th period) or one ``PERIOD``:
``invest:1964-1969``, ``sec.energy:1961-1969:2``, ``popdens:1969``, ``x:2019-Q1..2020-Q4``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .did import callaway_santanna, did
from .donors import donor_pool, restrict
from .panel import PanelError, coerce_period, jsonable, unit_means, wide_panel
from .sdid import sdid
from .synth import synth
from .verdict import outcome_spread, verdict


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # a usage error is bad input too: status 2, JSON if asked
        raise PanelError([message])


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="wijkbalans evaluate", description=__doc__.split("\n\n")[0])
    p.add_argument("--panel", required=True, help="long CSV file: one row per area and period")
    p.add_argument("--unit", required=True, help="column with the area code or name")
    p.add_argument("--time", required=True, help="column with the period")
    p.add_argument("--outcome", required=True, help="column with the outcome")
    p.add_argument("--treated", required=True, help="treated area(s), comma-separated")
    p.add_argument("--start", required=True,
                   help="first period with the programme; one per treated area if staggered (did)")
    p.add_argument("--method", choices=["sdid", "sc", "did"], default="sdid")
    p.add_argument("--predictors", default="", help="sc: COL[:FROM-TO[:STEP]],...")
    p.add_argument("--placebo-reps", type=int, default=200, help="sdid/did placebo replications")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--level", type=float, default=0.95, help="confidence level")
    p.add_argument("--from", dest="first", default=None, help="first period to use")
    p.add_argument("--to", dest="last", default=None, help="last period to use")
    p.add_argument("--similar", default="", help="areas under a similar programme (left out)")
    p.add_argument("--exclude", default="", help="other areas to leave out, comma-separated")
    p.add_argument("--city-column", default=None, help="column with each area's city")
    p.add_argument("--exclude-own-city", action="store_true",
                   help="leave out areas in the treated areas' city")
    p.add_argument("--control", choices=["never", "notyet"], default="never",
                   help="did with staggered starts: never-treated or not-yet-treated controls")
    p.add_argument("--random-starts", type=int, default=4, help="sc: random starts for V")
    p.add_argument("--no-leave-one-out", action="store_true", help="sc: skip leave-one-out")
    p.add_argument("--format", choices=["json", "text"], default="text")
    return p


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def read_table(path: str) -> pd.DataFrame:
    """Read a CSV whose separator is ``,``, ``;`` or a tab (guessed from the first line)."""
    file = Path(path)
    if not file.is_file():
        raise PanelError([f"file {path!r} does not exist"])
    with file.open(encoding="utf-8-sig", errors="replace") as handle:
        first = handle.readline()
    sep = max([",", ";", "\t"], key=first.count)
    try:
        return pd.read_csv(file, sep=sep, encoding="utf-8-sig", na_values=["", ".", "NA"])
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise PanelError([f"file {path!r} cannot be read as CSV: {exc}"]) from exc


def _predictor_periods(spec: str, times: tuple, pre_times: list) -> tuple[str, list]:
    name, _, rest = spec.partition(":")
    if not rest:
        return name, pre_times
    parts = rest.split(":")
    if ".." in parts[0]:
        lo, hi = parts[0].split("..", 1)
    elif re.fullmatch(r"\d+-\d+", parts[0]):
        lo, hi = parts[0].split("-")
    else:
        lo = hi = parts[0]
    try:
        step = int(parts[1]) if len(parts) > 1 else 1
    except ValueError:
        raise PanelError([f"predictor {spec!r}: the step must be a whole number"]) from None
    lo_v, hi_v = coerce_period(lo, times), coerce_period(hi, times)
    try:
        chosen = [t for t in times if lo_v <= t <= hi_v][::max(step, 1)]
    except TypeError:
        chosen = []
    if not chosen:
        raise PanelError([f"predictor {spec!r}: no period from {lo!r} to {hi!r}"])
    return name, chosen


def evaluate(args: argparse.Namespace) -> dict:
    """Run one evaluation from parsed arguments; returns the JSON-ready result."""
    t0 = time.perf_counter()
    frame = read_table(args.panel)
    treated = _split(args.treated)
    starts = _split(args.start)
    specs = _split(args.predictors)
    names = [s.partition(":")[0] for s in specs]
    extra = names + ([args.city_column] if args.city_column else [])
    full = wide_panel(frame, unit=args.unit, time=args.time, outcome=args.outcome,
                      columns=[c for c in extra if c != args.city_column])
    if args.city_column and args.city_column not in frame.columns:
        raise PanelError([f"column {args.city_column!r} is not in the table"])
    keep = [i for i, t in enumerate(full.times)
            if (args.first is None or t >= coerce_period(args.first, full.times))
            and (args.last is None or t <= coerce_period(args.last, full.times))]
    panel = type(full)(units=full.units, times=tuple(full.times[i] for i in keep),
                       y=full.y[:, keep], outcome=full.outcome)
    start_cols = [panel.column(s) for s in starts]
    first_start = panel.times[min(start_cols)]
    predictors = None
    if specs:
        if args.method != "sc":
            raise PanelError(["--predictors is for --method sc only"])
        pre_times = list(panel.times[: min(start_cols)])
        cols = []
        for spec in specs:
            name, periods = _predictor_periods(spec, full.times, pre_times)
            cols.append(unit_means(frame, unit=args.unit, time=args.time, column=name,
                                   units=panel.units, periods=periods))
        predictors = np.column_stack(cols)
    city_of = None
    if args.city_column:
        cities = frame[[args.unit, args.city_column]].dropna().astype(str)
        city_of = dict(zip(cities[args.unit].str.strip(), cities[args.city_column].str.strip(),
                           strict=True))
    pool = donor_pool(panel, treated=treated, start=first_start, similar=_split(args.similar),
                      exclude=_split(args.exclude), city_of=city_of,
                      exclude_own_city=args.exclude_own_city,
                      predictors=predictors, predictor_names=names)
    sub, rows = restrict(panel, pool)
    x = None if predictors is None else predictors[rows]
    n_tr = len(treated)
    tr_rows = list(range(n_tr))
    t_read = time.perf_counter()
    staggered = len(set(start_cols)) > 1
    if staggered and args.method != "did":
        raise PanelError(["different start periods (staggered) need --method did"])
    if len(starts) not in (1, n_tr):
        raise PanelError([f"give one start period, or one per treated area ({n_tr})"])
    s = min(start_cols)
    common = dict(units=sub.units, times=sub.times)
    if args.method == "sdid":
        result = sdid(sub.y, treated=tr_rows, start=s, placebo_reps=args.placebo_reps,
                      seed=args.seed, level=args.level, **common)
    elif args.method == "sc":
        result = synth(sub.y, treated=tr_rows, start=s, predictors=x, predictor_names=names,
                       random_starts=args.random_starts, seed=args.seed,
                       leave_one_out=not args.no_leave_one_out, **common)
    elif staggered:
        per_unit = np.full(len(sub.units), -1)
        per_unit[:n_tr] = start_cols if len(start_cols) == n_tr else start_cols * n_tr
        result = callaway_santanna(sub.y, starts=per_unit, control=args.control,
                                   level=args.level, seed=args.seed, **common)
    else:
        result = did(sub.y, treated=tr_rows, start=s, level=args.level,
                     placebo_reps=args.placebo_reps, seed=args.seed, **common)
    t_fit = time.perf_counter()
    out = result.to_dict()
    spread = outcome_spread(sub.y[n_tr:, :s], remove_levels=args.method != "sc")
    out.update({
        "outcome": args.outcome, "treated": treated,
        "start": [str(panel.times[c]) for c in start_cols], "level": args.level,
        "donor_pool": pool.to_dict(), "spread_between_areas": jsonable(spread),
        "verdict": verdict(out | {"level": args.level}, spread=spread,
                           outcome=args.outcome).to_dict(),
    })
    out["timings"] = {**out.get("timings", {}), "read": t_read - t0,
                      "estimate": t_fit - t_read, "total": time.perf_counter() - t0}
    return jsonable(out)


def _text(out: dict) -> str:
    lines = [f"method: {out['method']}   outcome: {out['outcome']}   treated: "
             f"{', '.join(out['treated'])}   start: {', '.join(out['start'])}",
             f"estimate: {out['estimate']:.4g}   se: {out.get('se')}   p: {out.get('p_value')}"]
    weights = out.get("unit_weights") or {}
    top = sorted(weights.items(), key=lambda kv: -kv[1])[:10]
    if top:
        lines.append("donor weights: " + ", ".join(f"{k} {v:.3f}" for k, v in top if v > 0.0005))
    left_out = out["donor_pool"]["excluded"]
    if left_out:
        lines.append(f"left out ({len(left_out)}): " + "; ".join(
            f"{e['unit']}: {e['detail_en']}" for e in left_out[:10]))
    lines += ["", out["verdict"]["nl"], "", out["verdict"]["en"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` (without the command name), print the result, return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "json" in argv[argv.index("--format") + 1:][:1] if "--format" in argv else False
    try:
        args = build_parser().parse_args(argv)
        out = evaluate(args)
    except (PanelError, ValueError) as exc:
        problems = getattr(exc, "problems", [str(exc)])
        if as_json:
            print(json.dumps({"error": "the evaluation could not be run",
                              "problems": problems}, ensure_ascii=False))
        else:
            print("error: " + "\n  ".join(problems), file=sys.stderr)
        return 2
    print(json.dumps(out, ensure_ascii=False) if args.format == "json" else _text(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
