"""The exit codes of every ``fmlab`` command: one table for the whole tool.

====  ===========================================================
0     success: the check passed, the command did what was asked
1     a finding: a check failed, a conflict or counterexample exists
2     bad input or usage: one line on stderr naming the file and place
3     unknown: the solver gave up (timeout, unsupported construct), or a
      program fmlab needs is missing (:class:`~fmlab.core.errors.UnavailableError`)
4     an internal error in fmlab itself (a bug; please report it)
====  ===========================================================

>>> int(ExitCode.FINDING)
1
"""

from __future__ import annotations

import enum

__all__ = ["ExitCode"]


class ExitCode(enum.IntEnum):
    """Every command's exit code: 0 ok, 1 finding, 2 bad input, 3 unknown, 4 internal error."""

    OK = 0
    FINDING = 1
    BAD_INPUT = 2
    UNKNOWN = 3
    INTERNAL = 4
