"""The progress report for the council: figures from the app, words from the bureau.

A report is made for one area set (a programme area) and one period, in Dutch or English.
Each section (``sections/``) reads the same selectors as the app's own pages, so the
report shows the numbers the app shows; the bureau adds text per section
(:class:`~.models.ReportNarrative`). A generated :class:`~.models.ReportVersion` freezes
the figures, the text as used and the software versions, with the PDF and its SHA-256, so
that the version can be rendered again identically. Doors: ``services.py`` (writes),
``selectors.py`` (reads), ``worker.py`` (the background runner: ``wijkbalans reports
work``), ``render.py`` (frozen figures to HTML and PDF). See docs/reports.md.
"""
