"""Small edits that usually break a program: the checker's mutation tests.

Three operators, each applied at one place of a function body at a time (specifications
are left alone): flip a comparison (``<`` to ``>=``, ``==`` to ``!=``, ...), change an
integer constant by one, and drop a guard (an ``if`` test replaced by ``True``). Not every
mutant is wrong (a dead branch may change harmlessly), so the tests pair each mutant
with a run-time oracle: a mutant that fails on some concrete input must not be called
safe.

>>> source = "def f(x: int) -> int:\\n    if x < 0:\\n        return 0\\n    return x\\n"
>>> [m.description for m in mutants(source)]
['line 2: < -> >=', 'line 2: 0 -> 1', 'line 2: 0 -> -1', 'line 3: 0 -> 1', \
'line 3: 0 -> -1', 'line 2: drop the guard x < 0']
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_FLIP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}
_SYMBOL = {ast.Lt: "<", ast.GtE: ">=", ast.Gt: ">", ast.LtE: "<=", ast.Eq: "==", ast.NotEq: "!="}


@dataclass(frozen=True)
class Mutant:
    function: str
    description: str
    source: str


def _body_nodes(tree: ast.Module) -> Iterator[tuple[str, ast.AST]]:
    # Nodes inside function bodies, in a fixed order; annotations are not visited.
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef):
            for inner in statement.body:
                for node in ast.walk(inner):
                    yield statement.name, node


def _edits(tree: ast.Module) -> Iterator[tuple[str, str, Callable[[ast.AST], None], int]]:
    nodes = list(_body_nodes(tree))
    for index, (function, node) in enumerate(nodes):
        if isinstance(node, ast.Compare):
            for position, op in enumerate(node.ops):
                if type(op) in _FLIP:
                    flipped = _FLIP[type(op)]
                    text = f"line {node.lineno}: {_SYMBOL[type(op)]} -> {_SYMBOL[flipped]}"

                    def flip(n: ast.AST, p: int = position, f: type[ast.cmpop] = flipped) -> None:
                        assert isinstance(n, ast.Compare)
                        n.ops[p] = f()

                    yield function, text, flip, index
    for index, (function, node) in enumerate(nodes):
        if isinstance(node, ast.Constant) and type(node.value) is int:
            for delta in (1, -1):
                text = f"line {node.lineno}: {node.value} -> {node.value + delta}"

                def shift(n: ast.AST, d: int = delta) -> None:
                    assert isinstance(n, ast.Constant)
                    assert isinstance(n.value, int)
                    n.value = n.value + d

                yield function, text, shift, index
    for index, (function, node) in enumerate(nodes):
        if isinstance(node, ast.If):
            text = f"line {node.lineno}: drop the guard {ast.unparse(node.test)}"

            def drop(n: ast.AST) -> None:
                assert isinstance(n, ast.If)
                n.test = ast.copy_location(ast.Constant(True), n.test)

            yield function, text, drop, index


def mutants(source: str) -> list[Mutant]:
    """Every single-edit mutant of the function bodies in ``source``."""
    tree = ast.parse(source)
    found = []
    for function, description, edit, index in _edits(tree):
        copied = copy.deepcopy(tree)
        edit(list(_body_nodes(copied))[index][1])
        # Keep the comment specifications: unparse loses comments, so put them back on top.
        comments = [line for line in source.splitlines() if line.lstrip().startswith("#")]
        text = "\n".join(c.strip() for c in comments if "@" in c) + "\n" + ast.unparse(copied)
        found.append(Mutant(function, description, text + "\n"))
    return found
