"""Results of a resident panel (bewonersenquête): ``wijkbalans import survey FILE``.

**Format.** A CSV (``;``, ``,`` or tab) or workbook read as :mod:`.tabular` says, in long
form: one row per area, period and question, with the columns (any case; the Dutch name
or the English one)

========================  =====================================================
``gebied`` / ``area``      CBS code (``BU00140402``, ``WK001404``, ``GM0014``), or the
                           area's name when ``--gemeente`` says whose registry to search
``periode`` / ``period``   a year (``2024``) or a quarter (``2024-Q1``, ``2024KW01``)
``vraag`` / ``question``   the question's code (``veilig_buurt``); slugified
``vraagtekst`` / ``text``  the question in Dutch
``waarde`` / ``value``     the result; ``.`` or empty for none, ``x`` suppressed
``maat`` / ``measure``     ``%`` (share that agrees, 0–100) or ``score`` (mean, 1–10)
``n``                      the number of respondents: a whole number, 0 or more
``thema`` / ``theme``      optional: a catalogue theme key (default ``--theme``)
``polariteit`` /           optional: ``higher_better``, ``higher_worse`` or
``polarity``               ``neutral`` (default ``--polarity``)
``niveau`` / ``level``     optional: ``buurt``, ``wijk`` or ``gemeente``, to tell apart
                           a wijk and a buurt with the same name
========================  =====================================================

**Rules.** Each question ``q`` becomes the indicator ``enquete_<q>`` (unit ``%`` or
``score``, aggregation: mean weighted by ``enquete_<q>_n``) and its respondents the
indicator ``enquete_<q>_n`` (aggregation: sum), both marked as *perception* (what residents
say, as against registered figures). So a wijk or an area set combines buurten by their
number of respondents, never by a plain mean of shares. A result from fewer than
``--min-respondents`` (default 30) respondents is stored as *suppressed* (no value);
its number of respondents is stored as it is. A question has one text, measure, theme
and polarity in the whole file. Every problem (unknown area, bad period, a share outside
0–100, a score outside 1–10, a bad ``n``, a repeated area/period/question, an unknown
theme) is collected with its row and column, and then nothing is loaded. This importer
registers no areas. See docs/importers/survey.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wijkbalans.areas import codes
from wijkbalans.areas.models import Area

from ..catalogue import THEMES
from ..models import Indicator
from .base import (
    ImportFailed,
    IndicatorSpec,
    Parsed,
    Problem,
    Progress,
    file_label,
    observations_frame,
)
from .table import slugify
from .tabular import (
    TableUnreadable,
    cell_text,
    find_column,
    normalise_period,
    parse_numbers,
    read_table,
)

KIND = "survey"
HELP = ("Resident panel results (share agreeing or mean score per area, period and "
        "question, with the number of respondents) as perception indicators")

PREFIX = "enquete_"
DEFAULT_MIN_RESPONDENTS = 30
DEFAULT_SOURCE = "Bewonersenquête"
COLUMNS = {  # role: accepted names, the first is the one problems name when it is absent
    "area": ["gebied", "area", "gebiedcode", "gebiedscode", "code", "buurtcode", "wijkcode",
             "gemeentecode", "gebiedsnaam", "naam", "name"],
    "period": ["periode", "period", "jaar", "year"],
    "question": ["vraag", "question", "vraagcode", "question_code"],
    "text": ["vraagtekst", "text", "question_text", "tekst"],
    "value": ["waarde", "value", "uitkomst", "resultaat", "result"],
    "measure": ["maat", "measure"],
    "n": ["n", "respondenten", "respondents", "aantal_respondenten"],
    "theme": ["thema", "theme"],
    "polarity": ["polariteit", "polarity"],
    "level": ["niveau", "level"],
}
OPTIONAL = ("theme", "polarity", "level")
MEASURES = {"%": "%", "pct": "%", "percentage": "%", "procent": "%", "aandeel": "%",
            "share": "%", "score": "score", "gemiddelde": "score", "mean": "score",
            "cijfer": "score", "rapportcijfer": "score"}
RANGES = {"%": (0.0, 100.0, "a share from 0 to 100"), "score": (1.0, 10.0, "a score from 1 to 10")}
POLARITIES = ("higher_better", "higher_worse", "neutral")
LEVELS = {"buurt": codes.BUURT, "wijk": codes.WIJK, "gemeente": codes.GEMEENTE}
MAX_CODE = 60  # enquete_ + code + _n stays well within the store's 120 characters
MAX_PROBLEMS = 500


def add_arguments(parser) -> None:
    parser.add_argument("--gemeente", default=None, help="gemeente code (GM0599) whose "
                        "areas the file's area names are looked up in")
    parser.add_argument("--min-respondents", type=int, default=DEFAULT_MIN_RESPONDENTS,
                        help="results from fewer respondents are stored as suppressed "
                        f"(default {DEFAULT_MIN_RESPONDENTS})")
    parser.add_argument("--theme", default="other", help="theme of questions without one "
                        "in a theme column: " + ", ".join(THEMES) + " (default other)")
    parser.add_argument("--polarity", default="neutral", choices=POLARITIES,
                        help="polarity of questions without one in a polarity column")
    parser.add_argument("--source", default=DEFAULT_SOURCE, help="source of the "
                        f"questions' indicators (default '{DEFAULT_SOURCE}')")
    parser.add_argument("--licence", default="", help="licence of the results")
    parser.add_argument("--sheet", default=None, help="sheet of a workbook (name or number)")
    parser.add_argument("--encoding", default=None, help="text encoding (default: UTF-8, "
                        "else Windows-1252)")
    parser.add_argument("--sep", default=None, help="separator (default: sniffed)")


def parse(path: Path, options: dict, progress: Progress) -> Parsed:
    """Read and validate the whole file; raise :class:`ImportFailed` with every problem."""
    label = file_label(path)
    opt = dict(options)
    problems = _option_problems(label, opt)
    try:
        table = read_table(path, label=label, encoding=opt.get("encoding"),
                           separator=opt.get("sep"), sheet=opt.get("sheet"))
    except TableUnreadable as unreadable:
        raise ImportFailed(problems + unreadable.problems) from None
    frame, rows = table.frame, table.row_numbers().to_numpy()
    found = {role: find_column(list(frame.columns), names) for role, names in COLUMNS.items()}
    for role, column in found.items():
        if column is None and role not in OPTIONAL:
            names = "/".join(COLUMNS[role][:3])
            problems.append(Problem(file=label, row=1, column=COLUMNS[role][0],
                                    expected=f"a column {names}", found=", ".join(
                                        map(str, frame.columns[:15]))))
    if problems:
        raise ImportFailed(problems)
    text = {role: cell_text(frame[c]).reset_index(drop=True) if c else None
            for role, c in found.items()}
    progress(len(frame) // 3)

    def problem(index, role, expected, value=None):
        if len(problems) < MAX_PROBLEMS:
            problems.append(Problem(file=label, row=int(rows[index]), column=found[role],
                                    expected=expected, found=value))

    area = _areas(text, opt, problem)
    period = _periods(text["period"], problem)
    question = text["question"].map(slugify)
    for i in np.flatnonzero((question == "").to_numpy()):
        problem(i, "question", "a question code (letters and digits)", text["question"][i])
    for i in np.flatnonzero((question.str.len() > MAX_CODE).to_numpy()):
        problem(i, "question", f"a question code of at most {MAX_CODE} characters",
                question[i])
    measure = text["measure"].str.lower().map(MEASURES)
    for i in np.flatnonzero((measure.isna() & (text["measure"] != "")).to_numpy()):
        problem(i, "measure", "'%' (share agreeing) or 'score' (mean on 1-10)",
                text["measure"][i])
    questions = _questions(text, question, measure, opt, problem)
    progress(len(frame) // 3)

    values, statuses = parse_numbers(frame[found["value"]].reset_index(drop=True))
    for i in np.flatnonzero(statuses.isna().to_numpy()):
        problem(i, "value", "a number (decimal comma or point), '.' or empty for none, "
                "'x' for suppressed", text["value"][i])
    row_measure = question.map({q: s["measure"] for q, s in questions.items()})
    for unit, (low, high, expected) in RANGES.items():
        out = (row_measure == unit) & (statuses == "value") & ~values.between(low, high)
        for i in np.flatnonzero(out.to_numpy()):
            problem(i, "value", expected, text["value"][i])
    n, n_status = parse_numbers(frame[found["n"]].reset_index(drop=True))
    bad_n = (n_status != "value") | (n < 0) | (n % 1 != 0)
    for i in np.flatnonzero(bad_n.fillna(True).to_numpy()):
        problem(i, "n", "a whole number of respondents, 0 or more", text["n"][i])
    keys = pd.DataFrame({"area": area, "period": period, "question": question})
    complete = (keys != "").all(axis=1) & keys.notna().all(axis=1)
    first = {}
    for i in np.flatnonzero((keys.duplicated(keep=False) & complete).to_numpy()):
        key = tuple(keys.iloc[i])
        if key in first:
            problem(i, "question", f"one row per area, period and question (row "
                    f"{rows[first[key]]} has {key[0]}, {key[1]}, {key[2]} already)", key[2])
        first.setdefault(key, i)
    if problems:
        raise ImportFailed(problems)

    minimum = int(opt.get("min_respondents", DEFAULT_MIN_RESPONDENTS))
    too_few = (statuses == "value") & (n < minimum)
    values, statuses = values.mask(too_few), statuses.mask(too_few, "suppressed")
    progress(len(frame) - 2 * (len(frame) // 3))
    observations = observations_frame({
        "indicator": pd.concat([PREFIX + question, PREFIX + question + "_n"]).tolist(),
        "area": pd.concat([area, area]).tolist(),
        "period": pd.concat([period, period]).tolist(),
        "value": pd.concat([values, n]).tolist(),
        "status": pd.concat([statuses, pd.Series("value", index=n.index)]).tolist(),
        "row": np.concatenate([rows, rows]),
        "column": [found["value"]] * len(frame) + [found["n"]] * len(frame),
    })
    specs = [spec for q, facts in questions.items() for spec in _specs(q, facts, opt)]
    notes = [f"{len(frame)} results: {len(questions)} questions, {area.nunique()} areas, "
             f"periods {', '.join(sorted(period.unique()))}"]
    if too_few.any():
        notes.append(f"{int(too_few.sum())} results from fewer than {minimum} respondents "
                     "stored as suppressed")
    unpolar = sorted(q for q, facts in questions.items() if facts["polarity"] == "neutral")
    if unpolar:
        notes.append("questions without a polarity (neutral): " + ", ".join(unpolar))
    return Parsed(observations=observations, indicators=specs, notes=table.notes + notes,
                  require_known_areas=True)


def _option_problems(label: str, opt: dict) -> list[Problem]:
    problems = []
    theme = opt.get("theme") or "other"
    if theme not in THEMES:
        problems.append(Problem(file=label, column="--theme", expected="a theme: "
                                + ", ".join(THEMES), found=str(theme)))
    if (opt.get("polarity") or "neutral") not in POLARITIES:
        problems.append(Problem(file=label, column="--polarity", expected="one of "
                                + ", ".join(POLARITIES), found=str(opt["polarity"])))
    minimum = opt.get("min_respondents", DEFAULT_MIN_RESPONDENTS)
    if not str(minimum).isdigit():
        problems.append(Problem(file=label, column="--min-respondents",
                                expected="a whole number, 0 or more", found=str(minimum)))
    gemeente = codes.normalise(opt.get("gemeente") or "")
    if gemeente and not Area.objects.filter(code=gemeente, level=codes.GEMEENTE).exists():
        problems.append(Problem(file=label, column="--gemeente", expected="the code of a "
                                "gemeente in the registry, such as GM0599",
                                found=str(opt["gemeente"])))
    return problems


def _areas(text: dict, opt: dict, problem) -> pd.Series:
    """CBS codes of the rows: a code as it is (if the registry knows it), a name looked up
    among the areas of ``--gemeente`` (of the row's level, when a level column says it)."""
    raw = text["area"]
    code = raw.map(codes.normalise)
    level_of = code.map(codes.level_of)
    wanted = None
    if text["level"] is not None:
        wanted = text["level"].str.lower().map(LEVELS)
        for i in np.flatnonzero((wanted.isna() & (text["level"] != "")).to_numpy()):
            problem(i, "level", "buurt, wijk or gemeente", text["level"][i])
        clash = level_of.notna() & wanted.notna() & (level_of != wanted)
        for i in np.flatnonzero(clash.to_numpy()):
            problem(i, "level", f"{level_of[i]}, as the code {code[i]} says", text["level"][i])
    is_code = level_of.notna()
    known = set(Area.objects.filter(code__in=set(code[is_code])).values_list("code", flat=True))
    for i in np.flatnonzero((is_code & ~code.isin(known)).to_numpy()):
        problem(i, "area", "an area in the registry (import the areas first, e.g. with "
                "'wijkbalans import kwb')", raw[i])
    names = ~is_code & (raw != "")
    for i in np.flatnonzero((raw == "").to_numpy()):
        problem(i, "area", "a CBS area code or an area name", "")
    gemeente = codes.normalise(opt.get("gemeente") or "")
    if names.any() and not gemeente:
        for i in np.flatnonzero(names.to_numpy()):
            problem(i, "area", "a CBS area code such as BU00140402, or give --gemeente to "
                    "look names up", raw[i])
        return code.where(is_code, "")
    by_name: dict[str, list[tuple[str, str]]] = {}
    for area_code, name, level in Area.objects.filter(gemeentecode=gemeente).values_list(
            "code", "name", "level"):
        by_name.setdefault(name.strip().casefold(), []).append((area_code, level))
    resolved = code.where(is_code, "")
    for i in np.flatnonzero(names.to_numpy()):
        found = by_name.get(raw[i].casefold(), [])
        if wanted is not None and isinstance(wanted[i], str):
            found = [f for f in found if f[1] == wanted[i]]
        if len(found) == 1:
            resolved[i] = found[0][0]
        elif not found:
            problem(i, "area", f"the name of an area of {gemeente} in the registry", raw[i])
        else:
            problem(i, "area", "a name that is one area; it is "
                    + ", ".join(c for c, _ in found) + " (give the code, or a level column)",
                    raw[i])
    return resolved


def _periods(raw: pd.Series, problem) -> pd.Series:
    mapping = {value: normalise_period(value) for value in raw.unique()}
    period = raw.map(mapping).fillna("")
    # A panel reports per year or per quarter; a month would be a different survey design.
    bad = ~period.str.fullmatch(r"\d{4}(?:-Q[1-4])?")
    for i in np.flatnonzero(bad.to_numpy()):
        problem(i, "period", "a year (2024) or a quarter (2024-Q1, 2024KW01)", raw[i])
    return period.where(~bad, "")


def _questions(text: dict, question: pd.Series, measure: pd.Series, opt: dict,
               problem) -> dict[str, dict]:
    """Each question's text, measure, theme and polarity: one of each in the whole file."""
    facts = pd.DataFrame({"question": question, "text": text["text"],
                          "measure": measure.fillna(""),
                          "theme": text["theme"].str.lower() if text["theme"] is not None
                          else "",
                          "polarity": text["polarity"].str.lower()
                          if text["polarity"] is not None else ""})
    facts = facts[facts["question"] != ""]
    for role, allowed in (("theme", THEMES), ("polarity", POLARITIES)):
        wrong = (facts[role] != "") & ~facts[role].isin(list(allowed))
        for i in facts.index[wrong]:
            problem(i, role, f"one of {', '.join(allowed)}", text[role][i])
        facts.loc[wrong, role] = ""  # reported once, not again as a disagreement
    defaults = {"theme": opt.get("theme") or "other",
                "polarity": opt.get("polarity") or "neutral"}
    out: dict[str, dict] = {}
    for q, group in facts.groupby("question", sort=True):
        one = {}
        for role in ("text", "measure", "theme", "polarity"):
            given = group[group[role] != ""]
            if given.empty:
                one[role] = defaults.get(role, "")
                if role in ("text", "measure"):
                    problem(group.index[0], role, f"a {role} for question {q}", "")
                continue
            first = given[role].iloc[0]
            one[role] = first
            for i in given.index[given[role] != first][:1]:
                # Row numbers are positions + 2, as tabular.Table.row_numbers gives them.
                problem(i, role, f"the same {role} for every row of question {q} (row "
                        f"{given.index[0] + 2} has {first!r})",
                        text[role][i] if role != "measure" else given[role][i])
        out[q] = one
    clashing = sorted(set(out) & {q + "_n" for q in out})
    for q in clashing:
        problem(facts.index[facts["question"] == q][0], "question", "a question code that "
                f"is not another's count of respondents ({PREFIX}{q[:-2]}_n)", q)
    _check_existing(out, facts, problem)
    return out


def _check_existing(questions: dict, facts: pd.DataFrame, problem) -> None:
    """A question loaded before keeps its indicator; a file that measures it otherwise is
    refused rather than stored under a unit that no longer fits."""
    units = dict(Indicator.objects.filter(code__in=[PREFIX + q for q in questions])
                 .values_list("code", "unit"))
    for q, one in questions.items():
        unit = units.get(PREFIX + q)
        if unit is not None and unit != one["measure"] and one["measure"]:
            problem(facts.index[facts["question"] == q][0], "measure", f"{unit!r}, the "
                    f"measure of question {q} in the store", one["measure"])


def _specs(question: str, facts: dict, opt: dict) -> list[IndicatorSpec]:
    text, unit = facts["text"], facts["measure"]
    count = f"{PREFIX}{question}_n"
    source = str(opt.get("source") or DEFAULT_SOURCE)
    licence = str(opt.get("licence") or "")
    what = ("percentage respondenten dat het eens is" if unit == "%"
            else "gemiddeld cijfer van de respondenten (1-10)")
    name = text if len(text) <= 300 else text[:299] + "…"
    return [
        IndicatorSpec(code=PREFIX + question, name_nl=name, theme=facts["theme"], unit=unit,
                      polarity=facts["polarity"], source=source, licence=licence,
                      description=f"Bewonersenquête, vraag {question}: \u201c{text}\u201d; "
                      f"{what}. Uitkomsten van te weinig respondenten zijn afgeschermd.",
                      aggregation="weighted_mean", denominator=count,
                      decimals=0 if unit == "%" else 1, perception=True),
        IndicatorSpec(code=count, name_nl=f"Respondenten: {text}"[:300], theme=facts["theme"],
                      unit="respondenten", polarity="neutral", source=source,
                      licence=licence, description=f"Aantal respondenten op vraag {question} "
                      "van de bewonersenquête.", aggregation="sum", perception=True),
    ]
