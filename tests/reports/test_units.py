"""The parts of the report that need no database: periods, formats, the summary's rules,
frozen JSON, and the page labels of the print style."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pytest
from django.utils import translation

from wijkbalans.reports import formatting, periods, render
from wijkbalans.reports.sections import check_json, jsonable, summary


@pytest.mark.parametrize("period, report, expected", [
    ("2024", "2024", True), ("2024-Q3", "2024", True), ("2025", "2024", False),
    ("2024", "2024-Q2", True), ("2024-Q3", "2024-Q2", False), ("2024-07", "2024-Q2", False),
    ("2024-06", "2024-Q2", True), ("later", "2024", False),
])
def test_a_figure_belongs_to_the_report_when_it_starts_before_the_period_ends(
        period, report, expected):
    assert periods.up_to(period, report) is expected


@pytest.mark.parametrize("text, valid", [("2024", True), ("2024-Q4", True), ("2024-Q5", False),
                                         ("2024-03", False), ("24", False), ("", False)])
def test_report_periods_are_years_or_quarters(text, valid):
    assert periods.is_report_period(text) is valid


def test_numbers_amounts_shares_and_dates_as_the_pages_write_them():
    assert formatting.number(1234.56, 1) == "1.234,6"
    assert formatting.number(1234.56, 1, "en") == "1,234.6"
    assert formatting.number(-2.5, 1) == "−2,5"
    assert formatting.number(float("nan"), 1) == formatting.number(None) == "–"
    assert formatting.euro("1234567.89") == "€ 1.234.567,89"
    assert formatting.euro(Decimal("0.10"), "en") == "€ 0.10"
    assert formatting.quantity("12.5000") == "12,5" and formatting.quantity("40") == "40"
    assert formatting.percent("0.687500") == "69%" and formatting.percent("0.125") == "12%"
    assert formatting.date_text("2026-11-28") == "28 november 2026"
    assert formatting.date_text(dt.date(2026, 11, 28), "en") == "28 November 2026"


def test_frozen_figures_are_plain_json():
    frozen = check_json({"a": np.float64(1.5), "b": float("nan"), "c": np.int64(3),
                         "d": Decimal("12.30"), "e": dt.date(2026, 1, 2), "f": (1, np.bool_(True)),
                         "g": math.inf})
    assert frozen == {"a": 1.5, "b": None, "c": 3, "d": "12.30", "e": "2026-01-02",
                      "f": [1, True], "g": None}
    assert jsonable({1: [np.float32(0.5)]}) == {"1": [0.5]}
    assert str(jsonable(-0.0)) == "0.0"  # PostgreSQL's jsonb has no negative zero


def _gap(label, closure, worse=True, base=-4.0, now=-3.0):
    return {"kind": "indicator", "key": label, "label": label, "period": "2024",
            "base_period": "2019", "gap": now, "gap_base": base, "closure": closure,
            "worse_at_base": worse, "polarity": "higher_better"}


def test_the_gap_rule_a_tenth_of_the_base_gap():
    with translation.override("en"):
        moved, still = summary._gaps({"gaps": [
            _gap("Work", 0.10), _gap("Income", 0.0999), _gap("Health", -0.10),
            _gap("Housing", 0.5, worse=False), _gap("Safety", None)]}, "en")
    assert moved == ["The gap to the city in work has narrowed: from 4.0 in 2019 to 3.0 in "
                     "2024."]
    assert still[0].startswith("The gap to the city in health has widened")
    assert still[1] == "The gap to the city stayed about the same in: income."


def test_the_target_sentences():
    target = {"what": "Work", "goal": "64.0 in 2030", "baseline": {"period": "2019"},
              "latest": {"period": "2024", "status": "on track", "value": 60.04,
                         "path": 60.0}}
    behind = {**target, "what": "Debt", "latest": {**target["latest"], "status": "behind"}}
    empty = {**target, "what": "Crime", "latest": None}
    ahead = {**target, "what": "School", "latest": {**target["latest"], "status": "ahead"}}
    with translation.override("en"):
        overall, moved, still = summary._targets(
            {"targets": [target, behind, empty, ahead]}, "en")
    assert overall == ["On track: 2 of the 4 targets. Behind: 1. No figures yet: 1. Ahead of "
                       "the path: 1."]
    assert moved[0] == ("Work: on track. In 2024 the value was 60.0; the path to the goal "
                        "(64.0 in 2030) asked for 60.0.")
    assert still == ["Debt: behind. In 2024 the value was 60.0; the path to the goal (64.0 in "
                     "2030) asked for 60.0.",
                     "Crime: no figures yet since the baseline in 2019."]


def test_labels_inside_a_sentence():
    assert summary.mid("Werkzame inwoners") == "werkzame inwoners"
    assert summary.mid("NPLV-kerncijfers") == "NPLV-kerncijfers"
    assert summary.mid("") == ""


def test_the_money_sentences():
    programmes = {"programmes": [{
        "title": "P", "progress": {"value": "0.450000"},
        "money": {"totals": {"need": "390000.00", "secured": "280000.00",
                             "shortfall": "110000.00"}, "from_year": 2023, "to_year": 2026,
                  "years_short": [2023, 2024, 2025],
                  "ending": [{"source_name": "SPUK", "last_year": 2025,
                              "after": [{"year": 2026, "falls_away": "60000.00"}]}]}}]}
    with translation.override("en"):
        sentences = summary._money(programmes, "nl")
    assert sentences == [
        "Together the results of P have reached 45% of their targets.",
        "P needs € 390.000,00 over 2023–2026; € 280.000,00 is secured and € 110.000,00 is "
        "still to be found.",
        "The shortfall falls in 3 years between 2023 and 2025.",
        "When SPUK ends after 2025, € 60.000,00 a year falls away from 2026 on."]
    programmes["programmes"][0]["money"]["totals"]["shortfall"] = "0.00"
    with translation.override("en"):
        assert summary._money(programmes, "en")[1] == (
            "P needs € 390,000.00 over 2023–2026; all of it is secured.")


def test_texts_in_the_print_style_cannot_end_it():
    assert render._css_string('a "b" \\ </style>') == '"a \\"b\\" \\\\ \\3c /style>"'
