"""Calling z3 with a budget, and turning its answer into a :mod:`fmlab.core.result`.

Every solver call in fmlab goes through :func:`solve` so that none can run without a
timeout, and none much beyond it: z3 does not always honour its own ``timeout``, so a
watchdog interrupts a check that overruns its budget. The default budget is 10 seconds;
set ``FMLAB_TIMEOUT_MS`` in the environment or pass ``timeout_ms`` to change it.

>>> import z3
>>> x = z3.Int("x")
>>> prove("x * x >= 0", x * x >= 0, variables={"x": x},
...       replay=lambda w: not w["x"] * w["x"] >= 0).verdict.value
'proved'
>>> result = prove("x + 1 > x + x", x + 1 > x + x, variables={"x": x},
...                replay=lambda w: not w["x"] + 1 > 2 * w["x"])
>>> result.verdict.value, result.witness["x"] >= 1
('refuted', True)
"""

from __future__ import annotations

import enum
import os
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, TypeVar

import z3

from fmlab.core._watchdog import held_to
from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason, refute

__all__ = [
    "DEFAULT_TIMEOUT_MS",
    "Outcome",
    "Satisfiability",
    "default_timeout_ms",
    "model_values",
    "new_solver",
    "prove",
    "python_value",
    "solve",
    "unknown_from",
    "z3_string",
]

W = TypeVar("W")

DEFAULT_TIMEOUT_MS = 10_000
_TIMEOUT_ENV = "FMLAB_TIMEOUT_MS"


def default_timeout_ms() -> int:
    """The budget for one solver call: ``$FMLAB_TIMEOUT_MS`` if set, else 10 s."""
    raw = os.environ.get(_TIMEOUT_ENV)
    if raw is None:
        return DEFAULT_TIMEOUT_MS
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_TIMEOUT_MS
    # z3 reads 0 as "no limit"; a budget must be a budget.
    return value if value > 0 else DEFAULT_TIMEOUT_MS


class Satisfiability(enum.Enum):
    """A solver's answer to a satisfiability question: sat, unsat or unknown."""

    SAT = "sat"
    UNSAT = "unsat"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Outcome:
    """What one solver call answered, with the model when there is one."""

    status: Satisfiability
    model: z3.ModelRef | None
    reason: str
    seconds: float

    @property
    def timed_out(self) -> bool:
        return self.status is Satisfiability.UNKNOWN and _looks_like_timeout(self.reason)


def _looks_like_timeout(reason: str) -> bool:
    reason = reason.lower()
    return any(word in reason for word in ("timeout", "canceled", "cancelled", "resource"))


def new_solver(
    *, timeout_ms: int | None = None, logic: str | None = None, simple: bool = False
) -> z3.Solver:
    """A fresh z3 solver with its timeout already set.

    ``simple`` asks for z3's ``SimpleSolver``: its SMT core with little preprocessing, which
    answers the many small queries of a checker faster (a third less solver time over the
    refinement corpus, the same answers) but may need longer on a hard one.
    """
    if simple:
        solver = z3.SimpleSolver()
    elif logic:
        solver = z3.SolverFor(logic)
    else:
        solver = z3.Solver()
    solver.set("timeout", timeout_ms if timeout_ms is not None else default_timeout_ms())
    return solver


def solve(
    assertions: Iterable[z3.BoolRef],
    *,
    timeout_ms: int | None = None,
    logic: str | None = None,
    solver: z3.Solver | None = None,
    simple: bool = False,
) -> Outcome:
    """Check the conjunction of ``assertions`` within the budget.

    When ``solver`` is given it is used as is (incremental use), with the assertions added
    inside a push/pop so the caller's solver is left as it was; otherwise a new one is made
    (``logic`` and ``simple`` as in :func:`new_solver`).
    """
    own = solver is None
    active = new_solver(timeout_ms=timeout_ms, logic=logic, simple=simple) if own else solver
    assert active is not None
    if not own:
        active.push()
    # A caller's own solver keeps the timeout it was given, unless this call names one.
    budget = timeout_ms if timeout_ms is not None else (default_timeout_ms() if own else None)
    started = time.perf_counter()
    try:
        active.add(*list(assertions))
        try:
            # z3's own timeout is not always honoured: the watchdog interrupts a check
            # that overruns its budget (see fmlab.core._watchdog).
            with held_to(active.ctx, budget) if budget is not None else nullcontext():
                answer = active.check()
        except z3.Z3Exception as error:  # z3 raises on interruption in some builds
            return Outcome(Satisfiability.UNKNOWN, None, str(error), time.perf_counter() - started)
        elapsed = time.perf_counter() - started
        if answer == z3.sat:
            return Outcome(Satisfiability.SAT, active.model(), "", elapsed)
        if answer == z3.unsat:
            return Outcome(Satisfiability.UNSAT, None, "", elapsed)
        return Outcome(Satisfiability.UNKNOWN, None, active.reason_unknown(), elapsed)
    finally:
        if not own:
            active.pop()


def unknown_from(claim: str, outcome: Outcome) -> Unknown:
    """Translate an ``unknown`` solver outcome into an :class:`Unknown` result."""
    reason = UnknownReason.TIMEOUT if outcome.timed_out else UnknownReason.INCOMPLETE
    detail = outcome.reason or "the solver gave no reason"
    if reason is UnknownReason.TIMEOUT:
        detail = f"no answer within the budget ({detail}, {outcome.seconds:.2f} s)"
    return Unknown(claim, reason, detail, {"seconds": outcome.seconds})


def model_values(model: z3.ModelRef, variables: Mapping[str, z3.ExprRef]) -> dict[str, Any]:
    """Read named z3 constants out of a model as plain Python values.

    Integers become ``int``, reals ``fractions.Fraction`` (or ``float`` for irrational
    algebraic numbers), booleans ``bool``, strings ``str``; anything else its z3 text.
    """
    return {
        name: python_value(model.eval(term, model_completion=True))
        for name, term in variables.items()
    }


def python_value(value: z3.ExprRef) -> Any:
    """One evaluated z3 term as a Python value."""
    from fractions import Fraction

    if z3.is_int_value(value):
        return value.as_long()
    if z3.is_rational_value(value):
        return Fraction(value.numerator_as_long(), value.denominator_as_long())
    if z3.is_algebraic_value(value):
        return float(value.approx(20).as_decimal(20).rstrip("?"))
    if z3.is_true(value):
        return True
    if z3.is_false(value):
        return False
    if z3.is_string_value(value):
        return _decode_string(value)
    if z3.is_bv_value(value):
        return value.as_long()
    return str(value)


def z3_string(text: str) -> z3.SeqRef:
    """A z3 string constant holding exactly ``text``.

    ``z3.StringVal`` reads SMT-LIB escapes, so ``StringVal("\\\\u{41}")`` is ``"A"``; a user's
    ARN or file name containing a backslash must not be rewritten that way.

    >>> python_value(z3.simplify(z3_string("a\\\\u{41}"))) == "a\\\\u{41}"
    True
    """
    return z3.StringVal(text.replace("\\", "\\u{5c}"))


def _decode_string(value: z3.SeqRef) -> str:
    # z3's as_string() escapes non-ASCII as \\u{...} but leaves backslashes bare, so its
    # text is ambiguous; reading the code points one by one is not.
    length = z3.simplify(z3.Length(value)).as_long()
    codes = (
        z3.simplify(z3.StrToCode(z3.SubString(value, index, 1))).as_long()
        for index in range(length)
    )
    return "".join(chr(code) for code in codes)


def prove(
    claim: str,
    formula: z3.BoolRef,
    *,
    variables: Mapping[str, z3.ExprRef] | None = None,
    decode: Callable[[z3.ModelRef], W] | None = None,
    replay: Callable[[Any], bool],
    assumptions: Iterable[z3.BoolRef] = (),
    timeout_ms: int | None = None,
    bound: str | None = None,
    replayed_by: str = "concrete evaluation",
) -> Proved | Refuted[Any] | Unknown:
    """Decide whether ``formula`` holds under ``assumptions``.

    The solver looks for a model of ``assumptions and not formula``. None means the claim
    is :class:`Proved` (within ``bound``, when the encoding is bounded). A model is decoded
    into a witness, either with ``decode`` or by reading ``variables``, and
    ``replay(witness)`` must confirm, by evaluating the claim without the solver, that the
    witness violates it before a :class:`Refuted` is returned.
    """
    if decode is None and variables is None:
        raise TypeError("prove() needs decode= or variables= to build a witness")
    outcome = solve([*assumptions, z3.Not(formula)], timeout_ms=timeout_ms)
    if outcome.status is Satisfiability.UNSAT:
        return Proved(claim, bound)
    if outcome.status is Satisfiability.UNKNOWN:
        return unknown_from(claim, outcome)
    assert outcome.model is not None
    if decode is not None:
        witness: Any = decode(outcome.model)
    else:
        assert variables is not None
        witness = model_values(outcome.model, variables)
    return refute(claim, witness, replay=replay, replayed_by=replayed_by, bound=bound)
