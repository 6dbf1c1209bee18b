"""The one way the checker says "this is outside the subset I can reason about".

Raising core's :class:`~fmlab.core.errors.UnsupportedError` (``UnsupportedError.at(node,
what)``) stops the analysis of the enclosing function, which is then reported as
``unsupported`` with the construct and its line. Nothing outside the subset is ever
assumed safe.
"""

from __future__ import annotations

import ast

from fmlab.core.errors import UnsupportedError as UnsupportedError  # the one class, core's


def describe(node: ast.AST) -> str:
    """A short human name for a syntax node: ``'while loop'``, ``'call to print'``."""
    names = {
        ast.Try: "try statement",
        ast.With: "with statement",
        ast.Break: "break",
        ast.Continue: "continue",
        ast.Lambda: "lambda",
        ast.ListComp: "list comprehension",
        ast.DictComp: "dict comprehension",
        ast.SetComp: "set comprehension",
        ast.GeneratorExp: "generator expression",
        ast.Dict: "dict literal",
        ast.Set: "set literal",
        ast.Yield: "yield",
        ast.YieldFrom: "yield from",
        ast.Await: "await",
        ast.Global: "global statement",
        ast.Nonlocal: "nonlocal statement",
        ast.Delete: "del statement",
        ast.FunctionDef: "nested function",
        ast.AsyncFunctionDef: "async function",
        ast.ClassDef: "nested class",
        ast.Match: "match statement",
        ast.JoinedStr: "f-string",
        ast.Starred: "starred expression",
        ast.NamedExpr: "assignment expression (:=)",
        ast.Attribute: "attribute access",
        ast.Import: "import inside a function",
        ast.ImportFrom: "import inside a function",
    }
    for kind, name in names.items():
        if isinstance(node, kind):
            return name
    return type(node).__name__
