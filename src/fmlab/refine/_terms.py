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

from collections.abc import Collection, Iterable, Iterator, Sequence

import z3
from z3 import z3core

# The walks below go through z3's C API on raw AST pointers: z3's Python objects cost an
# allocation and two reference-count calls each, and the checker walks hundreds of
# thousands of subterms over a corpus (the walk was a quarter of the corpus's time). A raw
# pointer is borrowed from its parent, which the caller's formulas keep alive; only the
# subterms handed back are wrapped as z3 objects again.
_APP = z3.Z3_APP_AST
_QUANTIFIER = z3.Z3_QUANTIFIER_AST


def _walk(
    formulas: Iterable[z3.ExprRef], seen: set[int], *, into_quantifiers: bool
) -> Iterator[tuple[z3.Context, object, int]]:
    """``(context, raw term, z3 id)`` for every subterm not in ``seen``, which gains them."""
    for formula in formulas:
        context = formula.ctx
        ref = context.ref()
        stack = [formula.as_ast()]
        while stack:
            raw = stack.pop()
            key = z3core.Z3_get_ast_id(ref, raw)
            if key in seen:
                continue
            seen.add(key)
            yield context, raw, key
            kind = z3core.Z3_get_ast_kind(ref, raw)
            if kind == _APP:
                count = z3core.Z3_get_app_num_args(ref, raw)
                stack.extend(z3core.Z3_get_app_arg(ref, raw, i) for i in range(count))
            elif kind == _QUANTIFIER and into_quantifiers:
                stack.append(z3core.Z3_get_quantifier_body(ref, raw))


def _wrap(context: z3.Context, raw: object) -> z3.ExprRef:
    return z3.z3._to_expr_ref(raw, context)  # the subclass that fits its sort, as z3 builds


def conjunction(terms: Sequence[z3.BoolRef]) -> z3.BoolRef:
    """``z3.And(*terms)`` for z3 Booleans of one context, the same term built in one C call
    (z3.And checks and coerces every argument in Python: 32 us for four against 4; the
    checker builds tens of thousands over a corpus)."""
    if not terms:
        return z3.BoolVal(True)
    context = terms[0].ctx
    array = (z3.Ast * len(terms))(*[term.as_ast() for term in terms])
    return z3.BoolRef(z3core.Z3_mk_and(context.ref(), len(terms), array), context)


def implication(premise: z3.BoolRef, conclusion: z3.BoolRef) -> z3.BoolRef:
    """``z3.Implies(premise, conclusion)`` for two z3 Booleans, in one C call."""
    context = premise.ctx
    return z3.BoolRef(
        z3core.Z3_mk_implies(context.ref(), premise.as_ast(), conclusion.as_ast()), context
    )


def subterms(formulas: Iterable[z3.ExprRef]) -> Iterator[z3.ExprRef]:
    """Every distinct subterm of ``formulas`` (quantifier bodies included), each once."""
    for context, raw, _ in _walk(formulas, set(), into_quantifiers=True):
        yield _wrap(context, raw)


def applications(
    formulas: Iterable[z3.ExprRef],
    seen: set[int],
    *,
    kinds: Collection[int],
    ids: Collection[int] = (),
) -> list[z3.ExprRef]:
    """The subterms of ``formulas`` outside quantifiers and not yet in ``seen`` that apply a
    declaration of one of ``kinds`` (``Z3_OP_...``) to at least one argument, or whose id is
    in ``ids``; ``seen`` gains every subterm visited, so a second call skips them.

    Not inside quantifiers: a subterm there may use a bound variable.
    """
    found = []
    for context, raw, key in _walk(formulas, seen, into_quantifiers=False):
        ref = context.ref()
        if key in ids or (
            z3core.Z3_get_ast_kind(ref, raw) == _APP
            and z3core.Z3_get_app_num_args(ref, raw) > 0
            and z3core.Z3_get_decl_kind(ref, z3core.Z3_get_app_decl(ref, raw)) in kinds
        ):
            found.append(_wrap(context, raw))
    return found


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


__all__ = [
    "applications",
    "conjunction",
    "free_constants",
    "implication",
    "reads",
    "subterms",
    "uninterpreted_names",
]
