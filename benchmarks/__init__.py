"""Benchmarks: ``make benchmark`` (``python -m benchmarks``). Results in docs/benchmarks.md."""
