"""The postcode table: the CBS postcode-huisnummer file, strictly checked, and the
``wijkbalans postcodes load`` command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.indicators.importers.base import ImportFailed
from wijkbalans.participation.models import AreaPostcode
from wijkbalans.participation.postcodes import (
    normalise_postcode,
    postcode_buurten,
    postcodes_load,
    postcodes_of_area,
)

from .conftest import B00, B01, B10, B11, POSTCODE_FILE, make_areas

pytestmark = pytest.mark.django_db


def test_load_counts_addresses_per_postcode_and_buurt(postcode_file):
    make_areas()
    result = postcodes_load(postcode_file)
    assert (result.year, result.gemeenten, result.rows) == (2024, ["GM0999"], 9)
    assert (result.postcodes, result.pairs, result.unknown_buurten) == (4, 5, 0)
    rows = {(r.postcode, r.buurtcode): (r.wijkcode, r.addresses)
            for r in AreaPostcode.objects.all()}
    assert rows == {("9711AA", B00): ("WK099900", 3), ("9711AB", B01): ("WK099900", 2),
                    ("9711AB", B10): ("WK099901", 1), ("9712AA", B10): ("WK099901", 2),
                    ("9712AB", B11): ("WK099901", 1)}
    assert postcode_buurten("9711 ab") == [B01, B10]  # most addresses first
    assert postcodes_of_area(code="WK099901") == ["9711AB", "9712AA", "9712AB"]
    entry = AuditEntry.objects.get(action="participation.postcodes.load")
    assert entry.after["pairs"] == 5 and entry.after["file"] == postcode_file.name


def test_a_new_file_replaces_its_municipalities_rows(tmp_path, postcode_file):
    postcodes_load(postcode_file)
    newer = tmp_path / "newer.csv"
    newer.write_text("PC6;Huisnummer;Buurt2025;Wijk2025;Gemeente2025\n"
                     "9711AA;1;9990001;99900;999\n")
    result = postcodes_load(newer)
    assert result.replaced == 5
    assert list(AreaPostcode.objects.values_list("postcode", "buurtcode", "year")) == [
        ("9711AA", B01, 2025)]


def test_gemeente_filter_skips_other_municipalities(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(POSTCODE_FILE + "1011AB;1;3630000;36300;363\n1011AB;x;bad;bad;363\n")
    result = postcodes_load(path, gemeenten=["999"])
    assert (result.gemeenten, result.skipped, result.pairs) == (["GM0999"], 2, 5)
    assert not AreaPostcode.objects.filter(gemeentecode="GM0363").exists()


@pytest.mark.parametrize(("extra", "words"), [
    ("971AA;1;9990000;99900;999", "row 12, column 'PC6': expected a postcode of four digits"),
    ("9711AA;0;9990000;99900;999", "row 12, column 'Huisnummer': expected a house number"),
    ("9711AA;1;99X;99900;999", "row 12, column 'Buurt2024': expected a buurtcode"),
    ("9711AA;1;9990100;99900;999", "row 12, column 'Buurt2024': expected a buurt of wijk "
                                   "WK099900 in GM0999, found '9990100'"),
    ("9711AA;1;9990000;99900", "row 12: expected 5 fields separated by ';'"),
])
def test_a_bad_row_is_named_and_nothing_is_written(tmp_path, postcode_file, extra, words):
    postcodes_load(postcode_file)
    before = list(AreaPostcode.objects.values_list("postcode", "buurtcode", "addresses"))
    audits = AuditEntry.objects.count()
    path = tmp_path / "bad.csv"
    path.write_text(POSTCODE_FILE + "\n" + extra + "\n")  # row 11 is empty, skipped
    with pytest.raises(ImportFailed) as failed:
        postcodes_load(path)
    assert words in str(failed.value)
    assert list(AreaPostcode.objects.values_list("postcode", "buurtcode",
                                                 "addresses")) == before
    assert AuditEntry.objects.count() == audits


def test_a_wrong_header_is_refused(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("postcode,huisnummer,buurt\n9711AA,1,9990000\n")
    with pytest.raises(ImportFailed, match="row 1: expected the header PC6;Huisnummer"):
        postcodes_load(path)
    mixed = tmp_path / "years.csv"
    mixed.write_text("PC6;Huisnummer;Buurt2024;Wijk2023;Gemeente2024\n")
    with pytest.raises(ImportFailed, match="expected the header"):
        postcodes_load(mixed)
    assert AreaPostcode.objects.count() == 0


def test_prefixed_codes_and_normalised_postcodes_are_read(tmp_path):
    path = tmp_path / "prefixed.csv"
    path.write_text("\ufeffPC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\n"
                    "9711 aa;1;BU09990000;WK099900;GM0999\n")
    postcodes_load(path)
    assert postcode_buurten("9711AA") == [B00]
    assert normalise_postcode(" 9711 aa ") == "9711AA"


def test_command_loads_and_reports(postcode_file, capsys):
    make_areas()
    call_command("postcodes", "load", str(postcode_file), "--gemeente", "GM0999")
    out = capsys.readouterr().out
    assert "Loaded 4 postcodes in 5 postcode-buurt pairs (9 addresses" in out
    assert AreaPostcode.objects.count() == 5


def test_command_fails_with_the_problems(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(POSTCODE_FILE + "ABCDEF;1;9990000;99900;999\n")
    with pytest.raises(CommandError) as failed:
        call_command("postcodes", "load", str(path))
    assert "row 11, column 'PC6'" in str(failed.value)
    assert AreaPostcode.objects.count() == 0


def test_residents_follow_a_reloaded_table(make_resident, tmp_path):
    resident = make_resident("9711AB")
    assert resident.resident_profile.buurt.code == B01
    newer = tmp_path / "newer.csv"
    newer.write_text("PC6;Huisnummer;Buurt2025;Wijk2025;Gemeente2025\n"
                     "9711AB;1;9990100;99901;999\n9711AB;2;9990100;99901;999\n"
                     "9711AB;3;9990001;99900;999\n")
    postcodes_load(newer)
    resident.resident_profile.refresh_from_db()
    assert resident.resident_profile.buurt.code == B10  # now most of its addresses
