"""Which refinements the checker did not prove, and so need :func:`~fmlab.refine.enforce`.

A result refinement is proved when its function is ``safe``. A parameter refinement is
proved for the calls the checker sees, those inside the file, when each of them is; a
call in a function the checker could not analyse (``unsupported``, or too many paths)
counts as not proved. Calls from outside the file are never seen, which is why ``enforce``
always checks parameters.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fmlab.core.errors import InputError
from fmlab.refine._checker import check_file, check_parsed, read_source
from fmlab.refine._diskcache import default_cache_directory
from fmlab.refine._report import ModuleReport, Status
from fmlab.refine._specs import ModuleSpec, parse, read_module

RETURN = "return"

# The checker's own wording for a failed precondition (expressions._call_signature).
_PRECONDITION = re.compile(r"call to (\w+): argument `(\w+)` must satisfy")


@dataclass(frozen=True)
class Unproved:
    """A refinement of ``function`` that was not proved, and why (``reason``)."""

    function: str
    target: str  # a parameter's name, or "return"
    predicate: str
    line: int
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "target": self.target,
            "predicate": self.predicate,
            "line": self.line,
            "reason": self.reason,
        }

    def explain(self) -> str:
        where = "result" if self.target == RETURN else f"parameter {self.target}"
        return f"{self.function} {where}: `{self.predicate}` ({self.reason})"


def unproved_obligations(
    path: str | Path, *, timeout_ms: int | None = None, cache_dir: Path | None = None
) -> tuple[Unproved, ...]:
    """The refinements of the file at ``path`` that the checker did not prove."""
    return check_with_runtime_checks(path, timeout_ms=timeout_ms, cache_dir=cache_dir)[1]


def check_with_runtime_checks(
    path: str | Path, *, timeout_ms: int | None = None, cache_dir: Path | None = None
) -> tuple[ModuleReport, tuple[Unproved, ...]]:
    """Check the file at ``path`` and list the refinements the check did not prove.

    The file is read and parsed once. Its specifications are read twice from that one
    tree: the checker adds the result refinements it infers to its own copy, while the
    refinements to check at run time are the ones the file states.
    """
    name = str(path)
    text = read_source(path)
    tree = parse(text, name)
    report = check_parsed(tree, text, name, timeout_ms=timeout_ms, cache_dir=cache_dir)
    return report, unproved_in(report, read_module(tree, text, name))


def unproved_in(report: ModuleReport, spec: ModuleSpec) -> tuple[Unproved, ...]:
    """The refinements of ``report``'s file (read into ``spec``) that were not proved."""
    found: dict[tuple[str, str, int], Unproved] = {}
    for function in report.functions:
        signature = spec.signatures.get(function.name)
        if (
            signature is not None
            and not signature.trusted
            and signature.result.refinement is not None
            and function.status is not Status.SAFE
        ):
            found[(function.name, RETURN, function.line)] = Unproved(
                function.name,
                RETURN,
                signature.result.refinement.text,
                function.line,
                f"{function.name} is {function.status.value}",
            )
        for error in function.errors:
            match = _PRECONDITION.match(error.message) if error.kind == "precondition" else None
            if match is None:
                continue
            _record_call(found, spec, match.group(1), match.group(2), error.line, function.name)
        if function.status is Status.UNSUPPORTED or any(e.kind == "paths" for e in function.errors):
            for node in spec.functions:
                if node.name == function.name:
                    _calls_not_analysed(found, spec, node)
    return tuple(sorted(found.values(), key=lambda u: (u.line, u.function, u.target)))


def _record_call(
    found: dict[tuple[str, str, int], Unproved],
    spec: ModuleSpec,
    callee: str,
    param_name: str,
    line: int,
    caller: str,
) -> None:
    signature = spec.signatures.get(callee)
    if signature is None:
        return
    for param in signature.params:
        if param.name == param_name and param.refinement is not None:
            found[(callee, param_name, line)] = Unproved(
                callee,
                param_name,
                param.refinement.text,
                line,
                f"the call in {caller} at line {line} is not proved",
            )


def _calls_not_analysed(
    found: dict[tuple[str, str, int], Unproved], spec: ModuleSpec, node: ast.FunctionDef
) -> None:
    for call in ast.walk(node):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
            continue
        signature = spec.signatures.get(call.func.id)
        if signature is None:
            continue
        for param in signature.params:
            if param.refinement is not None:
                _record_call(found, spec, signature.name, param.name, call.lineno, node.name)


def function_verdict(path: Path, name: str) -> bool | None:
    """Whether the checker proves ``name`` in ``path`` safe; ``None`` if it did not look.

    Verdicts are kept in the default disk cache, so a program that starts again does not
    wait for the checker.
    """
    try:
        report = check_file(path, cache_dir=default_cache_directory())
        return report.function(name).status is Status.SAFE
    except (InputError, KeyError):
        return None


__all__ = [
    "RETURN",
    "Unproved",
    "check_with_runtime_checks",
    "function_verdict",
    "unproved_in",
    "unproved_obligations",
]
