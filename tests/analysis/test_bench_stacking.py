"""The benchmark's plain pandas implementation gives the same numbers (small panel)."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_stacking.py"


def load():
    spec = importlib.util.spec_from_file_location("bench_stacking", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_runs_and_agrees_on_a_small_panel():
    seen = []
    figures = load().run(seen.append, n_areas=300, n_periods=2, n_indicators=25, repeats=1)
    assert seen == [figures]
    assert {"name", "seconds", "baseline_seconds", "ratio", "n_areas", "n_periods",
            "n_indicators"} <= set(figures)
    assert figures["n_areas"] == 300 and figures["seconds"] > 0
