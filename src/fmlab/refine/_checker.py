"""Checking a file: read its specifications, then give every function a verdict.

The pipeline: parse (:mod:`fmlab.refine._specs`), infer the results of unrefined functions
(:mod:`fmlab.refine._results`), then check each function (:mod:`fmlab.refine._verdicts`),
looking verdicts up in the process's memo (:mod:`fmlab.refine._memo`) and, for the command
line, on disk (``fmlab.refine._diskcache``).
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import replace
from pathlib import Path

from fmlab.core.errors import InputError
from fmlab.core.solving import default_timeout_ms
from fmlab.refine._diskcache import DiskCache
from fmlab.refine._diskcache import key as disk_key
from fmlab.refine._memo import (
    clear_cache,
    context_digest,
    inferred_results,
    known_report,
    remember_report,
)
from fmlab.refine._report import FunctionReport, ModuleReport, Status
from fmlab.refine._results import WITHHELD
from fmlab.refine._specs import parse, read_module
from fmlab.refine._unsupported import UnsupportedError
from fmlab.refine._verdicts import check_function, confirm_reflected, unsupported_error

__all__ = ["check_file", "check_parsed", "check_source", "clear_cache", "read_source"]


def check_file(
    path: str | Path, *, timeout_ms: int | None = None, cache_dir: Path | None = None
) -> ModuleReport:
    """Check the Python file at ``path`` (read as UTF-8, never imported).

    With ``cache_dir``, verdicts are also kept on disk there (see ``fmlab.refine._diskcache``).
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
        errors = tuple(unsupported_error(problem) for problem in found)
        reports.append(FunctionReport(name, found[0].line, Status.UNSUPPORTED, errors))
    confirm_reflected(spec, timeout_ms)
    # Inferred results depend on bodies, so they are cached by the whole text; a function's
    # verdict depends on its callees' inferred results, so those enter its context.
    whole = hashlib.sha256(f"{timeout_ms}\n{text}".encode()).hexdigest()
    disk = DiskCache(cache_dir) if cache_dir is not None else None
    budget = str(timeout_ms if timeout_ms is not None else default_timeout_ms())
    inferred = inferred_results(spec, whole, disk, disk_key("inferred", budget, str(source), text))
    context = context_digest(tree, text, timeout_ms) + repr(sorted(inferred.items()))
    for node in spec.functions:
        key = (context, ast.dump(node, include_attributes=True))
        cached = known_report(key)
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
        remember_report(key, cached)
        reports.append(cached)
    reports.sort(key=lambda report: report.line)
    return ModuleReport(source, tuple(reports), tuple(spec.assumed))
