"""Verdicts kept within one process: a re-run (a notebook, an editor, the tests) looks up.

Two tables. A function's report is keyed by its syntax tree and its *context*: everything
else its verdict depends on (:func:`context_digest`), including the results inferred for
unrefined callees. The inferred results of a file are keyed by its whole text, since they
depend on every body. Both write through to the disk cache when one is in use.
"""

from __future__ import annotations

import ast
import hashlib
import re

from fmlab.core.solving import default_timeout_ms
from fmlab.refine._diskcache import DiskCache
from fmlab.refine._report import FunctionReport
from fmlab.refine._results import apply_inferred, infer_results
from fmlab.refine._specs import ModuleSpec, Signature

_REPORTS: dict[tuple[str, str], FunctionReport] = {}
CACHE_SIZE = 2048


def known_report(key: tuple[str, str]) -> FunctionReport | None:
    """The report of a function checked before in this process with this body and context."""
    return _REPORTS.get(key)


def remember_report(key: tuple[str, str], report: FunctionReport) -> None:
    if key not in _REPORTS:
        if len(_REPORTS) >= CACHE_SIZE:
            _REPORTS.pop(next(iter(_REPORTS)))  # the oldest entry
        _REPORTS[key] = report


_INFERRED: dict[str, tuple[dict[str, str], dict[str, Signature]]] = {}


def inferred_results(
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
        if len(_INFERRED) >= CACHE_SIZE:
            _INFERRED.pop(next(iter(_INFERRED)))
        _INFERRED[context] = (texts, {name: spec.signatures[name] for name in texts})
    elif disk is not None and not disk.has(stored):
        disk.put_inferred(stored, _INFERRED[context][0])  # write an in-process hit through
    texts, signatures = _INFERRED[context]
    spec.signatures.update(signatures)
    return texts


def clear_cache() -> None:
    """Forget every cached verdict (benchmarks call this between timed passes)."""
    _REPORTS.clear()
    _INFERRED.clear()


_DEFINED = re.compile(r"#[ \t]?@\s*(?:measure|reflect)\s+(\w+)")


def context_digest(tree: ast.Module, text: str, timeout_ms: int | None) -> str:
    """What a function's verdict depends on besides its own body.

    The file's source name, every signature, the ``#@`` lines, module-level statements and the
    solver budget. A function whose body and context are unchanged is not checked again in the
    same process (a notebook re-run, an editor, the test suite).
    """
    parts = [str(timeout_ms if timeout_ms is not None else default_timeout_ms())]
    # A measure's or reflected function's body is its meaning in every predicate.
    defining = set(_DEFINED.findall(text))
    for statement in tree.body:
        if (
            isinstance(statement, ast.FunctionDef)
            and statement.returns is not None
            and statement.name not in defining
        ):
            # The signature, not the body: (name, parameters, result, decorators). Without a
            # return annotation the result type is read off the body, which then counts.
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
