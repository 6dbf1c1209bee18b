from __future__ import annotations

from collections.abc import Callable

import pytest
import z3

from fmlab.core.solving import Satisfiability, solve
from fmlab.viz import draw_z3_model, to_svg
from fmlab.viz._z3model import EMPTY_LABEL, element_name

NodeTexts = Callable[[str], dict[str, list[str]]]


def _model(*assertions: z3.BoolRef) -> z3.ModelRef:
    outcome = solve(list(assertions), timeout_ms=5_000)
    assert outcome.status is Satisfiability.SAT
    assert outcome.model is not None
    return outcome.model


def _world() -> z3.ModelRef:
    person = z3.DeclareSort("Person")
    alice, bob = z3.Consts("alice bob", person)
    likes = z3.Function("likes", person, person, z3.BoolSort())
    admin = z3.Function("admin", person, z3.BoolSort())
    boss = z3.Function("boss", person, person)
    age = z3.Function("age", person, z3.IntSort())
    x = z3.Const("x", person)
    return _model(
        alice != bob,
        z3.ForAll([x], z3.Or(x == alice, x == bob)),
        likes(alice, bob),
        z3.Not(likes(bob, alice)),
        z3.Not(likes(alice, alice)),
        z3.Not(likes(bob, bob)),
        admin(alice),
        z3.Not(admin(bob)),
        boss(bob) == alice,
        boss(alice) == alice,
        age(alice) == 30,
        age(bob) == 20,
        z3.Int("budget") == 7,
    )


def _node_of(texts: dict[str, list[str]], first_line_part: str) -> list[str]:
    return next(lines for lines in texts.values() if first_line_part in " ".join(lines))


def test_uninterpreted_elements_are_atoms_with_constants_and_predicates(
    node_texts: NodeTexts,
) -> None:
    texts = node_texts(to_svg(draw_z3_model(_world())))
    alice = _node_of(texts, "alice")
    bob = _node_of(texts, "bob")
    assert alice[0].startswith("Person$")
    assert bob[0].startswith("Person$")
    assert alice[1] == "(admin, alice)"
    assert bob[1] == "(bob)"
    assert "age = 30" in alice
    assert "age = 20" in bob


def test_binary_predicates_and_functions_become_edges() -> None:
    source = draw_z3_model(_world(), title="people").source
    assert source.count("[label=likes]") == 1
    assert source.count("[label=boss]") == 2
    assert "label=people" in source


def test_interpreted_constants_and_functions_go_in_the_value_table() -> None:
    f = z3.Function("f", z3.IntSort(), z3.IntSort())
    model = _model(
        z3.Int("n") == 3,
        z3.Bool("flag"),
        z3.Real("r") == z3.RealVal("1/3"),
        z3.String("s") == z3.StringVal('<"q">'),
        z3.BitVec("bv", 8) == 255,
        f(1) == 10,
        f(2) == 20,
        f(3) == 0,
    )
    source = draw_z3_model(model).source
    for text in (">n<", ">3<", ">True<", ">1/3<", ">255<", "&#39;&lt;&quot;q&quot;&gt;&#39;"):
        assert text in source.replace("'", "&#39;"), text
    assert "else ↦" in source
    assert "Person" not in source  # no uninterpreted sorts: no atoms, no legend
    assert "cluster_legend" not in source


def test_function_table_is_compact_and_capped() -> None:
    f = z3.Function("f", z3.IntSort(), z3.IntSort())
    model = _model(*[f(i) == i * i for i in range(20)])
    row = next(line for line in draw_z3_model(model).source.splitlines() if ">f<" in line)
    assert "… " in row
    assert "more" in row
    assert "else ↦" in row


def test_empty_model_says_so(svg_texts: Callable[[str], list[str]]) -> None:
    model = _model(z3.BoolVal(True))
    assert EMPTY_LABEL in svg_texts(to_svg(draw_z3_model(model)))


def test_same_model_gives_identical_dot() -> None:
    model = _world()
    assert draw_z3_model(model).source == draw_z3_model(model).source


def test_z3_internal_names_are_hidden_unless_asked() -> None:
    model = _model(z3.Int("k!7") == 1, z3.Int("visible") == 2)
    assert "k!7" not in draw_z3_model(model).source
    assert "k!7" in draw_z3_model(model, show_internal=True).source


@pytest.mark.parametrize(
    ("raw", "shown"), [("A!val!0", "A$0"), ("f(Node!val!12, 3)", "f(Node$12, 3)"), ("x", "x")]
)
def test_element_names_follow_alloy(raw: str, shown: str) -> None:
    assert element_name(raw) == shown


def test_datatypes_arrays_and_mixed_domains_are_shown_not_dropped() -> None:
    thing = z3.DeclareSort("Thing")
    color, (red, _green) = z3.EnumSort("Color", ["red", "green"])
    paint = z3.Function("paint", thing, color)
    weight = z3.Function("weight", thing, z3.IntSort(), z3.BoolSort())
    table = z3.Array("table", z3.IntSort(), z3.IntSort())
    item = z3.Const("item", thing)
    model = _model(paint(item) == red, weight(item, 4), table[3] == 5)
    source = draw_z3_model(model).source
    assert "paint = red" in source
    assert ">weight<" in source
    assert ">table<" in source
    assert "<svg" in to_svg(draw_z3_model(model))
