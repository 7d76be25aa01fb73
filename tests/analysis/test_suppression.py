"""Small-count suppression: hand-checked tables, and on random tables the audit that no
published table gives back a count below k (exactly, or to fewer than k values)."""

from __future__ import annotations

import doctest
import subprocess
import sys

import numpy as np
import pytest

from wijkbalans.analysis import suppression
from wijkbalans.analysis.suppression import (
    cube_with_margins,
    determined_cells,
    feasible_intervals,
    suppress,
    suppress_table,
    table_with_margins,
)

K = 5


def test_the_module_stands_alone_and_its_examples_run():
    code = ("import sys, wijkbalans.analysis.suppression\n"
            "print(','.join(m for m in sys.modules if m.split('.')[0] == 'django'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={"PATH": "", "PYTHONPATH": ":".join(sys.path)})
    assert done.stdout.strip() == ""
    assert doctest.testmod(suppression).failed == 0


def test_a_two_by_two_table_hides_the_small_cell_with_a_rectangle():
    # [[1, 8], [6, 9]]: 1 < 5 is hidden; its row gets 8, its column 6, and row 2 then has
    # one hidden cell, so 9 goes too. Margins stay: 9, 15 | 7, 17 | 24.
    result = suppress_table([[1, 8], [6, 9]], k=K)
    assert result.published.tolist() == [[None, None, 9], [None, None, 15], [7, 17, 24]]
    assert result.primary.sum() == 1 and result.secondary.sum() == 3
    # x + y = 9, x + z = 7, y + w = 17, z + w = 15, every hidden cell >= 1: x in [1, 6].
    table = table_with_margins([[1, 8], [6, 9]])
    assert feasible_intervals(table, result.hidden, [0]) == {0: (1.0, 6.0)}


def test_a_sparse_theme_by_buurt_table_by_hand():
    counts = np.zeros((7, 6), dtype=int)
    counts[0, :2] = [7, 6]  # undermining in buurten 1 and 2
    counts[1, :3] = [2, 9, 5]  # poverty in buurten 1, 2, 3
    result = suppress_table(counts, k=K)
    published = result.published
    # Row 2 hides 2, then its smallest partner 5; column 1 then hides 7, column 3 its
    # total 5; row 1 hides 6; the totals row hides 9 and column 2 hides 9.
    assert published[0].tolist() == [None, None, 0, 0, 0, 0, 13]
    assert published[1].tolist() == [None, None, None, 0, 0, 0, 16]
    assert published[7].tolist() == [None, 15, None, 0, 0, 0, 29]
    assert all(v == 0 for row in published[2:7] for v in row)
    assert result.primary.sum() == 1 and result.secondary.sum() == 6
    # Given the published figures: u1 + u2 = 13, p1 + p2 + p3 = 16, T1 + T3 = 14,
    # u1 + p1 = T1, u2 + p2 = 15, p3 = T3: the 2 lies anywhere from 1 to 12.
    assert feasible_intervals(table_with_margins(counts), result.hidden, [7]) == {
        7: (1.0, 12.0)}


def test_zeros_are_published_and_small_margins_hidden():
    result = suppress_table([[0, 0, 3], [0, 0, 0]], k=K)
    assert result.published[0, :2].tolist() == [0, 0]
    assert result.published[1].tolist() == [0, 0, 0, 0]
    # the 3, its row total and its column total are all below 5; the grand total too
    assert result.primary.tolist()[0] == [False, False, True, True]
    assert result.published[2].tolist() == [0, 0, None, None]


def test_a_table_without_small_counts_is_published_whole():
    result = suppress_table([[5, 12], [30, 7]], k=K)
    assert not result.hidden.any()
    assert result.published.tolist() == [[5, 12, 17], [30, 7, 37], [35, 19, 54]]


@pytest.mark.parametrize("counts, k, message", [
    ([[1, -2]], 5, "not negative"),
    ([[1.5, 2]], 5, "whole numbers"),
    ([[1, 2]], 0, "at least 1"),
    ([[1, 2]], 2.5, "whole number"),
    ([1, 2], 5, "rows × columns"),
])
def test_malformed_input_is_refused(counts, k, message):
    with pytest.raises(ValueError, match=message):
        suppress_table(counts, k=k)


def test_a_cell_bridging_two_protected_blocks_is_found_out():
    # Hidden: a rectangle in rows 1-2 × columns 1-2, one in rows 3-4 × columns 3-4, and
    # the cell (2, 3) between them. Every line then holds two or more hidden cells, yet
    # (2, 3) is the difference of the first block's row totals and column totals.
    counts = np.full((4, 4), 9)
    table = table_with_margins(counts)
    hidden = np.zeros((5, 5), dtype=bool)
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)]:
        hidden[r, c] = True
    found = determined_cells(table, hidden.ravel()).reshape(5, 5)
    assert np.argwhere(found).tolist() == [[1, 2]]


def test_month_and_quarter_tables_each_safe_together_give_a_count_back():
    # Each month's table and the quarter's are protected on their own; but the second
    # month's grand total (4, hidden) is the quarter's 20 minus the other months' 8 and 8.
    months = np.array([[[1, 4], [2, 1]], [[0, 3], [1, 0]], [[2, 2], [2, 2]]])
    quarter = months.sum(axis=0)
    tables = [suppress_table(m, k=K) for m in months] + [suppress_table(quarter, k=K)]
    assert [t.published[2, 2] for t in tables] == [8, None, 8, 20]
    for t, counts in zip(tables, [*months, quarter], strict=True):
        assert not determined_cells(table_with_margins(counts), t.hidden.ravel()).any()
    linked = cube_with_margins(np.concatenate([months, quarter[None]]), [3, 3, 3, -1])
    hidden = np.concatenate([t.hidden.ravel() for t in tables])
    found = np.flatnonzero(determined_cells(linked, hidden))
    assert found.tolist() == [17] and linked.values[17] == 4


def _recoverable_by_rank(table, hidden) -> list[int]:
    """Hidden cells that the published figures fix: appending the cell's unit row to the
    hidden cells' system does not raise its rank."""
    a = table.matrix().toarray()
    published = np.where(hidden, 0.0, table.values)
    cols = np.flatnonzero(hidden)
    a_h = a[:, cols]
    rank = np.linalg.matrix_rank(a_h)
    out = []
    for j, cell in enumerate(cols):
        unit = np.zeros((1, len(cols)))
        unit[0, j] = 1.0
        if np.linalg.matrix_rank(np.vstack([a_h, unit])) == rank:
            out.append(int(cell))
    assert np.allclose(a @ np.where(hidden, table.values, 0.0), -(a @ published))
    return out


def _random_tables(seed: int, n: int):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        rows, cols = int(rng.integers(1, 6)), int(rng.integers(1, 9))
        scale = rng.choice([0.3, 1.0, 2.5, 6.0])
        yield rng.poisson(scale * rng.gamma(0.8, size=(rows, 1))
                          * rng.gamma(0.8, size=(1, cols)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_published_random_table_gives_back_a_count_below_k(seed):
    for counts in _random_tables(seed, 12):
        result = suppress_table(counts, k=K)
        table = table_with_margins(counts)
        hidden = result.hidden.ravel()
        values = table.values
        # no published cell below k, except zeros
        assert not ((values > 0) & (values < K) & ~hidden).any()
        # every line with a hidden cell holds two, and they hold k together unless every
        # non-zero cell of the line is hidden
        for cells, _ in table.lines:
            inside = hidden[cells]
            if inside.any():
                assert inside.sum() >= 2
                all_hidden = not ((values[cells] > 0) & ~inside).any()
                assert values[cells][inside].sum() >= K or all_hidden
        # exact recovery by linear equations fails for every hidden cell
        assert _recoverable_by_rank(table, hidden) == []
        # and the published figures leave each cell below k at least k possible values
        primary = np.flatnonzero(result.primary.ravel())
        for low, high in feasible_intervals(table, hidden, primary).values():
            assert high - low >= K - 1, counts.tolist()


def test_the_same_counts_give_the_same_pattern():
    counts = next(_random_tables(7, 1))
    assert np.array_equal(suppress_table(counts).hidden, suppress_table(counts).hidden)


def test_a_linked_cube_is_protected_as_one():
    months = np.array([[[1, 4], [2, 1]], [[0, 3], [1, 0]], [[2, 2], [2, 2]]])
    cube = np.concatenate([months, months.sum(axis=0)[None]])
    linked = cube_with_margins(cube, [3, 3, 3, -1])
    result = suppress(linked, k=K)
    assert not determined_cells(linked, result.hidden).any()
    assert result.hidden[17]  # the second month's total stays hidden, and safe
    with pytest.raises(ValueError, match="sum of its periods"):
        cube_with_margins(np.concatenate([months, months[:1]]), [3, 3, 3, -1])


def test_bridges_and_widths_in_the_network_agree_with_linear_algebra():
    # A table with margins is a network: the bridge test and the maximum-flow widths
    # must give what rank and linear programming give on the same lines.
    rng = np.random.default_rng(9)
    for counts in _random_tables(9, 10):
        table = table_with_margins(counts)
        plain = suppression.LinkedTable(values=table.values, lines=table.lines)
        hidden = (rng.random(len(table.values)) < 0.5) & (table.values > 0)
        assert np.array_equal(determined_cells(table, hidden), determined_cells(plain, hidden))
        intervals = feasible_intervals(plain, hidden)
        for cell, (low, high) in intervals.items():
            if high - low < 1e-9:
                continue  # a fixed cell: the bridge test covers it
            width = suppression._network_width(table, hidden, cell, K)
            assert width == min(K, high - table.values[cell]) + min(K, table.values[cell] - low)
