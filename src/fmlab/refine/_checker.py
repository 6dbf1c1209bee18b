"""Checking a file: every function's obligations decided, errors located and explained.

An obligation is grouped with the others of its source location (one per path) and
decided by one query: is there a path whose facts hold while the goal fails? A model
of that query is a counterexample; it is decoded into Python values for the function's
parameters and replayed against the formula before it is shown. When the only failing
paths went through a loop summary, the answer is ``unknown`` unless bounded unrolling
finds the same failure on an exact path.
"""

from __future__ import annotations

import ast
import hashlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import z3

from fmlab.core.errors import InputError
from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason, refute
from fmlab.core.solving import Satisfiability, default_timeout_ms, solve, unknown_from
from fmlab.refine._assumptions import Assumption, describe, relevant
from fmlab.refine._diskcache import DiskCache
from fmlab.refine._diskcache import key as disk_key
from fmlab.refine._executor import FunctionExecutor, TooManyPathsError, user_terms
from fmlab.refine._expressions import Chosen
from fmlab.refine._horn import HornAnswer, horn_check
from fmlab.refine._inference import houdini
from fmlab.refine._pytypes import Kind
from fmlab.refine._report import FunctionReport, ModuleReport, ObligationError, Status
from fmlab.refine._results import WITHHELD, apply_inferred, infer_results
from fmlab.refine._specs import ModuleSpec, Signature, parse, read_module
from fmlab.refine._state import Obligation
from fmlab.refine._unsupported import UnsupportedError
from fmlab.refine._values import Value, decode, encode, replayable

UNROLL = 4
"""Iterations per loop that bounded checking explores to confirm a loop-related failure."""
DEEP_UNROLL = 24
"""Iterations explored when the Horn solver has shown that a failure exists."""

Decision = Proved | Refuted[dict[str, Any]] | Unknown


def check_file(
    path: str | Path, *, timeout_ms: int | None = None, cache_dir: Path | None = None
) -> ModuleReport:
    """Check the Python file at ``path`` (read as UTF-8, never imported).

    With ``cache_dir``, verdicts are also kept on disk there (see :mod:`fmlab.refine._diskcache`).
    """
    return check_source(read_source(path), str(path), timeout_ms=timeout_ms, cache_dir=cache_dir)


def read_source(path: str | Path) -> str:
    """The text of the Python file at ``path``; a file that cannot be read is bad input."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", source=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a Python file", source=name) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", source=name) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", source=name) from None


def check_source(
    text: str,
    source: str | None = None,
    *,
    timeout_ms: int | None = None,
    cache_dir: Path | None = None,
) -> ModuleReport:
    """Check every function of the Python source ``text`` (``cache_dir``: see check_file)."""
    return check_parsed(
        parse(text, source), text, source, timeout_ms=timeout_ms, cache_dir=cache_dir
    )


def check_parsed(
    tree: ast.Module,
    text: str,
    source: str | None = None,
    *,
    timeout_ms: int | None = None,
    cache_dir: Path | None = None,
) -> ModuleReport:
    """:func:`check_source` for a module already parsed into ``tree`` (from ``text``)."""
    spec = read_module(tree, text, source)
    reports: list[FunctionReport] = []
    problems: dict[str, list[UnsupportedError]] = {}
    for name, problem in spec.module_problems:
        problems.setdefault(name, []).append(problem)
    for name, found in problems.items():
        errors = tuple(_unsupported_error(problem) for problem in found)
        reports.append(FunctionReport(name, found[0].line, Status.UNSUPPORTED, errors))
    # Inferred results depend on bodies, so they are cached by the whole text; a function's
    # verdict depends on its callees' inferred results, so those enter its context.
    whole = hashlib.sha256(f"{timeout_ms}\n{text}".encode()).hexdigest()
    disk = DiskCache(cache_dir) if cache_dir is not None else None
    budget = str(timeout_ms if timeout_ms is not None else default_timeout_ms())
    inferred = _inferred_results(spec, whole, disk, disk_key("inferred", budget, str(source), text))
    context = _context_digest(tree, text, timeout_ms) + repr(sorted(inferred.items()))
    for node in spec.functions:
        key = (context, ast.dump(node, include_attributes=True))
        cached = _CACHE.get(key)
        stored = disk_key("function", str(source), *key) if disk is not None else ""
        if cached is None and disk is not None:
            cached = disk.get_report(stored)
        elif cached is not None and disk is not None and not disk.has(stored):
            # An in-process hit from a check made without this directory: write it through,
            # or a new process using the directory would check the function again.
            disk.put_report(stored, cached)
        if cached is None:
            cached = check_function(spec, node, timeout_ms=timeout_ms)
            if inferred.get(node.name) == WITHHELD:
                cached = replace(cached, result_withheld=True)
            elif node.name in inferred:
                cached = replace(cached, inferred_result=inferred[node.name])
            if disk is not None:
                disk.put_report(stored, cached)
        if key not in _CACHE:
            if len(_CACHE) >= _CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = cached
        reports.append(cached)
    reports.sort(key=lambda report: report.line)
    return ModuleReport(source, tuple(reports), tuple(spec.assumed))


_CACHE: dict[tuple[str, str], FunctionReport] = {}
_CACHE_SIZE = 2048


_INFERRED: dict[str, tuple[dict[str, str], dict[str, Signature]]] = {}


def _inferred_results(
    spec: ModuleSpec, context: str, disk: DiskCache | None, stored: str
) -> dict[str, str]:
    # Inference depends only on the context digest, so an unchanged file reuses it.
    if context not in _INFERRED:
        found = disk.get_inferred(stored) if disk is not None else None
        if found is not None and set(found) <= set(spec.signatures):
            apply_inferred(spec, found)
            texts = found
        else:
            texts = infer_results(spec)
            if disk is not None:
                disk.put_inferred(stored, texts)
        if len(_INFERRED) >= _CACHE_SIZE:
            _INFERRED.pop(next(iter(_INFERRED)))
        _INFERRED[context] = (texts, {name: spec.signatures[name] for name in texts})
    elif disk is not None and not disk.has(stored):
        disk.put_inferred(stored, _INFERRED[context][0])  # write an in-process hit through
    texts, signatures = _INFERRED[context]
    spec.signatures.update(signatures)
    return texts


def clear_cache() -> None:
    """Forget every cached verdict (benchmarks call this between timed passes)."""
    _CACHE.clear()
    _INFERRED.clear()


def _context_digest(tree: ast.Module, text: str, timeout_ms: int | None) -> str:
    """What a function's verdict depends on besides its own body.

    The file's source name, every signature, the ``#@`` lines, module-level statements and the
    solver budget. A function whose body and context are unchanged is not checked again in the
    same process (a notebook re-run, an editor, the test suite).
    """
    parts = [str(timeout_ms if timeout_ms is not None else default_timeout_ms())]
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef):
            # The signature, not the body: (name, parameters, result, decorators).
            header = ast.Tuple(
                elts=[
                    ast.Constant(statement.name),
                    statement.args,  # type: ignore[list-item]
                    statement.returns or ast.Constant(None),
                    *statement.decorator_list,
                ],
                ctx=ast.Load(),
            )
            parts.append(ast.dump(header))
        else:
            parts.append(ast.dump(statement))
    parts += [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _unsupported_error(problem: UnsupportedError) -> ObligationError:
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
        error = _unsupported_error(spec.broken[node.name])
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
            (_unsupported_error(problem),),
            seconds=time.perf_counter() - started,
        )
    except TooManyPathsError as gave_up:
        return _too_many_paths(node, started, str(gave_up))
    except RecursionError:
        deep = UnsupportedError("code nested too deeply", node.lineno, node.col_offset + 1)
        return FunctionReport(
            node.name, node.lineno, Status.UNSUPPORTED, (_unsupported_error(deep),)
        )
    groups = group_obligations(obligations)
    errors: list[ObligationError] = []
    vcs: list[tuple[str, str]] = []
    needs_bounded: list[tuple[str, int, int, str]] = []
    for key, members in groups.items():
        assumed: list[Assumption] = []
        decision = decide(
            members,
            executor.inputs,
            timeout_ms=timeout_ms,
            predicates=executor.predicates,
            chosen=executor.evaluator.sites,
            assumed=assumed,
        )
        vcs.append((f"line {key[1]}, column {key[2]}: {key[3]}", _smt2(members)))
        if isinstance(decision, Proved):
            continue
        if isinstance(decision, Unknown) and decision.stats.get("abstracted"):
            needs_bounded.append(key)
        errors.append(_error(key, decision, executor.inputs, tuple(assumed)))
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


def group_obligations(
    obligations: Sequence[Obligation],
) -> dict[tuple[str, int, int, str], list[Obligation]]:
    groups: dict[tuple[str, int, int, str], list[Obligation]] = {}
    for obligation in obligations:
        groups.setdefault(obligation.key, []).append(obligation)
    return groups


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
            # on the inputs alone need not fail (see fmlab.refine._assumptions).
            not assumes and all(replayable(value.type) for value in inputs.values()),
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
        assumed: list[Assumption] = []
        decision = decide(
            members,
            executor.inputs,
            timeout_ms=timeout_ms,
            chosen=executor.evaluator.sites,
            assumed=assumed,
        )
        if isinstance(decision, Refuted):
            confirmed[key[:3]] = _error(key, decision, executor.inputs, tuple(assumed))
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
        answer = horn_check(executor, summarised, timeout_ms=timeout_ms)
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


def _smt2(obligations: Sequence[Obligation]) -> str:
    solver = z3.Solver()
    solver.add(z3.Or(*[o.violation() for o in obligations]))
    return str(solver.to_smt2())
