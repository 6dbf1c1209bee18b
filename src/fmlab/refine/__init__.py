"""``fmlab.refine``: refinement types for a subset of Python, in the style of LiquidHaskell.

Specifications live where CPython ignores them: ``typing.Annotated[T, "predicate"]`` on
parameters and returns, and ``#@`` comment lines (``measure``, ``assume``, ``qualif``,
``invariant``). The checked file is parsed with :mod:`ast`; it is never imported or run.

>>> report = check_source('''
... from typing import Annotated
... def dec(x: Annotated[int, "_ > 0"]) -> Annotated[int, "_ >= 0"]:
...     return x - 1
... ''')
>>> [(f.name, f.status.value) for f in report.functions]
[('dec', 'safe')]
"""

from fmlab.refine.checker import check_file, check_source
from fmlab.refine.contracts import RefinementViolation, enforce
from fmlab.refine.report import FunctionReport, ModuleReport, ObligationError, Status
from fmlab.refine.unproved import unproved_obligations

__all__ = [
    "FunctionReport",
    "ModuleReport",
    "ObligationError",
    "RefinementViolation",
    "Status",
    "check_file",
    "check_source",
    "enforce",
    "unproved_obligations",
]
