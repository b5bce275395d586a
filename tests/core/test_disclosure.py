"""Disclosure control: every small cell is hidden, and no hidden cell can be worked out again
from the printed cells and totals. The check is independent of the module's own reasoning:
exact linear algebra over the equations the printed totals give (a hidden cell is recoverable
exactly when its unit vector lies in the row space of those equations)."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.disclosure import MIN_N, is_small, protect, share, suppress_row, suppress_table


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix]
    rank = 0
    width = len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                factor = rows[i][col] / rows[rank][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def recoverable(hidden: set, totals: list[list]) -> set:
    """The hidden cells whose value the printed totals (each a list of the keys it sums)
    pin down, given every cell that is not hidden is printed."""
    unknowns = sorted(hidden, key=repr)
    if not unknowns:
        return set()
    equations = [
        [Fraction(1 if key in total else 0) for key in unknowns]
        for total in totals
        if any(key in hidden for key in total)
    ]
    if not equations:
        return set()
    base = _rank(equations)
    found = set()
    for i, key in enumerate(unknowns):
        unit = [Fraction(1 if j == i else 0) for j in range(len(unknowns))]
        if _rank([*equations, unit]) == base:
            found.add(key)
    return found


def table_totals(rows, cols) -> list[list]:
    return (
        [[(r, c) for c in cols] for r in rows]
        + [[(r, c) for r in rows] for c in cols]
        + [[(r, c) for r in rows for c in cols]]
    )


def components_with_a_primary(hidden: set, cells: dict) -> bool:
    """Every group of hidden cells linked through shared rows or columns holds a small cell:
    nothing is hidden unless a small cell needed it."""
    left = set(hidden)
    while left:
        start = left.pop()
        group, queue = {start}, [start]
        while queue:
            r, c = queue.pop()
            linked = {key for key in left if key[0] == r or key[1] == c}
            left -= linked
            group |= linked
            queue.extend(linked)
        if not any(is_small(cells[key]) for key in group):
            return False
    return True


# ----------------------------------------------------------------------------------------
# Rows
# ----------------------------------------------------------------------------------------
def test_a_single_small_cell_takes_the_next_smallest_with_it():
    assert suppress_row({"A": 3, "B": 10, "C": 7, "D": 20}) == {"A", "C"}


def test_two_small_cells_hide_each_other():
    assert suppress_row({"A": 3, "B": 10, "C": 1, "D": 20}) == {"A", "C"}


def test_nothing_small_nothing_hidden_and_zero_is_printed():
    assert suppress_row({"A": 5, "B": 10}) == set()
    assert suppress_row({"A": 0, "B": 10}) == set()


def test_a_zero_is_not_taken_as_complement_while_a_real_cell_remains():
    assert suppress_row({"A": 3, "B": 0, "C": 8}) == {"A", "C"}
    # Only zeros left: the zero is hidden, and the total (3) is itself too small to print.
    assert suppress_row({"A": 3, "B": 0}) == {"A", "B"}
    assert is_small(3)


def test_ties_go_to_the_first_cell_in_the_callers_order():
    assert suppress_row({"A": 2, "B": 9, "C": 9}) == {"A", "B"}
    assert suppress_row({"A": 2, "C": 9, "B": 9}) == {"A", "C"}


def test_a_single_cell_row_is_its_own_total():
    assert suppress_row({"A": 3}) == {"A"}
    assert suppress_row({}) == set()


def test_min_n_can_be_raised():
    assert suppress_row({"A": 7, "B": 12, "C": 30}, min_n=10) == {"A", "B"}


@pytest.mark.parametrize("bad", [-1, 2.5, True, None])
def test_a_cell_that_is_not_a_count_is_a_programming_error(bad):
    with pytest.raises(ValueError):
        suppress_row({"A": bad, "B": 9})
    with pytest.raises(ValueError):
        suppress_table({("a", "x"): bad, ("a", "y"): 9, ("b", "x"): 9, ("b", "y"): 9})


def test_min_n_below_one_is_refused():
    with pytest.raises(ValueError):
        suppress_row({"A": 3}, min_n=0)


counts = st.one_of(st.integers(0, 6), st.integers(0, 40))
row_cells = st.dictionaries(st.sampled_from("ABCDEFGH"), counts, max_size=8)


@settings(max_examples=300, deadline=None)
@given(row_cells)
def test_row_property(cells):
    hidden = suppress_row(cells)
    small = {key for key, n in cells.items() if is_small(n)}
    assert small <= hidden <= set(cells)
    if not small:
        assert hidden == set()
    # at most one complementary cell, and only where a single small cell needed it
    assert len(hidden - small) == (1 if len(small) == 1 and len(cells) > 1 else 0)
    if len(cells) > 1:
        assert recoverable(hidden, [list(cells)]) == set()
        assert len(hidden) != 1


# ----------------------------------------------------------------------------------------
# Tables
# ----------------------------------------------------------------------------------------
def test_table_example_hides_a_second_cell_in_each_row_and_column():
    cells = {
        ("u1", "q1"): 3, ("u1", "q2"): 20, ("u1", "q3"): 12,
        ("u2", "q1"): 9, ("u2", "q2"): 30, ("u2", "q3"): 11,
        ("u3", "q1"): 8, ("u3", "q2"): 25, ("u3", "q3"): 40,
    }  # fmt: skip
    hidden = suppress_table(cells)
    assert ("u1", "q1") in hidden
    assert recoverable(hidden, table_totals(["u1", "u2", "u3"], ["q1", "q2", "q3"])) == set()
    # the smallest cells that close the rectangle: 3, 8 (column q1), 12 (row u1), 40 closes
    # column q3 and row u3.
    assert hidden == {("u1", "q1"), ("u3", "q1"), ("u1", "q3"), ("u3", "q3")}


def test_two_blocks_joined_by_one_hidden_cell_are_not_enough():
    """Every row and column has two hidden cells, yet the joining cell (u2, q3) equals the
    first block's row totals minus its column totals: the module must hide more."""
    rows, cols = ["u1", "u2", "u3", "u4"], ["q1", "q2", "q3", "q4"]
    small = {
        ("u1", "q1"), ("u1", "q2"), ("u2", "q1"), ("u2", "q2"),
        ("u3", "q3"), ("u3", "q4"), ("u4", "q3"), ("u4", "q4"),
        ("u2", "q3"),
    }  # fmt: skip
    cells = {(r, c): (2 if (r, c) in small else 10 + len(r + c)) for r in rows for c in cols}
    totals = table_totals(rows, cols)
    assert recoverable(small, totals) == {("u2", "q3")}  # the degree rule alone leaks
    hidden = suppress_table(cells)
    assert small < hidden
    assert recoverable(hidden, totals) == set()


def test_missing_pairs_count_as_zero():
    cells = {("a", "x"): 2, ("a", "y"): 9, ("b", "x"): 9}
    hidden = suppress_table(cells)
    assert recoverable(hidden, table_totals(["a", "b"], ["x", "y"])) == set()
    assert hidden == {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}


def test_a_table_of_one_column_is_a_row():
    cells = {("a", "x"): 2, ("b", "x"): 9, ("c", "x"): 7}
    assert suppress_table(cells) == {("a", "x"), ("c", "x")}


def test_no_small_cell_nothing_hidden():
    assert suppress_table({("a", "x"): 0, ("a", "y"): 5, ("b", "x"): 6, ("b", "y"): 0}) == set()


def test_a_large_table_stays_quick():
    """290 municipalities x 8 quarters, a fifth of the cells small: the national page's table."""
    cells = {
        (m, q): (m * 7 + q * 3) % 5 if (m + q) % 5 == 0 else 5 + (m * q) % 40
        for m in range(290)
        for q in range(8)
    }
    hidden = suppress_table(cells)
    assert {key for key, n in cells.items() if is_small(n)} <= hidden


@st.composite
def tables(draw):
    n_rows = draw(st.integers(2, 4))
    n_cols = draw(st.integers(2, 4))
    rows = [f"r{i}" for i in range(n_rows)]
    cols = [f"c{j}" for j in range(n_cols)]
    cells = {(r, c): draw(counts) for r in rows for c in cols}
    return rows, cols, cells


@settings(max_examples=300, deadline=None)
@given(tables())
def test_table_property(table):
    rows, cols, cells = table
    hidden = suppress_table(cells)
    small = {key for key, n in cells.items() if is_small(n)}
    assert small <= hidden <= set(cells)
    if not small:
        assert hidden == set()
    assert recoverable(hidden, table_totals(rows, cols)) == set()
    for line in table_totals(rows, cols)[:-1]:
        assert sum(1 for key in line if key in hidden) != 1
    assert components_with_a_primary(hidden, cells)
    assert suppress_table(dict(cells)) == hidden  # the same data, the same cells


# ----------------------------------------------------------------------------------------
# Shares and group figures
# ----------------------------------------------------------------------------------------
def test_share_needs_a_large_enough_denominator():
    assert share(2, 8) == 0.25
    assert share(0, 5) == 0
    assert share(3, 4) is None
    assert share(0, 0) is None


def test_protect_hides_a_small_groups_figure():
    assert protect(3.4, MIN_N) == 3.4
    assert protect(3.4, MIN_N - 1) is None
    assert protect(None, 0) is None
