"""A minimal importer for testing the shared import pipeline: a CSV of
``indicator,area,period,value`` rows, with areas registered from the file."""

from __future__ import annotations

import csv

from wijkbalans.areas import codes
from wijkbalans.indicators.importers.base import (
    AreaRecord,
    ImportFailed,
    IndicatorSpec,
    Parsed,
    Problem,
    observations_frame,
    parse_number,
)

KIND = "fake"
HELP = "test importer"


def add_arguments(parser):
    pass


def parse(path, options, progress):
    rows = {k: [] for k in ("indicator", "area", "period", "value", "status", "row", "column")}
    problems, areas = [], {}
    with open(path, encoding="utf-8") as handle:
        for n, rec in enumerate(csv.DictReader(handle), start=2):
            value, status = parse_number(rec["value"])
            if status is None:
                problems.append(Problem(file=path.name, row=n, column="value",
                                        expected="a number", found=rec["value"]))
                continue
            code = rec["area"]
            areas[code] = AreaRecord(code=code, name=code, level=codes.level_of(code), year=2024)
            for key, val in (("indicator", rec["indicator"]), ("area", code),
                             ("period", rec["period"]), ("value", value), ("status", status),
                             ("row", n), ("column", "value")):
                rows[key].append(val)
    if problems:
        raise ImportFailed(problems)
    specs = [IndicatorSpec(code=c, name_nl=c, aggregation="sum") for c in set(rows["indicator"])]
    return Parsed(observations=observations_frame(rows), indicators=specs,
                  areas=list(areas.values()))
