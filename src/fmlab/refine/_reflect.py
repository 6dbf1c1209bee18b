"""Reflection: a recursive measure's Python definition becomes its logical meaning.

A measure the checker cannot unfold once and for all (``total(n)`` calls ``total(n - 1)``)
is an uninterpreted function, which lets a counterexample pick ``total(0) == -1``.
LiquidHaskell *reflects* such a function: its definition becomes an equation the solver
may use, and *proof by logical evaluation* (PLE) unfolds the equation at each application
a verification condition makes, as many times as a proof needs, up to a bound. This module
reads the definition as one expression (``return a if c else b``, or ``if c: return a``
followed by ``return b``); :mod:`fmlab.refine._instances` does the unfolding, and
:mod:`fmlab.refine._decide` says so when a counterexample would need more unfolding than
the bound allows (``unknown``, never a guess).

A reflected function is also checked as an ordinary function (its termination included):
a definition that does not terminate, ``f(n) = f(n) + 1``, would be an inconsistent
equation, from which anything follows.
"""

from __future__ import annotations

import ast
import copy


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _block_expression(body: list[ast.stmt]) -> ast.expr | None:
    """The value a block of ``if``/``return`` statements returns, as one expression."""
    body = [statement for statement in body if not _is_docstring(statement)]
    if not body:
        return None
    first = body[0]
    if isinstance(first, ast.Return):
        return first.value if len(body) == 1 else None
    if isinstance(first, ast.If):
        if first.orelse and len(body) > 1:
            return None  # code after an if/else that always returns: unreachable, refuse
        then = _block_expression(first.body)
        other = _block_expression(first.orelse or body[1:])
        if then is None or other is None:
            return None
        joined = ast.IfExp(test=first.test, body=then, orelse=other)
        return ast.copy_location(joined, first)
    return None


def definition_expression(node: ast.FunctionDef) -> ast.expr | None:
    """The body of a function of plain parameters as one expression, or None if it is not."""
    arguments = node.args
    if (
        not arguments.args
        or arguments.posonlyargs
        or arguments.kwonlyargs
        or arguments.vararg
        or arguments.kwarg
        or arguments.defaults
    ):
        return None
    found = _block_expression(node.body)
    if found is None:
        return None
    expression = copy.deepcopy(found)
    ast.fix_missing_locations(expression)
    return expression


def is_recursive(node: ast.FunctionDef) -> bool:
    """Whether the function calls itself."""
    return any(
        isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == node.name
        for call in ast.walk(node)
    )


__all__ = ["definition_expression", "is_recursive"]
