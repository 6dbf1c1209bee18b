from __future__ import annotations

from collections.abc import Callable

import pytest

from fmlab.viz import draw_trace, to_svg
from fmlab.viz._trace import ABSENT, EMPTY_LABEL

NodeTexts = Callable[[str], dict[str, list[str]]]

STEPS = [
    {"pc": "start", "x": 0, "held": frozenset()},
    {"pc": "loop", "x": 1, "held": frozenset({"lock"})},
    {"pc": "loop", "x": 2, "held": frozenset({"lock"})},
]


def _node_line(source: str, node: str) -> str:
    return next(line for line in source.splitlines() if line.strip().startswith(f"{node} ["))


def test_states_are_tables_left_to_right_with_actions(node_texts: NodeTexts) -> None:
    graph = draw_trace(STEPS, actions=["enter", "step"])
    texts = node_texts(to_svg(graph))
    assert texts["s0"][:3] == ["State 0", "pc", "'start'"]
    assert "{'lock'}" in texts["s1"]
    assert "s0 -> s1 [label=enter]" in graph.source
    assert "rankdir=LR" in graph.source


def test_changed_values_are_emphasised() -> None:
    source = draw_trace(STEPS).source
    assert "<B>" not in _node_line(source, "s0").replace("<B>State 0</B>", "")
    second = _node_line(source, "s1")
    assert "<B>&#39;loop&#39;</B>" in second or "<B>'loop'</B>" in second
    third = _node_line(source, "s2")
    assert "<B>2</B>" in third
    assert "<B>'loop'</B>" not in third


def test_lasso_has_a_back_edge_labelled_with_the_last_action() -> None:
    source = draw_trace(STEPS, actions=["enter", "step", "again"], loop_to=1).source
    back = next(line for line in source.splitlines() if "s2 -> s1" in line)
    assert "label=again" in back
    assert "dashed" in back
    assert "loop start" in _node_line(source, "s1")


def test_missing_variables_show_a_dash() -> None:
    source = draw_trace([{"a": 1}, {"b": 2}]).source
    assert ABSENT in _node_line(source, "s0")
    assert ABSENT in _node_line(source, "s1")


@pytest.mark.parametrize(
    ("actions", "loop_to"), [(["one"], None), (["a", "b", "c", "d"], 0), ([], 3)]
)
def test_action_count_and_loop_index_are_checked(actions: list[str], loop_to: int | None) -> None:
    with pytest.raises(ValueError, match=r"actions|loop_to"):
        draw_trace(STEPS, actions=actions, loop_to=loop_to)


def test_empty_trace_says_so(svg_texts: Callable[[str], list[str]]) -> None:
    assert EMPTY_LABEL in svg_texts(to_svg(draw_trace([])))
