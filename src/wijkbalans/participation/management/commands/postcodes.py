"""``wijkbalans postcodes load FILE [--gemeente GM0014 ...] [--user NAME]``: load which
buurten each postcode spans, from the CBS file "buurt, wijk en gemeente voor
postcode-huisnummer" (:func:`wijkbalans.participation.postcodes.postcodes_load`).

A file with problems loads nothing: every problem is printed with its row and column and
the command exits with status 1. See docs/participation.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from wijkbalans.core.management.options import acting_user
from wijkbalans.indicators.importers.base import ImportFailed
from wijkbalans.participation.postcodes import postcodes_load


class Command(BaseCommand):
    help = "Postcodes of the area: load the CBS postcode-huisnummer-buurt file"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = sub.add_parser("load", help="load PC6 -> buurt from the CBS file")
        load.add_argument("file", help="pc6hnr<date>_gwb.csv, ';'-separated")
        load.add_argument("--gemeente", action="append", default=[],
                          help="only this municipality (GM0014 or 14); repeat for more")
        load.add_argument("--user", default="", help="user name recorded as the one acting")

    def handle(self, *args, **options):
        user = acting_user(options["user"])
        try:
            result = postcodes_load(options["file"], gemeenten=options["gemeente"],
                                    acting_user=user)
        except ImportFailed as error:
            raise CommandError(error.summary(), returncode=1) from None
        self.stdout.write(
            f"Loaded {result.postcodes} postcodes in {result.pairs} postcode-buurt pairs "
            f"({result.rows} addresses, classification {result.year}) for "
            f"{', '.join(result.gemeenten)}; replaced {result.replaced} rows; skipped "
            f"{result.skipped} addresses of other municipalities.")
        if result.unknown_buurten:
            self.stdout.write(f"Note: {result.unknown_buurten} buurten are not in the area "
                              "registry (load the boundaries of the same year).")
