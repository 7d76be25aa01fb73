"""``wijkbalans concerns screen``: what it prints and, above all, its exit status
(0 clean, 1 personal data found, 2 usage error), in-process and as the console script."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

CONSOLE_SCRIPT = Path(sys.executable).parent / "wijkbalans"


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    with translation.override("en"):
        try:
            call_command("concerns", "screen", *args, stdout=out)
        except SystemExit as exit_:
            return exit_.code, out.getvalue()
    return 0, out.getvalue()


def console(*args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(CONSOLE_SCRIPT), "concerns", "screen", *args], input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_text_with_personal_data_exits_1_and_names_what_to_remove():
    code, out = run("--text", "Bel Kevin op 06-12345678.")
    assert code == 1
    assert out.splitlines() == [
        "Personal data found: remove it before the text can be stored.",
        '  name: "Kevin" (characters 5-9). Remove the name of a person.',
        '  phone: "06-12345678" (characters 14-24). Remove the telephone number.',
    ]


def test_clean_text_exits_0():
    code, out = run("--text", "Jongeren worden bij het winkelcentrum geronseld als koerier.")
    assert (code, out) == (0, "Clean: no personal data found.\n")


def test_file_one_text_per_line_as_json(tmp_path):
    source = tmp_path / "texts.txt"
    source.write_text("Veel schulden in de flats aan de noordkant.\n\n"
                      "Mevr. Jansen, Oosterstraat 12a\n"
                      "IBAN NL91 ABNA 0417 1643 00\n", encoding="utf-8")
    code, out = run("--file", str(source), "--format", "json")
    assert code == 1
    objects = [json.loads(line) for line in out.splitlines()]
    assert [(o["line"], o["clean"]) for o in objects] == [(1, True), (3, False), (4, False)]
    assert objects[0]["findings"] == []
    assert [(f["kind"], f["text"], f["start"], f["end"]) for f in objects[1]["findings"]] == [
        ("name", "Mevr. Jansen", 0, 12), ("address", "Oosterstraat 12a", 14, 30)]
    assert objects[2]["findings"][0]["kind"] == "iban"
    assert objects[2]["findings"][0]["hint"] == "Remove the bank account number (IBAN)."


def test_file_as_text_with_a_summary(tmp_path):
    source = tmp_path / "texts.txt"
    source.write_text("\ufeffSchulden bij gezinnen.\ngeb. 3 maart 2008\n", encoding="utf-8")
    code, out = run("--file", str(source))
    assert code == 1
    assert out.splitlines() == [
        "line 1: clean",
        "line 2: personal data found",
        '  birth_date: "3 maart 2008" (characters 6-17). Remove the date of birth.',
        "2 texts screened, 1 with personal data.",
    ]


def test_clean_file_exits_0(tmp_path):
    source = tmp_path / "texts.txt"
    source.write_text("In 2025 kwamen er 37 meldingen binnen.\nRond 9741 AB is het donker.\n",
                      encoding="utf-8")
    assert run("--file", str(source)) == (
        0, "line 1: clean\nline 2: clean\n2 texts screened, 0 with personal data.\n")


def test_missing_or_unreadable_file_is_a_usage_error(tmp_path):
    with pytest.raises(CommandError, match="no such file") as missing:
        run("--file", str(tmp_path / "nope.txt"))
    assert missing.value.returncode == 2
    binary = tmp_path / "texts.txt"
    binary.write_bytes(b"goed\nfout \xff\n")
    with pytest.raises(CommandError, match=r"not UTF-8 text \(line 2\)") as undecodable:
        run("--file", str(binary))
    assert undecodable.value.returncode == 2
    with pytest.raises(CommandError, match="is a folder") as folder:
        run("--file", str(tmp_path))
    assert folder.value.returncode == 2


def test_usage_errors_in_process():
    with pytest.raises(CommandError, match="one of the arguments --text --file is required"):
        run()
    with pytest.raises(CommandError, match="invalid choice"):
        run("--text", "x", "--format", "xml")


# The console script, as staff run it: three processes (each starts Django), one per exit
# status. A crash would also exit 1, so the output is checked along with the status.

def test_the_console_script_exits_1_on_personal_data_read_from_standard_input():
    done = console("--file", "-", "--format", "json",
                   stdin="Schulden bij gezinnen.\nkenteken 12-ABC-3, tel 06 12 34 56 78\n")
    assert done.returncode == 1, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(o["line"], o["clean"]) for o in lines] == [(1, True), (2, False)]
    assert [(f["kind"], f["text"]) for f in lines[1]["findings"]] == [
        ("licence_plate", "12-ABC-3"), ("phone", "06 12 34 56 78")]


def test_the_console_script_exits_0_on_a_clean_text():
    done = console("--text", "Veel signalen van schulden bij gezinnen in de flats.")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() != "" and done.stderr == ""


def test_the_console_script_exits_2_on_a_missing_file(tmp_path):
    done = console("--file", str(tmp_path / "nope.txt"))
    assert done.returncode == 2
    assert "no such file" in done.stderr and done.stdout == ""
