"""Disclosure control (röjandeskydd): which figures a follow-up page may print.

The rule (issue 21): no published figure has fewer than `MIN_N` (5) people behind it, and a
hidden figure cannot be worked out again from the figures and totals that are printed.

* A *cell* is a count of people, or any figure computed from a group of people (a mean of
  pulse answers, a share, a median), keyed by the number of people behind it.
* A cell with 0 < n < MIN_N is *small* and is hidden (primary suppression).
* A cell with n = 0 is shown as 0. Nobody is behind it, so it says nothing about a person;
  hiding every zero would hide the useful "no incidents this quarter". A zero is hidden only
  when it is taken as a complementary cell, and zeros are taken only when no non-zero cell
  can do the job.
* Where a total is printed beside its parts, one hidden part would be the total minus the
  others, so further cells are hidden (complementary suppression): `suppress_row` for a row
  of parts with its total, `suppress_table` for a table with row and column totals. In the
  table, every row and column ends with no hidden cell or at least two, and no hidden cell
  is pinned down by the totals (see `suppress_table`).
* A total is a cell too: print it only if `is_small(total)` is false. A small total means
  every non-zero part is small, so all of them are hidden anyway.

How pages use it
----------------
* Hide every figure of a suppressed group, not only its count: the mean, the share and the
  count of a group come from the same people. The page prints a dash and the reason
  ("färre än 5").
* A share (andel) has the denominator's people behind it: `share(numerator, denominator)`
  returns None when the denominator is small. Where a total share is printed beside the
  groups' shares, run `suppress_row` over the denominators and hide the suppressed groups'
  numerators and shares.
* Periods must not be cumulative. Print each quarter's own figures (people who answered in
  that quarter), never "the year so far" beside the quarters: Q1-to-date 12 and Q2-to-date
  14 gives Q2 = 2 through subtraction, past any suppression. A trend over 8 quarters with a
  total over the quarters is a table (groups x quarters) and goes through
  `suppress_table` as a whole.
* One figure, one layout: the same cells printed on two pages must come from one selector
  that suppresses the same table in the same way. Two different complementary choices for
  the same small cell (page one hides A and B, page two hides A and C but shows B) give A
  back.
* Small units are better rolled up than suppressed: a selector may add them to "övriga
  enheter" (other units) or show only their county, when that still reaches MIN_N.

The choice of complementary cells is deterministic (smallest non-zero first, then the
mapping's order), so every render of the same data hides the same cells. The guarantee is
the one the issue asks for: no hidden cell is *uniquely determined* by the linear equations
the printed totals give. Narrower bounds (a hidden cell known to lie between 1 and 3) are
not ruled out when only zeros were left to hide beside it.
"""

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

MIN_N = 5

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)


def is_small(n: int, *, min_n: int = MIN_N) -> bool:
    """True when a figure with `n` people behind it must not be printed (0 < n < min_n)."""
    return 0 < n < min_n


def share(numerator: int, denominator: int, *, min_n: int = MIN_N) -> float | None:
    """The share numerator / denominator, or None when the denominator's group is too small
    to print (or empty, which has no share)."""
    if denominator <= 0 or is_small(denominator, min_n=min_n):
        return None
    return numerator / denominator


def protect(value, n: int, *, min_n: int = MIN_N):
    """`value` (a mean, a median) computed from `n` people, or None when it must not be
    printed: a group of 0 has no value and a small group is hidden."""
    if n <= 0 or is_small(n, min_n=min_n):
        return None
    return value


def _check(counts: Iterable[int], min_n: int) -> None:
    if min_n < 1:
        raise ValueError("min_n must be at least 1")
    for n in counts:
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"a cell counts people: {n!r} is not a count")


def _pick(candidates: list, cells: Mapping, order: Mapping, *, prefer: set | None = None):
    """The complementary cell to hide: non-zero before zero (a hidden zero protects little),
    then one that also completes another row or column (`prefer`), then the smallest, then
    the first in the caller's order, so that every render chooses the same cell."""
    prefer = prefer or set()
    return min(
        candidates,
        key=lambda key: (cells[key] == 0, key not in prefer, cells[key], order[key]),
    )


def suppress_row(cells: Mapping[K, int], *, min_n: int = MIN_N) -> set[K]:
    """The cells of a row (parts whose total is printed) to hide: every small cell, and when
    that leaves exactly one, the next-smallest other cell as well, so the hidden part of the
    total is only ever known as a sum of at least two cells.

    A row of a single cell is its own total: its cell is hidden when small and the caller
    must then not print the total either (`is_small`)."""
    _check(cells.values(), min_n)
    hidden = {key for key, n in cells.items() if is_small(n, min_n=min_n)}
    if len(hidden) == 1:
        rest = [key for key in cells if key not in hidden]
        if rest:
            order = {key: i for i, key in enumerate(cells)}
            hidden.add(_pick(rest, cells, order))
    return hidden


def suppress_table(cells: Mapping[tuple[R, C], int], *, min_n: int = MIN_N) -> set[tuple[R, C]]:
    """The cells of a two-way table (rows x columns, with every row total, column total and
    the grand total printed) to hide.

    Give every (row, column) pair; a missing pair counts as 0 and may come back as a key to
    hide (print a dash there). Hidden are the small cells, then complementary cells until a
    fixed point where (1) every row and column has no hidden cell or at least two, and (2)
    no hidden cell is pinned down by the totals. (1) alone is not enough: two blocks of
    hidden cells joined by a single hidden cell give that cell back (the first block's row
    totals minus its column totals). In graph terms, rows and columns are nodes and hidden
    cells are edges; a hidden cell is determined exactly when it is a bridge, so a cell
    joining the two sides of each bridge is hidden until none is left.

    A table of one row or one column is a row (the other margin repeats the cells and must
    not be printed): it goes through `suppress_row`."""
    _check(cells.values(), min_n)
    rows = list(dict.fromkeys(r for r, _ in cells))
    cols = list(dict.fromkeys(c for _, c in cells))
    full = {(r, c): cells.get((r, c), 0) for r in rows for c in cols}
    order = {key: i for i, key in enumerate(full)}
    if len(rows) <= 1 or len(cols) <= 1:
        return suppress_row(full, min_n=min_n)
    lines = [[(r, c) for c in cols] for r in rows] + [[(r, c) for r in rows] for c in cols]
    hidden = {key for key, n in full.items() if is_small(n, min_n=min_n)}
    while True:
        if _complete_lines(lines, full, order, hidden):
            continue
        bridge = _find_bridge(sorted(hidden, key=order.__getitem__))
        if bridge is None:
            return hidden
        side_of_row, side_of_col = _sides(hidden - {bridge}, bridge)
        candidates = [
            (r, c)
            for r in rows
            for c in cols
            if (r, c) not in hidden and {side_of_row.get(r), side_of_col.get(c)} == {"row", "col"}
        ]
        hidden.add(_pick(candidates, full, order))


def _complete_lines(lines, full, order, hidden) -> bool:
    """Give every row and column with exactly one hidden cell a second one; True if any
    cell was added."""
    added = False
    for line in lines:
        inside = [key for key in line if key in hidden]
        if len(inside) != 1:
            continue
        (only,) = inside
        # A cell whose crossing line also has exactly one hidden cell completes both lines.
        lonely = {
            key for key in line if sum(1 for other in hidden if _crosses(other, key, only)) == 1
        }
        candidates = [key for key in line if key not in hidden]
        hidden.add(_pick(candidates, full, order, prefer=lonely))
        added = True
    return added


def _crosses(other, key, only) -> bool:
    """Whether hidden cell `other` lies on the line through `key` that is not `only`'s line."""
    if key[0] == only[0]:  # the line is a row; the crossing line is key's column
        return other[1] == key[1]
    return other[0] == key[0]


def _graph(hidden: Iterable[tuple]) -> dict:
    graph: dict = defaultdict(list)
    for r, c in hidden:
        graph[("r", r)].append(("c", c))
        graph[("c", c)].append(("r", r))
    return graph


def _find_bridge(hidden: list[tuple]) -> tuple | None:
    """A hidden cell that is a bridge of the row-column graph, or None (Tarjan's low-link,
    iterative so a large table cannot hit the recursion limit). `hidden` comes in the
    table's order, not a set's: string hashes differ between processes, and two renders
    must pick the same complementary cells."""
    graph = _graph(hidden)
    index: dict = {}
    low: dict = {}
    counter = 0
    for root in graph:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack = [(root, None, iter(graph[root]))]
        while stack:
            node, parent, neighbours = stack[-1]
            advanced = False
            for nxt in neighbours:
                if nxt == parent:
                    continue
                if nxt in index:
                    low[node] = min(low[node], index[nxt])
                    continue
                index[nxt] = low[nxt] = counter
                counter += 1
                stack.append((nxt, node, iter(graph[nxt])))
                advanced = True
                break
            if advanced:
                continue
            stack.pop()
            if parent is not None:
                low[parent] = min(low[parent], low[node])
                if low[node] > index[parent]:
                    pair = {parent[0]: parent[1], node[0]: node[1]}
                    return (pair["r"], pair["c"])
    return None


def _sides(remaining: set[tuple], bridge: tuple) -> tuple[dict, dict]:
    """With the bridge taken out, which side ('row' = the bridge's row's component, 'col' =
    its column's) every row and column falls on; rows and columns on neither are absent."""
    graph = _graph(remaining)
    side_of: dict = {}
    for start, label in ((("r", bridge[0]), "row"), (("c", bridge[1]), "col")):
        queue = deque([start])
        side_of[start] = label
        while queue:
            node = queue.popleft()
            for nxt in graph.get(node, ()):
                if nxt not in side_of:
                    side_of[nxt] = label
                    queue.append(nxt)
    side_of_row = {key: label for (kind, key), label in side_of.items() if kind == "r"}
    side_of_col = {key: label for (kind, key), label in side_of.items() if kind == "c"}
    return side_of_row, side_of_col
