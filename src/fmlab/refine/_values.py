"""Symbolic values: a Python type paired with the z3 term that stands for it.

Tuples are kept as Python tuples of values (no SMT datatype needed); ``None`` has no
term. Everything else is one z3 term: ``Int``, ``Bool``, ``String``, ``Seq`` or an
uninterpreted sort named after the opaque type.

>>> x = fresh("x", list_of(INT))
>>> x.term.sort()
Seq(Int)
>>> decode(z3.Unit(z3.IntVal(3)), list_of(INT))
[3]
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import z3
from z3 import z3core

from fmlab.refine._pytypes import BOOL, INT, NONE, STR, Kind, PyType, list_of

__all__ = ["BOOL", "INT", "NONE", "STR", "Value", "decode", "encode", "fresh", "list_of", "sort"]

_counter = itertools.count()


def sort(pytype: PyType) -> z3.SortRef:
    """The z3 sort of a type that has one (not tuples, not ``None``)."""
    if pytype.kind is Kind.INT:
        return z3.IntSort()
    if pytype.kind is Kind.BOOL:
        return z3.BoolSort()
    if pytype.kind is Kind.STR:
        return z3.StringSort()
    if pytype.kind is Kind.LIST:
        return z3.SeqSort(sort(pytype.args[0]))
    if pytype.kind in (Kind.OPAQUE, Kind.TYPEVAR):
        return z3.DeclareSort(pytype.name)
    if pytype.kind is Kind.CALLABLE:
        # A function value is opaque: what is known of it is what its calls return.
        return z3.DeclareSort(str(pytype.plain()))
    if pytype.kind is Kind.RECORD:
        return record_sort(pytype)
    raise ValueError(f"{pytype} has no SMT sort")


_RECORDS: dict[PyType, z3.DatatypeSortRef] = {}


def record_sort(pytype: PyType) -> z3.DatatypeSortRef:
    """A frozen dataclass as an SMT datatype with one constructor and one accessor per field.

    Declared once per type: two declarations of the same name would be different sorts.
    """
    plain = _plain_record(pytype)
    found = _RECORDS.get(plain)
    if found is None:
        datatype = z3.Datatype(pytype.name)
        datatype.declare(
            pytype.name,
            *[
                (f"{pytype.name}.{name}", sort(arg))
                for name, arg in zip(pytype.fields, pytype.args, strict=True)
            ],
        )
        found = datatype.create()
        _RECORDS[plain] = found
    return found


def _plain_record(pytype: PyType) -> PyType:
    return PyType(
        Kind.RECORD, tuple(arg.plain() for arg in pytype.args), pytype.name, pytype.fields
    )


def field_term(record: z3.ExprRef, pytype: PyType, name: str) -> z3.ExprRef:
    """The term for ``record.name``."""
    datatype = record_sort(pytype)
    return datatype.accessor(0, pytype.fields.index(name))(record)


class RecordValue(dict[str, Any]):
    """A dataclass instance in a counterexample: its fields, shown as ``Point(x=1, y=2)``."""

    def __init__(self, record: str, fields: dict[str, Any]) -> None:
        super().__init__(fields)
        self.record = record

    def __repr__(self) -> str:
        inside = ", ".join(f"{name}={value!r}" for name, value in self.items())
        return f"{self.record}({inside})"


@dataclass(frozen=True)
class Value:
    """A symbolic Python value."""

    type: PyType
    term: Any = None
    items: tuple[Value, ...] = ()

    @property
    def int(self) -> z3.ArithRef:
        return self.term

    @property
    def bool(self) -> z3.BoolRef:
        return self.term

    def constants(self) -> list[z3.ExprRef]:
        """The z3 constants this value is made of (for tuples, all components)."""
        if self.type.kind is Kind.TUPLE:
            return [c for item in self.items for c in item.constants()]
        return [] if self.term is None else [self.term]


def fresh(name: str, pytype: PyType, *, exact_name: bool = False) -> Value:
    """A new unconstrained value of ``pytype``; ``exact_name`` keeps ``name`` as is."""
    label = name if exact_name else f"{name}!{next(_counter)}"
    if pytype.kind is Kind.TUPLE:
        return Value(
            pytype,
            None,
            tuple(
                fresh(f"{label}[{i}]", arg, exact_name=True) for i, arg in enumerate(pytype.args)
            ),
        )
    if pytype.kind is Kind.NONE:
        return Value(NONE)
    return Value(pytype, z3.Const(label, sort(pytype)))


def equal(left: Value, right: Value) -> z3.BoolRef:
    """Equality of two values of the same type."""
    if left.type.kind is Kind.TUPLE:
        return z3.And(*[equal(a, b) for a, b in zip(left.items, right.items, strict=True)])
    if left.type.kind is Kind.NONE:
        return z3.BoolVal(True)
    return left.term == right.term


def decode(term: z3.ExprRef, pytype: PyType) -> Any:
    """A model's value for ``term`` as a plain Python value (opaque values as text)."""
    kind = pytype.kind
    if kind is Kind.INT:
        return term.as_long() if z3.is_int_value(term) else str(term)
    if kind is Kind.BOOL:
        return z3.is_true(term)
    if kind is Kind.STR:
        return term.as_string() if z3.is_string_value(term) else str(term)
    if kind is Kind.LIST:
        return [decode(item, pytype.args[0]) for item in _sequence_items(term)]
    if kind is Kind.RECORD and z3.is_app(term) and term.num_args() == len(pytype.fields):
        return RecordValue(
            pytype.name,
            {
                name: decode(term.arg(index), arg)
                for index, (name, arg) in enumerate(zip(pytype.fields, pytype.args, strict=True))
            },
        )
    if kind is Kind.CALLABLE:
        return Unwritten(f"<some {pytype}>")
    return f"<{pytype} {term}>"


class Unwritten(str):
    """A witness value that has no Python literal (a function): shown as is, unquoted."""

    def __repr__(self) -> str:
        return str(self)


def _sequence_items(term: z3.ExprRef) -> list[z3.ExprRef]:
    # A model's sequence is a concatenation of units, or the empty sequence; a long one is
    # nested thousands deep, so it is read with a stack rather than by recursion, and on
    # z3's raw pointers (a witness list of 10,000 elements took over a second through z3's
    # Python objects). Only the elements are wrapped again.
    whole = z3.simplify(term)
    context = whole.ctx
    ref = context.ref()
    items: list[z3.ExprRef] = []
    stack = [whole.as_ast()]
    while stack:
        raw = stack.pop()
        kind = (
            z3core.Z3_get_decl_kind(ref, z3core.Z3_get_app_decl(ref, raw))
            if z3core.Z3_get_ast_kind(ref, raw) == z3.Z3_APP_AST
            else None
        )
        if kind == z3.Z3_OP_SEQ_EMPTY:
            continue
        if kind == z3.Z3_OP_SEQ_UNIT:
            item = z3.z3._to_expr_ref(z3core.Z3_get_app_arg(ref, raw, 0), context)
            # Model values are literals already; simplifying 10,000 of them costs seconds.
            items.append(item if _is_value(item) else z3.simplify(item))
        elif kind == z3.Z3_OP_SEQ_CONCAT:
            count = z3core.Z3_get_app_num_args(ref, raw)
            stack.extend(z3core.Z3_get_app_arg(ref, raw, i) for i in reversed(range(count)))
        else:
            raise ValueError(f"cannot read sequence {z3.z3._to_expr_ref(raw, context)}")
    return items


def _is_value(term: z3.ExprRef) -> bool:
    return bool(z3.is_int_value(term) or z3.is_true(term) or z3.is_false(term))


def encode(value: Any, pytype: PyType) -> z3.ExprRef:
    """The z3 literal for a plain Python value (the inverse of :func:`decode`)."""
    kind = pytype.kind
    if kind is Kind.INT:
        return z3.IntVal(value)
    if kind is Kind.BOOL:
        return z3.BoolVal(value)
    if kind is Kind.STR:
        return z3.StringVal(value)
    if kind is Kind.LIST:
        element = sort(pytype.args[0])
        if not value:
            return z3.Empty(z3.SeqSort(element))
        units = [z3.Unit(encode(item, pytype.args[0])) for item in value]
        return units[0] if len(units) == 1 else z3.Concat(*units)
    if kind is Kind.RECORD:
        constructor = record_sort(pytype).constructor(0)
        return constructor(
            *[
                encode(value[name], arg)
                for name, arg in zip(pytype.fields, pytype.args, strict=True)
            ]
        )
    raise ValueError(f"no literal for a value of type {pytype}")


def replayable(pytype: PyType) -> bool:
    """Whether a value of this type can be written as a Python literal."""
    if pytype.kind in (Kind.OPAQUE, Kind.TYPEVAR, Kind.CALLABLE):
        return False
    return all(replayable(arg) for arg in pytype.args)
