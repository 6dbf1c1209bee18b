"""The Python types the checker understands, and how annotations are read into them.

``int`` and ``bool`` are SMT integers and booleans (Python ``int`` is unbounded, so is
the SMT ``Int``); ``str`` is an SMT string; ``list[T]`` an SMT sequence of ``T``;
``tuple[...]`` a tuple of values; class names and ``NewType`` names are *opaque*:
uninterpreted sorts the solver knows nothing about except through measures. ``float``
is opaque too: the checker does no float arithmetic rather than get it wrong.

>>> read_annotation(ast.parse('Annotated[list[int], "len(_) > 0"]', mode="eval").body,
...                 TypeNames({}, frozenset()))
(list[int], 'len(_) > 0'...)
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from fmlab.refine._unsupported import UnsupportedError


class Kind(enum.Enum):
    """Which kind of Python type a :class:`PyType` is (its other fields say the rest)."""

    INT = "int"
    BOOL = "bool"
    STR = "str"
    LIST = "list"
    TUPLE = "tuple"
    OPAQUE = "opaque"
    NONE = "None"
    RECORD = "record"
    TYPEVAR = "typevar"
    CALLABLE = "callable"


@dataclass(frozen=True)
class PyType:
    """A type: its kind, element types for ``list``/``tuple``, the name of an opaque type.

    A frozen dataclass is a ``RECORD``: ``name``, field types in ``args``, names in
    ``fields``. A ``TypeVar`` is a ``TYPEVAR`` named ``name``: opaque inside a generic
    function, replaced by the argument's type at each call. ``element`` is the refinement
    every element of a ``list[Annotated[T, "p"]]`` satisfies; it does not take part in
    equality (``list[int]`` is one type whatever its elements are known to satisfy).
    """

    kind: Kind
    args: tuple[PyType, ...] = ()
    name: str = ""
    fields: tuple[str, ...] = ()
    element: RefinementText | None = field(default=None, compare=False, repr=False)
    # For a CALLABLE (args: the parameter types, then the result type): the refinement
    # text of each, or None; like ``element``, not part of equality.
    refinements: tuple[RefinementText | None, ...] = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        if self.kind is Kind.LIST:
            return f"list[{self.args[0]}]"
        if self.kind is Kind.TUPLE:
            return f"tuple[{', '.join(map(str, self.args))}]"
        if self.kind is Kind.CALLABLE:
            return f"Callable[[{', '.join(map(str, self.args[:-1]))}], {self.args[-1]}]"
        if self.kind in (Kind.OPAQUE, Kind.RECORD, Kind.TYPEVAR):
            return self.name
        return str(self.kind.value)

    def plain(self) -> PyType:
        """The same type, forgetting what its elements were known to satisfy."""
        if self.refinements:
            return replace(self, element=None, refinements=())
        return replace(self, element=None) if self.element is not None else self

    def mentions_typevar(self) -> bool:
        return self.kind is Kind.TYPEVAR or any(arg.mentions_typevar() for arg in self.args)

    def typevars(self) -> set[str]:
        """The names of the type variables this type mentions."""
        own = {self.name} if self.kind is Kind.TYPEVAR else set()
        return own.union(*(arg.typevars() for arg in self.args))

    def __repr__(self) -> str:
        return str(self)


INT = PyType(Kind.INT)
BOOL = PyType(Kind.BOOL)
STR = PyType(Kind.STR)
NONE = PyType(Kind.NONE)


def list_of(element: PyType) -> PyType:
    return PyType(Kind.LIST, (element,))


def opaque(name: str) -> PyType:
    return PyType(Kind.OPAQUE, name=name)


@dataclass(frozen=True)
class RefinementText:
    """A predicate as the user wrote it, and where: the string's first character."""

    text: str
    line: int
    column: int

    def __repr__(self) -> str:
        return repr(self.text) + "..."


@dataclass(frozen=True)
class TypeNames:
    """The names a file gives types: aliases (``Text = str``) and opaque names."""

    aliases: Mapping[str, PyType]
    opaque: frozenset[str]
    typevars: frozenset[str] = frozenset()


_BASE = {"int": INT, "bool": BOOL, "str": STR, "None": NONE, "float": opaque("float")}
_LIST_NAMES = {"list", "List", "Sequence"}
_TUPLE_NAMES = {"tuple", "Tuple"}


def _name_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.attr  # typing.Annotated, t.List
    return None


def read_type(node: ast.expr, names: TypeNames) -> PyType:
    """The type an annotation denotes, refusing ``Annotated`` (see :func:`read_annotation`)."""
    pytype, refinement = read_annotation(node, names)
    if refinement is not None:
        raise UnsupportedError.at(node, "a refinement nested inside another type")
    return pytype


def read_annotation(node: ast.expr, names: TypeNames) -> tuple[PyType, RefinementText | None]:
    """The type of an annotation and its refinement text, if it is ``Annotated[T, "p"]``."""
    if isinstance(node, ast.Constant) and node.value is None:
        return NONE, None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        # A string annotation (a forward reference): read what it says.
        try:
            inner = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            raise UnsupportedError.at(
                node, f"unreadable string annotation {node.value!r}"
            ) from None
        return read_annotation(ast.copy_location(inner, node), names)
    name = _name_of(node)
    if name is not None:
        if name in names.aliases:
            return names.aliases[name], None
        if name in _BASE:
            return _BASE[name], None
        if name in names.typevars:
            return PyType(Kind.TYPEVAR, name=name), None
        if name in names.opaque:
            return opaque(name), None
        raise UnsupportedError.at(node, f"type {name!r}")
    if isinstance(node, ast.Subscript):
        head = _name_of(node.value)
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head == "Annotated":
            return _annotated(node, items, names)
        if head in _LIST_NAMES and len(items) == 1:
            # list[Annotated[T, "p"]]: every element satisfies p (a fact when one is read,
            # an obligation for every element when a list is passed or returned as such).
            element, element_refinement = read_annotation(items[0], names)
            if element.kind in (Kind.TUPLE, Kind.NONE):
                raise UnsupportedError.at(node, f"list of {element}")
            if element_refinement is not None and element.kind is Kind.LIST:
                raise UnsupportedError.at(node, "a refinement on the elements of nested lists")
            return PyType(Kind.LIST, (element,), element=element_refinement), None
        if head == "Callable":
            return _callable(node, items, names), None
        if head in _TUPLE_NAMES and items:
            if any(isinstance(item, ast.Constant) and item.value is Ellipsis for item in items):
                raise UnsupportedError.at(node, "variable-length tuple type")
            return PyType(Kind.TUPLE, tuple(read_type(item, names) for item in items)), None
        raise UnsupportedError.at(node, f"type {ast.unparse(node)!r}")
    raise UnsupportedError.at(node, f"type annotation {ast.unparse(node)!r}")


def _callable(node: ast.Subscript, items: list[ast.expr], names: TypeNames) -> PyType:
    """``Callable[[A, B], R]``, each of ``A``, ``B``, ``R`` possibly ``Annotated``: a function
    passed in and called (first-order use: it is not stored, compared or returned)."""
    if len(items) != 2 or not isinstance(items[0], ast.List):
        raise UnsupportedError.at(node, "Callable other than Callable[[A, ...], R]")
    types: list[PyType] = []
    texts: list[RefinementText | None] = []
    for item in [*items[0].elts, items[1]]:
        pytype, refinement = read_annotation(item, names)
        if pytype.kind in (Kind.TUPLE, Kind.CALLABLE, Kind.TYPEVAR) or (
            pytype.kind is Kind.NONE and item is not items[1]
        ):
            raise UnsupportedError.at(item, f"Callable with a {pytype} in its signature")
        types.append(pytype)
        texts.append(refinement)
    return PyType(Kind.CALLABLE, tuple(types), "Callable", refinements=tuple(texts))


def _annotated(
    node: ast.Subscript, items: list[ast.expr], names: TypeNames
) -> tuple[PyType, RefinementText | None]:
    if len(items) != 2:
        raise UnsupportedError.at(node, "Annotated with other than one type and one predicate")
    pytype = read_type(items[0], names)
    metadata = items[1]
    if not (isinstance(metadata, ast.Constant) and isinstance(metadata.value, str)):
        raise UnsupportedError.at(metadata, "Annotated metadata that is not a predicate string")
    # +2 skips the column of the quote: predicate columns then point into the string.
    return pytype, RefinementText(metadata.value, metadata.lineno, metadata.col_offset + 2)
