"""Termination metrics: the lexicographic order, the default search, the run-time check."""

from __future__ import annotations

import pytest
import z3

from fmlab.refine import Status, check_source
from fmlab.refine._termination import lexicographic, runtime_decreases


def _valid(formula: z3.BoolRef) -> bool:
    solver = z3.Solver()
    solver.add(z3.Not(formula))
    return solver.check() == z3.unsat


def test_lexicographic_order_lets_later_components_grow() -> None:
    m, n = z3.Ints("m n")
    assert _valid(z3.Implies(m > 0, lexicographic([m, n], [m - 1, n + 100])))
    assert _valid(z3.Implies(n > 0, lexicographic([m, n], [m, n - 1])))
    assert not _valid(lexicographic([m, n], [m, n + 1]))
    assert not _valid(z3.Implies(m > 0, lexicographic([m, n], [m + 1, n - 1])))


@pytest.mark.parametrize(
    ("before", "after", "given", "expected"),
    [
        ([3, 5], [2, 9], True, True),
        ([3, 5], [3, 4], True, True),
        ([3, 5], [3, 5], True, False),
        ([3, 5], [4, 0], True, False),
        ([3, 5], [4, 0], False, True),  # the default accepts any size that goes down
        ([0, 5], [-1, 5], True, False),  # below zero is not smaller in a well-founded order
    ],
)
def test_runtime_check_states_the_static_one(
    before: list[int], after: list[int], given: bool, expected: bool
) -> None:
    assert runtime_decreases(before, after, given=given) is expected


def test_default_metric_finds_an_order_dafny_style() -> None:
    text = (
        "def insert(x: int, ys: list[int]) -> list[int]:\n"
        "    if not ys:\n        return [x]\n"
        "    if x <= ys[0]:\n        return [x, *ys]\n"
        "    return [ys[0], *insert(x, ys[1:])]\n"
    )
    assert check_source(text).all_safe


def test_a_broken_metric_is_that_function_s_problem_only() -> None:
    text = (
        "def f(n: int) -> int:\n    #@ decreases n +\n    if n <= 0:\n        return 0\n"
        "    return f(n - 1)\n\n"
        "def g(n: int) -> int:\n    if n <= 0:\n        return 0\n    return g(n - 1)\n"
    )
    statuses = {f.name: f.status for f in check_source(text).functions}
    assert statuses == {"f": Status.UNSUPPORTED, "g": Status.SAFE}
