"""Inferring the refinement of a result the user did not refine (the tutorial's third level).

A function declared ``-> int`` with no predicate still has properties its callers may need:
a recursive ``total(n)`` returns at least ``n``. For each such function, callees first,
candidates built from templates (``_ >= 0``, ``_ >= n``, ``_ == n``, ``len(_) == len(xs)``,
...) are checked at every ``return``; recursive calls assume the candidates still standing,
and those that fail are dropped until none is (Houdini again, over the result this time).
The conjunction left is proved, so callers may assume it; the function's own check then
proves it once more as its postcondition.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Mapping
from dataclasses import replace

import z3

from fmlab.core.result import Proved
from fmlab.core.solving import Satisfiability
from fmlab.refine._decide import decide
from fmlab.refine._executor import FUNCTION_BUDGET_S, FunctionExecutor, TooManyPathsError
from fmlab.refine._portfolio import solve_violation
from fmlab.refine._predicates import Predicate, parse_predicate
from fmlab.refine._pytypes import Kind
from fmlab.refine._specs import ModuleSpec, Param, Signature
from fmlab.refine._state import Obligation
from fmlab.refine._unsupported import UnsupportedError
from fmlab.refine._values import Value

MAX_ROUNDS = 8
CHECK_TIMEOUT_MS = 2000


def infer_results(spec: ModuleSpec) -> dict[str, str]:
    """Strengthen ``spec``'s unrefined results in place; return the inferred predicates.

    A function whose own obligations do not all hold exports nothing: its entry is
    :data:`WITHHELD`, and callers see only its declared result type.
    """
    inferred: dict[str, str] = {}
    for node in _callees_first(spec):
        signature = spec.signatures[node.name]
        keep = _candidates(signature, spec)
        deadline = time.monotonic() + FUNCTION_BUDGET_S  # for all rounds together
        obligations: list[Obligation] = []
        for _ in range(MAX_ROUNDS):
            spec.signatures[node.name] = _with_result(signature, keep, spec)
            executor = FunctionExecutor(
                spec, node, spec.signatures[node.name], candidates=keep, deadline=deadline
            )
            try:
                obligations = executor.run()
            except (UnsupportedError, TooManyPathsError, RecursionError, z3.Z3Exception):
                keep = []
                break
            proved = _proved(obligations, executor.inputs)
            survivors = [c for c in keep if c.text in proved]
            if len(survivors) == len(keep):
                break
            keep = survivors
        else:
            keep = []
        if keep and (executor.termination_unknown is not None or not _rest_holds(obligations)):
            # A failed obligation is assumed on the paths after it (so that one error is
            # reported once), which can make any candidate provable, even `_ > 0 and _ <= 0`;
            # so does recursion not known to end. Only a function whose own obligations all
            # hold, termination included, may promise callers anything.
            keep = []
            inferred[node.name] = WITHHELD
        spec.signatures[node.name] = _with_result(signature, keep, spec)
        if keep:
            inferred[node.name] = " and ".join(c.text for c in keep)
    return inferred


WITHHELD = ""
"""The inferred text of a function whose own obligations do not all hold: nothing is exported."""


def _rest_holds(obligations: list[Obligation]) -> bool:
    """Whether every obligation but the candidates is proved (one query for all of them)."""
    others = [o.violation() for o in obligations if o.kind != "candidate"]
    if not others:
        return True
    outcome = solve_violation(z3.Or(*others), timeout_ms=CHECK_TIMEOUT_MS)
    return outcome.status is Satisfiability.UNSAT


def apply_inferred(spec: ModuleSpec, inferred: Mapping[str, str]) -> None:
    """Give ``spec`` the result refinements :func:`infer_results` found (read from a cache)."""
    for name, text in inferred.items():
        if text == WITHHELD:
            continue
        signature = spec.signatures[name]
        predicate = parse_predicate(text, source=spec.source, line=signature.line, column=1)
        spec.signatures[name] = _with_result(signature, [predicate], spec)


def _proved(obligations: list[Obligation], inputs: Mapping[str, Value]) -> set[str]:
    """The candidates proved at every return: one query for all of them while the solver
    can say which fail (each model drops the candidates it violates, as Houdini does), and
    one query per candidate only if a joint query is undecided."""
    groups: dict[str, list[Obligation]] = {}
    for obligation in obligations:
        if obligation.kind == "candidate":
            groups.setdefault(obligation.message, []).append(obligation)
    violations = {
        text: z3.Or(*[o.violation() for o in members]) for text, members in groups.items()
    }
    remaining = dict(violations)
    while remaining:
        outcome = solve_violation(z3.Or(*remaining.values()), timeout_ms=CHECK_TIMEOUT_MS)
        if outcome.status is Satisfiability.UNSAT:
            return set(remaining)
        if outcome.status is not Satisfiability.SAT or outcome.model is None:
            break
        model = outcome.model
        failed = [
            text
            for text, violation in remaining.items()
            if z3.is_true(model.eval(violation, model_completion=True))
        ]
        if not failed:
            break  # a model that violates none (it should not happen): ask one at a time
        for text in failed:
            del remaining[text]
    return {
        text
        for text in remaining
        if isinstance(decide(groups[text], inputs, timeout_ms=CHECK_TIMEOUT_MS), Proved)
    }


def _with_result(signature: Signature, keep: list[Predicate], spec: ModuleSpec) -> Signature:
    if not keep:
        return replace(signature, result=replace(signature.result, refinement=None))
    text = " and ".join(f"({c.text})" for c in keep)
    predicate = parse_predicate(text, source=spec.source, line=signature.line, column=1)
    result: Param = replace(signature.result, refinement=predicate)
    return replace(signature, result=result)


def _candidates(signature: Signature, spec: ModuleSpec) -> list[Predicate]:
    kind = signature.result.type.kind
    ints = [p.name for p in signature.params if p.type.kind is Kind.INT]
    sized = [p.name for p in signature.params if p.type.kind in (Kind.LIST, Kind.STR)]
    texts: list[str] = []
    if kind is Kind.INT:
        texts += ["_ >= 0", "_ > 0", "_ <= 0"]
        for name in ints:
            texts += [f"_ >= {name}", f"_ <= {name}", f"_ == {name}", f"_ >= -{name}"]
        for name in sized:
            texts += [f"_ == len({name})", f"_ <= len({name})", f"0 <= _ < len({name})"]
    elif kind in (Kind.LIST, Kind.STR):
        texts += ["len(_) > 0"]
        for name in sized:
            texts += [f"len(_) == len({name})", f"len(_) <= len({name})", f"len(_) >= len({name})"]
        for name in ints:
            texts += [f"len(_) == {name}", f"len(_) <= {name}"]
    return [
        parse_predicate(text, source=spec.source, line=signature.line, column=1) for text in texts
    ]


def _callees_first(spec: ModuleSpec) -> list[ast.FunctionDef]:
    wanted = {
        node.name: node
        for node in spec.functions
        if node.name in spec.signatures
        and spec.signatures[node.name].result.refinement is None
        and not spec.signatures[node.name].trusted
        and node.name not in spec.recursive_groups
    }
    order: list[ast.FunctionDef] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in visiting or any(node.name == name for node in order):
            return
        visiting.add(name)
        for call in ast.walk(wanted[name]):
            callee = (
                call.func.id
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                else None
            )
            if callee in wanted and callee != name:
                visit(callee)
        order.append(wanted[name])

    for name in wanted:
        visit(name)
    return order
