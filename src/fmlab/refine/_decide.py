"""Deciding one group of obligations: proved, refuted with a replayed witness, or unknown.

The obligations of one source location (one per path) are decided by one query: is there a
path whose facts hold while the goal fails? A model of that query is a counterexample; it is
decoded into Python values for the function's parameters and replayed against the formula
before it is shown. A failure that only a loop summary shows is ``unknown`` here; the caller
(:mod:`fmlab.refine._verdicts`) then looks for it on exact paths.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import z3
from z3 import z3core

from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason, refute
from fmlab.core.solving import Satisfiability, solve, unknown_from
from fmlab.refine._assumptions import Assumption, describe, relevant
from fmlab.refine._expressions import Chosen
from fmlab.refine._instances import FUEL, Knowledge, instantiate
from fmlab.refine._portfolio import solve_violation
from fmlab.refine._pytypes import Kind
from fmlab.refine._state import Obligation
from fmlab.refine._terms import free_constants
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


@dataclass(frozen=True)
class Context:
    """What a function's symbolic run knows beyond each obligation's own formula.

    ``predicates`` are its abstract refinements (a counterexample shows the solver's choice
    for each); ``chosen`` the callee results and measure values met on the way;
    ``knowledge`` what is known of list elements (:mod:`fmlab.refine._instances`).
    """

    function: str = ""
    predicates: Mapping[str, z3.FuncDeclRef] = field(default_factory=dict)
    chosen: Sequence[Chosen] = ()
    knowledge: Knowledge = field(default_factory=Knowledge)
    promises: frozenset[int] = frozenset()
    universal: frozenset[int] = frozenset()


@dataclass
class Notes:
    """Filled in by :func:`decide` for a refutation: what its counterexample took for granted.

    ``assumed``: callee results and measure values the failure needs (the inputs alone do not
    force it). ``recursive``: the function's own recursive calls the failure goes through,
    even when forced: if the function fails elsewhere too, the inner call may fail first.
    """

    assumed: list[Assumption] = field(default_factory=list)
    recursive: list[Assumption] = field(default_factory=list)


def decide(
    obligations: Sequence[Obligation],
    inputs: Mapping[str, Value],
    *,
    timeout_ms: int | None = None,
    context: Context | None = None,
    notes: Notes | None = None,
) -> Decision:
    """Prove a group of obligations, or refute it with a replayed counterexample."""
    claim = obligations[0].message
    context = context if context is not None else Context()
    exact = [o for o in obligations if o.exact]
    abstracted = [o for o in obligations if not o.exact]
    if exact:
        violation = z3.Or(*[o.violation() for o in exact])
        cut: set[str] = set()
        violation = z3.And(violation, *instantiate([violation], context.knowledge, cut=cut))
        outcome = solve_violation(violation, timeout_ms=timeout_ms)
        if outcome.status is Satisfiability.SAT:
            assert outcome.model is not None
            model: z3.ModelRef | None = outcome.model
            if cut:
                model = _evaluated(violation, outcome.model, inputs, context, timeout_ms)
            if model is None:
                return Unknown(
                    claim,
                    UnknownReason.INCOMPLETE,
                    f"unfolding {', '.join(sorted(cut))} stopped at its bound ({FUEL} levels) "
                    "before a counterexample was confirmed by its definition",
                )
            return _refuted(claim, exact, violation, model, inputs, timeout_ms, context, notes)
        if outcome.status is Satisfiability.UNKNOWN:
            return unknown_from(claim, outcome)
    if abstracted:
        violation = z3.Or(*[o.violation() for o in abstracted])
        violation = z3.And(violation, *instantiate([violation], context.knowledge))
        outcome = solve_violation(violation, timeout_ms=timeout_ms)
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


def _refuted(
    claim: str,
    exact: Sequence[Obligation],
    violation: z3.BoolRef,
    model: z3.ModelRef,
    inputs: Mapping[str, Value],
    timeout_ms: int | None,
    context: Context,
    notes: Notes | None,
) -> Refuted[dict[str, Any]] | Unknown:
    witness = {name: _python(model, value) for name, value in inputs.items()}
    for name, declaration in context.predicates.items():
        witness[name] = _interpretation(model, declaration, inputs, witness)
    forced: bool | None = None  # computed once, when needed

    def is_forced() -> bool:
        nonlocal forced
        if forced is None:
            forced = _forced(exact, inputs, witness, timeout_ms, context)
        return forced

    if any(o.modular for o in exact) and not is_forced():
        return Unknown(
            claim,
            UnknownReason.INCOMPLETE,
            "fails for a result a generic or abstract callee's signature allows on "
            f"{witness}, but another allowed result passes; which one its code returns "
            "is not known here",
        )
    if notes is not None:
        depends = relevant(context.chosen, violation)
        if depends and not is_forced():
            notes.assumed.extend(describe(model, depends))
        elif depends:
            own = [site for site in depends if site.name == context.function]
            notes.recursive.extend(describe(model, own))
    return refute(
        claim,
        witness,
        replay=lambda w: _replay_formula(violation, model, inputs, w),
        replayed_by="evaluating the verification condition on the witness",
    )


def _evaluated(
    violation: z3.BoolRef,
    model: z3.ModelRef,
    inputs: Mapping[str, Value],
    context: Context,
    timeout_ms: int | None,
) -> z3.ModelRef | None:
    """A model for the same inputs in which every reflected application the failure reads is
    its definition's value, or None when the unfolding cannot get there within its bound.

    With the inputs fixed to the model's literals, unfolding evaluates (PLE): ``f(3)``
    becomes ``3 + f(2)`` and so on down to a number, unless the arguments stay symbolic
    (a callee's result, say) or need more levels than the bound.
    """
    tried = [model]
    ints = [v.term for v in inputs.values() if v.type.kind is Kind.INT and v.term is not None]
    for bound in SMALL_INPUTS if ints else ():
        # The first model may have picked a large input; a small one unfolds in fewer levels.
        small = [z3.And(term >= -bound, term <= bound) for term in ints]
        outcome = solve([violation, *small], timeout_ms=timeout_ms)
        if outcome.status is Satisfiability.SAT and outcome.model is not None:
            tried.append(outcome.model)
    for candidate in tried:
        witness = {name: _python(candidate, value) for name, value in inputs.items()}
        pairs = [
            pair for name, value in inputs.items() for pair in _literal_pairs(value, witness[name])
        ]
        if not pairs:
            continue
        grounded = z3.simplify(z3.substitute(violation, *pairs))
        cut: set[str] = set()
        facts = instantiate(
            [grounded], context.knowledge, cut=cut, fuel=EVALUATION_FUEL, literal_only=True
        )
        if cut:
            continue
        fixed = [term == literal for term, literal in pairs]
        outcome = solve([violation, *fixed, *facts], timeout_ms=timeout_ms)
        if outcome.status is Satisfiability.SAT:
            return outcome.model
    return None


SMALL_INPUTS = (4, 64, 512)
"""Bounds on integer inputs tried when the first counterexample's unfolding is cut off."""
EVALUATION_FUEL = 1000
"""Levels a reflected function is evaluated on literal arguments (one equation per level)."""


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
    for param, value in inputs.items() if declaration.arity() == 1 else ():
        if value.term is not None and value.term.sort() == declaration.domain(0):
            holds = z3.is_true(model.eval(declaration(value.term), model_completion=True))
            shown[f"{name}({witness[param]!r})"] = holds
    table = model[declaration]
    otherwise = ""
    try:
        entries = table.as_list() if isinstance(table, z3.FuncInterp) else None
    except z3.Z3Exception:
        entries = None  # a model may give the function as a lambda: no table to read
    if entries is not None and isinstance(table, z3.FuncInterp):
        for entry in entries[:-1]:
            points, holds = entry[:-1], entry[-1]
            key = f"{name}({', '.join(_plain(point) for point in points)})"
            shown.setdefault(key, z3.is_true(holds))
        otherwise = f", {z3.is_true(table.else_value())} elsewhere"
    elif not shown:
        return "as the solver chose it (its model gives no table to show)"
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
    context: Context,
) -> bool:
    """Whether the inputs alone force the failure, whatever the callees return.

    A callee is known by its signature, so its result is a choice among those it allows.
    The failure is forced when no allowed choice gets past it: none lets a path that
    reaches the obligation meet its goal, and none steers every path away from it.
    """
    pairs = [
        pair for name, value in inputs.items() for pair in _literal_pairs(value, witness[name])
    ]
    constants = [c for value in inputs.values() for c in value.constants()]
    passing = z3.Or(
        *[_passes(o, context.knowledge, constants, context.universal) for o in obligations]
    )
    promised: dict[int, z3.BoolRef] = {}
    elsewhere: list[z3.BoolRef] = []
    for obligation in obligations:
        conditions = []
        for fact in obligation.facts:
            if fact.get_id() in context.promises:
                promised[fact.get_id()] = fact
            else:
                conditions.append(fact)
        elsewhere.append(z3.Not(z3.And(*conditions)))
    avoided = z3.And(*promised.values(), *elsewhere)
    avoided = z3.And(avoided, *instantiate([avoided], context.knowledge))
    escape = z3.Or(passing, avoided)
    if pairs:
        escape = z3.substitute(escape, *pairs)
    # With no literal inputs (none at all, or opaque ones left free) the question is the
    # same: is there any way through the chosen values that lets the goal hold?
    outcome = solve([escape], timeout_ms=timeout_ms)
    return outcome.status is Satisfiability.UNSAT


def _passes(
    obligation: Obligation,
    knowledge: Knowledge,
    inputs: Sequence[z3.ExprRef],
    universal: frozenset[int],
) -> z3.BoolRef:
    """A path where the goal holds, as a satisfiable formula.

    A goal's own fresh constants (the index ``k`` of "every element satisfies p", listed in
    ``universal``) mean "for every value", so they are quantified here, together with what
    the instantiation says about them (whose own fresh constants, a position in another
    list, are chosen per element): satisfiability alone would read them as "for some value".
    """
    facts = list(obligation.facts)
    instances = instantiate([z3.And(*facts, obligation.goal)], knowledge)
    own = [c for c in free_constants([obligation.goal]) if c.get_id() in universal]
    if not own:
        return z3.And(*facts, *instances, obligation.goal)
    seen = {c.get_id() for c in free_constants([*facts, *inputs, obligation.goal])}
    bound = {c.get_id() for c in own}
    about: list[z3.BoolRef] = []
    rest: list[z3.BoolRef] = []
    for fact in instances:
        mentioned = {c.get_id() for c in free_constants([fact])}
        (about if mentioned & bound or mentioned - seen else rest).append(fact)
    chosen = [c for c in free_constants(about) if c.get_id() not in seen]
    known = z3.And(*about)
    if chosen:
        known = z3.Exists(chosen, known)
    return z3.And(*facts, *rest, z3.ForAll(own, known), z3.ForAll(own, obligation.goal))


def _python(model: z3.ModelRef, value: Value) -> Any:
    if value.type.kind is Kind.TUPLE:
        return tuple(_python(model, item) for item in value.items)
    if value.type.kind is Kind.NONE:
        return None
    term = model.eval(value.term, model_completion=True)
    if value.type.kind is Kind.INT and not z3.is_int_value(term):
        term = _reads_out_of_range(model, term)
    return decode(term, value.type)


def _reads_out_of_range(model: z3.ModelRef, term: z3.ExprRef) -> z3.ExprRef:
    # z3 may define a value by a read out of range (seq.nth_i), which it gives a value
    # through its seq.nth_u but leaves unevaluated in the model's answer.
    undefined = [d for d in model.decls() if d.name() == "seq.nth_u"]
    pairs: list[tuple[z3.ExprRef, z3.ExprRef]] = []
    stack = [term]
    while stack:
        part = stack.pop()
        if z3.is_app(part) and part.decl().name() == "seq.nth_i":
            for decl in undefined:
                if decl.domain(0) == part.arg(0).sort():
                    read = model.eval(decl(*part.children()), model_completion=True)
                    pairs.append((part, read))
        elif z3.is_app(part):
            stack.extend(part.children())
    return model.eval(z3.substitute(term, *pairs), model_completion=True) if pairs else term


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
    """The group's violation as an SMT-LIB benchmark, the text ``z3.Solver.to_smt2`` writes
    for a solver holding it, without making a solver (every function reports these)."""
    violation = z3.Or(*[o.violation() for o in obligations])
    return str(
        z3core.Z3_benchmark_to_smtlib_string(
            violation.ctx.ref(),
            "benchmark generated from python API",
            "",
            "unknown",
            "",
            0,
            (z3.Ast * 0)(),
            violation.as_ast(),
        )
    )
