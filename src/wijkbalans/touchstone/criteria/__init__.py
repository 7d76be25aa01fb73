"""The seven criteria of the touchstone, one module each (``need``, ``evidence``, ``reach``,
``residents``, ``coherence``, ``money``, ``measurability``). Each has ``KEY`` and
``assess(plan, context) -> CriterionResult``; :mod:`wijkbalans.touchstone.scorecard` runs
them in this order. What they share is in :mod:`.base`.
"""
