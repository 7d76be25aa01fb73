"""The shared import pipeline: counts, history, idempotence, all-or-nothing."""

import pytest

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.models import Area
from wijkbalans.indicators import importers
from wijkbalans.indicators.importers.base import ImportFailed
from wijkbalans.indicators.models import ImportBatch, Observation, ObservationRevision
from wijkbalans.indicators.services import import_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fake_kind(monkeypatch):
    monkeypatch.setitem(importers.KINDS, "fake", "tests.indicators.fake_importer")


def write(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text("indicator,area,period,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def snapshot_db():
    return (
        sorted(Observation.objects.values_list("indicator__code", "area__code", "period",
                                               "value", "status", "batch_id")),
        ImportBatch.objects.count(), ObservationRevision.objects.count(),
        Area.objects.count(), AuditEntry.objects.count(),
    )


def test_first_import_creates_and_second_changes_nothing(tmp_path):
    path = write(tmp_path, "a.csv", ["x,BU00140000,2024,1.5", "x,BU00140001,2024,."])
    first = import_file(kind="fake", path=path)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert first.areas_created == 2 and first.indicators_created == 1
    assert Observation.objects.get(area__code="BU00140001").status == "missing"
    before = snapshot_db()
    again = import_file(kind="fake", path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert again.batch_id is None
    assert snapshot_db() == before


def test_newer_value_updates_and_keeps_history(tmp_path):
    import_file(kind="fake", path=write(tmp_path, "a.csv", ["x,BU00140000,2024,1.5"]))
    first_batch = ImportBatch.objects.get()
    result = import_file(kind="fake", path=write(tmp_path, "b.csv",
                                                 ["x,BU00140000,2024,2.25",
                                                  "x,BU00140000,2023,1.0"]))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    current = Observation.objects.get(period="2024")
    assert current.value == 2.25 and current.batch_id == result.batch_id
    old = ObservationRevision.objects.get()
    assert (old.value, old.batch_id, old.replaced_by_id) == (1.5, first_batch.pk,
                                                             result.batch_id)


def test_bad_value_fails_whole_file_and_writes_nothing(tmp_path):
    import_file(kind="fake", path=write(tmp_path, "a.csv", ["x,BU00140000,2024,1.5"]))
    before = snapshot_db()
    bad = write(tmp_path, "bad.csv", ["x,BU00140000,2024,9", "x,BU00140001,2024,veel"])
    with pytest.raises(ImportFailed) as failed:
        import_file(kind="fake", path=bad)
    assert "bad.csv, row 3, column 'value': expected a number, found 'veel'" in str(failed.value)
    assert snapshot_db() == before


def test_duplicate_rows_are_refused(tmp_path):
    bad = write(tmp_path, "dup.csv", ["x,BU00140000,2024,1", "x,BU00140000,2024,1"])
    with pytest.raises(ImportFailed) as failed:
        import_file(kind="fake", path=bad)
    assert failed.value.problems[0].row == 3
    assert "duplicate" in failed.value.problems[0].expected
    assert Observation.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_import_is_audited_with_counts(tmp_path):
    result = import_file(kind="fake", path=write(tmp_path, "a.csv", ["x,BU00140000,2024,1"]))
    entry = AuditEntry.objects.get(action="import.load")
    assert entry.object_id == str(result.batch_id)
    assert entry.after["created"] == 1


def test_empty_and_missing_files_are_refused(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportFailed, match="empty"):
        import_file(kind="fake", path=empty)
    with pytest.raises(ImportFailed, match="an existing file"):
        import_file(kind="fake", path=tmp_path / "nope.csv")


def test_a_malformed_period_is_refused(tmp_path):
    bad = write(tmp_path, "p.csv", ["x,BU00140000,2024,1", "x,BU00140001,24-25,2"])
    with pytest.raises(ImportFailed) as failed:
        import_file(kind="fake", path=bad)
    problem = failed.value.problems[0]
    assert problem.row == 3 and problem.found == "24-25" and "YYYY" in problem.expected
    assert Observation.objects.count() == 0
