"""A check's report: the counts of the search and one result per property.

``Report.to_json()`` is the shape ``fmlab mc check --json`` prints::

    {"states": N, "transitions": N, "seconds": s,
     "properties": [{"name": "inv_...", "kind": "invariant" | "deadlock" | "liveness",
                     "status": "holds" | "violated" | "unknown", "reason": "...",
                     "trace": [{"action": label or null, "state": repr}, ...]}]}

(``fmlab mc refines`` adds the kind ``refinement``.) A lasso's trace ends with the state
its cycle returns to, and its ``reason`` says at which step the cycle starts.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from fmlab.core.result import Proved, Refuted, Unknown, Verdict
from fmlab.mc._trace import LINE_WIDTH, Divergence, Trace, shorten


class PropertyKind(enum.Enum):
    """What a property says: an invariant, no deadlock, a leads-to, or trace inclusion."""

    INVARIANT = "invariant"
    DEADLOCK = "deadlock"
    LIVENESS = "liveness"
    REFINEMENT = "refinement"


class Status(enum.Enum):
    """The JSON words for the three verdicts."""

    HOLDS = "holds"
    VIOLATED = "violated"
    UNKNOWN = "unknown"


_STATUS = {
    Verdict.PROVED: Status.HOLDS,
    Verdict.REFUTED: Status.VIOLATED,
    Verdict.UNKNOWN: Status.UNKNOWN,
}


@dataclass(frozen=True)
class PropertyResult:
    """One property's verdict: ``result`` is ``Proved``, ``Refuted`` (its witness a
    :class:`Trace` or :class:`Divergence`) or ``Unknown``."""

    name: str
    kind: PropertyKind
    result: Proved | Refuted[Any] | Unknown

    @property
    def status(self) -> Status:
        return _STATUS[self.result.verdict]

    @property
    def trace(self) -> Trace | None:
        """The counterexample (for trace inclusion, the implementation's trace)."""
        if not isinstance(self.result, Refuted):
            return None
        witness = self.result.witness
        if isinstance(witness, Divergence):
            return witness.implementation
        return witness if isinstance(witness, Trace) else None

    @property
    def witness(self) -> Trace | Divergence | None:
        if isinstance(self.result, Refuted):
            witness = self.result.witness
            if isinstance(witness, Trace | Divergence):
                return witness
        return None

    @property
    def reason(self) -> str:
        result = self.result
        if isinstance(result, Proved):
            return result.bound or result.claim
        if isinstance(result, Unknown):
            return (
                f"{result.reason.value}: {result.detail}" if result.detail else result.reason.value
            )
        return violation_reason(self.kind, result.witness)

    def to_json(self) -> dict[str, Any]:
        trace = self.trace
        return {
            "name": self.name,
            "kind": self.kind.value,
            "status": self.status.value,
            "reason": self.reason,
            "trace": [] if trace is None else trace.to_json(),
        }

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def lines(self, width: int = LINE_WIDTH) -> list[str]:
        head = f"{self.status.value:<9} {self.name} ({self.kind.value})"
        out = [shorten(head, width), *_wrap(self.reason, width, "          ")]
        witness = self.witness
        if witness is not None:
            out += ["          " + line for line in witness.lines(width - 10)]
        return out


def violation_reason(kind: PropertyKind, witness: object) -> str:
    if isinstance(witness, Divergence):
        steps = len(witness.implementation)
        return (
            f"after {steps} implementation steps the specification cannot do {witness.rejected!s}"
        )
    if not isinstance(witness, Trace):
        return "violated"
    steps = len(witness)
    if kind is PropertyKind.INVARIANT:
        return f"broken in a state {steps} steps from an initial state (a shortest trace)"
    if kind is PropertyKind.DEADLOCK:
        return f"a state {steps} steps from an initial state has no successor (a shortest trace)"
    if witness.stutters:
        return (
            f"P holds at step {witness.focus_index}; the behaviour stops at step {steps} "
            "without reaching Q"
        )
    return (
        f"P holds at step {witness.focus_index} and Q never holds from there on: the steps "
        f"from state {witness.loop_start} to state {steps} (equal to state "
        f"{witness.loop_start}) form a cycle that repeats forever"
    )


def _wrap(text: str, width: int, indent: str) -> list[str]:
    words = text.split()
    lines: list[str] = []
    current = indent
    for word in words:
        candidate = word if current == indent else f"{current} {word}"
        if current != indent and len(candidate) > width:
            lines.append(current)
            current = indent + word
        else:
            current = indent + word if current == indent else candidate
    if current != indent:
        lines.append(current)
    return lines


@dataclass(frozen=True)
class Report:
    """What :func:`fmlab.mc.check` found: search counts and one result per property."""

    model: str
    states: int
    transitions: int
    seconds: float
    complete: bool
    properties: tuple[PropertyResult, ...]

    def __getitem__(self, name: str) -> PropertyResult:
        for prop in self.properties:
            if prop.name == name:
                return prop
        raise KeyError(f"no property {name!r} (there are: {', '.join(self.names)})")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties)

    @property
    def holds(self) -> bool:
        """Every property holds (an unknown one does not)."""
        return all(p.status is Status.HOLDS for p in self.properties)

    @property
    def violated(self) -> tuple[PropertyResult, ...]:
        return tuple(p for p in self.properties if p.status is Status.VIOLATED)

    @property
    def exit_code(self) -> int:
        """0 every property holds, 1 one is violated, 3 none violated but one unknown."""
        statuses = {p.status for p in self.properties}
        if Status.VIOLATED in statuses:
            return 1
        if Status.UNKNOWN in statuses:
            return 3
        return 0

    def to_json(self) -> dict[str, Any]:
        return {
            "states": self.states,
            "transitions": self.transitions,
            "seconds": round(self.seconds, 6),
            "properties": [p.to_json() for p in self.properties],
        }

    def lines(self, width: int = LINE_WIDTH) -> list[str]:
        search = "exhaustive" if self.complete else "not exhaustive"
        head = (
            f"{self.model}: {self.states:,} states, {self.transitions:,} transitions, "
            f"{self.seconds:.2f} s, {search}"
        )
        out = [shorten(head, width)]
        for prop in self.properties:
            out += ["  " + line for line in prop.lines(width - 2)]
        return out

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))
