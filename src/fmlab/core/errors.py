"""Errors about the user's input, each one line that says where the problem is.

The CLI turns an :class:`InputError` into that line on standard error and exit code 2.

>>> str(InputError('expected "Allow" or "Deny", got "allow"', source="policy.json",
...                pointer="/Statement/1/Effect"))
'policy.json: /Statement/1/Effect: expected "Allow" or "Deny", got "allow"'
>>> str(InputError("unexpected indent", source="prog.py", line=3, column=5))
'prog.py:3:5: unexpected indent'
"""

from __future__ import annotations

__all__ = [
    "InputError",
    "UsageError",
]


class InputError(Exception):
    """Bad input: a file that cannot be read, parsed or understood.

    ``pointer`` is a JSON pointer or a field path (``spec.containers[0].image``);
    ``line`` and ``column`` are 1-based. Any of them may be absent, but a good error
    gives at least one.
    """

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
        # One line, always: a message with newlines would break grep and CI logs.
        message = " ".join(self.message.split("\n"))
        where = self.source or ""
        if self.line is not None:
            where += f":{self.line}" if where else f"line {self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.pointer is not None:
            where = f"{where}: {self.pointer}" if where else self.pointer
        return f"{where}: {message}" if where else message


class UsageError(InputError):
    """A command line that cannot be carried out (a missing file, conflicting options)."""
