"""The reachable state space of a model, explored breadth-first, as an object to query.

:func:`explore` is the building block for tools on top of the checker (the Elm chapter
explores an app's reachable models with it): it keeps every state with the shortest
way it was reached and the successors of every expanded state.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from fmlab.core.result import UnknownReason
from fmlab.mc._bounds import DEFAULT_MAX_STATES, Bounds
from fmlab.mc._model import Model
from fmlab.mc._search import Exploration, replay_path, search
from fmlab.mc._trace import LINE_WIDTH, Step, Trace, shorten


@dataclass(frozen=True)
class Edge:
    """A transition of the state graph."""

    source: Hashable
    action: Hashable
    target: Hashable


class StateSpace:
    """The states reachable from ``init`` (within the bounds), in breadth-first order.

    ``complete`` is ``True`` when the search exhausted the reachable states; otherwise
    ``stop_reason``/``stop_detail`` say which bound stopped it, and only the states in
    :attr:`states` were seen (states at the end may not be expanded).
    """

    def __init__(self, model: Model, found: Exploration) -> None:
        self.model = model
        self._found = found
        assert found.index is not None
        self._index = found.index

    @property
    def states(self) -> Sequence[Hashable]:
        """Every state found, nearest first (state ``i`` was the ``i``-th found)."""
        return tuple(self._found.states)

    @property
    def initial(self) -> tuple[Hashable, ...]:
        found = self._found
        return tuple(s for i, s in enumerate(found.states) if found.parent[i] < 0)

    @property
    def complete(self) -> bool:
        return self._found.complete

    @property
    def stop_reason(self) -> UnknownReason | None:
        return self._found.stop_reason

    @property
    def stop_detail(self) -> str:
        return self._found.stop_detail

    @property
    def transitions(self) -> int:
        """Transitions explored (``next`` pairs yielded by the expanded states)."""
        return self._found.transitions

    @property
    def seconds(self) -> float:
        return self._found.seconds

    def __len__(self) -> int:
        return len(self._found.states)

    def __contains__(self, state: object) -> bool:
        try:
            return state in self._index
        except TypeError:  # an unhashable value is no state of ours
            return False

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._found.states)

    def number(self, state: Hashable) -> int:
        """The state's position in breadth-first order (``KeyError`` if not found)."""
        return self._index[state]

    def depth(self, state: Hashable) -> int:
        """The length of a shortest trace from an initial state to ``state``."""
        return self._found.depth(self.number(state))

    def expanded(self, state: Hashable) -> bool:
        """Whether all of ``state``'s successors were computed."""
        return self.number(state) < self._found.expanded

    def successors(self, state: Hashable) -> list[tuple[Hashable, Hashable]]:
        """``(action, next_state)`` pairs of an expanded state, as ``next`` gave them."""
        number = self.number(state)
        if number >= self._found.expanded:
            raise ValueError(f"state {state!r} was not expanded (the search stopped first)")
        return [(label, self._found.states[t]) for label, t in self._found.successors(number)]

    def edges(self) -> Iterator[Edge]:
        """Every explored transition, sources in breadth-first order."""
        states = self._found.states
        for number in range(self._found.expanded):
            for label, target in self._found.successors(number):
                yield Edge(states[number], label, states[target])

    def trace_to(self, state: Hashable) -> Trace:
        """A shortest trace from an initial state to ``state``, replayed through the model.

        Raises ``ValueError`` if the replay disagrees (the model is not deterministic in
        what it yields, say).
        """
        steps = self._found.path(self.number(state))
        if not replay_path(self.model, steps):
            raise ValueError("the trace does not replay: init/next answered differently")
        return Trace(tuple(Step(label, s) for label, s in steps))

    def find(self, predicate: Callable[[Any], bool]) -> Trace | None:
        """A shortest trace to a state satisfying ``predicate``, or ``None``."""
        for state in self._found.states:
            if predicate(state):
                return self.trace_to(state)
        return None

    def deadlocks(self) -> list[Hashable]:
        """Expanded states with no successor, nearest first."""
        found = self._found
        assert found.offsets is not None
        return [
            found.states[n]
            for n in range(found.expanded)
            if found.offsets[n] == found.offsets[n + 1]
        ]

    def draw(
        self,
        *,
        highlight: Trace | None = None,
        label: Callable[[Any], str] | None = None,
        title: str | None = None,
        max_states: int = 200,
    ) -> Any:
        """The state graph (small spaces only), with a trace's steps and state highlighted."""
        from fmlab.mc import draw_state_space  # via the face: no import loop with _draw

        return draw_state_space(
            self, highlight=highlight, label=label, title=title, max_states=max_states
        )

    def __repr__(self) -> str:
        status = "exhaustive" if self.complete else f"not exhaustive ({self.stop_detail})"
        return shorten(
            f"<state space of {self.model.name}: {len(self):,} states, "
            f"{self.transitions:,} transitions, {status}>",
            LINE_WIDTH,
        )


def explore(
    model: Model,
    *,
    max_states: int | None = DEFAULT_MAX_STATES,
    max_depth: int | None = None,
    timeout: float | None = None,
) -> StateSpace:
    """Explore ``model``'s reachable states breadth-first within the bounds.

    Invariants are not checked here (use :func:`fmlab.mc.check`); the result keeps the
    state graph for queries, shortest traces and drawings.
    """
    found = search(model, Bounds(max_states, max_depth, timeout), invariants={}, keep_graph=True)
    return StateSpace(model, found)
