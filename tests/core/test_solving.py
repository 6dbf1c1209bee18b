"""Every solver call has a budget, and its three answers map onto the result type."""

from __future__ import annotations

from fractions import Fraction

import pytest
import z3

from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason
from fmlab.core.solving import (
    DEFAULT_TIMEOUT_MS,
    Satisfiability,
    default_timeout_ms,
    model_values,
    new_solver,
    prove,
    solve,
    z3_string,
)


def test_default_budget_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FMLAB_TIMEOUT_MS", raising=False)
    assert default_timeout_ms() == DEFAULT_TIMEOUT_MS
    monkeypatch.setenv("FMLAB_TIMEOUT_MS", "250")
    assert default_timeout_ms() == 250


@pytest.mark.parametrize("raw", ["0", "-5", "soon"])
def test_a_budget_is_never_unlimited(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("FMLAB_TIMEOUT_MS", raw)
    assert default_timeout_ms() == DEFAULT_TIMEOUT_MS


def test_solve_reports_each_status() -> None:
    x = z3.Int("x")
    assert solve([x > 1, x < 3]).status is Satisfiability.SAT
    assert solve([x > 1, x < 2]).status is Satisfiability.UNSAT


def test_the_simple_solver_answers_alike_and_keeps_its_budget() -> None:
    x = z3.Int("x")
    outcome = solve([x > 1, x < 3], simple=True)
    assert outcome.status is Satisfiability.SAT
    assert outcome.model is not None
    assert outcome.model.eval(x).as_long() == 2
    assert solve([x > 1, x < 2], simple=True).status is Satisfiability.UNSAT
    hard = solve(_hard_problem(), timeout_ms=200, simple=True)
    assert hard.status is Satisfiability.UNKNOWN
    assert hard.seconds < 5


def test_solve_on_a_callers_solver_leaves_it_unchanged() -> None:
    x = z3.Int("x")
    solver = new_solver()
    solver.add(x > 0)
    assert solve([x < 0], solver=solver).status is Satisfiability.UNSAT
    assert solver.check() == z3.sat
    assert len(solver.assertions()) == 1


def _hard_problem() -> list[z3.BoolRef]:
    # Nonlinear integer arithmetic that z3 cannot settle quickly: x^3 + y^3 = z^3 with
    # large positive values (Fermat for n = 3) makes the solver search until the budget ends.
    x, y, z = z3.Ints("x y z")
    return [x > 1000, y > 1000, z > 1000, x * x * x + y * y * y == z * z * z]


def test_a_timeout_is_unknown_not_proved() -> None:
    x, y, z = z3.Ints("x y z")
    result = prove(
        "no cube is a sum of two cubes above 1000",
        z3.Not(z3.And(_hard_problem())),
        variables={"x": x, "y": y, "z": z},
        replay=lambda w: w["x"] ** 3 + w["y"] ** 3 == w["z"] ** 3,
        timeout_ms=200,
    )
    assert isinstance(result, Unknown)
    assert result.reason in (UnknownReason.TIMEOUT, UnknownReason.INCOMPLETE)
    assert not result.proved


def test_prove_proves_and_refutes_with_replayed_witnesses() -> None:
    x = z3.Int("x")
    proved = prove("x*x >= 0", x * x >= 0, variables={"x": x}, replay=lambda w: w["x"] ** 2 < 0)
    assert isinstance(proved, Proved)
    refuted = prove(
        "x*x > x", x * x > x, variables={"x": x}, replay=lambda w: not w["x"] ** 2 > w["x"]
    )
    assert isinstance(refuted, Refuted)
    assert refuted.witness["x"] in (0, 1)


def test_prove_reports_a_lying_encoding_as_unknown() -> None:
    x = z3.Int("x")
    # The replay disagrees with the encoding on purpose.
    result = prove("x > 5", x > 5, variables={"x": x}, replay=lambda w: False)
    assert isinstance(result, Unknown)
    assert result.reason is UnknownReason.WITNESS_NOT_CONFIRMED


def test_prove_needs_a_way_to_build_a_witness() -> None:
    with pytest.raises(TypeError):
        prove("c", z3.BoolVal(True), replay=lambda w: True)


def test_model_values_are_plain_python() -> None:
    x, r, b, s = z3.Int("x"), z3.Real("r"), z3.Bool("b"), z3.String("s")
    outcome = solve([x == -3, r == z3.Q(1, 3), b, s == z3_string("あ\\u{41}")])
    assert outcome.model is not None
    values = model_values(outcome.model, {"x": x, "r": r, "b": b, "s": s})
    assert values == {"x": -3, "r": Fraction(1, 3), "b": True, "s": "あ\\u{41}"}
