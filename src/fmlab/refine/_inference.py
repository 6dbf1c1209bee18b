"""Loop invariants the user did not write: qualifier-based (Houdini) inference.

Candidates are instances of templates over the variables in scope at the loop: for each
integer the loop changes, comparisons with the other integers, the program's integer
constants and the lengths of lists and strings (``i <= n``, ``i < len(xs)``,
``total >= 0``), plus the file's ``#@ qualif`` templates. Houdini keeps the candidates
that hold on entry, then repeatedly drops those an iteration does not preserve, until
none is dropped: what is left is the strongest conjunction of candidates that is an
inductive invariant. Measures are fine here, because each check is a plain SMT validity
query (z3's Horn engine, Spacer, rejects uninterpreted functions in clause bodies).
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable, Iterator, Mapping

import z3

from fmlab.core.solving import new_solver
from fmlab.refine._executor import (
    FunctionExecutor,
    Invariant,
    LoopEndState,
    LoopShape,
)
from fmlab.refine._predicates import Predicate
from fmlab.refine._pytypes import Kind
from fmlab.refine._state import State
from fmlab.refine._values import Value

MAX_CANDIDATES = 400
MAX_ROUNDS = 20
CHECK_TIMEOUT_MS = 2000

Term = Callable[[Mapping[str, Value]], z3.ArithRef]


def houdini(
    executor: FunctionExecutor, shape: LoopShape, state: State, automatic: tuple[Invariant, ...]
) -> tuple[Invariant, ...]:
    """The inductive subset of the candidate invariants for the loop ``shape``."""
    candidates = list(_candidates(executor, shape, state))[:MAX_CANDIDATES]
    keep = _valid_at(candidates, LoopEndState(state.env, state.facts))
    for _ in range(MAX_ROUNDS):
        executor.check_budget()
        head, condition = executor.iteration(shape, state, (*automatic, *keep))
        ends = executor.loop_ends_from(shape, head.assume(condition))
        survivors = keep
        for end in ends:
            survivors = _valid_at(survivors, end)
        if len(survivors) == len(keep):
            break
        keep = survivors
    else:
        keep = []  # no fixpoint within the budget: infer nothing rather than guess
    return tuple(keep)


def _valid_at(candidates: list[Invariant], where: LoopEndState) -> list[Invariant]:
    if not candidates:
        return []
    solver = new_solver(timeout_ms=CHECK_TIMEOUT_MS)
    solver.add(*where.facts)
    kept = []
    for candidate in candidates:
        try:
            goal = candidate.build(where.env)
        except (KeyError, z3.Z3Exception):
            continue
        solver.push()
        solver.add(z3.Not(goal))
        answer = solver.check()
        solver.pop()
        if answer == z3.unsat:
            kept.append(candidate)
    return kept


def _candidates(executor: FunctionExecutor, shape: LoopShape, state: State) -> Iterator[Invariant]:
    node = shape.node
    changed = executor.modified(node, shape.counter)
    env = state.env
    ints = sorted(name for name, value in env.items() if value.type.kind is Kind.INT)
    sized = sorted(name for name, value in env.items() if value.type.kind in (Kind.LIST, Kind.STR))
    pool: dict[str, Term] = {}
    for name in ints:
        pool[name] = _variable(name)
    for name in sized:
        pool[f"len({name})"] = _length(name)
    for constant in sorted(_int_constants(executor.node) | {0, 1}):
        pool[str(constant)] = _constant(constant)
    subjects = [name for name in ints if name in changed]
    subjects += [f"len({name})" for name in sized if name in changed]
    seen: set[str] = set()
    for subject in subjects:
        for other, term in pool.items():
            if other == subject:
                continue
            for symbol, relation in _RELATIONS:
                text = f"{subject} {symbol} {other}"
                if text not in seen:
                    seen.add(text)
                    yield _candidate(text, pool[subject], term, relation, node)
    yield from _qualifier_instances(executor, env, changed, node)


_RELATIONS: tuple[tuple[str, Callable[[z3.ArithRef, z3.ArithRef], z3.BoolRef]], ...] = (
    ("<=", lambda a, b: a <= b),
    (">=", lambda a, b: a >= b),
    ("<", lambda a, b: a < b),
    ("==", lambda a, b: a == b),
)


def _candidate(
    text: str,
    left: Term,
    right: Term,
    relation: Callable[[z3.ArithRef, z3.ArithRef], z3.BoolRef],
    node: ast.AST,
) -> Invariant:
    def build(env: Mapping[str, Value]) -> z3.BoolRef:
        return relation(left(env), right(env))

    return Invariant(
        text, getattr(node, "lineno", 0), getattr(node, "col_offset", 0) + 1, build, given=False
    )


def _variable(name: str) -> Term:
    return lambda env: env[name].int


def _length(name: str) -> Term:
    return lambda env: z3.Length(env[name].term)


def _constant(value: int) -> Term:
    return lambda env: z3.IntVal(value)


def _int_constants(node: ast.AST) -> set[int]:
    return {
        inner.value
        for inner in ast.walk(node)
        if isinstance(inner, ast.Constant) and type(inner.value) is int and abs(inner.value) <= 1000
    }


def _qualifier_instances(
    executor: FunctionExecutor, env: Mapping[str, Value], changed: set[str], node: ast.AST
) -> Iterator[Invariant]:
    for qualifier in executor.spec.qualifiers:
        choices = [
            [name for name, value in env.items() if value.type == param_type]
            for _, param_type in qualifier.params
        ]
        for names in itertools.islice(itertools.product(*choices), 200):
            if len(set(names)) != len(names) or not changed & set(names):
                continue
            mapping = {
                param: name for (param, _), name in zip(qualifier.params, names, strict=True)
            }
            text = f"{qualifier.name}({', '.join(names)})"

            def build(
                env: Mapping[str, Value],
                mapping: dict[str, str] = mapping,
                predicate: Predicate = qualifier.predicate,
            ) -> z3.BoolRef:
                bindings = {param: env[name] for param, name in mapping.items()}
                return executor.evaluator.predicate_formula(predicate, bindings)

            yield Invariant(
                text,
                getattr(node, "lineno", 0),
                getattr(node, "col_offset", 0) + 1,
                build,
                given=False,
            )
