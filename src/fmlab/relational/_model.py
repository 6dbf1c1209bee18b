"""A relational model: signatures with scopes, relations with multiplicities, and facts.

This is the declaration part of an Alloy module. The analyses (:mod:`.analysis`) search
every world within the scopes for one that satisfies the facts and a predicate.

>>> m = Model("family", default_scope=3)
>>> Person = m.sig("Person")
>>> parent = m.relation("parent", Person, Person, multiplicity="lone")
>>> [str(fact) for fact in m.all_facts()]
['all p: Person | lone p.parent']
>>> m.bound_text()
'for 3 Person'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fmlab.relational._syntax import (
    Expr,
    Formula,
    Multiplicity,
    Named,
    Quantified,
    Relation,
    Signature,
    Variable,
)

MULTIPLICITIES = ("set", "one", "lone", "some")


@dataclass(frozen=True)
class SignatureDecl:
    """A signature as a model declares it: its scope (how many atoms) and whether exact."""

    signature: Signature
    scope: int
    exact: bool


@dataclass(frozen=True)
class RelationDecl:
    """A relation as a model declares it, with its multiplicity (``set``, ``one``, ...)."""

    relation: Relation
    multiplicity: str


class Model:
    """Declarations of one relational model, built up call by call like an Alloy module."""

    def __init__(self, name: str, *, default_scope: int = 3) -> None:
        if default_scope < 0:
            raise ValueError("a scope is a number of atoms, at least 0")
        self.name = name
        self.default_scope = default_scope
        self.signatures: list[SignatureDecl] = []
        self.relations: list[RelationDecl] = []
        self.facts: list[Formula] = []

    # -- declarations ----------------------------------------------------------------

    def _check_new_name(self, name: str) -> None:
        taken = {d.signature.name for d in self.signatures} | {
            d.relation.name for d in self.relations
        }
        if name in taken:
            raise ValueError(f"{self.name} already declares {name!r}")

    def sig(self, name: str, *, scope: int | None = None, exactly: bool = False) -> Signature:
        """Declare a signature of up to ``scope`` atoms (exactly that many if ``exactly``)."""
        self._check_new_name(name)
        size = self.default_scope if scope is None else scope
        if size < 0:
            raise ValueError(f"scope of {name} must be at least 0")
        signature = Signature(name)
        self.signatures.append(SignatureDecl(signature, size, exactly))
        return signature

    def enum(self, name: str, atoms: Sequence[str]) -> Signature:
        """Declare a signature with exactly the named atoms (Alloy's ``enum``)."""
        self._check_new_name(name)
        if len(set(atoms)) != len(atoms) or not atoms:
            raise ValueError(f"enum {name} needs distinct atom names")
        signature = Signature(name, tuple(atoms))
        self.signatures.append(SignatureDecl(signature, len(atoms), True))
        return signature

    def relation(self, name: str, *columns: Signature, multiplicity: str = "set") -> Relation:
        """Declare ``name: A -> ... -> m Z`` where ``m`` is ``multiplicity`` of the last column.

        ``one`` means every combination of the other columns maps to exactly one atom of
        the last, ``lone`` at most one, ``some`` at least one, ``set`` any number.
        """
        self._check_new_name(name)
        if multiplicity not in MULTIPLICITIES:
            raise ValueError(f"multiplicity must be one of {MULTIPLICITIES}, got {multiplicity!r}")
        declared = {d.signature for d in self.signatures}
        for column in columns:
            if column not in declared:
                raise ValueError(f"relation {name} uses {column.name}, not declared in {self.name}")
        if multiplicity != "set" and len(columns) < 2:
            raise ValueError("a multiplicity needs a relation of at least two columns")
        relation = Relation(name, tuple(columns))
        self.relations.append(RelationDecl(relation, multiplicity))
        return relation

    def fact(self, formula: Formula) -> None:
        """Add a constraint every instance must satisfy."""
        if not isinstance(formula, Formula):
            raise TypeError(f"a fact is a Formula, got {type(formula).__name__}")
        self.facts.append(formula)

    # -- what the analyses read --------------------------------------------------------

    def declaration(self, signature: Signature) -> SignatureDecl:
        for decl in self.signatures:
            if decl.signature is signature:
                return decl
        raise KeyError(f"{signature.name} is not declared in {self.name}")

    def multiplicity_facts(self) -> list[Formula]:
        """The declared multiplicities, written out as the formulas they stand for."""
        facts: list[Formula] = []
        for decl in self.relations:
            if decl.multiplicity == "set":
                continue
            relation = decl.relation
            leading = relation.columns[:-1]
            variables = [
                Variable(_column_variable(sig, i, len(leading)), sig)
                for i, sig in enumerate(leading)
            ]
            image: Expr = relation
            for variable in variables:
                image = variable @ image
            formula: Formula = Multiplicity(decl.multiplicity, image)
            for variable in reversed(variables):
                formula = Quantified("all", variable, formula)
            facts.append(formula)
        return facts

    def all_facts(self) -> list[Formula]:
        return [*self.multiplicity_facts(), *self.facts]

    def bound_text(self) -> str:
        """The scope, as Alloy writes it after ``run`` or ``check``."""
        parts = []
        for decl in self.signatures:
            if decl.signature.atom_names is not None:
                continue  # enums are fixed, Alloy does not list them
            parts.append(f"{'exactly ' if decl.exact else ''}{decl.scope} {decl.signature.name}")
        return "for " + ", ".join(parts) if parts else "for the enums only"


def _column_variable(signature: Signature, index: int, count: int) -> str:
    base = signature.name[:1].lower() or "x"
    return base if count == 1 else f"{base}{index}"


def pred(name: str, formula: Formula) -> Named:
    """Name a formula, as Alloy's ``pred`` or ``assert`` does; claims print the name."""
    return Named(name, formula)
