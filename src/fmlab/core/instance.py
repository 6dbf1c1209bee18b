"""A relational instance: atoms grouped by signature, and relations as sets of tuples.

This is what Alloy shows when ``run`` finds an example or ``check`` finds a
counterexample, and what every chapter of fmlab uses to describe a finite world: IAM
principals and statements, Kubernetes nodes and pods, states of a model checker.
:func:`fmlab.viz.draw_instance` draws one.

>>> world = Instance.build(
...     {"Role": ["Admin"], "Policy": ["P0", "P1"]},
...     {"attached": [("Admin", "P0"), ("Admin", "P1")], "deny": [("P1",)]},
... )
>>> world.signature_of("P1"), sorted(world.image("attached", "Admin"))
('Policy', ['P0', 'P1'])
>>> world.arity("deny")
1
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Instance",
]

Tuple = tuple[str, ...]


@dataclass(frozen=True)
class Instance:
    """Atoms by signature, and named relations over those atoms.

    Atom names are unique across signatures. Every tuple of a relation has the same
    arity, at least 1, and names only atoms of the instance. ``highlight`` marks atoms
    a drawing should emphasise (a witness, the victims of a preemption).
    """

    atoms: Mapping[str, tuple[str, ...]]
    relations: Mapping[str, frozenset[Tuple]]
    highlight: frozenset[str] = field(default=frozenset())
    title: str | None = None

    def __post_init__(self) -> None:
        owner: dict[str, str] = {}
        for signature, names in self.atoms.items():
            for name in names:
                if name in owner:
                    raise ValueError(f"atom {name!r} is in both {owner[name]!r} and {signature!r}")
                owner[name] = signature
        for relation, tuples in self.relations.items():
            arities = {len(t) for t in tuples}
            if len(arities) > 1:
                raise ValueError(f"relation {relation!r} mixes arities {sorted(arities)}")
            for t in tuples:
                if not t:
                    raise ValueError(f"relation {relation!r} has an empty tuple")
                unknown = [a for a in t if a not in owner]
                if unknown:
                    raise ValueError(f"relation {relation!r} names unknown atoms {unknown}")
        unknown_highlight = sorted(a for a in self.highlight if a not in owner)
        if unknown_highlight:
            raise ValueError(f"highlight names unknown atoms {unknown_highlight}")

    @classmethod
    def build(
        cls,
        atoms: Mapping[str, Iterable[str]],
        relations: Mapping[str, Iterable[Iterable[str]]] | None = None,
        *,
        highlight: Iterable[str] = (),
        title: str | None = None,
    ) -> Instance:
        """Make an instance from plain lists (tuples of relations may be lists too)."""
        return cls(
            {sig: tuple(names) for sig, names in atoms.items()},
            {
                name: frozenset(tuple(t) for t in tuples)
                for name, tuples in (relations or {}).items()
            },
            frozenset(highlight),
            title,
        )

    def all_atoms(self) -> list[str]:
        return [name for names in self.atoms.values() for name in names]

    def signature_of(self, atom: str) -> str:
        for signature, names in self.atoms.items():
            if atom in names:
                return signature
        raise KeyError(atom)

    def arity(self, relation: str) -> int | None:
        """The arity of ``relation``, or ``None`` when it is empty."""
        tuples = self.relations[relation]
        return len(next(iter(tuples))) if tuples else None

    def image(self, relation: str, atom: str) -> set[str]:
        """The atoms ``atom`` is related to by a binary ``relation`` (Alloy's ``atom.relation``)."""
        tuples = self.relations.get(relation, frozenset())
        return {t[1] for t in tuples if len(t) == 2 and t[0] == atom}

    def to_json(self) -> dict[str, Any]:
        return {
            "atoms": {sig: list(names) for sig, names in self.atoms.items()},
            "relations": {
                name: sorted(list(t) for t in tuples) for name, tuples in self.relations.items()
            },
            "highlight": sorted(self.highlight),
        }

    def __str__(self) -> str:
        parts = [f"{sig}={{{', '.join(names)}}}" for sig, names in self.atoms.items()]
        for name, tuples in self.relations.items():
            rendered = ", ".join("->".join(t) for t in sorted(tuples))
            parts.append(f"{name}={{{rendered}}}")
        return " ".join(parts)
