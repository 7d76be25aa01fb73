"""Evaluations: did the programme really help this neighbourhood?

An evaluation is defined on an area set (or explicit buurtcodes), an outcome indicator, a
start period and a method; it runs in the background (``wijkbalans evaluations work``) and
stores its result together with the exact panel and settings it used, so that anyone can
run it again and get the identical answer. Doors: ``services.py`` (writes),
``selectors.py`` (reads), ``worker.py`` (the background runner). The estimators are in
:mod:`wijkbalans.analysis.effects`; ``compute.py`` is the Django-free bridge to them.
"""
