"""``fmlab.refine``: refinement types for a subset of Python, in the style of LiquidHaskell.

Specifications live where CPython ignores them: ``typing.Annotated[T, "predicate"]`` on
parameters and returns, and ``#@`` comment lines (``measure``, ``assume``, ``qualif``,
``invariant``). The checked file is parsed with :mod:`ast`; it is never imported or run.

>>> from fmlab.refine import check_source
>>> report = check_source('''
... from typing import Annotated
... def dec(x: Annotated[int, "_ > 0"]) -> Annotated[int, "_ >= 0"]:
...     return x - 1
... ''')
>>> [(f.name, f.status.value) for f in report.functions]
[('dec', 'safe')]

The checker's steps are public too, for the chapter that takes them apart: reading the
specifications (:func:`parse`, :func:`read_module`), running a function symbolically
(:class:`FunctionExecutor`), deciding its obligations (:func:`decide`), inferring loop
invariants (:func:`houdini`, :func:`horn_check`) and replaying counterexamples
(:func:`replay`). Names load on first use: ``@enforce`` does not start z3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fmlab.core.lazy import lazy_exports

if TYPE_CHECKING:
    from fmlab.refine._assumptions import Assumption
    from fmlab.refine._checker import check_file, check_source
    from fmlab.refine._contracts import RefinementViolation, enforce
    from fmlab.refine._decide import group_obligations
    from fmlab.refine._decide_group import decide
    from fmlab.refine._diskcache import default_cache_directory
    from fmlab.refine._drawing import draw_obligations
    from fmlab.refine._executor import (
        FunctionExecutor,
        Invariant,
        LoopEndState,
        LoopRecord,
        LoopShape,
    )
    from fmlab.refine._exercises import AttemptReply, check_attempt
    from fmlab.refine._horn import HornAnswer, HornResult, horn_check
    from fmlab.refine._inference import houdini
    from fmlab.refine._predicates import Predicate
    from fmlab.refine._pytypes import (
        BOOL,
        INT,
        NONE,
        STR,
        Kind,
        PyType,
        RefinementText,
        TypeNames,
        list_of,
    )
    from fmlab.refine._replay import ReplayOutcome, replay, replay_many
    from fmlab.refine._report import FunctionReport, ModuleReport, ObligationError, Status
    from fmlab.refine._specs import (
        Measure,
        ModuleSpec,
        Param,
        Qualifier,
        RelationSpec,
        Signature,
        parse,
        read_module,
    )
    from fmlab.refine._state import Obligation, State
    from fmlab.refine._termination import Metric
    from fmlab.refine._testing import assert_module_checks
    from fmlab.refine._unproved import Unproved, check_with_runtime_checks, unproved_obligations
    from fmlab.refine._values import Value, decode, encode

__all__ = [
    "BOOL",
    "INT",
    "NONE",
    "STR",
    "Assumption",
    "AttemptReply",
    "FunctionExecutor",
    "FunctionReport",
    "HornAnswer",
    "HornResult",
    "Invariant",
    "Kind",
    "LoopEndState",
    "LoopRecord",
    "LoopShape",
    "Measure",
    "Metric",
    "ModuleReport",
    "ModuleSpec",
    "Obligation",
    "ObligationError",
    "Param",
    "Predicate",
    "PyType",
    "Qualifier",
    "RefinementText",
    "RefinementViolation",
    "RelationSpec",
    "ReplayOutcome",
    "Signature",
    "State",
    "Status",
    "TypeNames",
    "Unproved",
    "Value",
    "assert_module_checks",
    "check_attempt",
    "check_file",
    "check_source",
    "check_with_runtime_checks",
    "decide",
    "decode",
    "default_cache_directory",
    "draw_obligations",
    "encode",
    "enforce",
    "group_obligations",
    "horn_check",
    "houdini",
    "list_of",
    "parse",
    "read_module",
    "replay",
    "replay_many",
    "unproved_obligations",
]

_HOMES = {
    "_checker": ("check_file", "check_source"),
    "_decide": ("group_obligations",),
    "_decide_group": ("decide",),
    "_report": ("FunctionReport", "ModuleReport", "ObligationError", "Status"),
    "_contracts": ("RefinementViolation", "enforce"),
    "_unproved": ("Unproved", "check_with_runtime_checks", "unproved_obligations"),
    "_testing": ("assert_module_checks",),
    "_diskcache": ("default_cache_directory",),
    "_specs": (
        "Measure",
        "ModuleSpec",
        "Param",
        "Qualifier",
        "RelationSpec",
        "Signature",
        "parse",
        "read_module",
    ),
    "_pytypes": (
        "BOOL",
        "INT",
        "NONE",
        "STR",
        "Kind",
        "PyType",
        "RefinementText",
        "TypeNames",
        "list_of",
    ),
    "_values": ("Value", "decode", "encode"),
    "_executor": ("FunctionExecutor", "Invariant", "LoopEndState", "LoopRecord", "LoopShape"),
    "_exercises": ("AttemptReply", "check_attempt"),
    "_drawing": ("draw_obligations",),
    "_horn": ("HornAnswer", "HornResult", "horn_check"),
    "_inference": ("houdini",),
    "_replay": ("ReplayOutcome", "replay", "replay_many"),
    "_assumptions": ("Assumption",),
    "_predicates": ("Predicate",),
    "_termination": ("Metric",),
    "_state": ("Obligation", "State"),
}

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _HOMES)
