"""The touchstone before the fact: a plan assessed on documented criteria (issue 10).

Doors: :mod:`.services` (store an assessment, record a decision) and :mod:`.selectors`
(compute a scorecard, read, compare, expected against actual). The rating rules are
pure functions in :mod:`wijkbalans.analysis.touchstone`; docs/touchstone.md has them all.
"""
