"""The shared core: one result type, budgeted solver calls, and located input errors.

The names below are loaded on first use: ``fmlab.core.errors`` is imported by every
command-line entry point, and importing the solving helpers eagerly would load z3
(about a tenth of a second) for commands that never call a solver.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fmlab.core.errors import InputError, UsageError
    from fmlab.core.instance import Instance
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

_HOMES = {
    "InputError": "errors",
    "UsageError": "errors",
    "Instance": "instance",
    "CheckResult": "result",
    "Proved": "result",
    "Refuted": "result",
    "Unknown": "result",
    "UnknownReason": "result",
    "Verdict": "result",
    "exit_code": "result",
    "refute": "result",
    "Outcome": "solving",
    "Satisfiability": "solving",
    "new_solver": "solving",
    "prove": "solving",
    "solve": "solving",
}

__all__ = [
    "CheckResult",
    "InputError",
    "Instance",
    "Outcome",
    "Proved",
    "Refuted",
    "Satisfiability",
    "Unknown",
    "UnknownReason",
    "UsageError",
    "Verdict",
    "exit_code",
    "new_solver",
    "prove",
    "refute",
    "solve",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'fmlab.core' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"fmlab.core.{home}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
