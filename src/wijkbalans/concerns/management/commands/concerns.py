"""``wijkbalans concerns screen|purge|publish``: the personal-data screen on any text, the
retention job that erases free text after its period, and the early-warning series."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Early concerns: screen texts for personal data, erase expired free text."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        from wijkbalans.concerns import screening_cli

        screening_cli.add_arguments(sub.add_parser(
            "screen", help="Screen text for personal data; exit 1 when some is found."))
        from wijkbalans.concerns import retention_cli

        retention_cli.add_arguments(sub.add_parser(
            "purge", help="Erase free text older than the retention period."))
        from wijkbalans.concerns import publish_cli

        publish_cli.add_arguments(sub.add_parser(
            "publish", help="Refresh the early-warning series in the monitor."))

    def handle(self, *args, **options):
        if options["action"] == "screen":
            from wijkbalans.concerns import screening_cli

            return screening_cli.handle(self, options)
        if options["action"] == "publish":
            from wijkbalans.concerns import publish_cli

            return publish_cli.handle(self, options)
        from wijkbalans.concerns import retention_cli

        return retention_cli.handle(self, options)
