"""Drawing a state graph: the reachable states of a model and its transitions.

States are any hashable values; ``label`` turns one into text. Initial states get an
entry arrow from a dot, ``bad`` states (say, those breaking an invariant) are red with a
thick border, and the steps of ``highlight_path`` (a counterexample) are thick and blue.
Nodes are ordered by their label text so the DOT source is stable across runs.

>>> g = draw_state_graph([0, 1, 2], [(0, 1, "inc"), (1, 2, "inc"), (2, 0, "reset")],
...                      initial=0, bad=[2], highlight_path=[0, 1, 2])
>>> print(g.source.count("penwidth=3"))
3
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from fmlab.viz._render import Drawing, add_edge, add_node, choose_engine, new_drawing
from fmlab.viz._text import natural_key, plain_label, show_state
from fmlab.viz._theme import BAD_NODE, PATH_EDGE

S = TypeVar("S", bound=Hashable)


def _initial_states(initial: Any, known: set[Any]) -> list[Any]:
    """``initial`` is one state or an iterable of states; a known state wins.

    A tuple state is itself iterable, so membership decides first.
    """
    try:
        if initial in known:
            return [initial]
    except TypeError:  # an unhashable iterable such as a list of states
        pass
    if isinstance(initial, str | bytes) or not isinstance(initial, Iterable):
        return [initial]
    return list(initial)


def draw_state_graph(
    states: Iterable[S],
    transitions: Iterable[tuple[S, S, str | None]],
    *,
    initial: S | Iterable[S],
    label: Callable[[S], str] = show_state,
    highlight_path: Sequence[S] = (),
    bad: Iterable[S] = (),
    title: str | None = None,
    rankdir: str = "LR",
    engine: str | None = None,
) -> Drawing:
    """Draw states and labelled transitions ``(source, target, action or None)``.

    States named only by a transition, ``initial``, ``bad`` or the path are added.
    ``label`` defaults to ``str`` for strings and a sorted rendering of sets and dicts
    otherwise, so set-valued states give the same text in every run.
    ``engine`` is the Graphviz layout (default: dot, or neato for large graphs).
    Raises ``ValueError`` when two consecutive states of ``highlight_path`` have no
    transition between them.
    """
    edges = list(dict.fromkeys(transitions))  # a repeated transition is drawn once
    listed: list[S] = list(states)
    known = set(listed)
    starts = _initial_states(initial, known)
    bad_states = set(bad)
    path = list(highlight_path)
    for extra in [*(s for e in edges for s in e[:2]), *starts, *bad_states, *path]:
        if extra not in known:
            known.add(extra)
            listed.append(extra)

    texts = {state: label(state) for state in listed}
    ordered = sorted(listed, key=lambda s: (natural_key(texts[s]), repr(s)))
    node_id = {state: f"s{i}" for i, state in enumerate(ordered)}

    steps = set(itertools.pairwise(path))
    present = {(src, dst) for src, dst, _ in edges}
    missing = [step for step in itertools.pairwise(path) if step not in present]
    if missing:
        src, dst = missing[0]
        raise ValueError(f"highlight_path steps {texts[src]!r} -> {texts[dst]!r}: no transition")

    graph = new_drawing(title, rankdir=rankdir, engine=choose_engine(engine, len(edges)))
    for state in ordered:
        attrs = {"shape": "box", "style": "rounded"}
        if state in bad_states:
            attrs = {**attrs, **BAD_NODE, "style": "rounded,filled,bold"}
        add_node(graph, node_id[state], plain_label(texts[state]), attrs)
    for i, state in enumerate(sorted(starts, key=lambda s: node_id[s])):
        entry = f"init{i}"
        add_node(graph, entry, "", {"shape": "point", "width": "0.1"})
        add_edge(graph, entry, node_id[state], {})

    def edge_key(edge: tuple[S, S, str | None]) -> tuple[Any, ...]:
        return (natural_key(node_id[edge[0]]), natural_key(node_id[edge[1]]), edge[2] or "")

    for src, dst, action in sorted(edges, key=edge_key):
        attrs = {} if action is None else {"label": plain_label(action)}
        if (src, dst) in steps:
            attrs = {**attrs, **PATH_EDGE}
        add_edge(graph, node_id[src], node_id[dst], attrs)
    return graph
