"""Area sets: the save and delete services, their audit entries, and ``wijkbalans areas set``."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.models import AreaSet
from wijkbalans.areas.services import (
    AreaSetError,
    area_set_delete,
    area_set_save,
    areas_register,
)
from wijkbalans.indicators.importers.base import AreaRecord

pytestmark = pytest.mark.django_db

BUURTEN = {"BU00141000": "Selwerd", "BU00141001": "Paddepoel-Zuid",
           "BU00141002": "Paddepoel-Noord", "BU00141100": "Beijum-West"}


@pytest.fixture(autouse=True)
def areas():
    records = [AreaRecord(code=code, name=name, level="buurt", year=2022)
               for code, name in BUURTEN.items()]
    records.append(AreaRecord(code="WK001410", name="Oud-West", level="wijk", year=2022))
    areas_register(records=records)


def members(slug):
    return sorted(AreaSet.objects.get(slug=slug).members.values_list("code", flat=True))


def state():
    return (sorted(AreaSet.objects.values_list("slug", "name", "description")),
            sorted(AreaSet.members.through.objects.values_list("areaset__slug", "area__code")),
            AuditEntry.objects.count())


def test_create_is_audited(admin_user):
    area_set = area_set_save(slug="noord", name="Groningen-Noord",
                             member_codes=["BU00141000", " bu00141002 "],
                             description="NPLV-gebied", acting_user=admin_user)
    assert members("noord") == ["BU00141000", "BU00141002"]
    entry = AuditEntry.objects.latest("pk")
    assert (entry.action, entry.object_id, entry.actor_id) == ("area_set.save", str(area_set.pk),
                                                               admin_user.pk)
    assert entry.before is None
    assert entry.after == {"name": "Groningen-Noord", "description": "NPLV-gebied",
                           "members": ["BU00141000", "BU00141002"]}


def test_replace_members_records_before_and_after():
    area_set_save(slug="noord", name="Noord", member_codes=["BU00141000", "BU00141001"])
    again = area_set_save(slug="noord", name="Groningen-Noord",
                          member_codes=["BU00141001", "BU00141100"])
    assert AreaSet.objects.count() == 1 and again.name == "Groningen-Noord"
    assert members("noord") == ["BU00141001", "BU00141100"]
    entry = AuditEntry.objects.latest("pk")
    assert entry.before["members"] == ["BU00141000", "BU00141001"]
    assert entry.after["members"] == ["BU00141001", "BU00141100"]
    assert (entry.before["name"], entry.after["name"]) == ("Noord", "Groningen-Noord")


def test_saving_the_same_set_again_writes_no_audit_entry():
    area_set_save(slug="noord", name="Noord", member_codes=["BU00141000", "BU00141001"])
    before = state()
    area_set_save(slug="noord", name="Noord", member_codes=["BU00141001", "BU00141000"])
    assert state() == before


@pytest.mark.parametrize("codes, message", [
    (["BU00141000", "BU00149999"], "unknown area code(s): BU00149999"),
    (["BU00141000", "WK001410"], "not a buurt: WK001410"),
    ([], "at least one buurt"),
])
def test_refused_members_change_nothing(codes, message):
    area_set_save(slug="noord", name="Noord", member_codes=["BU00141000"])
    before = state()
    with pytest.raises(AreaSetError) as refused:
        area_set_save(slug="noord", name="Anders", member_codes=codes)
    assert message in str(refused.value)
    assert state() == before


def test_delete_is_audited():
    area_set = area_set_save(slug="noord", name="Noord", member_codes=["BU00141000"])
    area_set_delete(area_set=area_set)
    assert not AreaSet.objects.exists()
    entry = AuditEntry.objects.latest("pk")
    assert entry.action == "area_set.delete"
    assert entry.before == {"slug": "noord", "name": "Noord", "members": ["BU00141000"]}


# --- the command ------------------------------------------------------------------------------


def test_command_saves_replaces_and_deletes(capsys, admin_user):
    call_command("areas", "set", "--slug", "noord", "--name", "Groningen-Noord",
                 "--members", "BU00141000,BU00141001, BU00141002", "--user", "beheerder")
    assert "area set 'noord' (Groningen-Noord): 3 buurten" in capsys.readouterr().out
    assert AuditEntry.objects.latest("pk").actor_id == admin_user.pk
    call_command("areas", "set", "--slug", "noord", "--name", "Groningen-Noord",
                 "--members", "BU00141100", "--format", "json")
    payload = json.loads(capsys.readouterr().out)
    assert payload == {"ok": True, "slug": "noord", "name": "Groningen-Noord",
                       "members": ["BU00141100"]}
    call_command("areas", "set", "--slug", "noord", "--delete")
    assert "deleted" in capsys.readouterr().out
    assert not AreaSet.objects.exists()


@pytest.mark.parametrize("args, message", [
    (["--slug", "noord", "--name", "N", "--members", "BU00141000,WK001410"], "not a buurt"),
    (["--slug", "noord", "--name", "N", "--members", "BU00140000"], "unknown area code"),
    (["--slug", "noord", "--members", "BU00141000"], "--name and --members"),
    (["--slug", "zuid", "--delete"], "no area set 'zuid'"),
    (["--slug", "noord", "--name", "N", "--members", "BU00141000", "--user", "niemand"],
     "no user named"),
])
def test_command_errors_change_nothing(args, message):
    before = state()
    with pytest.raises(CommandError, match=message):
        call_command("areas", "set", *args)
    assert state() == before
