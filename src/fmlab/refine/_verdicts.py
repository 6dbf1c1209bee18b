"""One function's verdict: its obligations decided, loop failures confirmed or explained.

The function is run symbolically (:mod:`fmlab.refine._executor`), its obligations grouped by
place and decided (:mod:`fmlab.refine._decide`). When the only failing paths went through a
loop summary, the answer is ``unknown`` unless bounded unrolling finds the same failure on an
exact path; z3's Horn engine gets a say for arithmetic loops (:mod:`fmlab.refine._horn`).
"""

from __future__ import annotations

import ast
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import z3

from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason
from fmlab.refine._assumptions import Assumption
from fmlab.refine._decide import Context, Notes, decide, group_obligations, smt2
from fmlab.refine._executor import FunctionExecutor, TooManyPathsError, user_terms
from fmlab.refine._horn import HornAnswer, horn_check
from fmlab.refine._inference import houdini
from fmlab.refine._report import FunctionReport, ObligationError, Status
from fmlab.refine._specs import ModuleSpec
from fmlab.refine._state import Obligation
from fmlab.refine._unsupported import UnsupportedError
from fmlab.refine._values import Value, replayable

UNROLL = 4
"""Iterations per loop that bounded checking explores to confirm a loop-related failure."""
DEEP_UNROLL = 24
"""Iterations explored when the Horn solver has shown that a failure exists."""


def context_of(executor: FunctionExecutor) -> Context:
    """What the executor's run knows besides the obligations, for :func:`decide`."""
    evaluator = executor.evaluator
    return Context(
        executor.node.name,
        executor.predicates,
        evaluator.sites,
        evaluator.knowledge,
        frozenset(evaluator.promises),
        frozenset(evaluator.universal),
    )


def confirm_reflected(spec: ModuleSpec, timeout_ms: int | None) -> None:
    """Keep in ``spec.reflected`` only the functions whose recursion is proved to end.

    A reflected definition is an equation the solver may use; one that does not terminate
    (``f(n) = f(n) + 1``) is inconsistent, and anything would follow from it. The others
    stay uninterpreted measures, and their own check reports why.
    """
    for name in sorted(spec.reflected):
        node = spec.definitions.get(name)
        signature = spec.signatures.get(name)
        ends = False
        if node is not None and signature is not None:
            try:
                executor = FunctionExecutor(spec, node, signature)
                obligations = executor.run()
                # No definitions in the context: the equations are not trusted yet.
                ends = executor.termination_unknown is None and all(
                    isinstance(decide([o], executor.inputs, timeout_ms=timeout_ms), Proved)
                    for o in obligations
                    if o.kind == "termination"
                )
            except (UnsupportedError, TooManyPathsError, RecursionError, z3.Z3Exception):
                ends = False
        if not ends:
            spec.reflected.discard(name)


def unsupported_error(problem: UnsupportedError) -> ObligationError:
    return ObligationError(
        problem.line,
        problem.column,
        f"unsupported: {problem.what}",
        "unsupported",
        None,
        Unknown(problem.what, UnknownReason.UNSUPPORTED, "outside the subset"),
    )


def check_function(
    spec: ModuleSpec, node: ast.FunctionDef, *, timeout_ms: int | None = None
) -> FunctionReport:
    """Check one function against its signature."""
    started = time.perf_counter()
    if node.name in spec.broken:
        error = unsupported_error(spec.broken[node.name])
        return FunctionReport(node.name, node.lineno, Status.UNSUPPORTED, (error,))
    signature = spec.signatures[node.name]
    executor = FunctionExecutor(spec, node, signature, infer=houdini)
    try:
        obligations = executor.run()
    except UnsupportedError as problem:
        return FunctionReport(
            node.name,
            node.lineno,
            Status.UNSUPPORTED,
            (unsupported_error(problem),),
            seconds=time.perf_counter() - started,
        )
    except TooManyPathsError as gave_up:
        return _too_many_paths(node, started, str(gave_up))
    except RecursionError:
        deep = UnsupportedError("code nested too deeply", node.lineno, node.col_offset + 1)
        return FunctionReport(
            node.name, node.lineno, Status.UNSUPPORTED, (unsupported_error(deep),)
        )
    groups = group_obligations(obligations)
    errors: list[ObligationError] = []
    vcs: list[tuple[str, str]] = []
    needs_bounded: list[tuple[str, int, int, str]] = []
    recursive: dict[tuple[int, int], tuple[Assumption, ...]] = {}
    context = context_of(executor)
    for key, members in groups.items():
        notes = Notes()
        decision = decide(
            members, executor.inputs, timeout_ms=timeout_ms, context=context, notes=notes
        )
        vcs.append((f"line {key[1]}, column {key[2]}: {key[3]}", smt2(members)))
        if isinstance(decision, Proved):
            continue
        if isinstance(decision, Unknown) and decision.stats.get("abstracted"):
            needs_bounded.append(key)
        errors.append(_error(key, decision, executor.inputs, tuple(notes.assumed)))
        if notes.recursive:
            recursive[(key[1], key[2])] = tuple(notes.recursive)
    if len(errors) > 1 and recursive:
        # The function fails in more than one place, so a recursive call its counterexample
        # relies on may itself fail elsewhere before returning: say what it assumes of it.
        errors = [
            replace(error, assumes=recursive[(error.line, error.column)], replayable=False)
            if (error.line, error.column) in recursive and not error.assumes
            else error
            for error in errors
        ]
    if needs_bounded:
        errors = _confirm_by_unrolling(spec, node, needs_bounded, errors, timeout_ms)
        errors = _ask_horn(executor, groups, errors, timeout_ms)
        failing = [
            (e.kind, e.line, e.column, e.result.claim)
            for e in errors
            if isinstance(e.result, Unknown) and e.result.stats.get("horn") == "fails"
        ]
        if failing:
            # A real failure exists but needs more iterations: look for it further.
            errors = _confirm_by_unrolling(
                spec, node, failing, errors, timeout_ms, unroll=DEEP_UNROLL
            )
    if signature.abstract:
        # A failure that involves an abstract refinement depends on the solver's choice of
        # p, which a run cannot reproduce (at run time p is read as true).
        applied = tuple(f"{abstract.name}(" for abstract in signature.abstract)
        errors = [
            replace(error, replayable=False) if any(a in error.message for a in applied) else error
            for error in errors
        ]
    if executor.termination_unknown is not None and not any(
        e.kind == "termination" for e in errors
    ):
        # Every call decreases something, but no one order of the sizes covers all calls.
        message = executor.termination_unknown
        errors.append(
            ObligationError(
                node.lineno,
                node.col_offset + 1,
                "termination not shown: no order of the parameters' sizes decreases at "
                "every recursive call (add #@ decreases EXPR after the def line)",
                "termination",
                None,
                Unknown(message, UnknownReason.INCOMPLETE, "no lexicographic order found"),
            )
        )
    status = _status(errors)
    inferred = {
        invariant.line: tuple(user_terms(i.text) for i in invariants)
        for invariants in executor.inferred.values()
        for invariant in invariants[:1]
    }
    return FunctionReport(
        node.name,
        node.lineno,
        status,
        tuple(errors),
        len(groups),
        time.perf_counter() - started,
        inferred,
        tuple(vcs),
    )


def _too_many_paths(node: ast.FunctionDef, started: float, message: str) -> FunctionReport:
    error = ObligationError(
        node.lineno,
        node.col_offset + 1,
        message,
        "paths",
        None,
        Unknown(node.name, UnknownReason.INCOMPLETE, message),
    )
    return FunctionReport(
        node.name, node.lineno, Status.UNKNOWN, (error,), seconds=time.perf_counter() - started
    )


def _status(errors: Sequence[ObligationError]) -> Status:
    if any(isinstance(error.result, Refuted) for error in errors):
        return Status.UNSAFE
    if errors:
        return Status.UNKNOWN
    return Status.SAFE


def _error(
    key: tuple[str, int, int, str],
    decision: Refuted[Any] | Unknown,
    inputs: Mapping[str, Value],
    assumes: tuple[Assumption, ...] = (),
) -> ObligationError:
    kind, line, column, message = key
    message = user_terms(message)
    if isinstance(decision, Refuted):
        return ObligationError(
            line,
            column,
            message,
            kind,
            dict(decision.witness),
            decision,
            # A modular counterexample fails only for the callee results it assumes: a run
            # on the inputs alone need not fail (see fmlab.refine._assumptions). Nor does one
            # of a function passed for a Callable: its obligation is about every argument
            # the Callable allows, not about these inputs.
            not assumes
            and kind != "function-argument"
            and all(replayable(value.type) for value in inputs.values()),
            assumes,
        )
    return ObligationError(
        line, column, f"{message} (not proved: {decision.reason.value})", kind, None, decision
    )


def _confirm_by_unrolling(
    spec: ModuleSpec,
    node: ast.FunctionDef,
    keys: list[tuple[str, int, int, str]],
    errors: list[ObligationError],
    timeout_ms: int | None,
    *,
    unroll: int = UNROLL,
) -> list[ObligationError]:
    # A failure seen only through a loop summary may be the summary's fault. Unrolling the
    # loops a few times gives exact paths: a counterexample there is a real one.
    executor = FunctionExecutor(spec, node, spec.signatures[node.name], unroll=unroll)
    try:
        obligations = executor.run()
    except (UnsupportedError, TooManyPathsError, RecursionError):
        return errors
    exact = group_obligations([o for o in obligations if o.key in set(keys)])
    confirmed: dict[tuple[str, int, int], ObligationError] = {}
    for key, members in exact.items():
        notes = Notes()
        decision = decide(
            members,
            executor.inputs,
            timeout_ms=timeout_ms,
            context=context_of(executor),
            notes=notes,
        )
        if isinstance(decision, Refuted):
            confirmed[key[:3]] = _error(key, decision, executor.inputs, tuple(notes.assumed))
    return [confirmed.get((e.kind, e.line, e.column), e) for e in errors]


def _ask_horn(
    executor: FunctionExecutor,
    groups: Mapping[tuple[str, int, int, str], list[Obligation]],
    errors: list[ObligationError],
    timeout_ms: int | None,
) -> list[ObligationError]:
    # Still unknown after unrolling: for an arithmetic loop, z3's Horn engine may find an
    # invariant the qualifiers could not express, or show that a longer run fails.
    kept = []
    for error in errors:
        result = error.result
        if not (isinstance(result, Unknown) and result.stats.get("abstracted")):
            kept.append(error)
            continue
        key = (error.kind, error.line, error.column, result.claim)
        summarised = [o for o in groups.get(key, []) if not o.exact]
        try:
            answer = horn_check(executor, summarised, timeout_ms=timeout_ms)
        except (TooManyPathsError, RecursionError):
            kept.append(error)  # the function's time budget is spent: it stays unknown
            continue
        if answer.answer is HornAnswer.PROVED:
            continue
        if answer.answer is HornAnswer.FAILS:
            detail = (
                "z3's Horn solver shows that it fails on a run longer than the bounded "
                "unrolling explored; no concrete counterexample was extracted"
            )
            unknown = Unknown(result.claim, UnknownReason.INCOMPLETE, detail, {"horn": "fails"})
            kept.append(
                ObligationError(error.line, error.column, error.message, error.kind, None, unknown)
            )
            continue
        kept.append(error)
    return kept
