"""``wijkbalans areas lineage|set``: derive area lineage, and save or delete area sets.

* ``wijkbalans areas lineage --from 2017 --to 2022 [--within GM0014] [--level buurt]
  [--tolerance 300] [--format json]`` derives where the areas of one classification year
  continue in a later one (:func:`wijkbalans.areas.lineage.lineage_derive`) and prints the
  links.
* ``wijkbalans areas set --slug S --name N --members BU..,BU.. [--description D]`` creates
  or replaces an area set; ``wijkbalans areas set --slug S --delete`` deletes it.

See docs/importers/boundaries.md.
"""

from __future__ import annotations

import json
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from wijkbalans.areas.lineage import LEVELS, LineageError, lineage_derive, links_as_dicts
from wijkbalans.areas.selectors import area_set_get, area_set_member_codes
from wijkbalans.areas.services import AreaSetError, area_set_delete, area_set_save
from wijkbalans.core.management.options import acting_user


class Command(BaseCommand):
    help = "Area lineage between classification years, and area sets"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        lineage = sub.add_parser("lineage", help="derive where areas continue in a later year")
        lineage.add_argument("--from", dest="from_year", type=int, required=True,
                             help="the earlier classification year, e.g. 2017")
        lineage.add_argument("--to", dest="to_year", type=int, required=True,
                             help="the later classification year, e.g. 2022")
        lineage.add_argument("--within", default=None,
                             help="only the old areas of this gemeente, e.g. GM0014")
        lineage.add_argument("--level", choices=LEVELS, default=None,
                             help="only this level (default: gemeenten, wijken and buurten)")
        lineage.add_argument("--tolerance", type=float, default=0.0,
                             help="metres: overlaps thinner than this count as differences "
                             "in drawing, not moved borders (default 0; about 300 for the "
                             "generalised CBS maps)")
        set_parser = sub.add_parser("set", help="create, replace or delete an area set")
        set_parser.add_argument("--slug", required=True, help="the set's short name")
        set_parser.add_argument("--name", default="", help="the set's name")
        set_parser.add_argument("--members", default="",
                                help="buurtcodes separated by commas: BU00140000,BU00140001")
        set_parser.add_argument("--description", default="", help="a description")
        set_parser.add_argument("--delete", action="store_true", help="delete the set")
        for action_parser in (lineage, set_parser):
            action_parser.add_argument("--format", choices=["text", "json"], default="text",
                                       help="how to print the result")
            action_parser.add_argument("--user", default="",
                                       help="user name recorded as the one acting")

    def handle(self, *args, **options):
        user = acting_user(options["user"])
        if options["action"] == "lineage":
            self._lineage(options, user)
        else:
            self._set(options, user)

    def _print(self, options, payload: dict, lines: list[str]) -> None:
        if options["format"] == "json":
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            for line in lines:
                self.stdout.write(line)

    def _lineage(self, options, user) -> None:
        try:
            links = lineage_derive(from_year=options["from_year"], to_year=options["to_year"],
                                   within=options["within"], level=options["level"],
                                   tolerance=options["tolerance"], acting_user=user)
        except LineageError as error:
            raise CommandError(str(error), returncode=1) from None
        counts = Counter(link.kind for link in links)
        lines = [f"{link.from_code} {link.from_name} -> {link.to_code} {link.to_name}: "
                 f"{link.kind}, share {link.share:.4f}" for link in links]
        lines.append(f"{len(links)} link(s): " + ", ".join(
            f"{counts[kind]} {kind}" for kind in ("recoded", "split", "merged", "redrawn")))
        self._print(options, {"ok": True, "from": options["from_year"], "to": options["to_year"],
                              "counts": dict(counts), "links": links_as_dicts(links)}, lines)

    def _set(self, options, user) -> None:
        slug = options["slug"]
        if options["delete"]:
            area_set = area_set_get(slug=slug)
            if area_set is None:
                raise CommandError(f"no area set {slug!r}", returncode=1)
            area_set_delete(area_set=area_set, acting_user=user)
            self._print(options, {"ok": True, "slug": slug, "deleted": True},
                        [f"area set {slug!r} deleted"])
            return
        members = [code for code in options["members"].split(",") if code.strip()]
        if not options["name"] or not members:
            raise CommandError("--name and --members are needed to save a set "
                               "(or --delete to delete it)", returncode=1)
        try:
            area_set = area_set_save(slug=slug, name=options["name"], member_codes=members,
                                     description=options["description"], acting_user=user)
        except AreaSetError as error:
            raise CommandError(str(error), returncode=1) from None
        codes = area_set_member_codes(area_set=area_set)
        self._print(options, {"ok": True, "slug": slug, "name": area_set.name,
                              "members": codes},
                    [f"area set {slug!r} ({area_set.name}): {len(codes)} buurten"])
