"""``wijkbalans index``: the stacking index of every buurt or wijk, as CSV or JSON.

::

    wijkbalans index --level buurt --period latest [--within GM0014]
        [--reference country|city|base:YYYY] [--method deprivation|index100|count]
        [--themes poverty,health] [--shrink] [--format csv|json] [--out FILE]
    wijkbalans index ... --robustness        decile changes under other weights
    wijkbalans index ... --drivers BU00140402  the domains that drive one area's score

One row per area: ``code, name, score, rank, decile, stack_count`` and a column per
domain (index 100 per domain for ``index100``, the exponential domain score X_d for
``deprivation``, 1 where the area is in the domain's worst decile for ``count``). Rank 1
and decile 1 are where problems stack most. Each indicator enters with its newest figures
up to the period (see :mod:`wijkbalans.stacking.panels`); the vintages used and other
notes go to standard error (CSV) or the ``notes`` key (JSON). ``--shrink`` first shrinks
the rates (% and per 1.000) towards their gemeente (:mod:`wijkbalans.stacking.shrinkage`).
Method, references and rules: docs/methods/stacking.md and
:mod:`wijkbalans.stacking.selectors`.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wijkbalans.stacking import selectors


def _cell(value) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
    return value


def csv_text(rows: list[dict], header: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(row.get(k)) for k in header])
    return buffer.getvalue()


class Command(BaseCommand):
    help = ("The stacking index of every buurt or wijk: score, rank, decile, stacking count and "
            "domain scores (rank 1 and decile 1: problems stack most)")

    def add_arguments(self, parser):
        parser.add_argument("--level", required=True, help="buurt or wijk")
        parser.add_argument("--period", default="latest",
                            help="a period with values (YYYY), or 'latest' (default)")
        parser.add_argument("--within", default=None, metavar="GMxxxx",
                            help="list the areas of this gemeente only")
        parser.add_argument("--reference", default="country",
                            help="country (default: every area of the level), city (the "
                            "areas of --within) or base:YYYY (reference fixed at year YYYY)")
        parser.add_argument("--method", default="deprivation",
                            help="deprivation (default), index100 or count")
        parser.add_argument("--themes", default="",
                            help="domains, comma-separated (default: all eight)")
        parser.add_argument("--shrink", action="store_true",
                            help="shrink the rates (%% and per 1.000) of small areas towards "
                            "their gemeente (empirical Bayes) before standardising")
        parser.add_argument("--format", default="csv", help="csv (default) or json")
        parser.add_argument("--out", default=None, metavar="FILE",
                            help="write to FILE instead of standard output")
        parser.add_argument("--robustness", action="store_true",
                            help="print how many areas change decile under the ID 2019 "
                            "weights and with each domain left out")
        parser.add_argument("--drivers", default=None, metavar="CODE",
                            help="print the contributions of the domains to one area's score")

    def handle(self, *args, **options):
        fmt = options["format"]
        if fmt not in ("csv", "json"):
            raise CommandError(f"--format: expected csv or json; found {fmt!r}", returncode=2)
        themes = [t.strip() for t in options["themes"].split(",") if t.strip()] or None
        common = {"period": options["period"], "reference": options["reference"],
                  "shrink": options["shrink"]}
        try:
            if options["drivers"]:
                payload = selectors.area_drivers(code_or_slug=options["drivers"],
                                                 method=options["method"], **common)
                text = self._drivers(payload, fmt)
            elif options["robustness"]:
                frame = selectors.index_robustness(
                    level=options["level"], within=options["within"], method=options["method"],
                    themes=themes, **common)
                rows = frame.to_dict("records")
                text = (json.dumps({"ok": True, "variants": rows}, ensure_ascii=False)
                        if fmt == "json" else csv_text(rows, list(frame.columns)))
            else:
                result = selectors.index_panel(
                    level=options["level"], within=options["within"], method=options["method"],
                    themes=themes, **common)
                text = self._index(result, fmt)
        except selectors.IndexParameterError as error:
            raise CommandError(f"--{error.parameter}: {error}", returncode=2) from None
        if options["out"]:
            Path(options["out"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="" if text.endswith("\n") else "\n")

    def _index(self, result, fmt: str) -> str:
        rows = selectors.index_rows(result)
        header = ["code", "name", "score", "rank", "decile", "stack_count", *result.domains]
        if fmt == "json":
            return json.dumps({
                "ok": True, "level": result.level, "within": result.within,
                "period": result.period, "reference": result.reference,
                "reference_label": result.reference_label, "method": result.method,
                "domains": list(result.domains), "vintages": result.vintages,
                "base_vintages": result.base_vintages, "notes": list(result.notes),
                "count": len(rows), "rows": rows}, ensure_ascii=False)
        self.stderr.write(f"{len(rows)} {result.level} areas, period {result.period}, "
                          f"method {result.method}, against {result.reference_label}")
        for note in result.notes:
            self.stderr.write(f"note: {note}")
        return csv_text(rows, header)

    def _drivers(self, payload: dict, fmt: str) -> str:
        if fmt == "json":
            return json.dumps({"ok": True, **payload}, ensure_ascii=False)
        rows = payload["drivers"]
        header = list(rows[0]) if rows else ["domain"]
        self.stderr.write(f"{payload['code']} {payload['name']}, period {payload['period']}: "
                          f"score {_cell(payload['score'])}, rank {_cell(payload['rank'])}, "
                          f"decile {_cell(payload['decile'])}")
        for note in payload["notes"]:
            self.stderr.write(f"note: {note}")
        return csv_text(rows, header)
