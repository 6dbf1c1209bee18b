"""The result type of a function written without ``-> T``, read off its ``return`` statements.

Python code often leaves the return annotation out. The checker then looks at what the
function returns: when every ``return`` has one clear base type (``int``, ``bool``, ``str``,
a list of one of them, a tuple, a frozen dataclass, ``None``), that is the result type, and
its refinement is inferred as for ``-> int`` (:mod:`fmlab.refine._results`). When the
returns disagree or one of them cannot be typed from the text alone (a call to an unknown
function, arithmetic on a float), the function is unsupported, and only that function.

The reading is syntactic and deliberately small: a local's type is the type of the first
value assigned to it; a recursive call stands for "the type the other returns give".
Whatever it concludes is then *checked*: the symbolic run of the function verifies every
return against the type found, so a wrong guess is an error or an unsupported construct,
never a silent proof. Falling off the end returns ``None``, which the run reports when the
other returns are not ``None``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping

from fmlab.refine._pytypes import (
    BOOL,
    INT,
    NONE,
    STR,
    Kind,
    PyType,
    TypeNames,
    list_of,
    read_annotation,
)
from fmlab.refine._unsupported import UnsupportedError

SELF = PyType(Kind.TYPEVAR, name="<its own result>")
"""The type of a recursive call while the result type is being read: whatever the rest says."""

ResultOf = Callable[[str], PyType | None]
"""The result type of a module-level function or constructor, by name (None: not known)."""


def _unify(first: PyType | None, second: PyType | None) -> PyType | None:
    if first is None or second is None:
        return None
    if first == SELF:
        return second
    if second == SELF:
        return first
    if first.kind is Kind.LIST and second.kind is Kind.LIST:
        element = _unify(first.args[0], second.args[0])
        return list_of(element) if element is not None else None
    return first.plain() if first.plain() == second.plain() else None


class _Reader:
    """Types of expressions inside one function, from its parameters and assignments."""

    def __init__(
        self,
        name: str,
        local: dict[str, PyType],
        names: TypeNames,
        constants: Mapping[str, int | bool | str],
        result_of: ResultOf,
    ) -> None:
        self.name = name
        self.local = local
        self.names = names
        self.constants = constants
        self.result_of = result_of

    def type_of(self, node: ast.expr) -> PyType | None:
        if isinstance(node, ast.Constant):
            return _constant_type(node.value)
        if isinstance(node, ast.Name):
            if node.id in self.local:
                return self.local[node.id]
            if node.id in self.constants:
                return _constant_type(self.constants[node.id])
            return None
        if isinstance(node, ast.Compare):
            return BOOL
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return BOOL
            operand = self.type_of(node.operand)
            return INT if operand in (INT, SELF) else None
        if isinstance(node, ast.BoolOp):
            return _all_same([self.type_of(value) for value in node.values])
        if isinstance(node, ast.IfExp):
            return _unify(self.type_of(node.body), self.type_of(node.orelse))
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Subscript):
            return self._subscript(node)
        if isinstance(node, ast.Attribute):
            record = self.type_of(node.value)
            if record is not None and record.kind is Kind.RECORD and node.attr in record.fields:
                return record.args[record.fields.index(node.attr)]
            return None
        if isinstance(node, ast.List):
            if not node.elts:
                return list_of(SELF)  # an empty list: its elements are the other returns'
            elements = [
                self._spliced(e.value) if isinstance(e, ast.Starred) else self.type_of(e)
                for e in node.elts
            ]
            element = _all_same(elements)
            return list_of(element) if element is not None else None
        if isinstance(node, ast.Tuple):
            items = [self.type_of(item) for item in node.elts]
            if any(item is None or item == SELF for item in items):
                return None
            return PyType(Kind.TUPLE, tuple(item for item in items if item is not None))
        return None

    def _spliced(self, node: ast.expr) -> PyType | None:
        spliced = self.type_of(node)
        if spliced is not None and spliced.kind is Kind.LIST:
            return spliced.args[0]
        return None

    def _binop(self, node: ast.BinOp) -> PyType | None:
        left, right = self.type_of(node.left), self.type_of(node.right)
        if isinstance(node.op, ast.Div):
            return None  # a float
        both = _unify(left, right)
        if both is None:
            # list * n, n * list and str * n repeat their sequence.
            if isinstance(node.op, ast.Mult) and INT in (left, right):
                other = right if left == INT else left
                return other if other is not None and other.kind in (Kind.LIST, Kind.STR) else None
            return None
        if both.kind in (Kind.INT, Kind.BOOL):
            return INT  # True + 1 is an int
        if both == SELF:
            return SELF
        if isinstance(node.op, ast.Add) and both.kind in (Kind.STR, Kind.LIST):
            return both
        return None

    def _call(self, node: ast.Call) -> PyType | None:
        if not isinstance(node.func, ast.Name):
            return None
        callee = node.func.id
        if callee == self.name:
            return SELF
        if callee in ("len", "int"):
            return INT
        if callee in ("bool", "isinstance"):
            return BOOL
        if callee == "str":
            return STR
        if callee in ("abs", "min", "max") and node.args:
            return _all_same([self.type_of(arg) for arg in node.args])
        return self.result_of(callee)

    def _subscript(self, node: ast.Subscript) -> PyType | None:
        container = self.type_of(node.value)
        if container is None:
            return None
        if container.kind in (Kind.STR, Kind.LIST) and isinstance(node.slice, ast.Slice):
            return container
        if container.kind is Kind.STR:
            return STR
        if container.kind is Kind.LIST:
            return container.args[0].plain()
        if (
            container.kind is Kind.TUPLE
            and isinstance(node.slice, ast.Constant)
            and type(node.slice.value) is int
            and -len(container.args) <= node.slice.value < len(container.args)
        ):
            return container.args[node.slice.value]
        return None

    def read_locals(self, body: list[ast.stmt]) -> None:
        """Give each local the type of the first value assigned to it (an empty list's element
        type from a later one); twice, as a local may be assigned from one assigned further
        down, in a loop."""
        for _ in range(2):
            for statement in _own_statements(body):
                if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                    try:
                        pytype, _ = read_annotation(statement.annotation, self.names)
                    except UnsupportedError:
                        continue
                    self.local.setdefault(statement.target.id, pytype)
                elif (
                    isinstance(statement, ast.Assign)
                    and len(statement.targets) == 1
                    and isinstance(statement.targets[0], ast.Name)
                ):
                    self._assigned(statement.targets[0].id, self.type_of(statement.value))
                elif isinstance(statement, ast.For) and isinstance(statement.target, ast.Name):
                    element = self._iterated(statement.iter)
                    if element is not None:
                        self.local.setdefault(statement.target.id, element)

    def _assigned(self, name: str, found: PyType | None) -> None:
        if found is None or found == SELF:
            return
        known = self.local.get(name)
        if known is None:
            self.local[name] = found
        elif SELF in known.args:  # `out = []` first, `out = out + [x]` later
            self.local[name] = _unify(known, found) or known

    def _iterated(self, node: ast.expr) -> PyType | None:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "range"
        ):
            return INT
        iterated = self.type_of(node)
        if iterated is not None and iterated.kind is Kind.LIST:
            return iterated.args[0].plain()
        if iterated == STR:
            return STR
        return None


def _constant_type(value: object) -> PyType | None:
    if value is None:
        return NONE
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, str):
        return STR
    return None


def _all_same(types: list[PyType | None]) -> PyType | None:
    if not types:
        return None
    found: PyType | None = types[0]
    for other in types[1:]:
        found = _unify(found, other)
    return found


def _own_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Every statement of a function body, nested blocks included, nested defs excluded."""
    found: list[ast.stmt] = []
    stack = list(reversed(body))
    while stack:
        statement = stack.pop()
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        found.append(statement)
        for block in ("body", "orelse", "finalbody", "handlers"):
            stack.extend(reversed(getattr(statement, block, [])))
    return found


def read_result_type(
    node: ast.FunctionDef,
    params: Mapping[str, PyType],
    names: TypeNames,
    constants: Mapping[str, int | bool | str],
    result_of: ResultOf,
) -> PyType:
    """The result type of ``node``, which has no return annotation, or UnsupportedError."""
    reader = _Reader(node.name, dict(params), names, constants, result_of)
    reader.read_locals(node.body)
    returns = [s for s in _own_statements(node.body) if isinstance(s, ast.Return)]
    if not returns:
        return NONE
    found: PyType | None = SELF
    for statement in returns:
        value = reader.type_of(statement.value) if statement.value is not None else NONE
        if value is None:
            shown = ast.unparse(statement.value) if statement.value is not None else "None"
            raise UnsupportedError.at(
                statement,
                f"function {node.name!r} without a return annotation: the type of "
                f"`{shown}` is not clear from the text (write -> T)",
            )
        unified = _unify(found, value)
        if unified is None:
            raise UnsupportedError.at(
                statement,
                f"function {node.name!r} without a return annotation returns {found} and "
                f"{value} (write -> T)",
            )
        found = unified
    if found is None or found == SELF or SELF in found.args:
        raise UnsupportedError.at(
            node,
            f"function {node.name!r} without a return annotation: its returns do not show "
            "a type (write -> T)",
        )
    return found


__all__ = ["read_result_type"]
