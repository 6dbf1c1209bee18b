"""Instances reject malformed worlds and read back what was put in."""

from __future__ import annotations

import pytest

from fmlab.core.instance import Instance


def test_atoms_belong_to_one_signature() -> None:
    with pytest.raises(ValueError, match="in both"):
        Instance.build({"A": ["x"], "B": ["x"]})


def test_relations_have_one_arity_and_known_atoms() -> None:
    with pytest.raises(ValueError, match="mixes arities"):
        Instance.build({"A": ["a", "b"]}, {"r": [("a",), ("a", "b")]})
    with pytest.raises(ValueError, match="unknown atoms"):
        Instance.build({"A": ["a"]}, {"r": [("a", "z")]})
    with pytest.raises(ValueError, match="empty tuple"):
        Instance.build({"A": ["a"]}, {"r": [()]})
    with pytest.raises(ValueError, match="highlight"):
        Instance.build({"A": ["a"]}, highlight=["z"])


def test_queries_and_json() -> None:
    world = Instance.build(
        {"Node": ["n1", "n2"], "Pod": ["p"]}, {"on": [("p", "n2")], "empty": []}, highlight=["p"]
    )
    assert world.all_atoms() == ["n1", "n2", "p"]
    assert world.signature_of("p") == "Pod"
    assert world.image("on", "p") == {"n2"}
    assert world.arity("on") == 2
    assert world.arity("empty") is None
    assert world.to_json()["relations"]["on"] == [["p", "n2"]]
    assert str(world) == "Node={n1, n2} Pod={p} on={p->n2} empty={}"
    with pytest.raises(KeyError):
        world.signature_of("q")
