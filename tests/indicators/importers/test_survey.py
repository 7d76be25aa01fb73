"""The resident-panel importer: results and respondents as perception indicators,
suppression below the minimum number of respondents, aggregation weighted by respondents,
and every malformed file refused without a trace."""

import json

import pandas as pd
import pytest
from django.core.management import call_command

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.analysis.aggregate import aggregate_areas
from wijkbalans.areas.models import Area, AreaVersion
from wijkbalans.areas.services import areas_register
from wijkbalans.indicators import importers
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.indicators.importers.base import AreaRecord, ImportFailed
from wijkbalans.indicators.models import ImportBatch, Indicator, Observation
from wijkbalans.indicators.services import import_file

pytestmark = pytest.mark.django_db

GM, WK1, WK2, BU1, BU2, BU3 = ("GM0014", "WK001401", "WK001402", "BU00140101",
                               "BU00140102", "BU00140201")
HEADER = "gebied;periode;vraag;vraagtekst;waarde;maat;n;thema;polariteit\n"
VEILIG = "Ik voel me veilig in mijn buurt"
CIJFER = "Rapportcijfer voor de buurt"
GOOD = HEADER + (
    f"{BU1};2023;veilig;{VEILIG};80;%;50;safety;higher_better\n"
    f"{BU2};2023;veilig;{VEILIG};60;%;150;safety;higher_better\n"
    f"{BU1};2023;cijfer;{CIJFER};7,2;score;48;liveability;higher_better\n"
    f"{BU2};2023;cijfer;{CIJFER};6,5;score;20;liveability;higher_better\n"
    f"{BU1};2024-Q1;veilig;{VEILIG};75;%;40;;\n"
    f"  bu00140102 ;2024KW01;Veilig;{VEILIG};.;%;35;;\n"
    f"{GM};2023;veilig;{VEILIG};65,5;%;400;safety;higher_better\n")


@pytest.fixture(autouse=True)
def survey_kind(monkeypatch):
    # Registered here until the kind is in importers.KINDS.
    monkeypatch.setitem(importers.KINDS, "survey", "wijkbalans.indicators.importers.survey")


@pytest.fixture
def areas(db):
    areas_register(records=[AreaRecord(code=c, name=name, level=lvl, year=2024) for c, name, lvl
                            in ((GM, "Groningen", "gemeente"), (WK1, "Centrum", "wijk"),
                                (WK2, "Oosterpoort", "wijk"), (BU1, "Oosterpoort", "buurt"),
                                (BU2, "Zeeheldenbuurt", "buurt"),
                                (BU3, "Hoornse Park", "buurt"))])


def write(tmp_path, text, name="panel.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot():
    return tuple(model.objects.count() for model in
                 (Observation, ImportBatch, Indicator, Area, AreaVersion, AuditEntry))


def stored():
    return {(o.indicator.code, o.area.code, o.period): (o.value, o.status) for o in
            Observation.objects.select_related("indicator", "area")}


def failing(path, **options):
    before = snapshot()
    with pytest.raises(ImportFailed) as failed:
        import_file(kind="survey", path=path, options=options)
    assert snapshot() == before
    return failed.value.problems


def test_results_and_respondents_load_as_perception_indicators(tmp_path, areas):
    result = import_file(kind="survey", path=write(tmp_path, GOOD))
    assert (result.created, result.indicators_created) == (14, 4)
    got = stored()
    assert got[("enquete_veilig", BU1, "2023")] == (80.0, "value")
    assert got[("enquete_veilig", GM, "2023")] == (65.5, "value")
    assert got[("enquete_cijfer", BU1, "2023")] == (7.2, "value")
    # 20 respondents is below the default 30: suppressed, its n kept as it is
    assert got[("enquete_cijfer", BU2, "2023")] == (None, "suppressed")
    assert got[("enquete_cijfer_n", BU2, "2023")] == (20.0, "value")
    # a quarter, a padded lower-case code, an empty result (missing) with its n
    assert got[("enquete_veilig", BU2, "2024-Q1")] == (None, "missing")
    assert got[("enquete_veilig_n", BU2, "2024-Q1")] == (35.0, "value")
    veilig = Indicator.objects.get(code="enquete_veilig")
    assert (veilig.name_nl, veilig.theme, veilig.unit, veilig.polarity, veilig.perception,
            veilig.aggregation, veilig.denominator, veilig.source) == (
        VEILIG, "safety", "%", "higher_better", True, "weighted_mean", "enquete_veilig_n",
        "Bewonersenquête")
    count = Indicator.objects.get(code="enquete_veilig_n")
    assert (count.aggregation, count.unit, count.polarity, count.perception) == (
        "sum", "respondenten", "neutral", True)
    assert Indicator.objects.get(code="enquete_cijfer").unit == "score"
    assert any("1 results from fewer than 30 respondents" in n for n in result.notes)
    again = import_file(kind="survey", path=write(tmp_path, GOOD))
    assert again.batch_id is None and again.unchanged == 14


def test_minimum_number_of_respondents_is_an_option(tmp_path, areas):
    import_file(kind="survey", path=write(tmp_path, GOOD), options={"min_respondents": 45})
    got = stored()
    assert got[("enquete_veilig", BU1, "2024-Q1")] == (None, "suppressed")  # n = 40
    assert got[("enquete_cijfer", BU1, "2023")] == (7.2, "value")  # n = 48
    assert got[("enquete_cijfer", BU2, "2023")] == (None, "suppressed")


def test_wijk_aggregates_weighted_by_respondents(tmp_path, areas):
    import_file(kind="survey", path=write(tmp_path, GOOD))
    panel = indicator_selectors.observation_long(area_ids=list(
        Area.objects.filter(code__in=[BU1, BU2]).values_list("pk", flat=True)))
    table = indicator_selectors.indicator_table_frame()
    result = aggregate_areas(panel, table, {WK1: [BU1, BU2]}).values
    got = {(r.indicator, r.period): r.value for r in result.itertuples()}
    # (80 * 50 + 60 * 150) / 200 = 65, not the plain mean 70
    assert got[("enquete_veilig", "2023")] == pytest.approx(65.0)
    assert got[("enquete_veilig_n", "2023")] == 200.0
    # the suppressed buurt does not count; 48 of 68 respondents is enough coverage
    assert got[("enquete_cijfer", "2023")] == pytest.approx(7.2)
    assert got[("enquete_cijfer_n", "2023")] == 68.0


def test_names_resolve_within_the_gemeente_and_a_level_tells_apart(tmp_path, areas):
    text = ("Gebied,Jaar,Vraag,Vraagtekst,Waarde,Maat,N,Niveau\n"
            f"zeeheldenbuurt,2024,veilig,{VEILIG},61,%,90,\n"
            f"Oosterpoort,2024,veilig,{VEILIG},55,%,120,buurt\n"
            f"Oosterpoort,2024,cijfer,{CIJFER},7.0,score,300,wijk\n")
    import_file(kind="survey", path=write(tmp_path, text), options={"gemeente": "gm0014"})
    got = stored()
    assert got[("enquete_veilig", BU2, "2024")] == (61.0, "value")
    assert got[("enquete_veilig", BU1, "2024")] == (55.0, "value")
    assert got[("enquete_cijfer", WK2, "2024")] == (7.0, "value")
    assert Indicator.objects.get(code="enquete_veilig").theme == "other"


def test_workbook_and_command_line(tmp_path, areas, capsys):
    frame = pd.DataFrame({"area": [BU1, BU2], "period": [2024, 2024],
                          "question": ["rondkomen", "rondkomen"],
                          "text": ["Ik kan rondkomen"] * 2, "value": [71.5, 48.0],
                          "measure": ["percentage"] * 2, "n": [64, 31]})
    path = tmp_path / "panel.xlsx"
    frame.to_excel(path, index=False)
    call_command("import_data", "survey", str(path), "--theme", "poverty", "--polarity",
                 "higher_better", "--format", "json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is True and payload["created"] == 4
    assert stored()[("enquete_rondkomen", BU1, "2024")] == (71.5, "value")
    made = Indicator.objects.get(code="enquete_rondkomen")
    assert (made.theme, made.polarity) == ("poverty", "higher_better")


BAD_ROWS = [
    # (row text, column, a fragment of what was expected)
    (f"BU00149999;2023;veilig;{VEILIG};80;%;50;safety;higher_better", "gebied",
     "an area in the registry"),
    (f"Oosterpoort;2023;veilig;{VEILIG};80;%;50;safety;higher_better", "gebied",
     "--gemeente"),
    (f"{BU1};2023-13;veilig;{VEILIG};80;%;50;safety;higher_better", "periode", "a year"),
    (f"{BU1};2023-03;veilig;{VEILIG};80;%;50;safety;higher_better", "periode", "a quarter"),
    (f"{BU1};2023;veilig;{VEILIG};100,5;%;50;safety;higher_better", "waarde",
     "a share from 0 to 100"),
    (f"{BU1};2023;cijfer;{CIJFER};0,5;score;50;liveability;higher_better", "waarde",
     "a score from 1 to 10"),
    (f"{BU1};2023;veilig;{VEILIG};veel;%;50;safety;higher_better", "waarde", "a number"),
    (f"{BU1};2023;veilig;{VEILIG};80;%;12,5;safety;higher_better", "n", "a whole number"),
    (f"{BU1};2023;veilig;{VEILIG};80;%;-3;safety;higher_better", "n", "a whole number"),
    (f"{BU1};2023;veilig;{VEILIG};80;%;;safety;higher_better", "n", "a whole number"),
    (f"{BU1};2023;veilig;{VEILIG};80;%;50;veiligheid;higher_better", "thema",
     "one of population"),
    (f"{BU1};2023;veilig;{VEILIG};80;%;50;safety;beter", "polariteit", "higher_better"),
    (f"{BU1};2023;veilig;{VEILIG};80;procentje;50;safety;higher_better", "maat", "'%'"),
    (f"{BU1};2023;veilig;Ik voel me thuis;80;%;50;safety;higher_better", "vraagtekst",
     "the same text for every row of question veilig (row 2"),
    (f"{BU1};2023;;{VEILIG};80;%;50;safety;higher_better", "vraag", "a question code"),
]


@pytest.mark.parametrize("bad, column, expected", BAD_ROWS)
def test_a_bad_row_changes_nothing_and_is_named(tmp_path, areas, bad, column, expected):
    good = f"{BU2};2023;veilig;{VEILIG};60;%;150;safety;higher_better"
    problems = failing(write(tmp_path, HEADER + good + "\n" + bad + "\n"))
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert (problem.file, problem.row, problem.column) == ("panel.csv", 3, column)
    assert expected in problem.expected


def test_duplicates_and_every_problem_at_once(tmp_path, areas):
    text = HEADER + (f"{BU1};2023;veilig;{VEILIG};80;%;50;safety;higher_better\n"
                     f"{BU1};2023;veilig;{VEILIG};81;%;50;safety;higher_better\n"
                     f"{BU2};1899;veilig;{VEILIG};80;%;x;safety;higher_better\n")
    problems = failing(write(tmp_path, text))
    assert [(p.row, p.column) for p in problems] == [(4, "periode"), (4, "n"), (3, "vraag")]
    assert "row 2 has BU00140101, 2023, veilig already" in problems[2].expected


def test_file_level_problems_change_nothing(tmp_path, areas):
    missing = failing(write(tmp_path, "gebied;periode;vraag;vraagtekst;waarde;maat\n"
                            f"{BU1};2023;veilig;{VEILIG};80;%\n"))
    assert [(p.row, p.column) for p in missing] == [(1, "n")]
    options = failing(write(tmp_path, GOOD), theme="veiligheid", min_respondents="-1",
                      gemeente="GM0363")
    assert [p.column for p in options] == ["--theme", "--min-respondents", "--gemeente"]
    names = failing(write(tmp_path, "gebied,jaar,vraag,vraagtekst,waarde,maat,n\n"
                          f"Oosterpoort,2024,veilig,{VEILIG},55,%,120\n"
                          f"Atlantis,2024,veilig,{VEILIG},55,%,120\n"), gemeente=GM)
    assert [p.row for p in names] == [2, 3]
    assert "it is WK001402, BU00140101" in names[0].expected or \
        "it is BU00140101, WK001402" in names[0].expected
    assert "an area of GM0014" in names[1].expected
    clash = failing(write(tmp_path, HEADER + (
        f"{BU1};2023;veilig;{VEILIG};80;%;50;;\n"
        f"{BU1};2023;veilig_n;Hoeveel;80;%;50;;\n")))
    assert [(p.row, p.column) for p in clash] == [(3, "vraag")]


def test_a_question_keeps_its_measure(tmp_path, areas):
    import_file(kind="survey", path=write(tmp_path, GOOD))
    changed = HEADER + f"{BU1};2025;veilig;{VEILIG};8;score;50;safety;higher_better\n"
    problems = failing(write(tmp_path, changed))
    assert [(p.row, p.column, p.found) for p in problems] == [(2, "maat", "score")]
    assert "'%', the measure of question veilig in the store" in problems[0].expected
