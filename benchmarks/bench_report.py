"""Time to produce the full progress report (PDF) for one programme area.

Two databases, each built in a temporary folder with the project's own commands:

* **the demo city**: ``wijkbalans demo`` (Demostad with its register, targets and people);
  the report for ``demostad-noord``, 2024;
* **Groningen's real data**: the CBS KWB 2024 population table for GM0014, the
  Leefbaarometer 2024 buurt scores with their polygons for the province of Groningen,
  the RIVM health monitor 2016 and 2020, the area set Groningen-Noord (the twelve
  buurten of ``tests/monitor/test_groningen_noord.py``) and two targets on it; the report
  for ``groningen-noord``, 2024.

For each, a child process generates the report three times the way the worker does
(``report_request`` + ``report_run``: gather every section through the selectors, render
the HTML with its charts, lay out the tagged PDF, store the version) and reports the
median and the slowest wall-clock time, the pages and the size. Goal (issue 7): under
15 s. The time to load the data is reported apart.

Run: ``.venv/bin/python -m benchmarks.bench_report`` (SQLite; PostgreSQL via
scripts/with-postgres and ``--database-url-from-env``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("WIJKBALANS_SHARED_DATA", ROOT.parent / "shared" / "data"))
RUNS = 3
GOAL_SECONDS = 15.0
NOORD = ("BU00140300,BU00140301,BU00140400,BU00140401,BU00140402,BU00140403,BU00140404,"
         "BU00140900,BU00140901,BU00141000,BU00141001,BU00141002")

_CHILD = """
import json, os, statistics, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbalans.conf.settings")
import django
django.setup()
from wijkbalans.reports.services import report_request, report_run
slug, period, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for _ in range(runs):
    start = time.perf_counter()
    version = report_run(version=report_request(acting_user=None, area_set=slug,
                                                period=period, date="2026-11-28"))
    times.append(time.perf_counter() - start)
    assert version.status == "done", version.error
print(json.dumps({"area_set": slug, "period": period, "runs": runs,
                  "median_seconds": round(statistics.median(times), 2),
                  "max_seconds": round(max(times), 2), "pages": version.pages,
                  "pdf_kilobytes": round(len(bytes(version.pdf)) / 1024),
                  "figures_kilobytes": round(len(json.dumps(version.figures)) / 1024)}))
"""


def _run(args, env):
    out = subprocess.run(args, env=env, cwd=ROOT, check=False, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{args[:5]} failed:\n{out.stderr[-3000:]}")
    return out


def _manage(env, *args):
    return _run([sys.executable, "-m", "wijkbalans.cli", *args], env)


def _database(base, workdir: Path, name: str) -> dict:
    env = dict(base)
    if not env.get("WIJKBALANS_DATABASE_URL", "").startswith("postgres"):
        env["WIJKBALANS_DATABASE_URL"] = f"sqlite:///{workdir / (name + '.sqlite3')}"
    else:
        from .bench_import import _RESET_PG

        _run([sys.executable, "-c", _RESET_PG], env)
    _manage(env, "migrate", "-v", "0")
    return env


def _groningen(env) -> float:
    """Load Groningen's real files and define Groningen-Noord; returns the seconds."""
    start = time.perf_counter()
    _manage(env, "import", "kwb", str(DATA / "cbs-kwb/kwb-2024-nl-bevolking-statline.csv"),
            "--year", "2024", "--within", "GM0014", "--no-progress")
    _manage(env, "import", "leefbaarometer", str(DATA / "leefbaarometer-2024/buurten/20.geojson"),
            "--with-geometry", "--no-progress")
    for year in (2016, 2020):
        _manage(env, "import", "rivm",
                str(DATA / f"rivm-gezondheidsmonitor/RIVM_gezondheid{year}_18plus.xlsx"),
                "--no-progress")
    _manage(env, "areas", "set", "--slug", "groningen-noord", "--name", "Groningen-Noord",
            "--members", NOORD)
    _manage(env, "targets", "set", "--area-set", "groningen-noord", "--indicator",
            "ervaren_gezondheid_pct", "--kind", "closure", "--baseline", "2016",
            "--target-period", "2030", "--share", "0.5", "--reference", "city",
            "--note", "Halve the gap in self-rated health to the city by 2030.")
    _manage(env, "targets", "set", "--area-set", "groningen-noord", "--theme", "safety",
            "--kind", "reference", "--baseline", "2020", "--target-period", "2040",
            "--reference", "city", "--note", "The city's level of safety within 20 years.")
    return time.perf_counter() - start


def run(*, label: str = "sqlite", groningen: bool = True) -> dict:
    base = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    results = {"name": f"report ({label})", "goal_seconds": GOAL_SECONDS, "databases": {}}
    with tempfile.TemporaryDirectory(prefix="wijkbalans-report-") as tmp:
        workdir = Path(tmp)
        env = _database(base, workdir, "demo")
        start = time.perf_counter()
        _manage(env, "demo")
        load = time.perf_counter() - start
        timing = json.loads(_run([sys.executable, "-c", _CHILD, "demostad-noord", "2024",
                                  str(RUNS)], env).stdout)
        results["databases"]["demo city"] = {"load_seconds": round(load, 1), **timing}
        if groningen and DATA.is_dir():
            env = _database(base, workdir, "groningen")
            load = _groningen(env)
            timing = json.loads(_run([sys.executable, "-c", _CHILD, "groningen-noord", "2024",
                                      str(RUNS)], env).stdout)
            results["databases"]["Groningen (real data)"] = {"load_seconds": round(load, 1),
                                                             **timing}
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url-from-env", action="store_true")
    parser.add_argument("--demo-only", action="store_true")
    args = parser.parse_args(argv)
    if not args.database_url_from_env:
        os.environ.pop("WIJKBALANS_DATABASE_URL", None)
    label = "postgresql" if args.database_url_from_env else "sqlite"
    print(json.dumps(run(label=label, groningen=not args.demo_only), indent=1))


if __name__ == "__main__":
    main()
