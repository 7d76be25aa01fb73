"""The early-warning table (counts per theme × buurt × period, suppressed) and its
publication as an indicator series in the monitor."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pytest
from django.core.management.base import BaseCommand

from wijkbalans.analysis.suppression import determined_cells, feasible_intervals, table_with_margins
from wijkbalans.concerns import publish_cli
from wijkbalans.concerns.periods import PeriodError
from wijkbalans.concerns.publish import PublishError, concerns_publish
from wijkbalans.concerns.selectors import early_warning_table, last_complete_period
from wijkbalans.indicators.models import ImportBatch, Observation, ObservationRevision

from .conftest import buurt_code

B11, B12, B13, B21 = buurt_code(1, 1), buurt_code(1, 2), buurt_code(1, 3), buurt_code(2, 1)
# 2025-W01 starts on Monday 30 December 2024 but its Thursday is 2 January: Q1 of 2025.
FIRST_QUARTER = [("undermining", B11, "2025-W02", 4), ("undermining", B11, "2025-W10", 3),
                 ("undermining", B12, "2025-W05", 6), ("poverty_debts", B11, "2025-W03", 2),
                 ("poverty_debts", B12, "2025-W13", 9), ("poverty_debts", B13, "2025-W01", 5)]
ZEROS = [0, 0, 0, 0, 0, 0, 0]


@pytest.fixture
def history(add_concerns):
    add_concerns(FIRST_QUARTER + [("housing", B21, "2024-W52", 1),  # Q4 of 2024
                                  ("loneliness", B21, "2025-W14", 3)])  # Q2 of 2025


def test_the_first_quarter_by_hand(history, signal_city):
    table = early_warning_table(gemeente="GM0998", period_kind="quarter", first="2025-Q1",
                                last="2025-Q1")
    assert (table.period_kind, table.k, len(table.periods)) == ("quarter", 5, 1)
    assert [code for code, _ in table.buurten] == signal_city.buurten
    assert table.themes[:2] == ["undermining", "poverty_debts"] and len(table.themes) == 7
    q1 = table.periods[0]
    assert q1.period == "2025-Q1"
    # undermining 7, 6; poverty 2, 9, 5. The 2 is hidden; its row partner 5, its column
    # partner 7, the 5's column total 5, the 7's row partner 6, the totals row's 9 and the
    # 6's column partner 9 follow (tests/analysis/test_suppression.py, same table).
    assert q1.counts[0] == [None, None, 0, 0, 0, 0, 13]
    assert q1.counts[1] == [None, None, None, 0, 0, 0, 16]
    assert all(row == ZEROS for row in q1.counts[2:7])
    assert q1.counts[7] == [None, 15, None, 0, 0, 0, 29]
    assert (q1.primary, q1.secondary) == (1, 6)


def test_periods_follow_the_thursday_of_each_week(history):
    table = early_warning_table(gemeente="GM0998", period_kind="month", first="2024-12",
                                last="2025-04")
    totals = {p.period: p.counts[7][6] for p in table.periods}
    # January: 4 (W02) + 6 (W05, Thursday 30 January) + 2 (W03) + 5 (W01) = 17; February
    # none; March: 3 (W10) + 9 (W13, Thursday 27 March) = 12; December and April: 1 and 3
    assert totals == {"2024-12": None, "2025-01": 17, "2025-02": 0, "2025-03": 12,
                      "2025-04": None}
    quarters = early_warning_table(gemeente="GM0998", period_kind="quarter", first="2024-Q4",
                                   last="2025-Q2")
    assert [p.period for p in quarters.periods] == ["2024-Q4", "2025-Q1", "2025-Q2"]
    lonely = quarters.periods[2]
    assert lonely.counts[3][3] is None and lonely.primary == 4  # the 3 and its 3 totals


@pytest.mark.parametrize("first, last, kind, message", [
    ("2025Q1", "2025-Q2", "quarter", "YYYY-Qn"),
    ("2025-Q3", "2025-Q2", "quarter", "comes after"),
    ("2015-Q1", "2025-Q2", "quarter", "at most 40"),
    ("2025-W01", "2025-W02", "fortnight", "period kind"),
])
def test_malformed_periods_are_refused(history, first, last, kind, message):
    with pytest.raises(PeriodError, match=message):
        early_warning_table(gemeente="GM0998", period_kind=kind, first=first, last=last)


def test_k_is_a_setting_and_an_argument(history, settings):
    settings.CONCERNS_MIN_CELL = 3
    table = early_warning_table(gemeente="GM0998", first="2025-Q1", last="2025-Q1")
    assert table.k == 3 and table.periods[0].primary == 1  # only the 2 is below 3
    with pytest.raises(ValueError, match="at least 1"):
        early_warning_table(gemeente="GM0998", first="2025-Q1", last="2025-Q1", k=0)


def test_no_published_table_gives_back_a_count_below_k(add_concerns, signal_city):
    rng = np.random.default_rng(4)
    rows = []
    for week in range(1, 27):
        for _ in range(int(rng.poisson(4))):
            theme = str(rng.choice(["undermining", "poverty_debts", "loneliness", "other"],
                                   p=[0.4, 0.3, 0.2, 0.1]))
            code = signal_city.buurten[int(rng.choice(6, p=[.3, .25, .15, .1, .1, .1]))]
            rows.append((theme, code, f"2025-W{week:02d}", 1))
    add_concerns(rows)
    for kind, first, last in [("quarter", "2025-Q1", "2025-Q2"), ("month", "2025-01", "2025-06")]:
        table = early_warning_table(gemeente="GM0998", period_kind=kind, first=first, last=last)
        for period in table.periods:
            published = np.array(period.counts, dtype=object)
            hidden = np.vectorize(lambda v: v is None)(published)
            shown = published[~hidden].astype(int)
            assert not ((shown > 0) & (shown < 5)).any()
            # the hidden counts, rebuilt from the concerns themselves
            counts = np.zeros((7, 6), dtype=int)
            from wijkbalans.concerns.periods import period_of, week_start

            for theme, code, week, n in rows:
                if period_of(week_start(week), kind) == period.period:
                    counts[table.themes.index(theme), signal_city.buurten.index(code)] += n
            linked = table_with_margins(counts)
            assert np.array_equal(linked.values.reshape(8, 7)[~hidden], shown)
            assert not determined_cells(linked, hidden.ravel()).any()
            small = np.flatnonzero((linked.values > 0) & (linked.values < 5))
            for low, high in feasible_intervals(linked, hidden.ravel(), small).values():
                assert high - low >= 4


def test_the_series_is_published_to_the_monitor(history):
    result = concerns_publish()
    assert result.batch_id is not None and result.created == 2 * 8 * 7  # 2024-Q4, 2025-Q1
    batch = ImportBatch.objects.get(pk=result.batch_id)
    assert batch.kind == "concerns" and batch.user is None
    def value(indicator, area, period="2025-Q1"):
        row = Observation.objects.get(indicator__code=indicator, area__code=area, period=period)
        return row.value, row.status

    assert value("signalen_poverty_debts", B11) == (None, "suppressed")
    assert value("signalen_poverty_debts", "GM0998") == (16.0, "value")
    assert value("signalen_totaal", B12) == (15.0, "value")
    assert value("signalen_totaal", "GM0998") == (29.0, "value")
    assert value("signalen_housing", B13) == (0.0, "value")
    assert value("signalen_housing", B21, "2024-Q4") == (None, "suppressed")
    # 2025-Q2 is not over on 18 June 2025: not published
    assert not Observation.objects.filter(period="2025-Q2").exists()
    assert last_complete_period(kind="quarter") == "2025-Q1"


def test_publishing_again_changes_nothing_until_the_counts_change(history, add_concerns):
    concerns_publish()
    batches = ImportBatch.objects.count()
    assert concerns_publish().batch_id is None and ImportBatch.objects.count() == batches
    add_concerns([("poverty_debts", B11, "2025-W04", 4)])  # a late report: 2 becomes 6
    result = concerns_publish()
    assert result.updated > 0
    cell = Observation.objects.get(indicator__code="signalen_poverty_debts", area__code=B11,
                                   period="2025-Q1")
    assert (cell.value, cell.status) == (6.0, "value")
    assert ObservationRevision.objects.filter(replaced_by_id=result.batch_id).exists()


def test_only_the_published_kind_goes_to_the_monitor(history, settings):
    settings.CONCERNS_PUBLISHED_PERIOD = "week"
    with pytest.raises(PublishError, match="months, quarters or years"):
        concerns_publish()
    settings.CONCERNS_PUBLISHED_PERIOD = "quarter"
    concerns_publish()
    settings.CONCERNS_PUBLISHED_PERIOD = "month"
    before = Observation.objects.count()
    with pytest.raises(PublishError, match="mix two kinds"):
        concerns_publish()
    assert Observation.objects.count() == before


def test_nothing_to_publish_writes_nothing(signal_city):
    assert concerns_publish().batch_id is None
    assert not ImportBatch.objects.exists()


def test_the_publish_command_prints_the_loaders_summary(history):
    command = BaseCommand(stdout=StringIO())
    publish_cli.handle(command, {"gemeente": ["gm0998"]})
    assert command.stdout._out.getvalue().startswith("signalen: created 112, updated 0")
