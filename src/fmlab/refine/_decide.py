"""Deciding one group of obligations: proved, refuted with a replayed witness, or unknown.

The obligations of one source location (one per path) are decided by one query: is there a
path whose facts hold while the goal fails? A model of that query is a counterexample; it is
decoded into Python values for the function's parameters and replayed against the formula
before it is shown. A failure that only a loop summary shows is ``unknown`` here; the caller
(:mod:`fmlab.refine._verdicts`) then looks for it on exact paths.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import z3

from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason, refute
from fmlab.core.solving import Satisfiability, solve, unknown_from
from fmlab.refine._assumptions import Assumption, describe, relevant
from fmlab.refine._expressions import Chosen
from fmlab.refine._pytypes import Kind
from fmlab.refine._state import Obligation
from fmlab.refine._values import Value, decode, encode, replayable

Decision = Proved | Refuted[dict[str, Any]] | Unknown


def group_obligations(
    obligations: Sequence[Obligation],
) -> dict[tuple[str, int, int, str], list[Obligation]]:
    """The obligations by source location and message: each group is decided by one query."""
    groups: dict[tuple[str, int, int, str], list[Obligation]] = {}
    for obligation in obligations:
        groups.setdefault(obligation.key, []).append(obligation)
    return groups


def decide(
    obligations: Sequence[Obligation],
    inputs: Mapping[str, Value],
    *,
    timeout_ms: int | None = None,
    predicates: Mapping[str, z3.FuncDeclRef] | None = None,
    chosen: Sequence[Chosen] = (),
    assumed: list[Assumption] | None = None,
) -> Decision:
    """Prove a group of obligations, or refute it with a replayed counterexample.

    ``predicates`` are the function's abstract refinements: the counterexample also shows
    the solver's choice for each (which values it holds for), as text. ``chosen`` are the
    callee results and measure values met on the way: when the inputs alone do not force
    the failure, what the model chose for them is appended to ``assumed``.
    """
    claim = obligations[0].message
    exact = [o for o in obligations if o.exact]
    abstracted = [o for o in obligations if not o.exact]
    if exact:
        violation = z3.Or(*[o.violation() for o in exact])
        outcome = solve([violation], timeout_ms=timeout_ms)
        if outcome.status is Satisfiability.SAT:
            assert outcome.model is not None
            model = outcome.model
            witness = {name: _python(model, value) for name, value in inputs.items()}
            for name, declaration in (predicates or {}).items():
                witness[name] = _interpretation(model, declaration, inputs, witness)
            if any(o.modular for o in exact) and not _forced(exact, inputs, witness, timeout_ms):
                return Unknown(
                    claim,
                    UnknownReason.INCOMPLETE,
                    "fails for a result a generic or abstract callee's signature allows on "
                    f"{witness}, but another allowed result passes; which one its code returns "
                    "is not known here",
                )
            if assumed is not None:
                depends = relevant(chosen, violation)
                if depends and not _forced(exact, inputs, witness, timeout_ms):
                    assumed.extend(describe(model, depends))
            return refute(
                claim,
                witness,
                replay=lambda w: _replay_formula(violation, model, inputs, w),
                replayed_by="evaluating the verification condition on the witness",
            )
        if outcome.status is Satisfiability.UNKNOWN:
            return unknown_from(claim, outcome)
    if abstracted:
        outcome = solve([z3.Or(*[o.violation() for o in abstracted])], timeout_ms=timeout_ms)
        if outcome.status is Satisfiability.SAT:
            return Unknown(
                claim,
                UnknownReason.INCOMPLETE,
                "fails only through a loop invariant (given or inferred) that may "
                "be too weak, and no bounded run reproduced it",
                {"abstracted": True},
            )
        if outcome.status is Satisfiability.UNKNOWN:
            return unknown_from(claim, outcome)
    return Proved(claim)


def _interpretation(
    model: z3.ModelRef,
    declaration: z3.FuncDeclRef,
    inputs: Mapping[str, Value],
    witness: Mapping[str, Any],
) -> str:
    """An abstract refinement as the model chose it: where it holds and where it does not.

    Its value on each input of its sort first, then the other points of the model's table
    (such as the result), then what it is everywhere else.
    """
    name = declaration.name()
    shown: dict[str, bool] = {}
    for param, value in inputs.items():
        if value.term is not None and value.term.sort() == declaration.domain(0):
            holds = z3.is_true(model.eval(declaration(value.term), model_completion=True))
            shown[f"{name}({witness[param]!r})"] = holds
    table = model[declaration]
    otherwise = ""
    if isinstance(table, z3.FuncInterp):
        for entry in table.as_list()[:-1]:
            point, holds = entry[0], entry[1]
            key = f"{name}({_plain(point)})"
            shown.setdefault(key, z3.is_true(holds))
        otherwise = f", {z3.is_true(table.else_value())} elsewhere"
    described = ", ".join(f"{key} = {holds}" for key, holds in shown.items())
    return (described + otherwise) if described else "any predicate"


def _plain(term: z3.ExprRef) -> str:
    if z3.is_int_value(term):
        return str(term.as_long())
    return str(term)


def _forced(
    obligations: Sequence[Obligation],
    inputs: Mapping[str, Value],
    witness: Mapping[str, Any],
    timeout_ms: int | None,
) -> bool:
    """Whether the inputs alone force the failure: no path with them lets the goal hold.

    A call to a generic or abstract function is described by a choice (its result is one
    of its inputs); a failure for one choice is a real one only if every choice fails.
    """
    pairs = [
        pair for name, value in inputs.items() for pair in _literal_pairs(value, witness[name])
    ]
    passing = z3.Or(*[z3.And(*o.facts, o.goal) for o in obligations])
    if pairs:
        passing = z3.substitute(passing, *pairs)
    # With no literal inputs (none at all, or opaque ones left free) the question is the
    # same: is there any way through the chosen values that lets the goal hold?
    outcome = solve([passing], timeout_ms=timeout_ms)
    return outcome.status is Satisfiability.UNSAT


def _python(model: z3.ModelRef, value: Value) -> Any:
    if value.type.kind is Kind.TUPLE:
        return tuple(_python(model, item) for item in value.items)
    if value.type.kind is Kind.NONE:
        return None
    return decode(model.eval(value.term, model_completion=True), value.type)


def _literal_pairs(value: Value, decoded: Any) -> list[tuple[z3.ExprRef, z3.ExprRef]]:
    if value.type.kind is Kind.TUPLE:
        return [
            pair
            for item, part in zip(value.items, decoded, strict=True)
            for pair in _literal_pairs(item, part)
        ]
    if value.term is None or not replayable(value.type):
        return []
    return [(value.term, encode(decoded, value.type))]


def _replay_formula(
    violation: z3.BoolRef,
    model: z3.ModelRef,
    inputs: Mapping[str, Value],
    witness: Mapping[str, Any],
) -> bool:
    # Put the decoded Python values back in place of the inputs: if the formula is still
    # violated, the witness (not just the solver's internal model) is a counterexample.
    pairs = [
        pair for name, value in inputs.items() for pair in _literal_pairs(value, witness[name])
    ]
    grounded = z3.substitute(violation, *pairs) if pairs else violation
    return bool(z3.is_true(model.eval(grounded, model_completion=True)))


def smt2(obligations: Sequence[Obligation]) -> str:
    solver = z3.Solver()
    solver.add(z3.Or(*[o.violation() for o in obligations]))
    return str(solver.to_smt2())
