"""Checking a learner's attempt at an exercise: the checker's verdict, worded as a reply.

An exercise hands the learner a program as source text with one function to repair. The
reply is ``accepted`` when the checker proves that function ``safe``; otherwise it is the
checker's own errors, each with its line and, where the solver found one, the
counterexample (already replayed by the checker), which is the hint and never the
solution. Lines are wrapped to the width of a notebook page.

>>> reply = check_attempt('''
... from typing import Annotated
... def inc(x: int) -> Annotated[int, "_ > 0"]:
...     return x + 1
... ''', "inc")
>>> reply.accepted, reply.counterexample
(False, {'x': -1})
>>> print(reply)
unsafe: inc does not check yet
  4:12: result must satisfy `_ > 0`
      counterexample: x = -1
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from fmlab.refine._checker import check_source
from fmlab.refine._report import ObligationError, Status

PAGE_WIDTH = 76
"""Characters per line of a reply: narrower than a notebook page's code column."""


@dataclass(frozen=True)
class AttemptReply:
    """The checker's answer to one attempt: the function's status and its errors."""

    function: str
    status: Status
    errors: tuple[ObligationError, ...] = ()

    @property
    def accepted(self) -> bool:
        """Whether the checker proved the function (``safe``)."""
        return self.status is Status.SAFE

    @property
    def counterexample(self) -> dict[str, Any] | None:
        """The first error's counterexample, or ``None`` when no error has one."""
        for error in self.errors:
            if error.counterexample is not None:
                return error.counterexample
        return None

    def explain(self, width: int = PAGE_WIDTH) -> str:
        """The reply as text, every line at most ``width`` characters where words allow."""
        if self.accepted:
            return f"accepted: {self.function} is safe"
        lines = [f"{self.status.value}: {self.function} does not check yet"]
        for error in self.errors:
            lines.extend("  " + line for line in error.explain().splitlines())
        return "\n".join(_wrap(line, width) for line in lines)

    def __str__(self) -> str:
        return self.explain()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.explain())


def _wrap(line: str, width: int) -> str:
    indent = " " * (len(line) - len(line.lstrip()))
    return textwrap.fill(line, width, subsequent_indent=indent + "    ", break_long_words=False)


def check_attempt(source: str, function: str) -> AttemptReply:
    """Check ``source`` (a whole module, as text) and reply about ``function`` in it.

    The source is parsed, never run. Raises ``KeyError`` when the module defines no
    function of that name, and the checker's ``InputError`` for a syntax error.
    """
    report = check_source(source, f"{function}.py")
    checked = report.function(function)
    return AttemptReply(function, checked.status, checked.errors)
