"""A second strategy for queries the sequence theory gets lost in.

z3's sequence solver looks for a model by trying longer and longer sequences, so a
counterexample that needs a list of 10,000 elements (binary search's ``low + high``
overflowing a bound) is not found within any reasonable budget, although only its *length*
matters. When a query uses its lists only through ``len(xs)`` and reads ``xs[i]``, the list
is fully described by an integer ``n`` and a function ``f`` (``xs == [f(0), ..., f(n-1)]``):
the query with those in place is equisatisfiable, and arithmetic solves it at once. Its
model gives a concrete list, and the original query is solved once more with the lists fixed
to it, so the witness is a model of the real query and replays as any other.

The first try is z3's simple solver (its SMT core with little preprocessing, which answers
the small queries most obligations make sooner), for a quarter of the budget or a quarter of
a second, whichever is shorter. Only a query it has not answered is walked for its lists and
given to the strategy; when the strategy cannot help (a list is sliced, concatenated or
compared whole), z3's default solver, preprocessing included, gets the rest of the budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import z3

from fmlab.core.solving import Outcome, Satisfiability, default_timeout_ms, solve

FIRST_SHARE = 4
"""The plain solver's first try gets 1/FIRST_SHARE of the budget, ..."""
FIRST_MS = 250
"""... and at most this many milliseconds: the corpus's list queries that the plain solver
answers take at most 60 ms, so a longer first try only delays the ones it cannot answer."""
MAX_ELEMENTS = 200_000
"""Longest list the strategy writes out as a literal."""


@dataclass
class _Lists:
    """The list constants of a query and how each is used: its length, its reads."""

    lengths: dict[int, z3.ExprRef] = field(default_factory=dict)
    reads: dict[int, list[z3.ExprRef]] = field(default_factory=dict)
    constants: dict[int, z3.ExprRef] = field(default_factory=dict)


def _element_sort_ok(sequence: z3.ExprRef) -> bool:
    sort = sequence.sort()
    if not isinstance(sort, z3.SeqSortRef) or sort.is_string():
        return False
    element = sort.basis()
    return bool(element == z3.IntSort() or element == z3.BoolSort())


def _lists_of(formula: z3.ExprRef) -> _Lists | None:
    """The list constants of ``formula`` if each is used only by length and reads, else None."""
    found = _Lists()
    seen: set[int] = set()
    stack = [formula]
    while stack:
        term = stack.pop()
        if term.get_id() in seen:
            continue
        seen.add(term.get_id())
        if z3.is_quantifier(term):
            return None
        if not z3.is_app(term):
            continue
        for position, child in enumerate(term.children()):
            if not isinstance(child.sort(), z3.SeqSortRef):
                stack.append(child)
                continue
            is_list_constant = z3.is_const(child) and child.decl().kind() == z3.Z3_OP_UNINTERPRETED
            if not is_list_constant or not _element_sort_ok(child):
                return None
            key = child.get_id()
            found.constants[key] = child
            if z3.is_app_of(term, z3.Z3_OP_SEQ_LENGTH):
                found.lengths[key] = term
            elif z3.is_app_of(term, z3.Z3_OP_SEQ_NTH) and position == 0:
                found.reads.setdefault(key, []).append(term)
                stack.append(term.arg(1))
            else:
                return None  # compared, concatenated, sliced: not described by n and f
        if isinstance(term.sort(), z3.SeqSortRef) and not z3.is_const(term):
            return None
    return found


def _by_length_and_reads(formula: z3.BoolRef, lists: _Lists, timeout_ms: int) -> Outcome | None:
    """Solve ``formula`` with each list as a length and a read function; None if no help."""
    pairs: list[tuple[z3.ExprRef, z3.ExprRef]] = []
    sizes: dict[int, z3.ArithRef] = {}
    items: dict[int, z3.FuncDeclRef] = {}
    for key, sequence in lists.constants.items():
        basis = sequence.sort().basis()
        sizes[key] = z3.FreshInt(f"len_{sequence}")
        items[key] = z3.FreshFunction(z3.IntSort(), basis)
        if key in lists.lengths:
            pairs.append((lists.lengths[key], sizes[key]))
        for read in lists.reads.get(key, []):
            pairs.append((read, items[key](read.arg(1))))
    abstract = z3.substitute(formula, *pairs) if pairs else formula
    nonnegative = [size >= 0 for size in sizes.values()]
    outcome = solve([abstract, *nonnegative], timeout_ms=timeout_ms)
    if outcome.status is not Satisfiability.SAT:
        return outcome if outcome.status is Satisfiability.UNSAT else None
    model = outcome.model
    assert model is not None
    fixed = []
    for key, sequence in lists.constants.items():
        size = model.eval(sizes[key], model_completion=True).as_long()
        if size > MAX_ELEMENTS:
            return None
        basis = sequence.sort().basis()
        default = z3.IntVal(0) if basis == z3.IntSort() else z3.BoolVal(False)
        elements = [default] * size
        for read in lists.reads.get(key, []):
            index = model.eval(z3.substitute(read.arg(1), *pairs), model_completion=True)
            if z3.is_int_value(index) and 0 <= index.as_long() < size:
                value = model.eval(items[key](index), model_completion=True)
                elements[index.as_long()] = value
        literal = (
            z3.Empty(sequence.sort())
            if not elements
            else z3.Concat(*[z3.Unit(e) for e in elements])
            if size > 1
            else z3.Unit(elements[0])
        )
        fixed.append(sequence == literal)
    confirmed = solve([formula, *fixed], timeout_ms=timeout_ms)
    return confirmed if confirmed.status is Satisfiability.SAT else None


def solve_violation(violation: z3.BoolRef, *, timeout_ms: int | None) -> Outcome:
    """Whether ``violation`` is satisfiable: the plain solver first, then the portfolio."""
    budget = timeout_ms if timeout_ms is not None else default_timeout_ms()
    window = max(1, min(budget // FIRST_SHARE, FIRST_MS))
    # z3's simple solver first: it answers the small queries most obligations make faster
    # than the default one, whose preprocessing is kept for the queries it does not answer.
    first = solve([violation], timeout_ms=window, simple=True)
    if first.status is not Satisfiability.UNKNOWN or window >= budget:
        return first
    # Only now is the query walked for its lists: nearly every query is answered above.
    rest = max(1, budget - window)
    lists = _lists_of(violation)
    if lists is None or not lists.constants:
        return solve([violation], timeout_ms=rest)
    second = _by_length_and_reads(violation, lists, rest // 2)
    if second is not None:
        return second
    return solve([violation], timeout_ms=rest // 2)


__all__ = ["solve_violation"]
