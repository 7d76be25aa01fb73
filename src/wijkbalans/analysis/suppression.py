"""Small-count suppression of count tables that are published with their totals.

A *linked table* is a vector of cells and the sums that bind them: *lines*
``sum(coef_i * x_i) = 0``, such as "the cells of a row add up to its total" (cells +1,
total -1). One rows × columns table published with its row totals, column totals and
grand total has one line per row and per column of the extended table
(:func:`table_with_margins`). Tables of several periods where a period is the sum of
others (a quarter of its months) are one linked table with time lines as well
(:func:`cube_with_margins`): a cell hidden in a month must not follow from the quarter.

Method (cell suppression, Hundepool et al., *Statistical Disclosure Control*, Wiley 2012,
ch. 5; de Wolf, "Cell suppression", in the tau-ARGUS manual):

1. **Primary suppression.** Every cell with ``0 < count < k`` is hidden, totals included.
   Zeros are published: a zero says that no professional recorded a concern there, which
   tells nothing about a person; and a zero is never hidden to protect another cell (it
   cannot move down, so it protects nothing).
2. **Line rules**, repeated until nothing changes: every line that holds a hidden cell
   (a) holds at least two (else its total gives the one back), and (b) its hidden cells
   hold at least ``k`` together (else the total bounds each of them to fewer than ``k``
   values). A line that breaks a rule gets its smallest published non-zero cell hidden;
   ties go to the lowest index, so the result is deterministic. (A line whose non-zero
   cells are all hidden already, such as a row holding one count and its equal total,
   gives nothing away and is left as it is.)
3. **Exact disclosure by combining lines.** The rules look at one line at a time; a cell
   can still be the difference of two blocks of lines (a hidden cell that links two
   protected blocks). A hidden cell is *determined* when every vector of the null space
   of the hidden cells' system is zero there (:func:`determined_cells`).
4. **Protection interval.** Anyone who knows the rules knows that a hidden cell is at
   least 1 (zeros are published). Each primary cell must keep at least ``k`` possible
   values given everything published: the highest and lowest count it can take, the
   other hidden cells at least 1, differ by ``k - 1`` or more.

A cell failing step 3 or 4 gets the smallest published non-zero cell of its line with the
smallest hidden sum hidden as well (looking further along linked lines when its own have
none left), and the rules run again. Each round hides at least one more cell, so the loop
ends; the result is deterministic.

A table with margins is a network (each count an arc between its row and its column;
:func:`table_with_margins`): step 3 is then a search for bridges among the hidden arcs
(Tarjan 1974) and step 4 two maximum flows per cell, both exact and fast. Other linked
tables use singular value decomposition and linear programming. :func:`feasible_intervals`
(linear programming) is the independent audit the tests run on random tables.

>>> t = suppress_table([[1, 8], [6, 9]], k=5)
>>> t.published.tolist()
[[None, None, 9], [None, None, 15], [7, 17, 24]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

INF = float("inf")


@dataclass(frozen=True)
class LinkedTable:
    """Cells (a flat vector of counts) and the lines ``(cells, coefficients)`` binding
    them: each line sums to zero.

    ``arcs`` (cells × 2: from node, to node), when given, says that the lines are the
    nodes of a network and each cell an arc carrying its count, every node keeping as
    much as it receives: then intervals are computed by maximum flow instead of linear
    programming. A table with margins is such a network (:func:`table_with_margins`).
    """

    values: np.ndarray
    lines: list[tuple[np.ndarray, np.ndarray]]
    arcs: np.ndarray | None = None

    def matrix(self) -> sparse.csr_matrix:
        """Lines × cells, the coefficients of every line."""
        if not self.lines:
            return sparse.csr_matrix((0, len(self.values)))
        rows = np.concatenate([np.full(len(c), i) for i, (c, _) in enumerate(self.lines)])
        cols = np.concatenate([c for c, _ in self.lines])
        data = np.concatenate([w for _, w in self.lines]).astype(float)
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(self.lines),
                                                              len(self.values)))


@dataclass(frozen=True)
class Suppression:
    values: np.ndarray  # the counts, in the shape given (margins included)
    hidden: np.ndarray  # bool, same shape
    primary: np.ndarray  # bool, same shape: 0 < count < k

    @property
    def secondary(self) -> np.ndarray:
        return self.hidden & ~self.primary

    @property
    def published(self) -> np.ndarray:
        """The counts as published: ints, None where hidden (an object array)."""
        out = self.values.astype(np.int64).astype(object)
        out[self.hidden] = None
        return out


# -- the rules ---------------------------------------------------------------------------

def _smallest_open(values: np.ndarray, hidden: np.ndarray, cells: np.ndarray) -> int | None:
    """The smallest published non-zero cell among ``cells`` (lowest index on ties)."""
    open_ = cells[~hidden[cells] & (values[cells] > 0)]
    if not len(open_):
        return None
    return int(open_[np.lexsort((open_, values[open_]))[0]])


def _line_rules(table: LinkedTable, absolute, hidden: np.ndarray, k: int) -> bool:
    """One pass of rules (a) and (b) over the lines; True when a cell was hidden."""
    values = table.values
    counts = absolute @ hidden.astype(float)
    sums = absolute @ (values * hidden)
    changed = False
    for i in np.flatnonzero((counts == 1) | ((counts >= 1) & (sums < k))):
        cells = table.lines[i][0]
        inside = hidden[cells]
        if inside.sum() >= 2 and values[cells][inside].sum() >= k:
            continue  # mended by a cell hidden earlier in this pass
        extra = _smallest_open(values, hidden, cells)
        if extra is not None:
            hidden[extra] = True
            changed = True
    return changed


def _components(matrix: sparse.csr_matrix, hidden: np.ndarray):
    """The hidden cells in groups linked through shared lines, with each group's
    submatrix (lines that touch it × its cells)."""
    cells = np.flatnonzero(hidden)
    if not len(cells):
        return []
    sub = matrix[:, cells].tocsr()
    sub = sub[np.flatnonzero(np.diff(sub.indptr) > 0)]
    linked = abs(sub).T @ abs(sub)
    count, labels = connected_components(linked, directed=False)
    groups = []
    for label in range(count):
        members = np.flatnonzero(labels == label)
        part = sub[:, members].tocsr()
        part = part[np.flatnonzero(np.diff(part.indptr) > 0)]
        groups.append((cells[members], part))
    return groups


def determined_cells(table: LinkedTable, hidden: np.ndarray) -> np.ndarray:
    """Hidden cells whose value the published cells fix exactly (bool per cell).

    The hidden cells ``h`` satisfy ``A_h x_h = -A_p v_p``; ``x_j`` is fixed iff every
    vector of the null space of ``A_h`` is zero at ``j`` (computed per group of linked
    hidden cells, by singular value decomposition). In a network the null space is the
    cycles of the hidden arcs, so a cell is fixed iff its arc is a bridge: that is
    how a table with margins is checked.

    >>> t = table_with_margins([[1, 8], [6, 9]])
    >>> hide = np.zeros(9, bool); hide[[0, 2]] = True   # a cell and its row total only
    >>> np.flatnonzero(determined_cells(t, hide)).tolist()
    [0, 2]
    """
    hidden = np.asarray(hidden, bool).ravel()
    out = np.zeros(len(table.values), dtype=bool)
    if table.arcs is not None:
        out[_bridges(table.arcs, hidden)] = True
        return out
    for cells, part in _components(table.matrix(), hidden):
        dense = part.toarray()
        _, s, vt = np.linalg.svd(dense, full_matrices=True)
        rank = int((s > 1e-9 * max(1.0, s[0] if len(s) else 0.0)).sum())
        null = vt[rank:]
        norms = np.sqrt((null ** 2).sum(axis=0)) if len(null) else np.zeros(len(cells))
        out[cells[norms < 1e-7]] = True
    return out


def _bridges(arcs: np.ndarray, hidden: np.ndarray) -> list[int]:
    """The hidden arcs on no cycle of the hidden arcs (undirected; parallel arcs make a
    cycle), by depth-first search with low points (Tarjan 1974)."""
    edges = np.flatnonzero(hidden)
    links: dict[int, list[tuple[int, int]]] = {}
    for e in edges:
        a, b = int(arcs[e, 0]), int(arcs[e, 1])
        links.setdefault(a, []).append((b, int(e)))
        links.setdefault(b, []).append((a, int(e)))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    out = []
    for root in sorted(links):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack = [(root, -1, iter(links[root]))]
        while stack:
            node, via, todo = stack[-1]
            step = next(todo, None)
            if step is None:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        out.append(via)
                continue
            nxt, edge = step
            if edge == via:
                continue
            if nxt in order:
                low[node] = min(low[node], order[nxt])
            else:
                order[nxt] = low[nxt] = len(order)
                stack.append((nxt, edge, iter(links[nxt])))
    return sorted(out)


def _mend(table: LinkedTable, lines_of: list[np.ndarray], hidden: np.ndarray,
          cells: np.ndarray) -> bool:
    """Hide a complement for each cell in ``cells``: the smallest published non-zero cell
    of the line through it whose hidden cells hold the least. When every non-zero cell of
    its lines is hidden already, look one step further: the lines through the hidden
    cells that share a line with it, and so on."""
    values = table.values
    changed = False
    for cell in cells:
        frontier, seen_lines, seen_cells = [int(cell)], set(), {int(cell)}
        while frontier:
            lines = {int(i) for c in frontier for i in lines_of[c]} - seen_lines
            seen_lines |= lines
            options = []
            for i in sorted(lines):
                members = table.lines[i][0]
                extra = _smallest_open(values, hidden, members)
                if extra is not None:
                    options.append((values[members][hidden[members]].sum(), i, extra))
            if options:
                hidden[min(options)[2]] = True
                changed = True
                break
            frontier = [int(c) for i in lines for c in table.lines[i][0]
                        if hidden[c] and int(c) not in seen_cells]
            seen_cells.update(frontier)
    return changed


def suppress(table: LinkedTable, *, k: int = 5) -> Suppression:
    """Hide cells of ``table`` until it is safe to publish (the module's method).

    >>> s = suppress(table_with_margins([[2, 9, 9], [7, 8, 9]]), k=5)
    >>> np.flatnonzero(s.primary).tolist(), np.flatnonzero(s.secondary).tolist()
    ([0], [1, 4, 5])
    """
    if isinstance(k, bool) or int(k) != k or k < 1:
        raise ValueError(f"k is a whole number of at least 1; found {k!r}")
    values = np.asarray(table.values, dtype=float)
    if (values < 0).any() or not np.isfinite(values).all() or (values != np.round(values)).any():
        raise ValueError("counts are whole numbers, not negative")
    table = LinkedTable(values=values, lines=table.lines, arcs=table.arcs)
    matrix = table.matrix()
    absolute = abs(matrix).tocsr()
    by_cell = matrix.tocsc()
    lines_of = [by_cell.indices[by_cell.indptr[c]:by_cell.indptr[c + 1]]
                for c in range(len(values))]
    primary = (values > 0) & (values < k)
    hidden = primary.copy()
    while True:
        if _line_rules(table, absolute, hidden, k):
            continue
        fixed = np.flatnonzero(determined_cells(table, hidden))
        if len(fixed) and _mend(table, lines_of, hidden, fixed):
            continue
        narrow = _narrow_cells(table, matrix, hidden, primary, k)
        if narrow and _mend(table, lines_of, hidden, np.array(narrow)):
            continue
        break
    return Suppression(values=values, hidden=hidden, primary=primary)


# -- tables ------------------------------------------------------------------------------

def with_margins(counts) -> np.ndarray:
    """periods × rows × columns counts extended with row totals (last column), column
    totals (last row) and grand totals.

    >>> with_margins([[[1, 2], [3, 4]]]).astype(int).tolist()
    [[[1, 2, 3], [3, 4, 7], [4, 6, 10]]]
    """
    cube = np.asarray(counts, dtype=float)
    if cube.ndim != 3:
        raise ValueError("counts are periods × rows × columns")
    periods, rows, cols = cube.shape
    full = np.zeros((periods, rows + 1, cols + 1))
    full[:, :rows, :cols] = cube
    full[:, :rows, cols] = cube.sum(axis=2)
    full[:, rows, :cols] = cube.sum(axis=1)
    full[:, rows, cols] = cube.sum(axis=(1, 2))
    return full


def cube_with_margins(counts, parents: Sequence[int] | None = None) -> LinkedTable:
    """Tables of several periods (periods × rows × columns, without margins) as one
    linked table, flattened period by period in the shape of :func:`with_margins`.

    ``parents[p]`` is the period that period ``p`` adds up to, or -1: every cell of a
    period with children (margins included) is the sum of the same cell in its children.
    Without ``parents`` the periods are independent tables.
    """
    cube = np.asarray(counts, dtype=float)
    full = with_margins(cube)
    n_p, n_r, n_c = full.shape
    parents = list(parents) if parents is not None else [-1] * n_p
    if len(parents) != n_p:
        raise ValueError(f"{n_p} periods of counts but {len(parents)} parents")
    index = np.arange(full.size).reshape(full.shape)
    lines = []
    for p in range(n_p):
        lines += [(index[p, r], np.r_[np.ones(n_c - 1), -1.0]) for r in range(n_r)]
        lines += [(index[p, :, c], np.r_[np.ones(n_r - 1), -1.0]) for c in range(n_c)]
    for p in range(n_p):
        kids = [q for q, up in enumerate(parents) if up == p]
        if not kids:
            continue
        if not np.array_equal(cube[kids].sum(axis=0), cube[p]):
            raise ValueError(f"period {p} does not hold the sum of its periods {kids}")
        for r in range(n_r):
            for c in range(n_c):
                lines.append((np.r_[index[kids, r, c], index[p, r, c]],
                              np.r_[np.ones(len(kids)), -1.0]))
    return LinkedTable(values=full.ravel(), lines=lines)


def table_with_margins(counts) -> LinkedTable:
    """One rows × columns table with its margins, flattened row by row.

    As a network: a node per row and per column of the extended table; a count is an arc
    from the total row to a column, from the column to a row, and from the row to the
    column of row totals, which sends the grand total back to the total row.

    >>> t = table_with_margins([[1, 2], [3, 4]])
    >>> t.values.reshape(3, 3).astype(int).tolist(), len(t.lines)
    ([[1, 2, 3], [3, 4, 7], [4, 6, 10]], 6)
    """
    counts = np.asarray(counts)
    if counts.ndim != 2:
        raise ValueError("a table is rows × columns")
    table = cube_with_margins(counts[None])
    rows, cols = counts.shape
    row_node = np.arange(rows + 1)[:, None] * np.ones((1, cols + 1), dtype=int)
    col_node = rows + 1 + np.arange(cols + 1)[None, :] * np.ones((rows + 1, 1), dtype=int)
    inner = np.ones((rows + 1, cols + 1), dtype=bool)
    inner[rows, :] = False
    inner[:, cols] = False
    inner[rows, cols] = True  # the grand total runs like an inner cell: column to row
    tails = np.where(inner, col_node, row_node).ravel()
    heads = np.where(inner, row_node, col_node).ravel()
    return LinkedTable(values=table.values, lines=table.lines,
                       arcs=np.stack([tails, heads], axis=1))


def suppress_cube(counts, parents: Sequence[int] | None = None, *, k: int = 5) -> Suppression:
    """Suppress tables of several periods that add up in time (see
    :func:`cube_with_margins`); the result has the shape of :func:`with_margins`.

    >>> s = suppress_cube([[[3, 9]], [[4, 9]], [[7, 18]]], [2, 2, -1], k=5)
    >>> s.hidden[:, 0, :].astype(int).tolist()
    [[1, 1, 0], [1, 1, 0], [0, 0, 0]]
    """
    cube = np.asarray(counts, dtype=float)
    table = cube_with_margins(cube, parents)
    result = suppress(table, k=k)
    shape = with_margins(cube).shape
    return Suppression(values=result.values.reshape(shape), hidden=result.hidden.reshape(shape),
                       primary=result.primary.reshape(shape))


def suppress_table(counts, *, k: int = 5) -> Suppression:
    """Suppress one rows × columns table published with its margins; the result is the
    extended (rows + 1) × (columns + 1) table."""
    table = table_with_margins(counts)
    result = suppress(table, k=k)
    shape = np.asarray(counts).shape[0] + 1, np.asarray(counts).shape[1] + 1
    return Suppression(values=result.values.reshape(shape), hidden=result.hidden.reshape(shape),
                       primary=result.primary.reshape(shape))


# -- intervals ---------------------------------------------------------------------------

def _component_system(table: LinkedTable, matrix, hidden: np.ndarray, group: np.ndarray):
    """``A x = b`` for the hidden cells ``group`` (one linked group), the published cells
    moved to the right-hand side."""
    published = np.where(hidden, 0.0, table.values)
    sub = matrix[:, group].tocsr()
    used = np.flatnonzero(np.diff(sub.indptr) > 0)
    return sub[used], -(matrix[used] @ published)


def _solve(cost, a_eq, b_eq, floor):
    from scipy.optimize import linprog

    result = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=(floor, None), method="highs")
    if result.status == 3:
        return None  # unbounded
    if result.status != 0:
        raise ValueError(f"the published figures fit no table: {result.message}")
    return result.x


def feasible_intervals(table: LinkedTable, hidden: np.ndarray,
                       cells: Sequence[int] | None = None, *,
                       floor: float = 1.0) -> dict[int, tuple[float, float]]:
    """``{cell: (low, high)}``: what a hidden cell may be given the published cells, every
    line, and that a hidden cell is at least ``floor`` (1: zeros are always published, so
    anyone who knows the rule knows a hidden cell is not zero). Linear programming with
    HiGHS; ``high`` may be inf.

    >>> t = table_with_margins([[1, 8], [6, 9]])
    >>> feasible_intervals(t, suppress(t).hidden, [0])
    {0: (1.0, 6.0)}
    """
    hidden = np.asarray(hidden, bool).ravel()
    matrix = table.matrix()
    wanted = set(np.flatnonzero(hidden).tolist() if cells is None else
                 [int(c) for c in cells])
    out = {}
    for group, _ in _components(matrix, hidden):
        a_eq, b_eq = _component_system(table, matrix, hidden, group)
        for j, cell in enumerate(group):
            if int(cell) not in wanted:
                continue
            cost = np.zeros(len(group))
            cost[j] = -1.0
            high = _solve(cost, a_eq, b_eq, floor)
            low = _solve(-cost, a_eq, b_eq, floor)
            out[int(cell)] = (round(float(low[j]), 9) + 0.0,
                              INF if high is None else round(float(high[j]), 9) + 0.0)
    return out


def _narrow_cells(table: LinkedTable, matrix, hidden, primary, k) -> list[int]:
    """Primary cells whose interval (floor 1) holds fewer than ``k`` whole numbers."""
    cells = np.flatnonzero(primary)
    if table.arcs is not None:
        return [int(c) for c in cells if _network_width(table, hidden, int(c), k) < k - 1]
    return sorted(c for c, (low, high) in feasible_intervals(table, hidden, cells).items()
                  if high - low < k - 1 - 1e-9)


def _network_width(table: LinkedTable, hidden: np.ndarray, cell: int, k: int) -> int:
    """How far the count on arc ``cell`` can move up plus down, capped at ``k``.

    Every other hidden arc may carry more (up to ``k`` more is all that matters) or less
    (down to 1); published arcs are fixed. Raising the arc ``u -> v`` by ``d`` needs ``d``
    more flow from ``v`` back to ``u`` through the others: a maximum flow ``v -> u`` in
    that residual network; lowering it, a maximum flow ``u -> v``, and the arc's own
    count less 1.
    """
    from scipy.sparse.csgraph import maximum_flow

    arcs, values = table.arcs, table.values.astype(np.int64)
    nodes = int(arcs.max()) + 1
    others = np.flatnonzero(hidden)
    others = others[others != cell]
    tails, heads = arcs[others, 0], arcs[others, 1]
    capacity = np.zeros((nodes, nodes), dtype=np.int32)
    np.add.at(capacity, (tails, heads), k)  # more flow along the arc
    np.add.at(capacity, (heads, tails), np.minimum(values[others] - 1, k))  # less
    graph = sparse.csr_matrix(capacity)
    u, v = int(arcs[cell, 0]), int(arcs[cell, 1])
    up = maximum_flow(graph, v, u).flow_value
    down = min(maximum_flow(graph, u, v).flow_value, int(values[cell]) - 1)
    return min(up, k) + min(down, k)
