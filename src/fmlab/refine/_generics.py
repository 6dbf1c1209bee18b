"""Type variables: matching a generic signature against a call, and what parametricity gives.

A function ``def first(xs: list[T]) -> T`` is checked once with ``T`` an uninterpreted
sort: its body can move ``T`` values around but not inspect them (comparing or testing
them is unsupported), so the proof holds for every ``T``. At a call, ``T`` is matched
against the arguments' types (:func:`unify`) and the signature read with it replaced
(:func:`substitute`).

Refinements come through an instantiation for free: since the body cannot make a ``T``,
what it returns is one of its ``T`` arguments or an element of one of its ``list[T]``
arguments (the "free theorem" of the type, :func:`membership`). So ``first(xs)`` on a
list whose elements are known to be positive is positive, without a second proof of
``first``; this is the tutorial's refinement of type variables by instantiation, with
the instantiation chosen per call as the strongest one the arguments allow.

>>> T = PyType(Kind.TYPEVAR, name="T")
>>> mapping: dict[str, PyType] = {}
>>> unify(list_of(T), list_of(INT), mapping), mapping
(True, {'T': int})
>>> substitute(T, mapping)
int
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import z3

from fmlab.refine._pytypes import INT, Kind, PyType, list_of
from fmlab.refine._values import Value, equal, fresh

__all__ = ["INT", "list_of", "membership", "substitute", "unify"]


def unify(pattern: PyType, actual: PyType, mapping: dict[str, PyType]) -> bool:
    """Match a declared type against an argument's type, binding type variables."""
    if pattern.kind is Kind.TYPEVAR:
        bound = mapping.get(pattern.name)
        if bound is None:
            if actual.kind in (Kind.TUPLE, Kind.NONE):
                return False  # a T stands for a value with one SMT term
            mapping[pattern.name] = actual.plain()
            return True
        return bound == actual
    if pattern.kind is not actual.kind or len(pattern.args) != len(actual.args):
        return False
    if pattern.kind in (Kind.OPAQUE, Kind.RECORD) and pattern.name != actual.name:
        return False
    return all(unify(p, a, mapping) for p, a in zip(pattern.args, actual.args, strict=True))


def substitute(pytype: PyType, mapping: Mapping[str, PyType]) -> PyType:
    """``pytype`` with its type variables replaced (unbound ones stay)."""
    if pytype.kind is Kind.TYPEVAR:
        return mapping.get(pytype.name, pytype)
    if not pytype.args:
        return pytype
    return replace(pytype, args=tuple(substitute(arg, mapping) for arg in pytype.args))


# [start:free-theorem]
def membership(
    result: Value,
    declared: Sequence[PyType],
    arguments: Sequence[Value],
    variable: str,
    element_facts: Callable[[Value, Value], list[z3.BoolRef]],
) -> z3.BoolRef | None:
    """The free theorem for a result of declared type ``variable``: it is one of the inputs.

    ``None`` when some parameter hides the type variable somewhere else (in a tuple, a
    nested list) where this formula would miss it.
    """
    choices: list[z3.BoolRef] = []
    for pytype, argument in zip(declared, arguments, strict=True):
        if not pytype.mentions_typevar():
            continue
        if pytype.kind is Kind.TYPEVAR:
            if pytype.name == variable:
                choices.append(equal(result, argument))
            continue
        if pytype.kind is Kind.LIST and pytype.args[0].kind is Kind.TYPEVAR:
            if pytype.args[0].name == variable:
                k = fresh("k", INT).int
                item = Value(argument.type.args[0], argument.term[k])
                choices.append(
                    z3.And(
                        k >= 0,
                        k < z3.Length(argument.term),
                        equal(result, item),
                        *element_facts(argument, item),
                    )
                )
            continue
        return None
    return z3.Or(*choices) if choices else z3.BoolVal(False)


# [end:free-theorem]


def shared_element(declared: Sequence[PyType], arguments: Sequence[Value], variable: str) -> PyType:
    """For a ``list[T]`` result: the element refinement every source of ``T`` values has.

    The result's elements come from the ``list[T]`` arguments (parametricity), so a
    refinement all of them share holds for the result's elements too.
    """
    texts = set()
    for pytype, argument in zip(declared, arguments, strict=True):
        if not pytype.mentions_typevar():
            continue
        if pytype.kind is Kind.LIST and pytype.args[0] == PyType(Kind.TYPEVAR, name=variable):
            element = argument.type.element
            texts.add(element.text if element is not None else None)
            continue
        return PyType(Kind.NONE)
    if len(texts) != 1 or None in texts:
        return PyType(Kind.NONE)
    for argument in arguments:
        if argument.type.element is not None and argument.type.element.text in texts:
            return argument.type
    return PyType(Kind.NONE)
