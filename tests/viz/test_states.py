from __future__ import annotations

from collections.abc import Callable

import pytest

from fmlab.viz import draw_state_graph, to_svg
from fmlab.viz._theme import ALERT, PATH

NodeTexts = Callable[[str], dict[str, list[str]]]

STATES = ["idle", "busy", "done", "error"]
MOVES = [
    ("idle", "busy", "start"),
    ("busy", "done", "finish"),
    ("busy", "error", "crash"),
    ("error", "idle", None),
]


def _line(source: str, needle: str) -> str:
    return next(line for line in source.splitlines() if needle in line)


def test_states_transitions_and_entry_arrow(node_texts: NodeTexts) -> None:
    graph = draw_state_graph(STATES, MOVES, initial="idle")
    texts = node_texts(to_svg(graph))
    assert {lines[0] for lines in texts.values() if lines} == set(STATES)
    source = graph.source
    idle_id = _line(source, "label=idle").split()[0]
    assert f"init0 -> {idle_id}" in source
    assert "label=start" in source
    assert "label=crash" in source
    assert source.count("->") == len(MOVES) + 1


def test_bad_states_are_red_and_the_path_is_bold() -> None:
    path = ["idle", "busy", "error"]
    source = draw_state_graph(STATES, MOVES, initial="idle", bad=["error"], highlight_path=path)
    text = source.source
    assert ALERT in _line(text, "label=error")
    assert ALERT not in _line(text, "label=done")
    assert PATH in _line(text, "label=start")
    assert PATH in _line(text, "label=crash")
    assert PATH not in _line(text, "label=finish")


def test_path_through_a_missing_transition_is_an_error() -> None:
    with pytest.raises(ValueError, match="'idle' -> 'done'"):
        draw_state_graph(STATES, MOVES, initial="idle", highlight_path=["idle", "done"])


def test_tuple_states_and_several_initial_states() -> None:
    states = {(0, 0), (0, 1), (1, 1)}
    moves = [((0, 0), (0, 1), "a"), ((0, 1), (1, 1), "b")]
    one = draw_state_graph(states, moves, initial=(0, 0)).source
    assert one.count("init") == 2  # node + edge of the single entry arrow
    two = draw_state_graph(states, moves, initial=[(0, 0), (1, 1)]).source
    assert "init1" in two


def test_states_only_named_by_transitions_are_added(node_texts: NodeTexts) -> None:
    texts = node_texts(to_svg(draw_state_graph([], [(1, 2, "go")], initial=1)))
    assert {lines[0] for lines in texts.values() if lines} == {"1", "2"}


def test_set_valued_states_draw_the_same_in_any_order() -> None:
    a, b = frozenset({"x", "y", "z"}), frozenset({"w"})
    one = draw_state_graph([a, b], [(a, b, "drop")], initial=a).source
    two = draw_state_graph([b, a], [(a, b, "drop")], initial=[a]).source
    assert one == two
    assert "{'x', 'y', 'z'}" in one
