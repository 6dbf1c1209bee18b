"""Symbolic execution of plain Python functions over integers and booleans, with z3.

The Python function itself runs, on stand-in values: :class:`SymInt` and :class:`SymBool`
carry z3 terms through arithmetic and comparisons. Where the function *branches* on one
(``if``, ``and``, ``not``, ``min``, a ``match`` guard...), Python asks for a truth value;
the stand-in answers from a list of decisions and records the branch condition. Running
the function again with each feasible list of decisions (z3 prunes the infeasible ones)
gives every path: its condition and its result. This is how the inductive proof encodes
``update``, the invariants and ``valid``, without a second implementation of Python.

What is supported: ``+ - * // % abs``, comparisons, ``== !=``, ``not and or``,
``& | ^ ~`` on booleans, ``min``/``max``, conditional expressions, ``isinstance`` and
``match`` on message classes, dataclass construction and ``dataclasses.replace``.
Anything that needs a concrete number (``str(n)``, ``range(n)``, indexing, hashing, a
float) stops the run with :class:`Unsupported`, which names the operation, and so does a
function with more than ``max_paths`` paths (a loop that depends on a symbolic number).

>>> import z3
>>> x = SymInt(z3.Int("x"))
>>> paths = enumerate_paths(lambda v: v + 1 if v > 0 else -v)
>>> [(str(p.guard()), str(as_term(p.result))) for p in paths(x)]
[('0 < x', 'x + 1'), ('Not(0 < x)', '-x')]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import z3

from fmlab.core.solving import new_solver


class Unsupported(Exception):  # noqa: N818 (a verdict, not an error of the program)
    """The function did something the symbolic encoding does not cover."""


class _Decisions:
    """The branch decisions of one run: replayed from ``prefix``, then chosen."""

    def __init__(self, prefix: list[bool], assumptions: list[z3.BoolRef], limit: int) -> None:
        self.prefix = prefix
        self.assumptions = assumptions
        self.condition: list[z3.BoolRef] = []
        self.taken: list[bool] = []
        self.alternatives: list[list[bool]] = []
        self.limit = limit
        self.solver = new_solver()

    def decide(self, term: z3.BoolRef) -> bool:
        simple = z3.simplify(term)
        if z3.is_true(simple):
            return True
        if z3.is_false(simple):
            return False
        position = len(self.taken)
        if position >= self.limit:
            raise Unsupported(
                f"more than {self.limit} branches on symbolic values in one run "
                "(a loop whose end depends on a symbolic number?)"
            )
        if position < len(self.prefix):
            choice = self.prefix[position]
        else:
            can_true = self._feasible(term)
            can_false = self._feasible(z3.Not(term))
            choice = can_true
            if can_true and can_false:
                self.alternatives.append([*self.taken, False])
        self.taken.append(choice)
        self.condition.append(term if choice else z3.Not(term))
        return choice

    def _feasible(self, term: z3.BoolRef) -> bool:
        self.solver.push()
        self.solver.add(*self.assumptions, *self.condition, term)
        answer = self.solver.check()
        self.solver.pop()
        # "unknown" keeps the branch: a path too many is harmless, one too few is not.
        return bool(answer != z3.unsat)


_active: list[_Decisions] = []


def _decide(term: z3.BoolRef) -> bool:
    if not _active:
        raise Unsupported("a symbolic value was used outside a symbolic run")
    return _active[-1].decide(term)


def _int_term(value: object, operation: str) -> z3.ArithRef:
    if isinstance(value, SymInt):
        return value.term
    if isinstance(value, bool):
        return z3.IntVal(int(value))
    if isinstance(value, int):
        return z3.IntVal(value)
    raise Unsupported(f"{operation} with a {type(value).__name__}")


class SymInt:
    """An integer known only as a z3 term. Python's semantics: ``//`` and ``%`` floor."""

    __slots__ = ("term",)

    def __init__(self, term: z3.ArithRef) -> None:
        self.term = term

    def _binary(self, other: object, name: str, build: Callable[[Any, Any], Any]) -> SymInt:
        if not isinstance(other, SymInt | int):
            result: SymInt = NotImplemented
            return result
        return SymInt(build(self.term, _int_term(other, name)))

    def __add__(self, other: object) -> SymInt:
        return self._binary(other, "+", lambda a, b: a + b)

    def __radd__(self, other: object) -> SymInt:
        return self._binary(other, "+", lambda a, b: b + a)

    def __sub__(self, other: object) -> SymInt:
        return self._binary(other, "-", lambda a, b: a - b)

    def __rsub__(self, other: object) -> SymInt:
        return self._binary(other, "-", lambda a, b: b - a)

    def __mul__(self, other: object) -> SymInt:
        return self._binary(other, "*", lambda a, b: a * b)

    def __rmul__(self, other: object) -> SymInt:
        return self._binary(other, "*", lambda a, b: b * a)

    def __floordiv__(self, other: object) -> SymInt:
        return SymInt(_floor_div(self.term, _nonzero(_int_term(other, "//"))))

    def __rfloordiv__(self, other: object) -> SymInt:
        return SymInt(_floor_div(_int_term(other, "//"), _nonzero(self.term)))

    def __mod__(self, other: object) -> SymInt:
        return SymInt(_floor_mod(self.term, _nonzero(_int_term(other, "%"))))

    def __rmod__(self, other: object) -> SymInt:
        return SymInt(_floor_mod(_int_term(other, "%"), _nonzero(self.term)))

    def __neg__(self) -> SymInt:
        return SymInt(-self.term)

    def __pos__(self) -> SymInt:
        return self

    def __abs__(self) -> SymInt:
        return SymInt(z3.If(self.term < 0, -self.term, self.term))

    def _compare(self, other: object, build: Callable[[Any, Any], Any]) -> SymBool:
        if not isinstance(other, SymInt | int):
            result: SymBool = NotImplemented
            return result
        return SymBool(build(self.term, _int_term(other, "comparison")))

    def __lt__(self, other: object) -> SymBool:
        return self._compare(other, lambda a, b: a < b)

    def __le__(self, other: object) -> SymBool:
        return self._compare(other, lambda a, b: a <= b)

    def __gt__(self, other: object) -> SymBool:
        return self._compare(other, lambda a, b: a > b)

    def __ge__(self, other: object) -> SymBool:
        return self._compare(other, lambda a, b: a >= b)

    def __eq__(self, other: object) -> SymBool:  # type: ignore[override]
        if isinstance(other, SymInt | int):
            return self._compare(other, lambda a, b: a == b)
        return SymBool(z3.BoolVal(False))

    def __ne__(self, other: object) -> SymBool:  # type: ignore[override]
        if isinstance(other, SymInt | int):
            return self._compare(other, lambda a, b: a != b)
        return SymBool(z3.BoolVal(True))

    def __bool__(self) -> bool:
        return _decide(self.term != 0)

    def __hash__(self) -> int:
        raise Unsupported("hashing a symbolic integer (in a set or as a dict key)")

    def __index__(self) -> int:
        raise Unsupported("a symbolic integer used as an index, a length or a range")

    def __int__(self) -> int:
        raise Unsupported("int() of a symbolic integer")

    def __float__(self) -> float:
        raise Unsupported("a symbolic integer turned into a float")

    def __truediv__(self, other: object) -> Any:
        raise Unsupported("/ (true division gives a float)")

    __rtruediv__ = __truediv__

    def __pow__(self, other: object) -> Any:
        raise Unsupported("** on a symbolic integer")

    def __str__(self) -> str:
        raise Unsupported("str() or formatting of a symbolic integer")

    def __format__(self, spec: str) -> str:
        raise Unsupported("formatting a symbolic integer")

    def __repr__(self) -> str:
        return f"SymInt({self.term})"


class SymBool:
    """A boolean known only as a z3 term; branching on it forks the run."""

    __slots__ = ("term",)

    def __init__(self, term: z3.BoolRef) -> None:
        self.term = term

    def __bool__(self) -> bool:
        return _decide(self.term)

    def _logic(self, other: object, build: Callable[[Any, Any], Any]) -> SymBool:
        if isinstance(other, SymBool):
            return SymBool(build(self.term, other.term))
        if isinstance(other, bool):
            return SymBool(build(self.term, z3.BoolVal(other)))
        result: SymBool = NotImplemented
        return result

    def __and__(self, other: object) -> SymBool:
        return self._logic(other, z3.And)

    __rand__ = __and__

    def __or__(self, other: object) -> SymBool:
        return self._logic(other, z3.Or)

    __ror__ = __or__

    def __xor__(self, other: object) -> SymBool:
        return self._logic(other, z3.Xor)

    __rxor__ = __xor__

    def __invert__(self) -> Any:
        raise Unsupported("~ on a boolean (it is -2 or -1 in Python): write 'not'")

    def __eq__(self, other: object) -> SymBool:  # type: ignore[override]
        if isinstance(other, SymBool | bool):
            return self._logic(other, lambda a, b: a == b)
        return SymBool(z3.BoolVal(False))

    def __ne__(self, other: object) -> SymBool:  # type: ignore[override]
        if isinstance(other, SymBool | bool):
            return self._logic(other, lambda a, b: a != b)
        return SymBool(z3.BoolVal(True))

    def __hash__(self) -> int:
        raise Unsupported("hashing a symbolic boolean (in a set or as a dict key)")

    def __index__(self) -> int:
        raise Unsupported("a symbolic boolean used as a number")

    def __add__(self, other: object) -> Any:
        raise Unsupported("arithmetic on a boolean")

    __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __add__

    def __str__(self) -> str:
        raise Unsupported("str() or formatting of a symbolic boolean")

    def __format__(self, spec: str) -> str:
        raise Unsupported("formatting a symbolic boolean")

    def __repr__(self) -> str:
        return f"SymBool({self.term})"


def _nonzero(term: z3.ArithRef) -> z3.ArithRef:
    if _decide(term == 0):
        raise ZeroDivisionError("integer division or modulo by zero")
    return term


def _floor_div(a: z3.ArithRef, b: z3.ArithRef) -> z3.ArithRef:
    # SMT-LIB's div rounds so that the remainder is non-negative; Python floors. They
    # agree for a positive divisor; for a negative one, floor(a/b) = floor(-a/-b).
    return z3.If(b > 0, a / b, (-a) / (-b))


def _floor_mod(a: z3.ArithRef, b: z3.ArithRef) -> z3.ArithRef:
    return a - b * _floor_div(a, b)


def as_term(value: object) -> z3.ExprRef:
    """A result value as a z3 term (symbolic, or a concrete int or bool)."""
    if isinstance(value, SymInt | SymBool):
        return value.term
    if isinstance(value, bool):
        return z3.BoolVal(value)
    if isinstance(value, int):
        return z3.IntVal(value)
    raise Unsupported(f"a {type(value).__name__} where an int or a bool was expected")


@dataclass(frozen=True)
class Path:
    """One way through the function: when ``condition`` holds, it returns ``result``
    (or raises ``raised``)."""

    condition: tuple[z3.BoolRef, ...]
    result: Any = None
    raised: BaseException | None = None

    def guard(self) -> z3.BoolRef:
        if not self.condition:
            return z3.BoolVal(True)
        return self.condition[0] if len(self.condition) == 1 else z3.And(*self.condition)


def enumerate_paths(
    function: Callable[..., Any],
    *,
    assumptions: tuple[z3.BoolRef, ...] = (),
    max_paths: int = 256,
    max_branches: int = 64,
) -> Callable[..., list[Path]]:
    """A runner that returns every feasible path of ``function`` on the given arguments.

    ``assumptions`` restrict the inputs (paths infeasible under them are not explored).
    :class:`Unsupported` is raised for unsupported operations and past ``max_paths``.
    An exception the function raises on a path is kept as that path's ``raised``.
    """

    def run(*args: Any) -> list[Path]:
        paths: list[Path] = []
        pending: list[list[bool]] = [[]]
        while pending:
            if len(paths) >= max_paths:
                raise Unsupported(f"more than {max_paths} paths")
            decisions = _Decisions(pending.pop(), list(assumptions), max_branches)
            _active.append(decisions)
            try:
                result = function(*args)
            except Unsupported:
                raise
            except Exception as error:
                paths.append(Path(tuple(decisions.condition), raised=error))
            else:
                paths.append(Path(tuple(decisions.condition), result))
            finally:
                _active.pop()
            pending.extend(reversed(decisions.alternatives))
        return paths

    return run
