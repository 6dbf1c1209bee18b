"""The language of relational models: expressions denote relations, formulas are claims.

It is the core of Alloy's logic, written as Python objects. Operators follow Alloy where
Python allows, and printing a term gives its Alloy text:

=============  ===========  ==========================================
Alloy          Python       meaning
=============  ===========  ==========================================
``a + b``      ``a + b``    union
``a & b``      ``a & b``    intersection
``a - b``      ``a - b``    difference
``a . b``      ``a @ b``    join (for binary relations: composition)
``a -> b``     ``a * b``    product
``~a``         ``~a``       transpose of a binary relation
``^a``         ``a.closure()``  transitive closure
``a in b``     ``a.in_(b)``  subset
``a = b``      ``a.eq(b)``   equality
``no a``       ``no(a)``     also ``some``, ``one``, ``lone``
=============  ===========  ==========================================

``@`` stands for join because joining binary relations is multiplying their boolean
matrices. Formulas combine with ``&``, ``|``, ``~`` and :meth:`Formula.implies`;
quantifiers are :func:`all_` and :func:`exists`.

>>> from fmlab.relational._syntax import Signature, Relation, all_, no
>>> Person = Signature("Person")
>>> parent = Relation("parent", (Person, Person))
>>> str(all_(Person, lambda p: no(p & p @ parent.closure())))
'all p: Person | no p & p.^parent'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

# ---------------------------------------------------------------------------- expressions


class Expr:
    """A relational expression. Subclasses are frozen dataclasses."""

    def arity(self) -> int:
        raise NotImplementedError

    def __add__(self, other: Expr) -> Expr:
        return Union(self, other)

    def __and__(self, other: Expr) -> Expr:
        return Intersection(self, other)

    def __sub__(self, other: Expr) -> Expr:
        return Difference(self, other)

    def __matmul__(self, other: Expr) -> Expr:
        return Join(self, other)

    def __mul__(self, other: Expr) -> Expr:
        return Product(self, other)

    def __invert__(self) -> Expr:
        return Transpose(self)

    def closure(self) -> Expr:
        return Closure(self)

    def in_(self, other: Expr) -> Formula:
        return Subset(self, other)

    def eq(self, other: Expr) -> Formula:
        return Equal(self, other)


@dataclass(frozen=True, eq=False)
class Signature(Expr):
    """A set of atoms (Alloy's ``sig``). Identity matters: two signatures may share a name
    only by mistake, and :class:`~fmlab.relational._model.Model` rejects that."""

    name: str
    atom_names: tuple[str, ...] | None = None
    """Fixed atoms (an Alloy ``enum``); ``None`` means anonymous atoms up to the scope."""

    def arity(self) -> int:
        return 1

    def __str__(self) -> str:
        return self.name

    def __getitem__(self, atom: str) -> Expr:
        """The singleton set of a named atom of an enum signature (``Effect["Allow"]``)."""
        if self.atom_names is None or atom not in self.atom_names:
            raise KeyError(f"{self.name} has no atom named {atom!r}")
        return Atom(self, atom)


@dataclass(frozen=True, eq=False)
class Relation(Expr):
    """A relation variable whose columns range over the given signatures."""

    name: str
    columns: tuple[Signature, ...]

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError(f"relation {self.name!r} needs at least one column")

    def arity(self) -> int:
        return len(self.columns)

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, eq=False)
class Atom(Expr):
    """The singleton set of one named atom of an enum signature."""

    signature: Signature
    name: str

    def arity(self) -> int:
        return 1

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, eq=False)
class Variable(Expr):
    """A quantified variable: a singleton set drawn from ``signature``."""

    name: str
    signature: Signature

    def arity(self) -> int:
        return 1

    def __str__(self) -> str:
        return self.name


def _check_same_arity(kind: str, left: Expr, right: Expr) -> None:
    if left.arity() != right.arity():
        raise TypeError(
            f"{kind} of relations of different arity: {left} ({left.arity()}) "
            f"and {right} ({right.arity()})"
        )


@dataclass(frozen=True, eq=False)
class _SetOperation(Expr):
    """Union, intersection and difference: two relations of one arity give a third."""

    left: Expr
    right: Expr
    operation: ClassVar[str]
    symbol: ClassVar[str]

    def __post_init__(self) -> None:
        _check_same_arity(self.operation, self.left, self.right)

    def arity(self) -> int:
        return self.left.arity()

    def __str__(self) -> str:
        # Alloy binds & tighter than + and -, so only those two need parentheses.
        text = f"{self.left} {self.symbol} {self.right}"
        return text if self.symbol == "&" else f"({text})"


class Union(_SetOperation):
    operation, symbol = "union", "+"


class Intersection(_SetOperation):
    operation, symbol = "intersection", "&"


class Difference(_SetOperation):
    operation, symbol = "difference", "-"


@dataclass(frozen=True, eq=False)
class Join(Expr):
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        if self.left.arity() + self.right.arity() < 3:
            raise TypeError(f"join of two sets is not a relation: {self.left}.{self.right}")

    def arity(self) -> int:
        return self.left.arity() + self.right.arity() - 2

    def __str__(self) -> str:
        # Alloy's dot associates to the left, so a join on the right needs parentheses.
        right = f"({self.right})" if isinstance(self.right, Join) else str(self.right)
        return f"{self.left}.{right}"


@dataclass(frozen=True, eq=False)
class Product(Expr):
    left: Expr
    right: Expr

    def arity(self) -> int:
        return self.left.arity() + self.right.arity()

    def __str__(self) -> str:
        return f"({self.left} -> {self.right})"


@dataclass(frozen=True, eq=False)
class Transpose(Expr):
    inner: Expr

    def __post_init__(self) -> None:
        if self.inner.arity() != 2:
            raise TypeError(f"transpose needs a binary relation, got {self.inner}")

    def arity(self) -> int:
        return 2

    def __str__(self) -> str:
        return f"~{self.inner}"


@dataclass(frozen=True, eq=False)
class Closure(Expr):
    inner: Expr

    def __post_init__(self) -> None:
        if self.inner.arity() != 2:
            raise TypeError(f"closure needs a binary relation, got {self.inner}")

    def arity(self) -> int:
        return 2

    def __str__(self) -> str:
        return f"^{self.inner}"


# ---------------------------------------------------------------------------- formulas


class Formula:
    """A claim about relations. Subclasses are frozen dataclasses."""

    def __and__(self, other: Formula) -> Formula:
        return And(self, other)

    def __or__(self, other: Formula) -> Formula:
        return Or(self, other)

    def __invert__(self) -> Formula:
        return Not(self)

    def implies(self, other: Formula) -> Formula:
        return Implies(self, other)

    def iff(self, other: Formula) -> Formula:
        return And(Implies(self, other), Implies(other, self))


@dataclass(frozen=True, eq=False)
class Subset(Formula):
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        _check_same_arity("subset", self.left, self.right)

    def __str__(self) -> str:
        return f"{self.left} in {self.right}"


@dataclass(frozen=True, eq=False)
class Equal(Formula):
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        _check_same_arity("equality", self.left, self.right)

    def __str__(self) -> str:
        return f"{self.left} = {self.right}"


@dataclass(frozen=True, eq=False)
class Multiplicity(Formula):
    """``no``, ``some``, ``one`` or ``lone`` applied to an expression."""

    keyword: str
    expr: Expr

    def __post_init__(self) -> None:
        if self.keyword not in ("no", "some", "one", "lone"):
            raise ValueError(f"unknown multiplicity {self.keyword!r}")

    def __str__(self) -> str:
        return f"{self.keyword} {self.expr}"


@dataclass(frozen=True, eq=False)
class And(Formula):
    left: Formula
    right: Formula

    def __str__(self) -> str:
        return f"({self.left} and {self.right})"


@dataclass(frozen=True, eq=False)
class Or(Formula):
    left: Formula
    right: Formula

    def __str__(self) -> str:
        return f"({self.left} or {self.right})"


@dataclass(frozen=True, eq=False)
class Not(Formula):
    inner: Formula

    def __str__(self) -> str:
        return f"not {self.inner}"


@dataclass(frozen=True, eq=False)
class Implies(Formula):
    left: Formula
    right: Formula

    def __str__(self) -> str:
        return f"({self.left} implies {self.right})"


@dataclass(frozen=True, eq=False)
class Constant(Formula):
    value: bool

    def __str__(self) -> str:
        return "true" if self.value else "false"


@dataclass(frozen=True, eq=False)
class Quantified(Formula):
    """``all`` or ``some`` over the atoms of a signature (one variable per quantifier)."""

    quantifier: str
    variable: Variable
    body: Formula

    def __str__(self) -> str:
        keyword = "all" if self.quantifier == "all" else "some"
        return f"{keyword} {self.variable}: {self.variable.signature} | {self.body}"


@dataclass(frozen=True, eq=False)
class Named(Formula):
    """A formula with a name (a ``pred`` or ``assert``), printed by name in claims."""

    name: str
    body: Formula = field(repr=False)

    def __str__(self) -> str:
        return self.name


TRUE = Constant(True)
FALSE = Constant(False)


def _variable_name(body: Callable[..., Formula], position: int) -> str:
    # Name the variable after the lambda's parameter so printed formulas read like Alloy.
    # Variables are compared by identity, so two quantifiers may reuse a name safely.
    code = getattr(body, "__code__", None)
    if code is not None and code.co_argcount > position:
        name = str(code.co_varnames[position])
        return "x" if name == "_" else name
    return f"x{position}"


def _quantify(
    quantifier: str, signatures: tuple[Signature, ...], body: Callable[..., Formula]
) -> Formula:
    if not signatures:
        raise TypeError("a quantifier needs at least one signature")
    variables = [Variable(_variable_name(body, i), sig) for i, sig in enumerate(signatures)]
    formula = body(*variables)
    if not isinstance(formula, Formula):
        raise TypeError(f"a quantifier's body must return a Formula, got {type(formula).__name__}")
    for variable in reversed(variables):
        formula = Quantified(quantifier, variable, formula)
    return formula


def all_(*args: Signature | Callable[..., Formula]) -> Formula:
    """``all x: A, y: B | body(x, y)``: pass the signatures, then the body as a function."""
    *signatures, body = args
    if not callable(body) or isinstance(body, Expr):
        raise TypeError("all_(Sig, ..., lambda x, ...: formula)")
    return _quantify("all", tuple(_as_signature(s) for s in signatures), body)


def exists(*args: Signature | Callable[..., Formula]) -> Formula:
    """``some x: A | body(x)`` (named ``exists`` because ``some`` tests non-emptiness)."""
    *signatures, body = args
    if not callable(body) or isinstance(body, Expr):
        raise TypeError("exists(Sig, ..., lambda x, ...: formula)")
    return _quantify("some", tuple(_as_signature(s) for s in signatures), body)


def _as_signature(value: object) -> Signature:
    if not isinstance(value, Signature):
        raise TypeError(f"quantifiers range over signatures, got {value!r}")
    return value


def no(expr: Expr) -> Formula:
    return Multiplicity("no", expr)


def some(expr: Expr) -> Formula:
    return Multiplicity("some", expr)


def one(expr: Expr) -> Formula:
    return Multiplicity("one", expr)


def lone(expr: Expr) -> Formula:
    return Multiplicity("lone", expr)


def conjunction(*formulas: Formula) -> Formula:
    """All of ``formulas`` (``true`` when there are none)."""
    result: Formula = TRUE
    for formula in formulas:
        result = formula if result is TRUE else And(result, formula)
    return result
