"""Traces: what a counterexample shows, step by step.

A :class:`Trace` is a sequence of :class:`Step` (the action that led to a state, and the
state). A liveness counterexample is a lasso: ``loop_start`` marks where the cycle
begins, and the last state equals that one (the cycle is then repeated forever); when
the last state has no successor at all, ``loop_start`` is its own index and the
behaviour stays there (it stutters). ``focus`` is the index of the state the reader
should look at: the state that breaks an invariant, the deadlock, the state where a
liveness obligation starts, or the step a specification could not follow.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from fmlab.mc._model import label_text, value_text

# Output lines stay narrower than a book page (about 90 characters).
LINE_WIDTH = 88


@dataclass(frozen=True)
class Step:
    """One step of a trace: ``action`` (``None`` for an initial state) and the state reached."""

    action: Hashable | None
    state: Hashable

    def to_json(self) -> dict[str, Any]:
        return {
            "action": None if self.action is None else label_text(self.action),
            "state": value_text(self.state),
        }


@dataclass(frozen=True)
class Trace:
    """A finite trace, or a lasso when ``loop_start`` is set (see the module docstring)."""

    steps: tuple[Step, ...]
    loop_start: int | None = None
    focus: int | None = None

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a trace has at least its initial state")
        if self.steps[0].action is not None:
            raise ValueError("the first step of a trace is an initial state (action None)")
        last = len(self.steps) - 1
        if self.loop_start is not None and not 0 <= self.loop_start <= last:
            raise ValueError(f"loop_start must index a step (0..{last}), got {self.loop_start}")
        if self.focus is not None and not 0 <= self.focus <= last:
            raise ValueError(f"focus must index a step (0..{last}), got {self.focus}")

    @property
    def states(self) -> tuple[Hashable, ...]:
        return tuple(step.state for step in self.steps)

    @property
    def actions(self) -> tuple[Hashable, ...]:
        """The labels of the steps after the initial state."""
        return tuple(step.action for step in self.steps[1:])

    @property
    def is_lasso(self) -> bool:
        return self.loop_start is not None

    @property
    def stutters(self) -> bool:
        """A lasso whose cycle is the last state staying where it is (no successor)."""
        return self.loop_start == len(self.steps) - 1

    @property
    def focus_index(self) -> int:
        """The highlighted state: ``focus``, else the last state."""
        return len(self.steps) - 1 if self.focus is None else self.focus

    def __len__(self) -> int:
        """The number of steps taken (actions), so a lone initial state has length 0."""
        return len(self.steps) - 1

    def to_json(self) -> list[dict[str, Any]]:
        """The issue's JSON shape: ``[{"action": label or null, "state": repr}, ...]``."""
        return [step.to_json() for step in self.steps]

    def lines(self, width: int = LINE_WIDTH) -> list[str]:
        """The trace as numbered text lines, each at most ``width`` characters."""
        out = []
        for index, step in enumerate(self.steps):
            marks = []
            if index == self.loop_start:
                marks.append("cycle starts" if not self.stutters else "stays here forever")
            if index == self.focus_index:
                marks.append("<--")
            action = "init" if step.action is None else label_text(step.action)
            text = f"{index:>3} {action}: {show(step.state)}"
            suffix = f"  {' '.join(marks)}" if marks else ""
            out.append(shorten(text, width - len(suffix)) + suffix)
        if self.is_lasso and not self.stutters:
            out.append(f"    ... then again from step {self.loop_start}, forever")
        return out

    def __repr__(self) -> str:
        kind = "lasso" if self.is_lasso else "trace"
        return f"<{kind} of {len(self)} steps>\n" + "\n".join(self.lines())

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def draw(self, *, title: str | None = None) -> Any:
        """The trace as a drawing, the focused state highlighted.

        See :func:`fmlab.viz.draw_trace`.
        """
        from fmlab.mc import draw_counterexample  # via the face: no import loop with _draw

        return draw_counterexample(self, title=title)


@dataclass(frozen=True)
class Divergence:
    """Where an implementation leaves its specification (a trace-inclusion counterexample).

    ``implementation`` is the shortest implementation trace whose last step the
    specification cannot match; ``mapped`` gives, per step after the first, the
    specification label it maps to (``None`` for an internal step); ``specification``
    is a specification behaviour matching every mapped label but the last, and
    ``offered`` lists what the specification could do instead at that point.
    """

    implementation: Trace
    mapped: tuple[Hashable | None, ...]
    specification: Trace
    offered: tuple[str, ...]

    @property
    def rejected(self) -> Hashable | None:
        """The specification label the specification could not take."""
        return self.mapped[-1]

    def to_json(self) -> list[dict[str, Any]]:
        return self.implementation.to_json()

    def lines(self, width: int = LINE_WIDTH) -> list[str]:
        out = ["implementation:"]
        out += self.implementation.lines(width)
        shown = [label_text(m) if m is not None else "(internal)" for m in self.mapped]
        out.append(shorten("as specification labels: " + ", ".join(shown), width))
        rejected = label_text(self.rejected)
        offered = ", ".join(self.offered) if self.offered else "nothing"
        out.append(shorten(f"the specification cannot do {rejected}; it offers {offered}", width))
        return out

    def __repr__(self) -> str:
        return f"<divergence after {len(self.implementation)} steps>\n" + "\n".join(self.lines())

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def draw(self, *, title: str | None = None) -> Any:
        return self.implementation.draw(title=title)


def show(state: object) -> str:
    """A state as short text: its ``repr`` (a placeholder if that raises)."""
    return value_text(state)


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis.

    >>> shorten("abcdef", 4), shorten("abc", 4)
    ('abc…', 'abc')
    """
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def state_fields(state: object) -> dict[str, object]:
    """A state as named fields, for tables: dataclass fields, named-tuple fields, dict items,
    tuple positions (``[0]``, ``[1]``, ...), or the whole value under ``state``.

    >>> state_fields((1, "a")), state_fields({"x": 1})
    ({'[0]': 1, '[1]': 'a'}, {'x': 1})
    """
    if dataclasses.is_dataclass(state) and not isinstance(state, type):
        return {f.name: getattr(state, f.name) for f in dataclasses.fields(state)}
    as_dict = getattr(state, "_asdict", None)
    if isinstance(state, tuple) and callable(as_dict):
        return dict(as_dict())
    if isinstance(state, Mapping):
        return {str(key): value for key, value in state.items()}
    if isinstance(state, tuple):
        return {f"[{index}]": value for index, value in enumerate(state)}
    return {"state": state}
