"""Notes on the machine a benchmark ran on, printed with every result."""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import subprocess


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _postgres_version() -> str:
    binary = shutil.which("postgres") or shutil.which("pg_ctl")
    if not binary:
        return "not found"
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip().split()[-1] if out.stdout else "unknown"


def notes() -> dict[str, str]:
    mem_kb = 0
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            mem_kb = int(handle.readline().split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory_gib": f"{mem_kb / 1024 / 1024:.0f}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _postgres_version(),
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
