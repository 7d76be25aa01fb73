"""The analysis layer stands alone: no Django, and its docstring examples run."""

import doctest
import importlib
import pkgutil
import subprocess
import sys

import pytest

from wijkbalans import analysis

# Every module of the analysis package, found rather than listed, so that a new one is
# held to the same rule the day it lands.
MODULES = sorted(
    info.name for info in pkgutil.walk_packages(analysis.__path__, "wijkbalans.analysis.")
    if not info.ispkg
)


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
