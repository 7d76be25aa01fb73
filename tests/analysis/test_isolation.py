"""The analysis layer stands alone: no Django, and its docstring examples run."""

import doctest
import importlib
import subprocess
import sys

import pytest

MODULES = [
    "wijkbalans.analysis.standardise",
    "wijkbalans.analysis.stacking_methods",
    "wijkbalans.analysis.stacking",
    "wijkbalans.analysis.decomposition",
    "wijkbalans.analysis.robustness",
    "wijkbalans.analysis.smallarea",
    "wijkbalans.analysis.aggregate",
    "wijkbalans.analysis.gaps",
    "wijkbalans.analysis.targets",
]


def test_importing_the_analysis_modules_does_not_import_django():
    # A fresh interpreter: this test session has Django loaded already.
    code = (
        "import sys\n"
        f"for name in {MODULES!r}:\n"
        "    __import__(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(leaked))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"PATH": "", "PYTHONPATH": ":".join(sys.path)})
    assert done.stdout.strip() == ""


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
