"""``wijkbalans demo [--seed N] [--format json] [--user NAME]``: load the demo city.

Generates Demostad (fictitious, GM9999), loads its areas and figures through the import
pipeline, saves the programme area ``demostad-noord`` and creates the demo organisations
and log-ins (password "demo"). Running it again with the same seed changes nothing.
See docs/demo.md.
"""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from wijkbalans.core.management.options import acting_user
from wijkbalans.demo.figures import DEFAULT_SEED
from wijkbalans.demo.services import DEMO_USERNAMES, demo_load
from wijkbalans.indicators.importers.base import ImportFailed


class Command(BaseCommand):
    help = ("Load the fictitious demo city Demostad with twelve years of synthetic figures "
            "and demo log-ins (password 'demo'). Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=f"seed of the generator (default {DEFAULT_SEED}); the same "
                            "seed gives the same city")
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="how to print the summary")
        parser.add_argument("--user", default="",
                            help="user name recorded as the one who loaded the demo")

    def handle(self, *args, **options):
        users = get_user_model().objects
        acting = acting_user(options["user"])
        if users.exclude(username__in=DEMO_USERNAMES).exists():
            # The demo log-ins share a known password: say so loudly where real users live.
            self.stderr.write("warning: this database has users besides the demo log-ins; "
                              "the demo log-ins (password 'demo') are for a demo database "
                              "only")
        try:
            summary = demo_load(seed=options["seed"], acting_user=acting)
        except ImportFailed as failed:
            raise CommandError(failed.summary(), returncode=1) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps({"ok": True, **summary.as_dict()}, ensure_ascii=False))
        else:
            for line in summary.lines():
                self.stdout.write(line)
