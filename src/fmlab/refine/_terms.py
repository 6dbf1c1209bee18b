"""Walking z3 terms: every distinct subterm once, and what the walk is used for.

A verification condition is a DAG (the same path fact is shared by many obligations), so
each walk visits a subterm once, by its z3 id, and also looks inside quantifier bodies.
The Horn back end asks which constants a clause has and whether it is plain arithmetic;
modular counterexamples ask which uninterpreted names a formula mentions; the
instantiation of list facts asks for the reads ``xs[i]`` a formula makes.

>>> x, y = z3.Ints("x y")
>>> sorted(str(c) for c in free_constants([x + y > 0, x == 1]))
['x', 'y']
>>> sorted(uninterpreted_names([z3.Function("f", z3.IntSort(), z3.IntSort())(x) > 0]))
['f', 'x']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import z3


def subterms(formulas: Iterable[z3.ExprRef]) -> Iterator[z3.ExprRef]:
    """Every distinct subterm of ``formulas`` (quantifier bodies included), each once."""
    seen: set[int] = set()
    stack = list(formulas)
    while stack:
        term = stack.pop()
        key = term.get_id()
        if key in seen:
            continue
        seen.add(key)
        yield term
        if z3.is_app(term):
            stack.extend(term.children())
        elif z3.is_quantifier(term):
            stack.append(term.body())


def is_uninterpreted_constant(term: z3.ExprRef) -> bool:
    return bool(z3.is_const(term) and term.decl().kind() == z3.Z3_OP_UNINTERPRETED)


def free_constants(formulas: Iterable[z3.ExprRef]) -> list[z3.ExprRef]:
    """The uninterpreted constants of ``formulas``, sorted by name (a stable order)."""
    found = {term.get_id(): term for term in subterms(formulas) if is_uninterpreted_constant(term)}
    return sorted(found.values(), key=str)


def uninterpreted_names(formulas: Iterable[z3.ExprRef]) -> set[str]:
    """The names of the uninterpreted constants and functions ``formulas`` apply."""
    return {
        term.decl().name()
        for term in subterms(formulas)
        if z3.is_app(term) and term.decl().kind() == z3.Z3_OP_UNINTERPRETED
    }


def reads(formulas: Iterable[z3.ExprRef]) -> list[tuple[z3.ExprRef, z3.ExprRef]]:
    """``(sequence, index)`` for every element read ``seq.nth`` in ``formulas``."""
    return [
        (term.arg(0), term.arg(1))
        for term in subterms(formulas)
        if z3.is_app_of(term, z3.Z3_OP_SEQ_NTH)
    ]


__all__ = ["free_constants", "reads", "subterms", "uninterpreted_names"]
