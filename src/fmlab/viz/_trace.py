"""Drawing a trace: states left to right, each a table of its variables.

A value that differs from the previous state is bold on a yellow background, so the
eye goes to what each action changed. ``loop_to`` makes the trace a lasso (the usual
shape of a liveness counterexample): a back edge from the last state to that one.
``highlight`` marks one state (say, the one breaking an invariant) with a red header and
a note, so it stands out without relying on colour alone.

>>> g = draw_trace([{"x": 0, "y": 0}, {"x": 1, "y": 0}], actions=["inc x"], loop_to=0)
>>> "<B>1</B>" in g.source, "inc x" in g.source, "s1 -> s0" in g.source
(True, True, True)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from fmlab.viz._render import Drawing, add_edge, add_node, new_drawing
from fmlab.viz._table import TABLE_NODE, html_table
from fmlab.viz._text import plain_label, show_value
from fmlab.viz._theme import ALERT_FILL, PATH

EMPTY_LABEL = "empty trace"
ABSENT = "—"


def _variables(steps: Sequence[Mapping[str, object]]) -> list[str]:
    """All variable names, in order of first appearance (the caller's order)."""
    seen: dict[str, None] = {}
    for step in steps:
        for name in step:
            seen.setdefault(name, None)
    return list(seen)


def _check_actions(count: int, actions: Sequence[str] | None, loop_to: int | None) -> None:
    if loop_to is not None and not 0 <= loop_to < count:
        raise ValueError(f"loop_to must index a state (0..{count - 1}), got {loop_to}")
    if actions is None:
        return
    allowed = {count - 1} if loop_to is None else {count - 1, count}
    if len(actions) not in allowed:
        raise ValueError(
            f"{count} states need {' or '.join(map(str, sorted(allowed)))} actions, "
            f"got {len(actions)}"
        )


def draw_trace(
    steps: Sequence[Mapping[str, object]],
    *,
    actions: Sequence[str] | None = None,
    loop_to: int | None = None,
    title: str | None = None,
    show: Callable[[object], str] = show_value,
    rankdir: str = "LR",
    highlight: int | None = None,
    highlight_note: str = "violation",
) -> Drawing:
    """Draw ``steps`` (variable -> value maps) joined by ``actions``.

    ``actions[i]`` labels the step from state ``i`` to ``i + 1``; with ``loop_to`` an
    extra last action may label the back edge. ``show`` turns values into text (the
    default prints sets and dicts sorted, strings quoted). ``highlight`` is the index of
    a state to mark, with ``highlight_note`` in its header.
    """
    _check_actions(len(steps), actions, loop_to)
    if highlight is not None and not 0 <= highlight < max(1, len(steps)):
        raise ValueError(f"highlight must index a state (0..{len(steps) - 1}), got {highlight}")
    graph = new_drawing(title, rankdir=rankdir)
    if not steps:
        add_node(graph, "empty", plain_label(EMPTY_LABEL), {"shape": "plaintext"})
        return graph
    names = _variables(steps)
    previous: list[tuple[str, str]] | None = None
    for index, step in enumerate(steps):
        # Compare shown text, not values: it is what the reader sees, and it works for
        # values (z3 terms, arrays) whose == does not return a bool.
        rows = [(name, show(step[name]) if name in step else ABSENT) for name in names]
        changed = (
            set()
            if previous is None
            else {row for row, pair in enumerate(rows) if pair != previous[row]}
        )
        header = f"State {index}" + (" (loop start)" if index == loop_to else "")
        fill = "#DDDDDD"
        if index == highlight:
            header += f": {highlight_note}"
            fill = ALERT_FILL
        table = html_table(rows, header=header, header_fill=fill, emphasise=changed)
        add_node(graph, f"s{index}", table, TABLE_NODE)
        previous = rows
    labels = list(actions) if actions is not None else []
    for index in range(len(steps) - 1):
        attrs = {"label": plain_label(labels[index])} if labels else {}
        add_edge(graph, f"s{index}", f"s{index + 1}", attrs)
    if loop_to is not None:
        attrs = {"style": "dashed", "color": PATH, "constraint": "false"}
        if len(labels) == len(steps):
            attrs["label"] = plain_label(labels[-1])
        add_edge(graph, f"s{len(steps) - 1}", f"s{loop_to}", attrs)
    return graph
