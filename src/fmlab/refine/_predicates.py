"""The predicate language: a small subset of Python expressions, read with :mod:`ast`.

A predicate may use integer and boolean constants, names (``_`` for the refined value,
the function's parameters, a binder), comparisons (also chained, ``0 <= i < n``),
``and``/``or``/``not``, ``+ - * // %`` on integers, ``x if c else y``, field reads of
frozen dataclasses (``p.x``), and applications of measures, abstract refinements and
``len``. Anything else is an input error located in the file.

>>> p = parse_predicate("0 <= _ < len(xs)", source="f.py", line=3, column=30)
>>> p.text, ast.dump(p.node.ops[0])
('0 <= _ < len(xs)', 'LtE()')
>>> parse_predicate("_ >>= 1", source="f.py", line=3, column=30)
Traceback (most recent call last):
  ...
fmlab.core.errors.InputError: f.py:3:32: predicate syntax error: invalid syntax
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from fmlab.core.errors import InputError

_ALLOWED_NODES = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.FloorDiv,
    ast.Mod,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.IfExp,
    ast.Attribute,
    ast.Subscript,  # xs[i] and xs[i:j] of lists (a read out of range is some value)
    ast.Slice,
)


@dataclass(frozen=True)
class Predicate:
    """A parsed predicate; ``line``/``column`` (1-based) locate its first character."""

    text: str
    node: ast.expr
    line: int
    column: int
    source: str | None = None

    def locate(self, node: ast.AST) -> tuple[int, int]:
        """The file position of ``node``, a node of this predicate."""
        return self.line, self.column + getattr(node, "col_offset", 0)

    def error(self, node: ast.AST, message: str) -> InputError:
        line, column = self.locate(node)
        return InputError(message, source=self.source, line=line, column=column)

    def names(self) -> set[str]:
        """The variable names the predicate mentions (not the functions it applies)."""
        applied = {id(call.func) for call in ast.walk(self.node) if isinstance(call, ast.Call)}
        return {
            node.id
            for node in ast.walk(self.node)
            if isinstance(node, ast.Name) and id(node) not in applied
        }


def parse_predicate(text: str, *, source: str | None, line: int, column: int) -> Predicate:
    """Parse ``text`` as a predicate, checking it stays inside the predicate language."""
    stripped = text.strip()
    column += len(text) - len(text.lstrip())
    if not stripped:
        raise InputError("empty predicate", source=source, line=line, column=column)
    if "\n" in stripped:
        raise InputError(
            "a predicate must fit on one line", source=source, line=line, column=column
        )
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as error:
        offset = (error.offset or 1) - 1
        raise InputError(
            f"predicate syntax error: {error.msg}",
            source=source,
            line=line,
            column=column + offset,
        ) from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise InputError(
            f"unreadable predicate: {type(error).__name__}", source=source, line=line, column=column
        ) from None
    predicate = Predicate(stripped, tree.body, line, column, source)
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise predicate.error(node, f"not allowed in a predicate: {_show(node)}")
        if isinstance(node, ast.Constant) and not isinstance(node.value, int):
            raise predicate.error(
                node, f"only int and bool constants in predicates, got {node.value!r}"
            )
        if isinstance(node, ast.Attribute) and not isinstance(node.value, ast.Name | ast.Attribute):
            raise predicate.error(node, "only fields of names may be read: p.x")
        if isinstance(node, ast.Call) and (not isinstance(node.func, ast.Name) or node.keywords):
            raise predicate.error(
                node, "only measures and len may be applied, by name and without keywords"
            )
    return predicate


def split_top_level(text: str, separator: str) -> list[tuple[int, str]]:
    """Split ``text`` at ``separator`` outside brackets; each piece with its offset."""
    pieces: list[tuple[int, str]] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == separator and depth == 0:
            pieces.append((start, text[start:index]))
            start = index + 1
    pieces.append((start, text[start:]))
    return pieces


def _show(node: ast.AST) -> str:
    try:
        return repr(ast.unparse(node)) if isinstance(node, ast.expr) else type(node).__name__
    except Exception:  # unparse of an odd fragment; the node's kind is enough
        return type(node).__name__
