"""The shape shared by the commands of the background queues (``wijkbalans evaluations``,
``wijkbalans reports``): ``work [--once] [--poll SECONDS]`` runs what is queued, ``check
ID [--user U] [--format json]`` proves that a finished item comes out the same again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def add_work_and_check(parser, *, work_help: str, check_help: str, id_help: str) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = sub.add_parser("work", help=work_help)
    run.add_argument("--once", action="store_true",
                     help="run what is queued now, then stop (default: keep waiting)")
    run.add_argument("--poll", type=float, default=3.0,
                     help="seconds between looks at the queue when it is empty")
    check = sub.add_parser("check", help=check_help)
    check.add_argument("id", type=int, help=id_help)
    check.add_argument("--user", default="", help="user name recorded as the one acting")
    check.add_argument("--format", choices=["text", "json"], default="text")


def run_worker(command, work: Callable[..., int], options: dict[str, Any], *,
               describe: Callable[[Any], str], done: str) -> None:
    """Run ``work`` with the command's options, one line per finished item, and a last
    line ``"<runs> <done>"``; Ctrl-C stops quietly."""
    try:
        runs = work(once=options["once"], poll_seconds=options["poll"],
                    report=lambda item: command.stdout.write(describe(item)))
    except KeyboardInterrupt:
        return
    command.stdout.write(f"{runs} {done}")
