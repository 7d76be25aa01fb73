"""Import throughput of the national files, on SQLite and PostgreSQL.

For each file: the time ``wijkbalans import`` takes, in values per second, against the
time pandas alone takes to read the same file (the baseline, measured in the same run),
and the peak memory (max RSS) of each, every measurement in a fresh process. Also a
full-width national KWB year (18,310 areas x 120 columns, ~2.2 million values) built in a
temporary folder from the real 2024 population file by repeating its columns with
perturbed values, so that the 20 s goal is measured rather than projected.

Run: ``python -m benchmarks.bench_import`` (SQLite) or via ``scripts/with-postgres`` with
``--database-url-from-env`` (PostgreSQL). ``python -m benchmarks`` runs both.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("WIJKBALANS_SHARED_DATA", ROOT.parent / "shared" / "data"))

FILES = [
    ("kwb", "cbs-kwb/kwb-2024-nl-bevolking-statline.csv", {"year": 2024}),
    ("rivm", "rivm-gezondheidsmonitor/RIVM_gezondheid2012_18plus.xlsx", {}),
    ("rivm", "rivm-gezondheidsmonitor/RIVM_gezondheid2016_18plus.xlsx", {}),
    ("rivm", "rivm-gezondheidsmonitor/RIVM_gezondheid2020_18plus.xlsx", {}),
]

_CHILD_IMPORT = """
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbalans.conf.settings")
import django
django.setup()
from wijkbalans.indicators.services import import_file
kind, path, options = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
start = time.perf_counter()
result = import_file(kind=kind, path=path, options=options)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "created": result.created, "updated": result.updated,
                  "unchanged": result.unchanged,
                  "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_CHILD_PANDAS = """
import json, resource, sys, time
import pandas as pd
path = sys.argv[1]
start = time.perf_counter()
if path.endswith(".xlsx"):
    frame = pd.read_excel(path, engine="calamine")
else:
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig", na_values=["."])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "cells": int(frame.size),
                  "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _child(code: str, *args: str, env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, check=False, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fresh_database(env: dict[str, str], workdir: Path) -> dict[str, str]:
    env = dict(env)
    if not env.get("WIJKBALANS_DATABASE_URL", "").startswith("postgres"):
        env["WIJKBALANS_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        Path(workdir / "bench.sqlite3").unlink(missing_ok=True)
    else:
        subprocess.run([sys.executable, "-c", _RESET_PG], env=env, check=True, cwd=ROOT)
    subprocess.run([sys.executable, "-m", "wijkbalans.cli", "migrate", "-v", "0"], env=env,
                   check=True, cwd=ROOT)
    return env


_RESET_PG = """
import os, psycopg
with psycopg.connect(os.environ["WIJKBALANS_DATABASE_URL"], autocommit=True) as conn:
    conn.execute("DROP SCHEMA public CASCADE")
    conn.execute("CREATE SCHEMA public")
"""


def make_full_width_kwb(source: Path, target: Path, columns: int = 120, seed: int = 7) -> int:
    """A national KWB-shaped CSV with ``columns`` numeric columns, from the real file."""
    frame = pd.read_csv(source, sep=";", encoding="utf-8-sig", dtype=str)
    ident = frame.iloc[:, :5]
    numeric = frame.iloc[:, 5:].apply(pd.to_numeric, errors="coerce")
    rng = np.random.default_rng(seed)
    out = {name: ident[name] for name in ident.columns}
    for i in range(columns):
        base = numeric.iloc[:, i % numeric.shape[1]].to_numpy(dtype=float)
        noisy = np.round(base * rng.uniform(0.5, 1.5, size=base.shape), 1)
        label = f"Synthetisch/Kolom {i:03d} (aantal)"
        out[label] = pd.Series(noisy).map(lambda v: "." if np.isnan(v) else f"{v:g}")
    pd.DataFrame(out).to_csv(target, sep=";", index=False, encoding="utf-8-sig")
    return len(frame) * columns


def run(*, label: str = "sqlite", full_width: bool = True) -> dict:
    base_env = {k: v for k, v in os.environ.items()}
    base_env["PYTHONPATH"] = str(ROOT / "src")
    rows = []
    with tempfile.TemporaryDirectory(prefix="wijkbalans-bench-") as tmp:
        workdir = Path(tmp)
        files = [(kind, DATA / rel, opts) for kind, rel, opts in FILES]
        if full_width:
            wide = workdir / "kwb-2024-full-width.csv"
            make_full_width_kwb(DATA / FILES[0][1], wide)
            files.append(("kwb", wide, {"year": 2024}))
        for kind, path, options in files:
            env = _fresh_database(base_env, workdir)
            imported = _child(_CHILD_IMPORT, kind, str(path), json.dumps(options), env=env)
            baseline = _child(_CHILD_PANDAS, str(path), env=env)
            values = imported["created"] + imported["updated"] + imported["unchanged"]
            rows.append({
                "database": label, "file": path.name, "kind": kind, "values": values,
                "seconds": round(imported["seconds"], 2),
                "values_per_second": round(values / imported["seconds"]),
                "pandas_seconds": round(baseline["seconds"], 2),
                "ratio_to_pandas": round(imported["seconds"] / baseline["seconds"], 1),
                "max_rss_mib": round(imported["max_rss_mib"]),
                "pandas_max_rss_mib": round(baseline["max_rss_mib"]),
            })
    return {"name": f"import ({label})", "rows": rows}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url-from-env", action="store_true",
                        help="use WIJKBALANS_DATABASE_URL (PostgreSQL) instead of SQLite")
    parser.add_argument("--no-full-width", action="store_true")
    args = parser.parse_args(argv)
    label = "postgresql" if args.database_url_from_env else "sqlite"
    if not args.database_url_from_env:
        os.environ.pop("WIJKBALANS_DATABASE_URL", None)
    print(json.dumps(run(label=label, full_width=not args.no_full_width), indent=1))


if __name__ == "__main__":
    main()
