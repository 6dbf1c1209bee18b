"""The second inference back end: a loop as constrained Horn clauses, solved by Spacer.

Qualifier inference (:mod:`fmlab.refine._inference`) only finds invariants built from its
templates. For loops over integers and booleans, z3's Horn engine can search for any
invariant in linear arithmetic instead. The loop becomes three kinds of clauses over an
unknown predicate ``Inv(context, state)``:

* entry: the facts before the loop imply ``Inv`` of the values on entry;
* step: ``Inv`` of a state where the condition holds implies ``Inv`` of the state at the end
  of the body, one clause per path through the body;
* query: ``Inv`` of a state together with the facts of the obligation and its negation
  implies false.

``sat`` means an invariant exists that proves the obligation; ``unsat`` means the
obligation fails on some real run. Spacer rejects uninterpreted functions and sequences
(measures, ``len``), so loops that use them stay with qualifier inference. The two back
ends are cross-checked in the tests: neither may prove what the other refutes.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import z3

from fmlab.core.solving import default_timeout_ms
from fmlab.refine._executor import FunctionExecutor, LoopRecord
from fmlab.refine._state import Obligation
from fmlab.refine._terms import free_constants, subterms

HORN_BUDGET_MS = 1000
"""At most this long for one Horn query, whatever the per-obligation budget."""
NONLINEAR_BUDGET_MS = 250
"""At most this long when the clauses multiply two variables: Spacer's invariants are linear,
so there it is a long shot (the corpus's square loop, which needs ``total == i * n``, used
all of its second before)."""


class HornAnswer(enum.Enum):
    PROVED = "proved"
    FAILS = "fails"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not-applicable"


@dataclass(frozen=True)
class HornResult:
    answer: HornAnswer
    invariant: str = ""
    clauses: tuple[z3.BoolRef, ...] = ()


_ARITHMETIC = {
    z3.Z3_OP_ADD, z3.Z3_OP_SUB, z3.Z3_OP_MUL, z3.Z3_OP_UMINUS, z3.Z3_OP_IDIV, z3.Z3_OP_MOD,
    z3.Z3_OP_LE, z3.Z3_OP_LT, z3.Z3_OP_GE, z3.Z3_OP_GT, z3.Z3_OP_EQ, z3.Z3_OP_DISTINCT,
    z3.Z3_OP_AND, z3.Z3_OP_OR, z3.Z3_OP_NOT, z3.Z3_OP_IMPLIES, z3.Z3_OP_ITE, z3.Z3_OP_TRUE,
    z3.Z3_OP_FALSE, z3.Z3_OP_ANUM, z3.Z3_OP_UNINTERPRETED,
}  # fmt: skip


def _arithmetic_only(formulas: Iterable[z3.ExprRef]) -> bool:
    for term in subterms(formulas):
        if term.sort_kind() not in (z3.Z3_INT_SORT, z3.Z3_BOOL_SORT) or not z3.is_app(term):
            return False
        kind = term.decl().kind()
        if kind not in _ARITHMETIC:
            return False
        if kind == z3.Z3_OP_UNINTERPRETED and term.num_args() > 0:
            return False  # a measure: Spacer refuses uninterpreted functions
    return True


def _nonlinear(formulas: Iterable[z3.ExprRef]) -> bool:
    """Whether a product of two terms that are not numerals occurs (quantifier bodies too)."""
    return any(
        z3.is_app_of(term, z3.Z3_OP_MUL)
        and sum(not z3.is_int_value(argument) for argument in term.children()) > 1
        for term in subterms(formulas)
    )


def _clause(body: Sequence[z3.BoolRef], head: z3.BoolRef) -> z3.BoolRef:
    implication = z3.Implies(z3.And(*body), head)
    variables = free_constants([implication])
    return z3.ForAll(variables, implication) if variables else implication


def _strip(facts: Sequence[z3.BoolRef], assumed: Sequence[z3.BoolRef]) -> list[z3.BoolRef]:
    assumed_ids = {formula.get_id() for formula in assumed}
    return [fact for fact in facts if fact.get_id() not in assumed_ids]


def horn_check(
    executor: FunctionExecutor,
    obligations: Sequence[Obligation],
    *,
    timeout_ms: int | None = None,
) -> HornResult:
    """Decide summarised obligations of a function with one arithmetic loop, with Spacer."""
    if len(executor.loops) != 1 or executor.loops[0].depth != 0:
        return HornResult(HornAnswer.NOT_APPLICABLE)
    record = executor.loops[0]
    clauses = _clauses(executor, record, obligations)
    if clauses is None:
        return HornResult(HornAnswer.NOT_APPLICABLE)
    # A second opinion, not the main check: it gets a small share of the budget.
    cap = NONLINEAR_BUDGET_MS if _nonlinear(clauses) else HORN_BUDGET_MS
    budget = min(timeout_ms if timeout_ms is not None else default_timeout_ms(), cap)
    # Two configurations of Spacer, one after the other: its default search, then global
    # guidance, which finds invariants the default misses (i >= 0 and total >= 0 for the
    # corpus's sum_to in 12 ms, where the default used its whole budget) but is slower on
    # what the default answers at once (a failing run of l3_horn_linear: 0.12 s against
    # 0.05 s, and over a second on a loaded machine).
    first = max(1, budget // DEFAULT_SHARE)
    answer, solver = _spacer(clauses, first, global_guidance=False)
    if answer not in (z3.sat, z3.unsat) and budget > first:
        answer, solver = _spacer(clauses, budget - first, global_guidance=True)
    if answer == z3.sat:
        model = solver.model()
        invariant = next((str(model[d]) for d in model.decls() if d.name() == "Inv"), "")
        return HornResult(HornAnswer.PROVED, invariant, tuple(clauses))
    if answer == z3.unsat:
        return HornResult(HornAnswer.FAILS, "", tuple(clauses))
    return HornResult(HornAnswer.UNKNOWN, "", tuple(clauses))


DEFAULT_SHARE = 2
"""Spacer's default search gets half the Horn budget, global guidance the rest (the default
answers l3_horn_linear's failing run in 0.05 s: half a second leaves room on a busy machine)."""


def _spacer(
    clauses: Sequence[z3.BoolRef], timeout_ms: int, *, global_guidance: bool
) -> tuple[z3.CheckSatResult | None, z3.Solver]:
    solver = z3.SolverFor("HORN")
    solver.set("fp.spacer.global", global_guidance)
    solver.set("timeout", timeout_ms)
    solver.add(*clauses)
    try:
        return solver.check(), solver
    except z3.Z3Exception:
        return None, solver


def _clauses(
    executor: FunctionExecutor, record: LoopRecord, obligations: Sequence[Obligation]
) -> list[z3.BoolRef] | None:
    shape = record.shape
    modified = executor.modified(shape.node, shape.counter)
    names = sorted(name for name in modified if name in record.head.env)
    try:
        state_now = [record.head.env[name].term for name in names]
        state_entry = [record.entry.env[name].term for name in names]
    except KeyError:
        return None
    if any(term is None for term in [*state_now, *state_entry]):
        return None
    fixed_values = [
        value.term for name, value in record.head.env.items()
        if name not in modified and value.term is not None
    ]  # fmt: skip
    context = [
        c for c in free_constants([*record.entry.facts, *state_entry, *fixed_values])
        if not any(c.eq(s) for s in state_now)
    ]  # fmt: skip
    # The body once more, from a head where nothing but the loop condition is assumed.
    start = executor.havoc(shape.node, record.entry, shape.counter)
    head, condition = executor.enter(shape, start, ())
    ends = executor.loop_ends_from(shape, head.assume(condition))
    try:
        state_step = [start.env[name].term for name in names]
        ends_values = [[end.env[name].term for name in names] for end in ends]
    except KeyError:
        return None
    queries = [(_strip(o.facts, record.assumed), o.goal) for o in obligations]
    everything: list[z3.ExprRef] = [*record.entry.facts, *state_entry, *fixed_values]
    everything += [f for end in ends for f in end.facts]
    everything += [v for values in ends_values for v in values]
    everything += [f for facts, goal in queries for f in (*facts, goal)]
    if not _arithmetic_only([*everything, *state_now]):
        return None
    sorts = [term.sort() for term in [*context, *state_now]]
    invariant = z3.Function("Inv", *sorts, z3.BoolSort())
    clauses = [_clause(list(record.entry.facts), invariant(*context, *state_entry))]
    for end, values in zip(ends, ends_values, strict=True):
        clauses.append(
            _clause([invariant(*context, *state_step), *end.facts], invariant(*context, *values))
        )
    for facts, goal in queries:
        clauses.append(
            _clause([invariant(*context, *state_now), *facts, z3.Not(goal)], z3.BoolVal(False))
        )
    return clauses
