"""``wijkbalans import``: the summary line, JSON output, and the exit code on failure."""

import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wijkbalans.indicators import importers
from wijkbalans.indicators.models import ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fake_kind(monkeypatch):
    monkeypatch.setitem(importers.KINDS, "fake", "tests.indicators.fake_importer")


def write(tmp_path, rows):
    path = tmp_path / "f.csv"
    path.write_text("indicator,area,period,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_summary_line_and_json(tmp_path, capsys):
    path = write(tmp_path, ["x,BU00140000,2024,1", "x,BU00140001,2024,2"])
    call_command("import_data", "fake", str(path))
    out = capsys.readouterr().out
    assert "f.csv: created 2, updated 0, unchanged 0, rejected 0" in out
    call_command("import_data", "fake", str(path), "--format", "json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is True and payload["unchanged"] == 2 and payload["batch_id"] is None


def test_failure_prints_every_problem_and_exits_1(tmp_path, capsys):
    path = write(tmp_path, ["x,BU00140000,2024,een", "x,BU00140001,2024,twee"])
    with pytest.raises(CommandError) as failed:
        call_command("import_data", "fake", str(path), "--format", "json")
    assert failed.value.returncode == 1
    assert "row 2" in str(failed.value) and "row 3" in str(failed.value)
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False
    assert [p["row"] for p in payload["problems"]] == [2, 3]
    assert ImportBatch.objects.count() == 0


def test_unknown_user_is_refused(tmp_path):
    path = write(tmp_path, ["x,BU00140000,2024,1"])
    with pytest.raises(CommandError, match="no user named"):
        call_command("import_data", "fake", str(path), "--user", "nobody")


def test_console_script_lists_the_kinds():
    out = subprocess.run([sys.executable, "-m", "wijkbalans.cli", "import", "--help"],
                         capture_output=True, text=True, check=True)
    for kind in ("kwb", "boundaries", "leefbaarometer", "rivm", "events", "table"):
        assert kind in out.stdout
