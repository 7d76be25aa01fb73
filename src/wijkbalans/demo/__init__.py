"""Demostad: a generated, fictitious municipality to try and test wijkbalans with.

``wijkbalans demo`` draws the city (:mod:`.geography`), generates twelve years of the
core indicators with known, planted effects (:mod:`.figures`), loads them through the
normal import pipeline and creates the Local Alliance's organisations and one demo user
per role (:mod:`.people`). Nothing here is real data. See docs/demo.md.
"""
