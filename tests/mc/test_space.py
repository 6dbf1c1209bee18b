"""The explored state space as an object: what the Elm chapter builds on."""

from __future__ import annotations

from fmlab.mc import Edge, Model, explore
from tests.mc.conftest import classic


def _counter() -> Model:
    return Model(lambda: [0], lambda s: [("inc", s + 1), ("reset", 0)] if s < 3 else [])


def test_states_in_breadth_first_order_with_depths() -> None:
    space = explore(_counter())
    assert space.states == (0, 1, 2, 3)
    assert [space.depth(s) for s in space.states] == [0, 1, 2, 3]
    assert space.initial == (0,)
    assert space.complete
    assert space.transitions == 6
    assert 3 in space
    assert [1] not in space  # unhashable: simply not a state
    assert space.deadlocks() == [3]


def test_shortest_traces_and_find() -> None:
    space = explore(_counter())
    trace = space.trace_to(3)
    assert trace.actions == ("inc", "inc", "inc")
    found = space.find(lambda s: s >= 2)
    assert found is not None
    assert found.states == (0, 1, 2)
    assert space.find(lambda s: s > 10) is None


def test_successors_and_edges() -> None:
    space = explore(_counter())
    assert space.successors(1) == [("inc", 2), ("reset", 0)]
    assert Edge(2, "reset", 0) in list(space.edges())


def test_bounded_exploration_says_what_it_did() -> None:
    space = explore(classic("philosophers"), max_states=5)
    assert len(space) == 5
    assert not space.complete
    assert "not exhaustive" in repr(space)
