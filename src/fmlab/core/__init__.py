"""The shared core: one result type, budgeted solver calls, and located input errors."""

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
