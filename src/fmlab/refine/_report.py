"""What ``fmlab refine check`` reports: a verdict per function, and located errors.

Each failed obligation becomes an :class:`ObligationError` carrying the core result it
came from (:class:`~fmlab.core.result.Refuted` with a replayed witness, or
:class:`~fmlab.core.result.Unknown` with a reason), so the refinement chapter speaks the
same three-valued language as the rest of fmlab.
"""

from __future__ import annotations

import enum
import textwrap
from dataclasses import dataclass, field
from typing import Any

from fmlab.core.result import Refuted, Unknown, Verdict
from fmlab.refine._assumptions import Assumption


class Status(enum.Enum):
    """A function's answer in a type checker's words: core's :class:`Verdict`, with unknown
    split in two (``unsupported``: the code leaves the subset the checker models).

    The words are what the JSON output and the disk cache hold; :attr:`verdict` is the core
    answer each one stands for.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"
    UNKNOWN = "unknown"
    UNSUPPORTED = "unsupported"

    @property
    def verdict(self) -> Verdict:
        return _VERDICTS[self]


_VERDICTS = {
    Status.SAFE: Verdict.PROVED,
    Status.UNSAFE: Verdict.REFUTED,
    Status.UNKNOWN: Verdict.UNKNOWN,
    Status.UNSUPPORTED: Verdict.UNKNOWN,
}


WIDTH = 76
"""The widest line a report prints: the site's output boxes hold 77 characters at 1280 px,
and a wider line is wrapped again by the browser in the middle of a word."""


def _fold(text: str, width: int) -> list[str]:
    """Each line of ``text`` cut at spaces to ``width``, continuations two spaces deeper
    than the line they continue. A word longer than a line stays whole (cutting a name or
    a number would change it)."""
    lines: list[str] = []
    for line in text.splitlines():
        indent = line[: len(line) - len(line.lstrip(" "))]
        lines += textwrap.wrap(
            line.strip(),
            width=width,
            initial_indent=indent,
            subsequent_indent=indent + "  ",
            break_long_words=False,
            break_on_hyphens=False,
        ) or [""]
    return lines


LONGEST_SHOWN = 8
"""Elements of a list a report shows; a longer one (a witness of 10,000) is abbreviated."""


def _brief(value: Any) -> str:
    """``repr`` of a witness value, long lists cut to their first and last elements."""
    if isinstance(value, list) and len(value) > LONGEST_SHOWN:
        head = ", ".join(_brief(item) for item in value[: LONGEST_SHOWN - 2])
        return f"[{head}, ..., {_brief(value[-1])}] ({len(value)} elements)"
    return repr(value)


@dataclass(frozen=True)
class ObligationError:
    """One obligation that was not proved, where it is, and why."""

    line: int
    column: int
    message: str
    kind: str
    counterexample: dict[str, Any] | None
    result: Refuted[Any] | Unknown | None = None
    replayable: bool = False
    # What a modular counterexample assumes about callee results and measure values: the
    # failure is shown for those values, which the inputs alone may not produce.
    assumes: tuple[Assumption, ...] = ()

    @property
    def modular(self) -> bool:
        """Whether the counterexample holds only under its :attr:`assumes`."""
        return bool(self.assumes)

    def to_json(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "line": self.line,
            "col": self.column,
            "message": self.message,
            "counterexample": self.counterexample,
        }
        if self.assumes:
            # Only on modular counterexamples: a concrete one keeps the documented shape.
            payload["assumes"] = [assumption.text for assumption in self.assumes]
        return payload

    def explain(self, width: int = WIDTH) -> str:
        """``line:column: message`` and, below it, the counterexample or why there is
        none, in lines of at most ``width`` characters (cut at spaces)."""
        text = f"{self.line}:{self.column}: {self.message}"
        if self.counterexample is not None:
            shown = ", ".join(
                f"{name} = {_brief(value)}" for name, value in self.counterexample.items()
            )
            text += f"\n    counterexample: {shown or '(for every input)'}"
            if self.assumes:
                text += ", assuming " + "; ".join(a.explain() for a in self.assumes)
        elif (
            isinstance(self.result, Unknown)
            and self.result.detail
            and self.result.detail not in self.message
        ):
            text += f"\n    ({self.result.detail})"
        return "\n".join(_fold(text, width))


@dataclass(frozen=True)
class FunctionReport:
    name: str
    line: int
    status: Status
    errors: tuple[ObligationError, ...] = ()
    obligations: int = 0
    seconds: float = 0.0
    inferred: dict[int, tuple[str, ...]] = field(default_factory=dict)
    vcs: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    inferred_result: str = ""
    # True when inference found a result refinement but the function's own obligations do
    # not all hold, so it was not exported: callers see only the declared result type.
    result_withheld: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "line": self.line,
            "status": self.status.value,
            "errors": [error.to_json() for error in self.errors],
        }

    def explain(self, width: int = WIDTH) -> str:
        """``name (line N): status``, then each error indented under it, in lines of at
        most ``width`` characters. The heading's continuations go four spaces deep, so
        they are not mistaken for an error's first line."""
        head = f"{self.name} (line {self.line}): {self.status.value}"
        if self.inferred_result:
            head += f" (inferred result: {self.inferred_result})"
        elif self.result_withheld:
            head += " (no inferred result for callers: not every obligation holds)"
        lines = textwrap.wrap(
            head,
            width=width,
            subsequent_indent="    ",
            break_long_words=False,
            break_on_hyphens=False,
        )
        for error in self.errors:
            lines += ["  " + line for line in error.explain(width - 2).splitlines()]
        return "\n".join(lines)


@dataclass(frozen=True)
class ModuleReport:
    source: str | None
    functions: tuple[FunctionReport, ...]
    assumed: tuple[str, ...] = ()

    @property
    def all_safe(self) -> bool:
        return all(function.status is Status.SAFE for function in self.functions)

    @property
    def verdict(self) -> Verdict:
        """Refuted if any function is unsafe, proved if every one is safe, else unknown."""
        verdicts = {function.status.verdict for function in self.functions}
        for verdict in (Verdict.REFUTED, Verdict.UNKNOWN):
            if verdict in verdicts:
                return verdict
        return Verdict.PROVED

    def function(self, name: str) -> FunctionReport:
        for function in self.functions:
            if function.name == name:
                return function
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        return {"functions": [function.to_json() for function in self.functions]}

    def explain(self, width: int = WIDTH) -> str:
        """Every function's :meth:`FunctionReport.explain`, within ``width`` characters."""
        lines = [function.explain(width) for function in self.functions]
        if self.assumed:
            lines += _fold(f"assumed, not checked: {', '.join(self.assumed)}", width)
        if not self.functions:
            lines.append("no functions to check")
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # Notebooks show the summary, wrapped as the checker writes it, not the dataclass.
        printer.text(self.explain())
