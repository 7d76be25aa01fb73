"""The one place where wijkbalans reads its environment.

Every setting that an operator may change is declared here with :func:`env`, with a
default and a help text. ``wijkbalans envdocs`` prints the table that ``docs/deploy.md``
carries, and a test fails when a declared variable is missing from that document.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EnvSetting:
    name: str
    default: Any
    help: str
    doc_default: str | None = None


REGISTRY: dict[str, EnvSetting] = {}


class EnvError(ValueError):
    """An environment variable holds a value of the wrong form."""


def _to_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true/false, got {raw!r}")


def _to_list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


CASTS: dict[type, Callable[[str], Any]] = {bool: _to_bool, list: _to_list, int: int, str: str}


def env(
    name: str, *, default: Any, help: str, cast: type = str,  # noqa: A002
    doc_default: str | None = None,
) -> Any:
    """Read ``name`` from the environment, record it in the registry, and cast it.

    >>> env("WIJKBALANS_EXAMPLE_FLAG", default=False, help="An example.", cast=bool)
    False
    """
    REGISTRY[name] = EnvSetting(name=name, default=default, help=help, doc_default=doc_default)
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return CASTS[cast](raw)
    except ValueError as exc:
        raise EnvError(f"{name}: {exc}") from exc


def markdown_table() -> str:
    """The table of every declared variable, as ``docs/deploy.md`` shows it."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for setting in sorted(REGISTRY.values(), key=lambda s: s.name):
        if setting.name == "WIJKBALANS_EXAMPLE_FLAG":
            continue
        default = setting.default
        if isinstance(default, list):
            default = ",".join(default)
        shown = f"`{default}`" if default not in ("", None, []) else "(empty)"
        if setting.doc_default is not None:
            shown = setting.doc_default
        rows.append(f"| `{setting.name}` | {shown} | {setting.help} |")
    return "\n".join(rows) + "\n"
