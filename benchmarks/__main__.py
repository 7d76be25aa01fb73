"""``make benchmark``: run every benchmark, print the results with machine notes, and save
them to benchmarks/results/latest.json. docs/benchmarks.md records the figures."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import time
from pathlib import Path

from . import machine

ROOT = Path(__file__).resolve().parent.parent
# Benchmarks with a ``run() -> dict``; each is optional until its module exists.
MODULES = ["bench_stacking", "bench_effects", "bench_pages", "bench_report", "bench_ballots"]


def _postgres_import() -> dict:
    out = subprocess.run(
        [str(ROOT / "scripts" / "with-postgres"), sys.executable, "-m",
         "benchmarks.bench_import", "--database-url-from-env"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    if out.returncode != 0:
        return {"name": "import (postgresql)", "error": out.stderr[-2000:]}
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the wijkbalans benchmarks.")
    parser.add_argument("--only", nargs="*", help="names: import, stacking, effects, ...")
    args = parser.parse_args(argv)
    wanted = set(args.only or [])
    results = {"machine": machine.notes(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
               "benchmarks": []}
    if not wanted or "import" in wanted:
        from . import bench_import

        results["benchmarks"].append(bench_import.run(label="sqlite"))
        results["benchmarks"].append(_postgres_import())
    for name in MODULES:
        short = name.removeprefix("bench_")
        if wanted and short not in wanted:
            continue
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError:
            continue
        results["benchmarks"].append(module.run())
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "latest.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
