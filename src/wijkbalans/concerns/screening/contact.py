"""E-mail addresses, also when written to dodge a spam filter: ``jan [at] gmail [dot] com``,
``jan(at)gmail.com``, ``jan(a)gmail.com``, ``jan apenstaartje gmail punt com``,
``j.jansen@gmail,com``.

The spelled-out forms (``at``, ``dot``, ``punt``) count only when the address ends in a
known top-level domain, so ``kijk eens at home`` and ``punt com`` on their own pass.
"""

from __future__ import annotations

import re

from .findings import EMAIL, Finding, make

# Common top-level domains; a plain "@" address accepts any two or more letters.
TOP_LEVEL = ("nl|com|net|org|be|de|eu|info|nu|biz|io|fr|uk|co|me|tr|ma|pl|sr|cw|aw|"
             "ro|bg|es|it|at|ch|dk|se|no|fi|ie|pt|gr|hu|cz|sk|lt|lv|ee|edu|gov|app|online")

_LOCAL = r"[A-Za-z0-9][A-Za-z0-9._%+\-]*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
_PLAIN = re.compile(rf"(?<![\w.+\-]){_LOCAL}@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,24}}\b")
_AT = (r"(?:\s*[\[({<]\s*(?:at|a|@|apenstaartje)\s*[\])}>]\s*|\s+(?:at|apenstaartje)\s+"
       r"|\s*@\s*)")
# A spelled-out dot, a dot with a space on both sides, or a dot between two letters:
# never a full stop followed by the next sentence ("hij at snel. De ...").
_DOT = r"(?:\s*[\[({<]\s*(?:dot|punt|\.)\s*[\])}>]\s*|\s+(?:dot|punt)\s+|\s+\.\s+|\.)"
# A comma typed for a dot after an "@": "j.jansen@gmail,com".
_COMMA = re.compile(rf"(?<![\w.+\-]){_LOCAL}@{_LABEL}(?:[.,]{_LABEL})*,(?:{TOP_LEVEL})\b",
                    re.IGNORECASE)
_SPELLED = re.compile(
    rf"(?<![\w.+\-]){_LOCAL}(?:\s+(?:punt|dot)\s+{_LOCAL})*{_AT}{_LABEL}(?:{_DOT}{_LABEL})*?{_DOT}(?:{TOP_LEVEL})\b",
    re.IGNORECASE)


_HINT = re.compile(r"@|\bat\b|\(a\)|\[a\]|apenstaartje", re.IGNORECASE)


def find_emails(text: str) -> list[Finding]:
    if not _HINT.search(text):
        return []  # no "@" and no spelled-out one: nothing to look at
    found = [make(text, EMAIL, m.start(), m.end(), "email") for m in _PLAIN.finditer(text)]
    for pattern in (_SPELLED, _COMMA):
        for match in pattern.finditer(text):
            found.append(make(text, EMAIL, match.start(), match.end(), "email_spelled"))
    return found
