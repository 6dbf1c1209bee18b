"""Concrete evaluation of relational terms on one instance, with plain Python sets.

This is deliberately a second, independent implementation of the semantics: the
analyses replay every instance the solver finds through it before showing it, so a bug in
the z3 translation shows up as an unconfirmed witness instead of a wrong picture.

>>> from fmlab.core.instance import Instance
>>> from fmlab.relational._syntax import Signature, Relation, some
>>> Person = Signature("Person")
>>> parent = Relation("parent", (Person, Person))
>>> world = Instance.build({"Person": ["Ann", "Bob"]}, {"parent": [("Bob", "Ann")]})
>>> sorted(evaluate(~parent, world))
[('Ann', 'Bob')]
>>> holds(some(parent @ parent), world)
False
"""

from __future__ import annotations

from collections.abc import Mapping

from fmlab.core.instance import Instance
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

Tuples = frozenset[tuple[str, ...]]


def evaluate(expr: Expr, instance: Instance, env: Mapping[Variable, str] | None = None) -> Tuples:
    """The set of tuples ``expr`` denotes in ``instance``."""
    env = env or {}
    if isinstance(expr, Signature):
        return frozenset((a,) for a in instance.atoms.get(expr.name, ()))
    if isinstance(expr, Relation):
        return frozenset(instance.relations.get(expr.name, frozenset()))
    if isinstance(expr, Atom):
        present = expr.name in instance.atoms.get(expr.signature.name, ())
        return frozenset({(expr.name,)}) if present else frozenset()
    if isinstance(expr, Variable):
        return frozenset({(env[expr],)})
    if isinstance(expr, Union):
        return evaluate(expr.left, instance, env) | evaluate(expr.right, instance, env)
    if isinstance(expr, Intersection):
        return evaluate(expr.left, instance, env) & evaluate(expr.right, instance, env)
    if isinstance(expr, Difference):
        return evaluate(expr.left, instance, env) - evaluate(expr.right, instance, env)
    if isinstance(expr, Join):
        left, right = evaluate(expr.left, instance, env), evaluate(expr.right, instance, env)
        return frozenset(a[:-1] + b[1:] for a in left for b in right if a[-1] == b[0])
    if isinstance(expr, Product):
        left, right = evaluate(expr.left, instance, env), evaluate(expr.right, instance, env)
        return frozenset(a + b for a in left for b in right)
    if isinstance(expr, Transpose):
        return frozenset((b, a) for a, b in evaluate(expr.inner, instance, env))
    if isinstance(expr, Closure):
        return _closure(evaluate(expr.inner, instance, env))
    raise TypeError(f"cannot evaluate {expr!r}")


def _closure(pairs: Tuples) -> Tuples:
    # Add compositions until nothing new appears (a fixpoint, not a bounded unrolling).
    result = set(pairs)
    while True:
        step = {(a, d) for a, b in result for c, d in result if b == c}
        if step <= result:
            return frozenset(result)
        result |= step


def holds(formula: Formula, instance: Instance, env: Mapping[Variable, str] | None = None) -> bool:
    """Whether ``formula`` is true in ``instance``."""
    env = env or {}
    if isinstance(formula, Constant):
        return formula.value
    if isinstance(formula, Named):
        return holds(formula.body, instance, env)
    if isinstance(formula, And):
        return holds(formula.left, instance, env) and holds(formula.right, instance, env)
    if isinstance(formula, Or):
        return holds(formula.left, instance, env) or holds(formula.right, instance, env)
    if isinstance(formula, Not):
        return not holds(formula.inner, instance, env)
    if isinstance(formula, Implies):
        return not holds(formula.left, instance, env) or holds(formula.right, instance, env)
    if isinstance(formula, Subset):
        return evaluate(formula.left, instance, env) <= evaluate(formula.right, instance, env)
    if isinstance(formula, Equal):
        return evaluate(formula.left, instance, env) == evaluate(formula.right, instance, env)
    if isinstance(formula, Multiplicity):
        size = len(evaluate(formula.expr, instance, env))
        return {"no": size == 0, "some": size >= 1, "one": size == 1, "lone": size <= 1}[
            formula.keyword
        ]
    if isinstance(formula, Quantified):
        atoms = instance.atoms.get(formula.variable.signature.name, ())
        results = (holds(formula.body, instance, {**env, formula.variable: a}) for a in atoms)
        return all(results) if formula.quantifier == "all" else any(results)
    raise TypeError(f"cannot evaluate {formula!r}")
