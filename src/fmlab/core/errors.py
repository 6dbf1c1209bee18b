"""The errors fmlab raises on purpose: one family, which every chapter's errors join.

An exception that derives from :class:`FmlabError` is fmlab saying something to a person;
anything else that escapes is a bug. The family has five branches, one per kind of
answer a caller has to give:

* :class:`InputError`: the input cannot be read, parsed or understood. It says where
  (file, line, column, JSON pointer or field path) in one line; the command line prints
  that line and exits 2. :class:`UsageError` is the same for a command line that cannot
  be carried out.
* :class:`UndecidedError`: an engine gave up without an answer, for the
  :class:`~fmlab.core.result.UnknownReason` it carries. Callers turn it into an
  :class:`~fmlab.core.result.Unknown`, never into a yes or a no.
  :class:`UnsupportedError` is the common case: the input uses a construct outside what
  the engine covers.
* :class:`ViolationError`: a rule of the system being modelled said no (an API server
  refused an object, a contract failed at run time, a strict policy refused a wall time).
  It is a finding about the input, not a fault of fmlab or of the input's form.
* :class:`UnavailableError`: something fmlab needs from outside the input (a program, a
  download) is missing; the message says how to get it.

Chapters subclass these where they add a field of their own (``refine``'s runtime
violation carries the obligation's place). A chapter error that also
derives from a built-in (``ValueError``, ``AssertionError``) keeps it, so code that caught
the built-in still does.

>>> str(InputError('expected "Allow" or "Deny", got "allow"', source="policy.json",
...                pointer="/Statement/1/Effect"))
'policy.json: /Statement/1/Effect: expected "Allow" or "Deny", got "allow"'
>>> str(InputError("unexpected indent", source="prog.py", line=3, column=5))
'prog.py:3:5: unexpected indent'
>>> UnsupportedError("a while loop").reason.value
'unsupported'
"""

from __future__ import annotations

from typing import Self

from fmlab.core.exitcode import ExitCode
from fmlab.core.result import UnknownReason

__all__ = [
    "FmlabError",
    "InputError",
    "UnavailableError",
    "UndecidedError",
    "UnsupportedError",
    "UsageError",
    "ViolationError",
]


class FmlabError(Exception):
    """An error fmlab raises on purpose, with a message meant for a person.

    ``exit_code`` is what the command line exits with when one escapes a handler
    (after printing it as one line): each branch below sets its own.
    """

    exit_code: ExitCode = ExitCode.INTERNAL


class InputError(FmlabError):
    """Bad input: a file that cannot be read, parsed or understood.

    ``pointer`` is a JSON pointer or a field path (``spec.containers[0].image``);
    ``line`` and ``column`` are 1-based. Any of them may be absent, but a good error
    gives at least one.
    """

    exit_code = ExitCode.BAD_INPUT

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        pointer: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.pointer = pointer

    def with_source(self, source: str) -> InputError:
        """The same error, naming ``source`` when it did not name a file yet."""
        if self.source is not None:
            return self
        return InputError(
            self.message, source=source, line=self.line, column=self.column, pointer=self.pointer
        )

    def __str__(self) -> str:
        # One line, always: a message with newlines would break grep and CI logs. The
        # place is escaped instead (a JSON key may hold a newline: "/\\n" names it).
        message = " ".join(self.message.splitlines())
        where = _escape_line_breaks(self.source or "")
        if self.line is not None:
            where += f":{self.line}" if where else f"line {self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.pointer is not None:
            pointer = _escape_line_breaks(self.pointer)
            where = f"{where}: {pointer}" if where else pointer
        return f"{where}: {message}" if where else message


def _escape_line_breaks(text: str) -> str:
    """``text`` with each character that ends a line (for :meth:`str.splitlines`) escaped."""
    if len(f"{text}.".splitlines()) == 1:
        return text
    return "".join(
        char.encode("unicode_escape").decode("ascii") if len(f"{char}.".splitlines()) > 1 else char
        for char in text
    )


class UsageError(InputError):
    """A command line that cannot be carried out (a missing file, conflicting options)."""


class UndecidedError(FmlabError):
    """An engine gave up without an answer; ``reason`` says why, as an ``Unknown`` would."""

    exit_code = ExitCode.UNKNOWN

    def __init__(self, message: str, reason: UnknownReason = UnknownReason.INCOMPLETE) -> None:
        super().__init__(message)
        self.reason = reason


class UnsupportedError(UndecidedError):
    """The input uses a construct outside what the engine covers: ``what``, and where.

    ``line`` and ``column`` are 1-based, 0 when the engine does not know the place (the
    IAM encoder meets its limits in a policy set, not at a line). Both engines that had
    their own class for this (the IAM encoder, the refinement checker) raise this one.
    """

    def __init__(
        self,
        what: str,
        line: int = 0,
        column: int = 0,
        *,
        reason: UnknownReason = UnknownReason.UNSUPPORTED,
    ) -> None:
        super().__init__(what, reason)
        self.what = what
        self.line = line
        self.column = column

    @classmethod
    def at(cls, node: object, what: str) -> Self:
        """The error located at a syntax node (``lineno``, 0-based ``col_offset``, as
        :mod:`ast` numbers them)."""
        line = getattr(node, "lineno", 0)
        column = getattr(node, "col_offset", -1) + 1
        return cls(what, line, column)


class ViolationError(FmlabError):
    """A rule of the modelled system refused something: a finding about the input."""

    exit_code = ExitCode.FINDING


class UnavailableError(FmlabError):
    """Something fmlab needs from outside the input is missing; the message says what.

    The command line exits 3, as for an unknown: fmlab could not answer, and the input is
    not at fault (2) nor is fmlab (4).
    """

    exit_code = ExitCode.UNKNOWN
