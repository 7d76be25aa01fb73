"""``wijkbalans concerns publish [--gemeente GM0014 ...]``: refresh the early-warning
series in the monitor (see :mod:`wijkbalans.concerns.publish`). Meant for a scheduler,
after the end of each period; prints the loader's summary line."""

from __future__ import annotations

from django.core.management.base import CommandError

from wijkbalans.indicators.importers.base import ImportFailed

from .publish import PublishError, concerns_publish


def add_arguments(parser) -> None:
    parser.add_argument("--gemeente", action="append", default=[], metavar="GMxxxx",
                        help="only this gemeente (repeat for more); default: every gemeente "
                             "with concerns")


def handle(command, options) -> None:
    gemeenten = [g.strip().upper() for g in options.get("gemeente") or [] if g.strip()]
    try:
        result = concerns_publish(gemeenten=gemeenten or None)
    except (PublishError, ImportFailed) as error:
        raise CommandError(str(error)) from error
    command.stdout.write(result.summary_line())
