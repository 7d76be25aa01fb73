"""Targets: saving, validation, the audit log, and progress against hand-computed paths
and statuses (tolerance 0.1 of the whole distance, band edges on track)."""

from __future__ import annotations

import pytest

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.models import AreaSet
from wijkbalans.stacking.models import Target
from wijkbalans.stacking.selectors import target_list, target_progress
from wijkbalans.stacking.services import TargetError, target_delete, target_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def noord(country):
    return AreaSet.objects.get(slug="noord")


def save(area_set, **kwargs):
    fields = {"indicator": "ervaren_gezondheid_pct", "kind": "value", "baseline_period": "2019",
              "target_period": "2029", "target_value": 70.0, "acting_user": None}
    fields.update(kwargs)
    return target_save(area_set=area_set, **fields)


def by_period(progress):
    return {row["period"]: row for row in progress["periods"]}


def test_value_target_path_and_status(noord):
    # Baseline 60 in 2019, 70 by 2029: the path passes 65 in 2024 (halfway).
    progress = target_progress(target=save(noord))
    rows = by_period(progress)
    assert progress["baseline"]["value"] == pytest.approx(60.0)
    assert {p["period"]: p["value"] for p in progress["path"]}["2024"] == pytest.approx(65.0)
    assert [p["period"] for p in progress["path"]] == [str(y) for y in range(2019, 2030)]
    assert rows["2019"]["status"] == "on track"
    # 2021: 60.5 is progress 0.05 against 0.2 required: behind (below 0.2 - 0.1).
    assert rows["2021"]["progress"] == pytest.approx(0.05)
    assert rows["2021"]["status"] == "behind"
    # 2024: 66 is progress 0.6 against 0.5: on the band's upper edge, so on track.
    assert rows["2024"]["progress"] == pytest.approx(0.6)
    assert rows["2024"]["path"] == pytest.approx(65.0)
    assert rows["2024"]["status"] == "on track"
    assert rows["2029"]["status"] == "no data"
    assert progress["latest"]["period"] == "2024"
    assert "Ahead when p > p* + 0.1" in progress["rule"]
    # The same 66 against a target of 64: progress 1.5, ahead.
    ahead = by_period(target_progress(target=save(noord, target_value=64.0)))
    assert ahead["2024"]["progress"] == pytest.approx(1.5)
    assert ahead["2024"]["status"] == "ahead"


def test_closure_target_half_the_gap_to_the_rest_of_the_city(noord):
    target = save(noord, indicator="werkzaam_pct", kind="closure", target_value=None,
                  closure_share=0.5, reference="rest_of_city")
    progress = target_progress(target=target)
    base = progress["baseline"]
    assert base["value"] == pytest.approx(34000 / 600)
    assert base["reference"] == pytest.approx(108400 / 1500)
    assert base["gap"] == pytest.approx(-15.6)
    assert progress["goal"]["gap"] == pytest.approx(-7.8)
    rows = by_period(progress)
    # 2024: gap -11.6, closure 1 - 11.6/15.6 = 0.2564, progress 0.5128 of 0.5: on track.
    assert rows["2024"]["closure"] == pytest.approx(1 - 11.6 / 15.6)
    assert rows["2024"]["progress"] == pytest.approx((1 - 11.6 / 15.6) / 0.5)
    assert rows["2024"]["status"] == "on track"
    path = {p["period"]: p for p in progress["path"]}
    assert path["2024"]["gap"] == pytest.approx(-15.6 * (1 - 0.5 * 0.5))
    assert path["2024"]["value"] == pytest.approx(108400 / 1500 - 11.7)
    assert progress["references"]["city"]["2019"] == 66.0


def test_reference_target_closes_the_whole_gap(noord):
    target = save(noord, indicator="werkzaam_pct", kind="reference", target_value=None,
                  target_period="2039", reference="rest_of_city")
    assert target.closure_share == 1.0
    rows = by_period(target_progress(target=target))
    # 2024: required 5/20 = 0.25, progress = closure 0.2564: on track.
    assert rows["2024"]["required"] == pytest.approx(0.25)
    assert rows["2024"]["progress"] == pytest.approx(1 - 11.6 / 15.6)
    assert rows["2024"]["status"] == "on track"


def test_theme_target_follows_the_domain_score(noord):
    target = save(noord, indicator=None, theme="work_income", kind="closure",
                  target_value=None, closure_share=0.5, reference="rest_of_city")
    progress = target_progress(target=target)
    assert progress["key_kind"] == "theme" and progress["unit"] == "index"
    # Against the buurten of GM0777 fixed in 2019 the set's score is below its rest.
    assert progress["baseline"]["value"] < progress["baseline"]["reference"]
    statuses = {r["period"]: r["status"] for r in progress["periods"]}
    assert statuses["2019"] == "on track" and statuses["2029"] == "no data"
    assert by_period(progress)["2024"]["closure"] > 0  # the set's werkzaam rose


def test_no_baseline_value_gives_no_data(noord):
    target = save(noord, baseline_period="2018", target_period="2028")
    rows = target_progress(target=target)["periods"]
    assert {r["status"] for r in rows} == {"no data"}
    assert {r["reason"] for r in rows} == {"no baseline value"}


@pytest.mark.parametrize(("kwargs", "field", "words"), [
    ({"indicator": "geluk"}, "indicator", "unknown indicator 'geluk'"),
    ({"indicator": "lbm_klasse"}, "indicator", "cannot be combined"),
    ({"theme": "work_income"}, "indicator", "exactly one indicator or one theme"),
    ({"indicator": None}, "indicator", "exactly one indicator or one theme"),
    ({"indicator": None, "theme": "geluk"}, "theme", "unknown theme 'geluk'"),
    ({"kind": "dream"}, "kind", "unknown kind 'dream'"),
    ({"reference": "world"}, "reference", "unknown reference 'world'"),
    ({"target_period": "2019"}, "target_period", "must come after the baseline"),
    ({"target_period": "2018"}, "target_period", "must come after the baseline"),
    ({"baseline_period": "19"}, "baseline_period", "YYYY, YYYY-Qn or YYYY-MM"),
    ({"target_value": None}, "target_value", "needs a target value"),
    ({"target_value": "veel"}, "target_value", "is a number"),
    ({"closure_share": 0.5}, "closure_share", "has no closure share"),
    ({"kind": "closure", "target_value": None, "closure_share": 1.5}, "closure_share",
     "closure share in (0, 1]"),
    ({"kind": "closure", "target_value": None, "closure_share": 0}, "closure_share",
     "closure share in (0, 1]"),
    ({"kind": "closure", "target_value": None}, "closure_share", "closure share in (0, 1]"),
    ({"kind": "closure"}, "target_value", "has no target value"),
    ({"kind": "reference", "target_value": None, "closure_share": 0.5}, "closure_share",
     "closes the whole gap"),
    ({"note": "x" * 2001}, "note", "at most 2000 characters"),
])
def test_invalid_targets_are_refused_and_nothing_is_written(noord, kwargs, field, words):
    audit = AuditEntry.objects.count()
    with pytest.raises(TargetError) as caught:
        save(noord, **kwargs)
    assert caught.value.field == field
    assert words in str(caught.value)
    assert Target.objects.count() == 0 and AuditEntry.objects.count() == audit


def test_save_update_delete_are_audited(noord, admin_user):
    target = save(noord, note="Gezond Noord", acting_user=admin_user)
    created = AuditEntry.objects.get(action="target.save")
    assert created.before is None and created.actor == admin_user
    assert created.after["target_value"] == 70.0 and created.after["note"] == "Gezond Noord"
    assert created.object_type == "stacking.target" and created.object_id == str(target.pk)
    again = save(noord, note="Gezond Noord", acting_user=admin_user, target=target)
    assert again.pk == target.pk
    assert AuditEntry.objects.filter(action="target.save").count() == 1  # nothing changed
    save(noord, target_value=72.0, note="Gezond Noord", acting_user=admin_user, target=target)
    changed = AuditEntry.objects.filter(action="target.save").latest("id")
    assert (changed.before["target_value"], changed.after["target_value"]) == (70.0, 72.0)
    assert list(target_list(area_set=noord)) == [target]
    target_delete(target=target, acting_user=admin_user)
    deleted = AuditEntry.objects.get(action="target.delete")
    assert deleted.before["target_value"] == 72.0 and deleted.after is None
    assert Target.objects.count() == 0


def test_database_refuses_a_target_on_both_indicator_and_theme(noord):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(area_set=noord, indicator="werkzaam_pct", theme="health",
                              kind="value", baseline_period="2019", target_period="2029",
                              target_value=1.0)
