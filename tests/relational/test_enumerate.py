"""Enumeration walks exactly the worlds the encoding describes."""

from __future__ import annotations

from fmlab.relational._enumerate import find_by_enumeration, world_count, worlds
from fmlab.relational._model import Model
from fmlab.relational._syntax import one, some


def test_count_matches_the_walk() -> None:
    m = Model("m", default_scope=2)
    A, B = m.sig("A"), m.sig("B", scope=1, exactly=True)
    m.relation("r", A, B)
    m.enum("E", ["x"])
    walked = list(worlds(m))
    assert len(walked) == world_count(m) == 1 + 2 + 4
    assert len({str(w) for w in walked}) == len(walked)


def test_find_respects_facts() -> None:
    m = Model("m", default_scope=2)
    A = m.sig("A")
    r = m.relation("r", A, A, multiplicity="one")
    found = find_by_enumeration(m, some(A))
    assert found is not None
    assert all(len([t for t in found.relations["r"] if t[0] == a]) == 1 for a in found.atoms["A"])
    # Someone nobody points at needs two atoms; a single tuple in a total function
    # means a single atom pointing at itself, so the two together are impossible.
    assert find_by_enumeration(m, some(A - A @ r)) is not None
    assert find_by_enumeration(m, one(r) & some(A - A @ r)) is None
