"""The concrete evaluator, on hand-checked worlds."""

from __future__ import annotations

from fmlab.core.instance import Instance
from fmlab.relational._evaluate import evaluate, holds
from fmlab.relational._syntax import Relation, Signature, all_, exists, lone, no, one, some

Person = Signature("Person")
Color = Signature("Color", ("Red", "Blue"))
parent = Relation("parent", (Person, Person))
likes = Relation("likes", (Person, Color))

FAMILY = Instance.build(
    {"Person": ["a", "b", "c", "d"], "Color": ["Red", "Blue"]},
    {"parent": [("b", "a"), ("c", "b"), ("d", "c")], "likes": [("a", "Red"), ("b", "Red")]},
)


def test_closure_is_a_fixpoint_not_an_unrolling() -> None:
    ancestors = evaluate(parent.closure(), FAMILY)
    assert ("d", "a") in ancestors
    assert len(ancestors) == 6


def test_operators() -> None:
    assert evaluate(Person @ likes, FAMILY) == {("Red",)}
    assert evaluate(likes @ Color["Red"], FAMILY) == {("a",), ("b",)}
    assert evaluate(Person - likes @ Color, FAMILY) == {("c",), ("d",)}
    assert evaluate(parent & ~parent, FAMILY) == frozenset()
    assert len(evaluate(Person * Color, FAMILY)) == 8


def test_formulas() -> None:
    assert holds(all_(Person, lambda p: no(p & p @ parent.closure())), FAMILY)
    assert holds(exists(Person, lambda p: no(p @ parent)), FAMILY)
    assert holds(all_(Person, lambda p: lone(p @ parent)), FAMILY)
    assert not holds(all_(Person, lambda p: one(p @ parent)), FAMILY)
    assert holds(some(likes).implies(some(Color)), FAMILY)
    assert holds((likes @ Color["Blue"]).eq(Person - Person), FAMILY)


def test_quantifier_over_an_empty_signature() -> None:
    empty = Instance.build({"Person": [], "Color": ["Red", "Blue"]}, {"parent": [], "likes": []})
    assert holds(all_(Person, lambda p: some(p @ parent)), empty)
    assert not holds(exists(Person, lambda p: no(p @ parent)), empty)
    assert evaluate(Color["Blue"], empty) == {("Blue",)}
