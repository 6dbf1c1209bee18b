"""Termination of recursive functions: which metric decreases at every recursive call.

A recursive call assumes the signature being checked, which is only sound when recursion
ends. So every recursive call must make a *metric* smaller, in a well-founded order:

* ``#@ decreases e1, e2`` (on a line between the ``def`` and its body) names the metric: a
  tuple of integer expressions compared lexicographically, as LiquidHaskell and Dafny do.
  At each call, some component ``k`` must go down while staying ``>= 0``, the ones before
  it being unchanged.
* Without a hint, the default tries the parameters' sizes, in order (ints by value, lists
  and strings by ``len``): first the whole tuple lexicographically, which is Dafny's guess
  (its reference manual: the list of the function's arguments, in the order given); then
  any order of them, found greedily: a size that no call increases and some calls decrease
  (staying ``>= 0``) takes care of those calls, and the rest must be handled by the next
  size (the search of Bulwahn, Krauss and Nipkow's lexicographic termination proofs).
* When no order of the sizes works, each call must at least decrease the tuple or one of
  the sizes; a call that does neither is a counterexample (``unsafe``). If every call does
  one or the other but no single order covers them all, the function is ``unknown`` with a
  request for a hint.

A metric that cannot be read (a syntax error, a name it cannot see, not an integer) makes
its function unsupported, at the metric's line; the other functions are checked as usual.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import z3

from fmlab.core.errors import InputError
from fmlab.core.solving import Satisfiability, solve
from fmlab.refine._predicates import Predicate, parse_predicate, split_top_level
from fmlab.refine._pytypes import Kind
from fmlab.refine._state import State
from fmlab.refine._unsupported import UnsupportedError
from fmlab.refine._values import Value

SEARCH_TIMEOUT_MS = 2000
"""Budget of one validity check while searching for an order of the parameters' sizes."""


@dataclass(frozen=True)
class Metric:
    """A lexicographic termination metric: its components, and whether the user wrote it."""

    components: tuple[Predicate, ...]
    given: bool

    @property
    def text(self) -> str:
        return ", ".join(component.text for component in self.components)

    @property
    def shown(self) -> str:
        """The metric as a message shows it: ``n`` alone, or a tuple ``(m, n)``."""
        return self.text if len(self.components) == 1 else f"({self.text})"


@dataclass(frozen=True)
class RecursiveCall:
    """A recursive call met on one path: where, the path's facts, the arguments."""

    node: ast.AST
    state: State
    bindings: Mapping[str, Value]


def read_decreases(text: str, *, source: str | None, line: int, column: int) -> Metric:
    """The metric of a ``#@ decreases`` line (an input error when it does not parse)."""
    components = []
    for offset, piece in split_top_level(text, ","):
        components.append(parse_predicate(piece, source=source, line=line, column=column + offset))
    return Metric(tuple(components), given=True)


def metric_of(
    node: ast.FunctionDef,
    params: Sequence[tuple[str, Kind]],
    decreases: Mapping[int, Metric | InputError],
    source: str | None,
) -> Metric | None:
    """The metric of a function: its ``#@ decreases`` (read into ``decreases``, by line),
    else the sizes of its parameters (``params``: names and kinds, in order).

    A ``#@ decreases`` line that does not parse makes the function unsupported (raised).
    """
    first_body_line = node.body[0].lineno if node.body else node.lineno
    for line in range(node.lineno, first_body_line):
        if line in decreases:
            found = decreases[line]
            if isinstance(found, InputError):
                raise UnsupportedError(
                    f"termination metric: {found.message}", line, found.column or 1
                )
            return found
    components = []
    for name, kind in params:
        text = None
        if kind is Kind.INT:
            text = name
        elif kind in (Kind.LIST, Kind.STR):
            text = f"len({name})"
        if text is not None:
            components.append(parse_predicate(text, source=source, line=node.lineno, column=1))
    return Metric(tuple(components), given=False) if components else None


Measure = Callable[[Predicate, Mapping[str, Value]], z3.ArithRef]
"""Evaluates one component of a metric where its names have the given values."""


# [start:decreases]
def lexicographic(befores: Sequence[z3.ArithRef], afters: Sequence[z3.ArithRef]) -> z3.BoolRef:
    """``afters`` is below ``befores``: equal up to some component, which goes down to >= 0."""
    options = []
    for k, (before, after) in enumerate(zip(befores, afters, strict=True)):
        same = [afters[j] == befores[j] for j in range(k)]
        options.append(z3.And(*same, after >= 0, after < before))
    return z3.Or(*options)


# [end:decreases]


def some_decreases(befores: Sequence[z3.ArithRef], afters: Sequence[z3.ArithRef]) -> z3.BoolRef:
    """The weakest check a call must pass: the tuple or one of its components goes down."""
    singles = [
        z3.And(after >= 0, after < before) for before, after in zip(befores, afters, strict=True)
    ]
    return z3.Or(lexicographic(befores, afters), *singles)


def _valid(state: State, goal: z3.BoolRef) -> bool:
    outcome = solve([*state.facts, z3.Not(goal)], timeout_ms=SEARCH_TIMEOUT_MS)
    return outcome.status is Satisfiability.UNSAT


@dataclass(frozen=True)
class Plan:
    """What each recursive call must show, and how a failure is worded."""

    goals: tuple[z3.BoolRef, ...]
    message: str
    search_failed: bool = False


def plan(
    metric: Metric,
    calls: Sequence[RecursiveCall],
    entry: Mapping[str, Value],
    measure: Measure,
) -> Plan:
    """The obligations that prove termination with ``metric`` (an order found by the search
    is checked here, and its obligations are proved again with the function's others)."""
    befores = [measure(component, entry) for component in metric.components]
    afters = [
        [measure(component, call.bindings) for component in metric.components] for call in calls
    ]
    must = "recursive call may not terminate"
    if metric.given or len(metric.components) == 1:
        goals = tuple(lexicographic(befores, after) for after in afters)
        if len(metric.components) == 1:
            return Plan(goals, f"{must}: `{metric.text}` must decrease and stay >= 0")
        return Plan(goals, f"{must}: `{metric.shown}` must decrease")
    whole = [lexicographic(befores, after) for after in afters]
    if all(_valid(call.state, goal) for call, goal in zip(calls, whole, strict=True)):
        return Plan(tuple(whole), f"{must}: `{metric.shown}` must decrease")
    order = _greedy_order(befores, afters, calls)
    if order is not None:
        goals = tuple(_ordered_goal(befores, after, order) for after in afters)
        names = ", ".join(metric.components[k].text for k, _ in order)
        return Plan(goals, f"{must}: `({names})` must decrease")
    goals = tuple(some_decreases(befores, after) for after in afters)
    return Plan(
        goals,
        f"{must}: neither `{metric.shown}` nor one of its sizes decreases "
        "(add #@ decreases EXPR after the def line)",
        search_failed=True,
    )


def _greedy_order(
    befores: Sequence[z3.ArithRef],
    afters: Sequence[Sequence[z3.ArithRef]],
    calls: Sequence[RecursiveCall],
) -> list[tuple[int, frozenset[int]]] | None:
    """An order of the components: each with the calls it decreases, or None."""
    remaining = set(range(len(calls)))
    order: list[tuple[int, frozenset[int]]] = []
    unused = list(range(len(befores)))
    while remaining:
        for k in unused:
            if not all(_valid(calls[c].state, afters[c][k] <= befores[k]) for c in remaining):
                continue
            strict = frozenset(
                c
                for c in remaining
                if _valid(calls[c].state, z3.And(afters[c][k] >= 0, afters[c][k] < befores[k]))
            )
            if strict:
                order.append((k, strict))
                unused.remove(k)
                remaining -= strict
                break
        else:
            return None
    return order


def _ordered_goal(
    befores: Sequence[z3.ArithRef],
    after: Sequence[z3.ArithRef],
    order: Sequence[tuple[int, frozenset[int]]],
) -> z3.BoolRef:
    """The found order as one goal per call: some size in the order goes down (to >= 0)
    while the sizes before it in the order do not go up."""
    options = []
    for position, (k, _) in enumerate(order):
        earlier = [after[j] <= befores[j] for j, _ in order[:position]]
        options.append(z3.And(*earlier, after[k] >= 0, after[k] < befores[k]))
    return z3.Or(*options)


def runtime_decreases(before: Sequence[int], after: Sequence[int], *, given: bool) -> bool:
    """The run-time check of a recursive call, as the static one states it.

    A written metric must decrease lexicographically; the default must decrease as a
    tuple or in one of its sizes (every order the checker may find implies that).
    """
    lowered = next((k for k, (b, a) in enumerate(zip(before, after, strict=True)) if a != b), None)
    tuple_ok = lowered is not None and 0 <= after[lowered] < before[lowered]
    if given:
        return tuple_ok
    return tuple_ok or any(0 <= a < b for b, a in zip(before, after, strict=True))


__all__ = ["Metric", "Plan", "RecursiveCall", "metric_of", "plan", "read_decreases"]
