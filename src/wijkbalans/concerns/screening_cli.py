"""``wijkbalans concerns screen``: the personal-data screen on texts from the command line.

``--text "..."`` screens one text; ``--file F`` screens every non-empty line of a UTF-8 file
as a text of its own (``-`` reads standard input). ``--format json`` prints one JSON object
per screened line: ``{"line": 3, "clean": false, "findings": [...]}``.

Exit status: 0 when every text is clean, 1 when personal data was found, 2 for a usage
error (a missing or unreadable file, a bad option). The command prints what it found,
personal data included, to the terminal of the member of staff who ran it; it writes
nothing anywhere else.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkbalans.concerns.screening import Finding, screen


def add_arguments(parser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="The text to screen.")
    source.add_argument("--file", help="A UTF-8 file with one text per line ('-': standard "
                                       "input). Empty lines are skipped.")
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="text (default): what was found, for people; json: one JSON "
                             "object per line with line, clean and findings.")


def _lines(options) -> list[tuple[int, str]]:
    """(line number, text) for every text to screen."""
    if options.get("text") is not None:
        return [(1, options["text"])]
    name = options["file"]
    try:
        raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError:
        raise CommandError(f"--file: no such file: {name}", returncode=2) from None
    except IsADirectoryError:
        raise CommandError(f"--file: {name} is a folder, expected a text file",
                           returncode=2) from None
    except OSError as error:
        raise CommandError(f"--file: cannot read {name}: {error.strerror}",
                           returncode=2) from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise CommandError(f"--file: {name} is not UTF-8 text (line {line}); save it as "
                           "UTF-8 and try again", returncode=2) from None
    return [(number, line) for number, line in enumerate(content.splitlines(), start=1)
            if line.strip()]


def _as_json(number: int, findings: list[Finding]) -> str:
    return json.dumps({
        "line": number,
        "clean": not findings,
        "findings": [{**finding.as_dict(), "hint": _(finding.hint)} for finding in findings],
    }, ensure_ascii=False)


def _as_text(findings: list[Finding]) -> list[str]:
    lines = []
    for finding in findings:
        lines.append(_('  %(kind)s: "%(text)s" (characters %(start)d-%(end)d). %(hint)s') % {
            "kind": finding.kind, "text": finding.text, "start": finding.start + 1,
            "end": finding.end, "hint": _(finding.hint)})
    return lines


def handle(command, options) -> None:
    texts = _lines(options)
    flagged = 0
    as_json = options["format"] == "json"
    single = options.get("text") is not None
    for number, text in texts:
        findings = screen(text)
        flagged += bool(findings)
        if as_json:
            command.stdout.write(_as_json(number, findings))
            continue
        if single:
            head = (_("Personal data found: remove it before the text can be stored.")
                    if findings else _("Clean: no personal data found."))
        else:
            head = (_("line %(line)d: personal data found") % {"line": number} if findings
                    else _("line %(line)d: clean") % {"line": number})
        command.stdout.write(head)
        for line in _as_text(findings):
            command.stdout.write(line)
    if not as_json and not single:
        command.stdout.write(ngettext(
            "%(count)d text screened, %(flagged)d with personal data.",
            "%(count)d texts screened, %(flagged)d with personal data.",
            len(texts)) % {"count": len(texts), "flagged": flagged})
    if flagged:
        raise SystemExit(1)
