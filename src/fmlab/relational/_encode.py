"""Bounded translation of a relational model into z3 booleans, as Alloy's Kodkod does.

Every signature gets as many atoms as its scope, each with a boolean "is present"; every
possible tuple of a relation gets a boolean "is in the relation". An expression becomes a
*matrix*: a map from tuples of atoms to the z3 formula under which that tuple belongs to
it. Joins multiply matrices, unions add them, and a quantifier becomes a conjunction or
disjunction over the atoms of its signature. The solver then only sees propositional logic
(plus pseudo-boolean counting for ``one`` and ``lone``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import z3

from fmlab.core.instance import Instance
from fmlab.relational._model import Model
from fmlab.relational._syntax import (
    And,
    Atom,
    Closure,
    Constant,
    Difference,
    Equal,
    Expr,
    Formula,
    Implies,
    Intersection,
    Join,
    Multiplicity,
    Named,
    Not,
    Or,
    Product,
    Quantified,
    Relation,
    Signature,
    Subset,
    Transpose,
    Union,
    Variable,
)

TRUE = z3.BoolVal(True)
FALSE = z3.BoolVal(False)

Matrix = dict[tuple[int, ...], z3.BoolRef]
"""Tuples of atom indices that may belong to an expression, and when they do."""


def _or(terms: Iterable[z3.BoolRef]) -> z3.BoolRef:
    kept = []
    for term in terms:
        if z3.is_true(term):
            return TRUE
        if not z3.is_false(term):
            kept.append(term)
    if not kept:
        return FALSE
    return kept[0] if len(kept) == 1 else z3.Or(kept)


def _and(terms: Iterable[z3.BoolRef]) -> z3.BoolRef:
    kept = []
    for term in terms:
        if z3.is_false(term):
            return FALSE
        if not z3.is_true(term):
            kept.append(term)
    if not kept:
        return TRUE
    return kept[0] if len(kept) == 1 else z3.And(kept)


def _not(term: z3.BoolRef) -> z3.BoolRef:
    if z3.is_true(term):
        return FALSE
    if z3.is_false(term):
        return TRUE
    return z3.Not(term)


@dataclass(frozen=True)
class _Atoms:
    signature: Signature
    indices: tuple[int, ...]
    names: tuple[str, ...]


class Encoding:
    """The z3 variables for one model's atoms and relations, and the translation."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self._atoms: dict[Signature, _Atoms] = {}
        self.names: list[str] = []
        self.presence: list[z3.BoolRef] = []
        self.constraints: list[z3.BoolRef] = []
        for decl in model.signatures:
            sig = decl.signature
            first = len(self.names)
            names = sig.atom_names or tuple(f"{sig.name}{i}" for i in range(decl.scope))
            indices = tuple(range(first, first + len(names)))
            self._atoms[sig] = _Atoms(sig, indices, tuple(names))
            for position, name in enumerate(names):
                self.names.append(name)
                if decl.exact:
                    self.presence.append(TRUE)
                else:
                    present = z3.Bool(f"{name}?")
                    self.presence.append(present)
                    if position > 0:
                        # Symmetry breaking: atoms are used in order, so worlds that differ
                        # only in which anonymous atoms exist are not found twice.
                        self.constraints.append(
                            z3.Implies(present, self.presence[indices[position - 1]])
                        )
        self.relation_vars: dict[Relation, Matrix] = {}
        for rdecl in model.relations:
            relation = rdecl.relation
            matrix: Matrix = {}
            for atoms in self._tuples(relation.columns):
                var = z3.Bool(f"{relation.name}({','.join(self.names[a] for a in atoms)})")
                matrix[atoms] = var
                # A tuple may only mention atoms that exist.
                self.constraints.append(z3.Implies(var, _and(self.presence[a] for a in atoms)))
            self.relation_vars[relation] = matrix

    def _tuples(self, columns: tuple[Signature, ...]) -> list[tuple[int, ...]]:
        result: list[tuple[int, ...]] = [()]
        for column in columns:
            result = [(*t, a) for t in result for a in self._atoms_of(column).indices]
        return result

    def _atoms_of(self, signature: Signature) -> _Atoms:
        try:
            return self._atoms[signature]
        except KeyError:
            raise KeyError(f"{signature.name} is not declared in {self.model.name}") from None

    # -- expressions ------------------------------------------------------------------

    def expr(self, expr: Expr, env: Mapping[Variable, int]) -> Matrix:
        if isinstance(expr, Signature):
            return {(a,): self.presence[a] for a in self._atoms_of(expr).indices}
        if isinstance(expr, Relation):
            if expr not in self.relation_vars:
                raise KeyError(f"relation {expr.name} is not declared in {self.model.name}")
            return dict(self.relation_vars[expr])
        if isinstance(expr, Atom):
            atoms = self._atoms_of(expr.signature)
            return {(atoms.indices[atoms.names.index(expr.name)],): TRUE}
        if isinstance(expr, Variable):
            if expr not in env:
                raise ValueError(f"variable {expr.name} is used outside its quantifier")
            return {(env[expr],): TRUE}
        if isinstance(expr, Union):
            return self._union(self.expr(expr.left, env), self.expr(expr.right, env))
        if isinstance(expr, Intersection):
            left, right = self.expr(expr.left, env), self.expr(expr.right, env)
            return {t: _and([v, right[t]]) for t, v in left.items() if t in right}
        if isinstance(expr, Difference):
            left, right = self.expr(expr.left, env), self.expr(expr.right, env)
            return {t: _and([v, _not(right[t])]) if t in right else v for t, v in left.items()}
        if isinstance(expr, Join):
            return self._join(self.expr(expr.left, env), self.expr(expr.right, env))
        if isinstance(expr, Product):
            left, right = self.expr(expr.left, env), self.expr(expr.right, env)
            return {a + b: _and([u, v]) for a, u in left.items() for b, v in right.items()}
        if isinstance(expr, Transpose):
            return {(b, a): v for (a, b), v in self.expr(expr.inner, env).items()}
        if isinstance(expr, Closure):
            return self._closure(self.expr(expr.inner, env))
        raise TypeError(f"cannot translate expression {expr!r}")

    @staticmethod
    def _union(left: Matrix, right: Matrix) -> Matrix:
        merged = dict(left)
        for t, v in right.items():
            merged[t] = _or([merged[t], v]) if t in merged else v
        return merged

    @staticmethod
    def _join(left: Matrix, right: Matrix) -> Matrix:
        by_first: dict[int, list[tuple[tuple[int, ...], z3.BoolRef]]] = {}
        for t, v in right.items():
            by_first.setdefault(t[0], []).append((t[1:], v))
        terms: dict[tuple[int, ...], list[z3.BoolRef]] = {}
        for t, u in left.items():
            for rest, v in by_first.get(t[-1], []):
                terms.setdefault(t[:-1] + rest, []).append(_and([u, v]))
        return {t: _or(vs) for t, vs in terms.items()}

    def _closure(self, matrix: Matrix) -> Matrix:
        # Squaring doubles the path length each round; ceil(log2(n)) rounds reach every path
        # of n atoms.
        atoms = {a for t in matrix for a in t}
        result = dict(matrix)
        length = 1
        while length < max(1, len(atoms)):
            result = self._union(result, self._join(result, result))
            length *= 2
        return result

    # -- formulas ---------------------------------------------------------------------

    def formula(self, formula: Formula, env: Mapping[Variable, int] | None = None) -> z3.BoolRef:
        env = env or {}
        if isinstance(formula, Constant):
            return TRUE if formula.value else FALSE
        if isinstance(formula, Named):
            return self.formula(formula.body, env)
        if isinstance(formula, And):
            return _and([self.formula(formula.left, env), self.formula(formula.right, env)])
        if isinstance(formula, Or):
            return _or([self.formula(formula.left, env), self.formula(formula.right, env)])
        if isinstance(formula, Not):
            return _not(self.formula(formula.inner, env))
        if isinstance(formula, Implies):
            return _or([_not(self.formula(formula.left, env)), self.formula(formula.right, env)])
        if isinstance(formula, Subset):
            left, right = self.expr(formula.left, env), self.expr(formula.right, env)
            return _and(_or([_not(v), right.get(t, FALSE)]) for t, v in left.items())
        if isinstance(formula, Equal):
            left, right = self.expr(formula.left, env), self.expr(formula.right, env)
            keys = set(left) | set(right)
            return _and(left.get(t, FALSE) == right.get(t, FALSE) for t in sorted(keys))
        if isinstance(formula, Multiplicity):
            members = [v for v in self.expr(formula.expr, env).values() if not z3.is_false(v)]
            return _count(formula.keyword, members)
        if isinstance(formula, Quantified):
            atoms = self._atoms_of(formula.variable.signature)
            cases = []
            for a in atoms.indices:
                body = self.formula(formula.body, {**env, formula.variable: a})
                present = self.presence[a]
                if formula.quantifier == "all":
                    cases.append(_or([_not(present), body]))
                else:
                    cases.append(_and([present, body]))
            return _and(cases) if formula.quantifier == "all" else _or(cases)
        raise TypeError(f"cannot translate formula {formula!r}")

    # -- back from the solver ---------------------------------------------------------

    def decode(self, model: z3.ModelRef, *, title: str | None = None) -> Instance:
        """The instance a z3 model describes: present atoms and true tuples."""

        def holds(term: z3.BoolRef) -> bool:
            return bool(z3.is_true(model.eval(term, model_completion=True)))

        atoms = {
            sig.name: tuple(
                n for i, n in zip(info.indices, info.names, strict=True) if holds(self.presence[i])
            )
            for sig, info in self._atoms.items()
        }
        relations = {
            relation.name: frozenset(
                tuple(self.names[a] for a in t) for t, var in matrix.items() if holds(var)
            )
            for relation, matrix in self.relation_vars.items()
        }
        return Instance(atoms, relations, title=title)

    def size_terms(self) -> list[z3.BoolRef]:
        """The booleans whose number of true ones measures an instance's size."""
        terms = [t for t in self.presence if not z3.is_true(t) and not z3.is_false(t)]
        for matrix in self.relation_vars.values():
            terms.extend(matrix.values())
        return terms

    def blocking_clause(self, model: z3.ModelRef) -> z3.BoolRef:
        """A constraint that rules out exactly this model's instance."""
        same = [t == model.eval(t, model_completion=True) for t in self.size_terms()]
        return _not(_and(same))


def _count(keyword: str, members: list[z3.BoolRef]) -> z3.BoolRef:
    if keyword == "no":
        return _and(_not(m) for m in members)
    if keyword == "some":
        return _or(members)
    if not members:
        return TRUE if keyword == "lone" else FALSE
    weighted = [(m, 1) for m in members]
    if keyword == "one":
        return z3.PbEq(weighted, 1)
    return z3.PbLe(weighted, 1)
