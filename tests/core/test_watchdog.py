"""A z3 check is held to its budget even when z3's own timeout does not act, and the
context works normally afterwards."""

from __future__ import annotations

import time

import z3

from fmlab.core._watchdog import held_to
from fmlab.core.solving import Satisfiability, new_solver, solve


def _hard(solver: z3.Solver) -> None:
    # x^3 + y^3 = z^3 above 1000: z3 searches until something stops it.
    x, y, z = z3.Ints("x y z")
    solver.add(x > 1000, y > 1000, z > 1000, x * x * x + y * y * y == z * z * z)


def test_a_check_whose_own_timeout_does_not_act_is_interrupted() -> None:
    solver = z3.SimpleSolver()
    solver.set("timeout", 10**8)  # as good as none: only the watchdog can stop it
    _hard(solver)
    started = time.perf_counter()
    with held_to(solver.ctx, 200):
        answer = solver.check()
    assert answer == z3.unknown
    assert time.perf_counter() - started < 2


def test_the_context_works_after_an_interrupt() -> None:
    solver = z3.SimpleSolver()
    solver.set("timeout", 10**8)
    _hard(solver)
    with held_to(solver.ctx, 50):
        solver.check()
    # A pending interrupt would make simplify return its input as it is.
    x = z3.Int("x")
    assert z3.simplify(x + 1 - 1 + 2 * 3).eq(z3.simplify(x + 6))
    assert solve([x == 3]).status is Satisfiability.SAT


def test_solve_holds_a_callers_solver_to_the_budget_it_names() -> None:
    solver = new_solver(timeout_ms=10**8)
    _hard(solver)
    outcome = solve([], solver=solver, timeout_ms=200)
    assert outcome.status is Satisfiability.UNKNOWN
    assert outcome.seconds < 2


def test_checks_that_answer_in_time_are_left_alone() -> None:
    # Many quick checks, each registered and unregistered: none is interrupted (an
    # interrupt says "canceled"), and none leaves an interrupt pending behind it.
    x = z3.Int("x")
    for bound in range(300):
        outcome = solve([x > bound, x < bound + 2], timeout_ms=1000)
        assert outcome.status is Satisfiability.SAT, outcome.reason
    assert z3.simplify(x + 1 - 1).eq(x)
