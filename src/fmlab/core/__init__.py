"""The shared core: one result type, exit codes, budgeted solver calls, one family of errors.

The vocabulary every chapter speaks. Its modules are public, one concept each:
:mod:`~fmlab.core.result` (proved, refuted with a replayed witness, unknown with a
reason), :mod:`~fmlab.core.errors` (the errors every chapter's errors derive from),
:mod:`~fmlab.core.exitcode` (the command line's exit codes), :mod:`~fmlab.core.solving`
(z3 calls with a budget), :mod:`~fmlab.core.jsonio` (strict JSON),
:mod:`~fmlab.core.instance` (a relational instance) and :mod:`~fmlab.core.lazy` (this
loading on first use).

The names below are loaded on first use: ``fmlab.core.errors`` is imported by every
command-line entry point, and importing the solving helpers eagerly would load z3
(about a tenth of a second) for commands that never call a solver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fmlab.core.lazy import lazy_exports

if TYPE_CHECKING:
    from fmlab.core.errors import (
        FmlabError,
        InputError,
        UnavailableError,
        UndecidedError,
        UnsupportedError,
        UsageError,
        ViolationError,
    )
    from fmlab.core.exitcode import ExitCode
    from fmlab.core.instance import Instance
    from fmlab.core.jsonio import json_pointer, load_json_file, loads_strict
    from fmlab.core.result import (
        CheckResult,
        Proved,
        Refuted,
        Unknown,
        UnknownReason,
        Verdict,
        exit_code,
        refute,
    )
    from fmlab.core.solving import Outcome, Satisfiability, new_solver, prove, solve

__all__ = [
    "CheckResult",
    "ExitCode",
    "FmlabError",
    "InputError",
    "Instance",
    "Outcome",
    "Proved",
    "Refuted",
    "Satisfiability",
    "UnavailableError",
    "UndecidedError",
    "Unknown",
    "UnknownReason",
    "UnsupportedError",
    "UsageError",
    "Verdict",
    "ViolationError",
    "exit_code",
    "json_pointer",
    "load_json_file",
    "loads_strict",
    "new_solver",
    "prove",
    "refute",
    "solve",
]

_HOMES = {
    "errors": (
        "FmlabError",
        "InputError",
        "UnavailableError",
        "UndecidedError",
        "UnsupportedError",
        "UsageError",
        "ViolationError",
    ),
    "exitcode": ("ExitCode",),
    "instance": ("Instance",),
    "jsonio": ("json_pointer", "load_json_file", "loads_strict"),
    "result": (
        "CheckResult",
        "Proved",
        "Refuted",
        "Unknown",
        "UnknownReason",
        "Verdict",
        "exit_code",
        "refute",
    ),
    "solving": ("Outcome", "Satisfiability", "new_solver", "prove", "solve"),
}

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _HOMES)
