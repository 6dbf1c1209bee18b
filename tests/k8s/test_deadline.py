"""One deadline per call, and the watchdog that holds z3 to it."""

from __future__ import annotations

import time

import pytest
import z3

from fmlab.k8s._deadline import Deadline, Watchdog, check_before


def pigeonhole(holes: int, ctx: z3.Context) -> list[z3.BoolRef]:
    """``holes + 1`` pigeons in ``holes`` holes: unsat, and slow for a SAT solver to refute.

    Ten holes take z3 about ten seconds on the course machine: far beyond the budgets
    below, and still finite, so a broken watchdog fails these tests instead of hanging.
    """
    sits = [[z3.Bool(f"p{i}h{j}", ctx) for j in range(holes)] for i in range(holes + 1)]
    clauses = [z3.Or(row) for row in sits]
    for j in range(holes):
        for first in range(holes + 1):
            for second in range(first + 1, holes + 1):
                clauses.append(z3.Or(z3.Not(sits[first][j]), z3.Not(sits[second][j])))
    return clauses


def test_a_deadline_counts_down_from_when_it_was_set() -> None:
    deadline = Deadline(10_000)
    assert 9_000 < deadline.remaining_ms() <= 10_000
    assert not deadline.passed()
    spent = Deadline(0)
    assert spent.remaining_ms() == 0
    assert spent.passed()
    assert Deadline(-5).budget_ms == 0


def test_the_watchdog_interrupts_a_query_that_has_no_timeout_of_its_own() -> None:
    ctx = z3.Context()
    solver = z3.Solver(ctx=ctx)
    solver.add(*pigeonhole(10, ctx))
    started = time.perf_counter()
    with Watchdog(ctx, Deadline(100)) as watchdog, watchdog.watching():
        answer = solver.check()
    assert time.perf_counter() - started < 0.1 + 1.0
    assert answer == z3.unknown
    assert watchdog.rang


def test_the_watchdog_is_quiet_between_queries() -> None:
    # Past the deadline, but outside a query: an interrupt now would leave the context
    # cancelled (simplify doing nothing), so none may come.
    ctx = z3.Context()
    x = z3.Int("x", ctx)
    with Watchdog(ctx, Deadline(0)) as watchdog:
        with watchdog.watching():
            waited = time.perf_counter()
            while not watchdog.rang and time.perf_counter() - waited < 5:
                time.sleep(0.01)  # the thread rings here (at once: the deadline is past)
        assert watchdog.rang
        time.sleep(0.05)
        assert str(z3.simplify(x + 1 + 2)) == "x + 1 + 2"  # cancelled by the ring above
        solver = z3.Solver(ctx=ctx)
        solver.add(x == 1)
        assert solver.check() == z3.sat  # a check clears the flag...
        time.sleep(0.05)
        assert str(z3.simplify(x + 1 + 2)) == "3 + x"  # ...and nothing rang since


def test_check_before_holds_even_when_z3_ignores_its_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # z3 5.4 was measured answering 25-42 s after a 1 ms timeout; here it ignores it always.
    monkeypatch.setattr(z3.Optimize, "set", lambda self, *args, **keys: None)
    ctx = z3.Context()
    optimizer = z3.Optimize(ctx=ctx)
    optimizer.add(*pigeonhole(10, ctx))
    deadline = Deadline(150)
    with Watchdog(ctx, deadline) as watchdog:
        answer = check_before(optimizer, watchdog)
    assert deadline.elapsed() < 0.15 + 1.0
    assert not answer.decided
    assert not answer.in_time


def test_a_quick_query_is_decided_and_the_watchdog_stays_quiet() -> None:
    ctx = z3.Context()
    solver = z3.Solver(ctx=ctx)
    x = z3.Int("x", ctx)
    solver.add(x > 2, x < 4)
    with Watchdog(ctx, Deadline(10_000)) as watchdog:
        answer = check_before(solver, watchdog)
    assert answer.sat
    assert not watchdog.rang
    assert answer.decided
    assert solver.model()[x] == 3
    # Nothing was interrupted, so the context still simplifies.
    assert str(z3.simplify(x + 1 + 2)) == "3 + x"


def test_no_query_starts_once_the_budget_is_spent() -> None:
    ctx = z3.Context()
    solver = z3.Solver(ctx=ctx)
    solver.add(z3.Bool("b", ctx))
    with Watchdog(ctx, Deadline(0)) as watchdog:
        answer = check_before(solver, watchdog)
    assert answer.result == z3.unknown
    assert not answer.in_time


def test_an_interrupted_context_is_why_the_planner_keeps_its_own() -> None:
    # The fact the design rests on: after an interrupt, simplify quietly does nothing and
    # eval refuses, until the next check. If z3 changes this, the comment in _deadline is
    # out of date (and model reading by get_interp may no longer be needed).
    ctx = z3.Context()
    solver = z3.Solver(ctx=ctx)
    b = z3.Bool("b", ctx)
    solver.add(b)
    assert solver.check() == z3.sat
    model = solver.model()
    ctx.interrupt()
    x = z3.Int("x", ctx)
    assert str(z3.simplify(x + 1 + 2)) == "x + 1 + 2"
    with pytest.raises(z3.Z3Exception):
        model.eval(b, model_completion=True)
    assert z3.is_true(model.get_interp(b.decl()))
