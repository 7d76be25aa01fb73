"""Stacked problems, gaps and targets: the stacking index read from the store, the NPLV
headline set, gaps to a reference, and stored targets with their straight path and status.

Doors: :mod:`.selectors` (reads), :mod:`.services` (writes of targets), :mod:`.headline`.
The arithmetic lives in :mod:`wijkbalans.analysis`; see docs/methods/stacking.md.
"""
