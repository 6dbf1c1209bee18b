"""Explicit enumeration of every world within the scopes: the baseline a solver must beat.

Without a solver, ``check`` would walk all worlds. Their number is what makes that hopeless
beyond toy scopes, and the chapter measures it against z3 (``benchmarks/relational``).
Symmetry is broken the same way as in the z3 encoding (atoms are used in order), so both
count the same worlds.

>>> from fmlab.relational._model import Model
>>> m = Model("pairs", default_scope=2)
>>> A = m.sig("A")
>>> r = m.relation("r", A, A)
>>> world_count(m)  # 0 atoms: 1 world; 1 atom: 2; 2 atoms: 16
19
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from fmlab.core.instance import Instance
from fmlab.relational._evaluate import holds
from fmlab.relational._model import Model
from fmlab.relational._syntax import TRUE, Formula, Not, conjunction


def _atom_choices(model: Model) -> list[list[tuple[str, ...]]]:
    choices = []
    for decl in model.signatures:
        sig = decl.signature
        names = sig.atom_names or tuple(f"{sig.name}{i}" for i in range(decl.scope))
        if decl.exact:
            choices.append([tuple(names)])
        else:
            choices.append([tuple(names[:k]) for k in range(len(names) + 1)])
    return choices


def worlds(model: Model) -> Iterator[Instance]:
    """Every world of ``model`` within its scopes, facts not yet applied."""
    names = [decl.signature.name for decl in model.signatures]
    for chosen in itertools.product(*_atom_choices(model)):
        atoms = dict(zip(names, chosen, strict=True))
        candidates = []
        for rdecl in model.relations:
            columns = [atoms[sig.name] for sig in rdecl.relation.columns]
            candidates.append(list(itertools.product(*columns)))
        subsets = [itertools.product((False, True), repeat=len(tuples)) for tuples in candidates]
        for picks in itertools.product(*subsets):
            relations = {
                rdecl.relation.name: frozenset(
                    t for t, keep in zip(tuples, pick, strict=True) if keep
                )
                for rdecl, tuples, pick in zip(model.relations, candidates, picks, strict=True)
            }
            yield Instance(atoms, relations)


def world_count(model: Model) -> int:
    """How many worlds ``worlds`` yields, computed without yielding them."""
    total = 0
    for chosen in itertools.product(*_atom_choices(model)):
        sizes = {
            decl.signature.name: len(c) for decl, c in zip(model.signatures, chosen, strict=True)
        }
        bits = 0
        for rdecl in model.relations:
            width = 1
            for sig in rdecl.relation.columns:
                width *= sizes[sig.name]
            bits += width
        total += 2**bits
    return total


def find_by_enumeration(model: Model, goal: Formula = TRUE) -> Instance | None:
    """The first world satisfying the facts and ``goal``, or ``None``."""
    wanted = conjunction(*model.all_facts(), goal)
    return next((w for w in worlds(model) if holds(wanted, w)), None)


def counterexample_by_enumeration(model: Model, assertion: Formula) -> Instance | None:
    """A world where the facts hold and ``assertion`` fails, found by walking all worlds."""
    return find_by_enumeration(model, Not(assertion))
