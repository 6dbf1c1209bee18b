"""Drawings for the chapter: state graphs without the steps that change nothing, and
traces with one row per container.

fmlab.mc's own drawings show a state's dataclass fields; these split the container tuple
into one row per slot (``c0``, ``c1``, ...) and lay long traces out top to bottom, so a
counterexample of eight steps still reads on a phone.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from typing import Any

from fmlab.mc import Divergence, Model, Trace, explore
from fmlab.viz import Drawing, draw_state_graph, draw_trace

_SLOT = re.compile(r"c\d+")

LONG_TRACE = 2
"""Traces with more steps than this are drawn top to bottom (a row of four tables or more
is too small to read on a phone)."""


def fields(state: Any) -> dict[str, object]:
    """A model state as table rows: its enum fields, one row per container slot; a pair
    (state, flag) adds the flag as the row ``stop called``."""
    rows: dict[str, object] = {}
    if isinstance(state, tuple):  # a state with extra memory: (model state, flag, ...)
        for part in state:
            rows.update(fields(part) if dataclasses.is_dataclass(part) else _flag(part))
        return rows
    for field in dataclasses.fields(state):
        value = getattr(state, field.name)
        if isinstance(value, tuple):
            rows.update({f"c{i}": item for i, item in enumerate(value)})
        elif isinstance(value, bool):
            rows["stop called"] = "yes" if value else "no"
        else:
            rows[field.name] = value
    return rows


def _flag(value: object) -> dict[str, object]:
    if isinstance(value, bool):
        return {"stop called": "yes" if value else "no"}
    return {"memory": value}


def show(value: object) -> str:
    return str(value)


def draw_steps(found: Trace | Divergence, *, title: str | None = None) -> Drawing:
    """A counterexample: a trace to a violation, a lasso, or a diverging trace."""
    trace = found.implementation if isinstance(found, Divergence) else found
    steps = list(trace.steps)
    actions = [str(step.action) for step in steps[1:]]
    loop_to = None
    if trace.is_lasso:
        steps, loop_to = steps[:-1], trace.loop_start  # the back edge closes the cycle
    note = "the specification cannot follow" if isinstance(found, Divergence) else "violation"
    return draw_trace(
        [fields(step.state) for step in steps],
        actions=actions,
        loop_to=loop_to,
        title=title,
        show=show,
        rankdir="TB" if len(steps) > LONG_TRACE + 1 else "LR",
        highlight=None if trace.is_lasso else len(steps) - 1,
        highlight_note=note,
    )


def without_loops(step: Callable[[Any], Any]) -> Callable[[Any], Iterator[tuple[str, Any]]]:
    """``step`` without the transitions back to the same state (status calls, repeats)."""

    def moving(state: Any) -> Iterator[tuple[str, Any]]:
        return ((label, target) for label, target in step(state) if target != state)

    return moving


def compact(state: Any) -> str:
    """A state graph's node text: the values only, one line for the sandbox or pod."""
    rows = fields(state)
    slots = [f"{k}={v}" for k, v in rows.items() if _SLOT.fullmatch(k)]
    head = [str(v) if k != "stop called" else f"stop called: {v}" for k, v in rows.items()]
    head = [text for (k, _), text in zip(rows.items(), head, strict=True) if not _SLOT.fullmatch(k)]
    return "\n".join([" ".join(head), " ".join(slots)]).strip()


def draw_graph(
    namespace: dict[str, Any],
    *,
    title: str | None = None,
    highlight: Trace | None = None,
    max_states: int = 60,
    rankdir: str = "TB",
) -> Drawing:
    """The reachable states of a model, the loops that change nothing left out; top to
    bottom by default, which suits a page column better than a wide row."""
    model = Model.from_namespace({**namespace, "next": without_loops(namespace["next"])})
    space = explore(model, max_states=max_states + 1)
    if len(space) > max_states:
        raise ValueError(f"more than {max_states} states: too many to draw legibly")
    edges = [(e.source, e.target, str(e.action)) for e in space.edges()]
    path = list(highlight.states) if highlight is not None else []
    return draw_state_graph(
        space.states,
        edges,
        initial=list(space.initial),
        label=compact,
        highlight_path=path,
        bad=path[-1:],
        title=title,
        rankdir=rankdir,
    )
