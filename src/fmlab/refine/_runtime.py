"""Refinements as run-time checks: the instrumented program that replays counterexamples.

:func:`instrument` rewrites a checked module so that running it raises
:class:`Violation` exactly where the static checker places an obligation: an argument
that breaks a callee's refinement, a result that breaks the function's own, an index
outside ``0 <= i < len(xs)`` (stricter than Python, which accepts negative indices), an
``#@ invariant`` that is false when a ``while`` loop is entered or goes round, a local
``Annotated`` refinement, a function that reaches its end without returning. ``assert``,
``raise`` and division by zero fail by themselves.

This is the only place fmlab runs checked code, and only in :mod:`fmlab.refine._replay`'s
subprocess, on the test corpus's own programs.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from fmlab.core.errors import ViolationError
from fmlab.refine._specs import (
    RESULT,
    ModuleSpec,
    Param,
    RelationSpec,
    Signature,
    function_metric,
)
from fmlab.refine._termination import Metric, runtime_decreases
from fmlab.refine._unsupported import UnsupportedError

HELPER = "__fmlab_runtime__"


class Violation(ViolationError):  # noqa: N818 - it is what the replay observes, not our error
    """A refinement found false at run time, at the obligation's place."""

    def __init__(self, kind: str, line: int, column: int, detail: str) -> None:
        super().__init__(f"{kind} at {line}:{column}: {detail}")
        self.kind = kind
        self.line = line
        self.column = column


class PreconditionOfTarget(ViolationError):  # noqa: N818
    """The replayed inputs do not satisfy the function's own parameter refinements."""


def holds(text: str, bindings: Mapping[str, Any], namespace: dict[str, Any]) -> bool:
    """Evaluate a predicate's text with Python semantics (measures are module functions)."""
    try:
        return bool(eval(text, namespace, dict(bindings)))
    except IndexError:
        return False  # a read out of range makes a predicate false, as in the checker


def _before_continue(statements: list[ast.stmt], checks: list[ast.stmt]) -> list[ast.stmt]:
    """``statements`` with ``checks`` run before each ``continue`` of this loop (not inner ones)."""
    result: list[ast.stmt] = []
    for statement in statements:
        if isinstance(statement, ast.Continue):
            result.extend(checks)
        elif isinstance(statement, ast.If):
            statement.body = _before_continue(statement.body, checks)
            statement.orelse = _before_continue(statement.orelse, checks)
        result.append(statement)
    return result


def _relation_test(relation: RelationSpec, namespace: dict[str, Any]) -> Any:
    def related(items: list[Any]) -> bool:
        return all(
            holds(relation.predicate.text, {relation.first: a, relation.second: b}, namespace)
            for i, a in enumerate(items)
            for b in items[i + 1 :]
        )

    return related


def _always(*arguments: Any) -> bool:
    return True


def _param_bindings(param: Param, values: Mapping[str, Any], value: Any) -> dict[str, Any]:
    bindings = {**values, RESULT: value}
    if param.binder:
        bindings[param.binder] = value
    return bindings


class Runtime:
    """The helper object the instrumented module calls."""

    def __init__(self, spec: ModuleSpec, namespace: dict[str, Any]) -> None:
        self.spec = spec
        self.namespace = namespace
        # A #@ relation has no Python definition: give predicates one that tests every
        # pair of positions (quadratic, which is fine for replaying counterexamples).
        for relation in spec.relations.values():
            namespace.setdefault(relation.name, _relation_test(relation, namespace))

    def _namespace_for(self, signature: Signature) -> dict[str, Any]:
        # Abstract refinements have no run-time meaning; each call site instantiates them
        # so that every application in a precondition holds, so they are read as true.
        if not signature.abstract:
            return self.namespace
        return {**self.namespace, **{a.name: _always for a in signature.abstract}}

    def _elements_hold(
        self, param: Param, value: Any, signature: Signature, bindings: Mapping[str, Any]
    ) -> bool:
        # ``bindings``: the parameters an element refinement may mention (``_ < pivot``).
        element = param.type.element
        if element is None or not isinstance(value, list):
            return True
        namespace = self._namespace_for(signature)
        return all(holds(element.text, {**bindings, RESULT: item}, namespace) for item in value)

    def require(self, name: str, values: Mapping[str, Any]) -> None:
        signature = self.spec.signatures[name]
        for param in signature.params:
            if not self._elements_hold(param, values[param.name], signature, values):
                raise PreconditionOfTarget(f"an element of {param.name} breaks its refinement")
            if param.refinement is not None and not holds(
                param.refinement.text,
                _param_bindings(param, values, values[param.name]),
                self._namespace_for(signature),
            ):
                raise PreconditionOfTarget(f"{param.name} breaks `{param.refinement.text}`")

    def call(
        self,
        name: str,
        function: Any,
        arguments: tuple[Any, ...],
        places: tuple[tuple[int, int], ...],
        termination: tuple[tuple[str, ...], bool, Mapping[str, Any], int, int] | None = None,
    ) -> Any:
        signature: Signature = self.spec.signatures[name]
        values = {
            param.name: argument
            for param, argument in zip(signature.params, arguments, strict=True)
        }
        namespace = self._namespace_for(signature)
        for param, (line, column) in zip(signature.params, places, strict=True):
            if not self._elements_hold(param, values[param.name], signature, values):
                raise Violation(
                    "precondition",
                    line,
                    column,
                    f"{name}: an element of {param.name} breaks `{param.type.element}`",
                )
            if param.refinement is not None and not holds(
                param.refinement.text,
                _param_bindings(param, values, values[param.name]),
                namespace,
            ):
                raise Violation(
                    "precondition",
                    line,
                    column,
                    f"{name}: {param.name} breaks `{param.refinement.text}`",
                )
        if termination is not None:
            texts, given, entry, line, column = termination
            before = [eval(text, self.namespace, dict(entry)) for text in texts]
            after = [eval(text, self.namespace, dict(values)) for text in texts]
            if not runtime_decreases(before, after, given=given):
                shown = ", ".join(texts)
                raise Violation("termination", line, column, f"`{shown}` goes {before} -> {after}")
        return function(*arguments)

    def post(self, name: str, value: Any, entry: Mapping[str, Any], line: int, column: int) -> Any:
        signature = self.spec.signatures[name]
        result = signature.result
        if not self._elements_hold(result, value, signature, entry):
            raise Violation("postcondition", line, column, "an element of the result breaks it")
        if result.refinement is not None and not holds(
            result.refinement.text,
            _param_bindings(result, entry, value),
            self._namespace_for(signature),
        ):
            raise Violation(
                "postcondition", line, column, f"result {value!r} breaks `{result.refinement.text}`"
            )
        return value

    def index(self, container: Any, position: Any, line: int, column: int) -> Any:
        if isinstance(container, list | str) and not 0 <= position < len(container):
            raise Violation("index", line, column, f"index {position} of length {len(container)}")
        return container[position]

    def check(
        self, kind: str, text: str, bindings: Mapping[str, Any], line: int, column: int
    ) -> None:
        if not holds(text, bindings, self.namespace):
            raise Violation(kind, line, column, f"`{text}` is false")

    def missing_return(self, line: int) -> None:
        raise Violation("return", line, 1, "reached the end without returning")


def instrument(tree: ast.Module, spec: ModuleSpec) -> ast.Module:
    """A copy of ``tree`` with run-time checks for every checked function."""
    checked = {node.name for node in spec.functions if node.name in spec.signatures}
    calls = {name for name, signature in spec.signatures.items() if signature.params}
    new_body: list[ast.stmt] = []
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef) and statement.name in checked:
            statement = _Instrumenter(spec, statement.name, calls).function(statement)
        new_body.append(statement)
    module = ast.Module(body=new_body, type_ignores=[])
    return ast.fix_missing_locations(module)


def _helper(method: str, *arguments: ast.expr, node: ast.AST) -> ast.Call:
    call = ast.Call(
        func=ast.Attribute(value=ast.Name(HELPER, ast.Load()), attr=method, ctx=ast.Load()),
        args=list(arguments),
        keywords=[],
    )
    return ast.copy_location(call, node)


def _constant(value: Any) -> ast.Constant:
    return ast.Constant(value)


ENTRY = "__fmlab_entry__"


class _Instrumenter(ast.NodeTransformer):
    def __init__(self, spec: ModuleSpec, name: str, calls: set[str]) -> None:
        self.metric: Metric | None = None
        self.spec = spec
        self.name = name
        self.calls = calls

    def function(self, node: ast.FunctionDef) -> ast.FunctionDef:
        signature = self.spec.signatures[node.name]
        try:
            found = function_metric(node, signature, self.spec)
        except UnsupportedError:
            found = None  # the checker reports the function unsupported; nothing to replay
        self.metric = found
        entry = ast.Dict(
            keys=[_constant(p.name) for p in signature.params],
            values=[ast.Name(p.name, ast.Load()) for p in signature.params],
        )
        prologue: list[ast.stmt] = [
            ast.Assign(targets=[ast.Name(ENTRY, ast.Store())], value=entry, lineno=node.lineno),
            ast.Expr(
                _helper("require", _constant(node.name), ast.Name(ENTRY, ast.Load()), node=node)
            ),
        ]
        body = self.statements(node.body)
        epilogue: list[ast.stmt] = []
        if signature.result.type.kind.value != "None":
            end = getattr(node, "end_lineno", None) or node.lineno
            epilogue.append(ast.Expr(_helper("missing_return", _constant(end), node=node)))
        node.body = [*prologue, *body, *epilogue]
        return node

    def statements(self, statements: list[ast.stmt]) -> list[ast.stmt]:
        # A visit may return one statement or several (a check after an assignment).
        result: list[ast.stmt] = []
        for statement in statements:
            visited = self.visit(statement)
            result.extend(visited if isinstance(visited, list) else [visited])
        return result

    def visit_Return(self, node: ast.Return) -> ast.Return:
        self.generic_visit(node)
        value = node.value or ast.copy_location(_constant(None), node)
        where = node.value or node
        node.value = _helper(
            "post",
            _constant(self.name),
            value,
            ast.Name(ENTRY, ast.Load()),
            _constant(where.lineno),
            _constant(where.col_offset + 1),
            node=where,
        )
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.expr:
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Load) and not isinstance(node.slice, ast.Slice):
            return _helper(
                "index",
                node.value,
                node.slice,
                _constant(node.lineno),
                _constant(node.col_offset + 1),
                node=node,
            )
        return node

    def visit_Call(self, node: ast.Call) -> ast.expr:
        self.generic_visit(node)
        if (
            isinstance(node.func, ast.Name)
            and node.func.id in self.calls
            and not node.keywords
            # A reflected function is checked like any other (a plain measure is not).
            and (node.func.id not in self.spec.measures or node.func.id in self.spec.reflected)
        ):
            places = ast.Tuple(
                elts=[
                    ast.Tuple(
                        elts=[_constant(a.lineno), _constant(a.col_offset + 1)], ctx=ast.Load()
                    )
                    for a in node.args
                ],
                ctx=ast.Load(),
            )
            termination: ast.expr = _constant(None)
            if node.func.id == self.name and self.metric is not None:
                texts: list[ast.expr] = [_constant(c.text) for c in self.metric.components]
                termination = ast.Tuple(
                    elts=[
                        ast.Tuple(elts=texts, ctx=ast.Load()),
                        _constant(self.metric.given),
                        ast.Name(ENTRY, ast.Load()),
                        _constant(node.lineno),
                        _constant(node.col_offset + 1),
                    ],
                    ctx=ast.Load(),
                )
            return _helper(
                "call",
                _constant(node.func.id),
                node.func,
                ast.Tuple(elts=list(node.args), ctx=ast.Load()),
                places,
                termination,
                node=node,
            )
        return node

    def visit_While(self, node: ast.While) -> list[ast.stmt]:
        self.generic_visit(node)
        checks = self._invariant_checks(node)
        if not checks:
            return [node]
        preserved = [self._check_stmt("invariant-preserved", *c) for c in checks]
        node.body = [*_before_continue(node.body, preserved), *preserved]
        return [*[self._check_stmt("invariant-entry", *c) for c in checks], node]

    def _invariant_checks(self, node: ast.While) -> list[tuple[str, int, int]]:
        found = []
        for line in range(node.lineno, node.body[0].lineno):
            for predicate in self.spec.invariants.get(line, []):
                found.append((predicate.text, predicate.line, predicate.column))
        return found

    def _check_stmt(self, kind: str, text: str, line: int, column: int) -> ast.stmt:
        anchor = ast.Pass(lineno=line, col_offset=column - 1)
        locals_call = ast.Call(func=ast.Name("locals", ast.Load()), args=[], keywords=[])
        return ast.Expr(
            _helper(
                "check",
                _constant(kind),
                _constant(text),
                locals_call,
                _constant(line),
                _constant(column),
                node=anchor,
            )
        )

    def visit_AnnAssign(self, node: ast.AnnAssign) -> list[ast.stmt]:
        # Not generic_visit: the annotation is a type, not an indexing to check.
        if node.value is not None:
            node.value = self.visit(node.value)
        annotation = node.annotation
        if (
            node.value is not None
            and isinstance(node.target, ast.Name)
            and isinstance(annotation, ast.Subscript)
            and getattr(annotation.value, "id", getattr(annotation.value, "attr", ""))
            == "Annotated"
            and isinstance(annotation.slice, ast.Tuple)
            and len(annotation.slice.elts) == 2
            and isinstance(annotation.slice.elts[1], ast.Constant)
        ):
            text = str(annotation.slice.elts[1].value).strip()
            bindings = ast.Dict(
                keys=[None, _constant(RESULT)],
                values=[
                    ast.Call(func=ast.Name("locals", ast.Load()), args=[], keywords=[]),
                    ast.Name(node.target.id, ast.Load()),
                ],
            )
            check = ast.Expr(
                _helper(
                    "check",
                    _constant("refinement"),
                    _constant(text),
                    bindings,
                    _constant(node.value.lineno),
                    _constant(node.value.col_offset + 1),
                    node=node,
                )
            )
            return [node, check]
        return [node]
