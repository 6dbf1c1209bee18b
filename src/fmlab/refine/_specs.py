"""Reading a file's specifications: annotations, ``#@`` comments, and what gets checked.

The ``#@`` comment lines are the analogue of LiquidHaskell's ``{-@ ... @-}``: plain Python
ignores them, the checker reads them.

* ``#@ measure tlen(t: Text) -> int``: an uninterpreted function usable in predicates;
* ``#@ assume pack(s: str) -> {t: Text | tlen(t) == len(s)}``: a trusted signature, for a
  function written elsewhere (its body, if any, is not checked);
* ``#@ qualif Below(v: int, n: int): v < n``: a template for invariant inference;
* ``#@ invariant i <= n``: a loop invariant, on a line between the loop header and the
  first statement of its body;
* ``#@ abstract p(int)``: declares a *predicate variable* for abstract refinements, as
  ``T = TypeVar("T")`` declares a type variable. A function whose signature applies ``p``
  (like a measure: ``Annotated[int, "p(_)"]``, also to list elements:
  ``list[Annotated[int, "p(_)"]]``) is checked for every ``p`` (``p`` is uninterpreted
  there), and each call instantiates ``p`` (see :mod:`fmlab.refine._expressions`).
  ``#@ abstract r(int, int)`` declares one of two arguments, applied as ``r(x, _)``, or to
  a list, ``r(xs)``: ``r`` relates every element of ``xs`` to every later one (as a
  ``#@ relation`` does, without assuming ``r`` transitive);
* ``#@ reflect f``: the function ``f`` (parameters of plain types, an ``int`` or ``bool``
  result) may be used in predicates, and its definition is unfolded as proofs need (see
  :mod:`fmlab.refine._reflect`); a ``#@ measure`` with a recursive definition is reflected too;
* ``#@ decreases n - i`` (or ``#@ decreases m, n``, compared lexicographically): the
  termination metric of a recursive function, on a line between its ``def`` and the first
  statement of its body (see :mod:`fmlab.refine._termination` for the default).

Formatters rewrite ``#@`` as ``# @``; the checker reads both.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from fmlab.core.errors import InputError
from fmlab.refine._predicates import Predicate, parse_predicate, split_top_level
from fmlab.refine._pytypes import (
    BOOL,
    INT,
    NONE,
    STR,
    Kind,
    PyType,
    RefinementText,
    TypeNames,
    list_of,
    opaque,
    read_annotation,
    read_type,
)
from fmlab.refine._reflect import definition_expression, is_recursive
from fmlab.refine._returns import read_result_type
from fmlab.refine._termination import Metric, metric_of, read_decreases
from fmlab.refine._unsupported import UnsupportedError, describe

RESULT = "_"
"""The name of the refined value inside a predicate."""


@dataclass(frozen=True)
class Param:
    """A parameter (or the result) with its type and optional refinement.

    ``binder`` is the name given by ``{v: T | ...}``; ``_`` always means the value too.
    """

    name: str
    type: PyType
    refinement: Predicate | None = None
    binder: str | None = None


@dataclass(frozen=True)
class Signature:
    """A function's refined parameters and result, from its annotations or an ``assume``."""

    name: str
    params: tuple[Param, ...]
    result: Param
    line: int
    trusted: bool = False
    abstract: tuple[Measure, ...] = ()


@dataclass(frozen=True)
class Measure:
    """A function of the logic: a measure, a reflected function or a predicate variable.

    ``argument`` is its first parameter's type and ``more`` the others' (a reflected
    ``adder(x, y)`` or a predicate variable ``r(int, int)`` takes two).
    """

    name: str
    argument: PyType
    result: PyType
    line: int
    more: tuple[PyType, ...] = ()

    @property
    def arguments(self) -> tuple[PyType, ...]:
        return (self.argument, *self.more)


@dataclass(frozen=True)
class RelationSpec:
    """``#@ relation name(a: T, b: T): predicate``: ``name(xs)`` says the predicate relates
    every element of ``xs`` to every later one (``ascending`` with ``a <= b``: sorted)."""

    name: str
    element: PyType
    first: str
    second: str
    predicate: Predicate


@dataclass(frozen=True)
class Qualifier:
    """A ``#@ qualif Name(v: int, ...): predicate`` line: a shape inference may try."""

    name: str
    params: tuple[tuple[str, PyType], ...]
    predicate: Predicate


@dataclass
class ModuleSpec:
    """Everything the checker knows about a file before looking inside function bodies."""

    source: str | None
    types: TypeNames
    measures: dict[str, Measure] = field(default_factory=dict)
    signatures: dict[str, Signature] = field(default_factory=dict)
    broken: dict[str, UnsupportedError] = field(default_factory=dict)
    functions: list[ast.FunctionDef] = field(default_factory=list)
    qualifiers: list[Qualifier] = field(default_factory=list)
    invariants: dict[int, list[Predicate]] = field(default_factory=dict)
    decreases: dict[int, Metric | InputError] = field(default_factory=dict)
    recursive_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    constants: dict[str, int | bool | str] = field(default_factory=dict)
    module_problems: list[tuple[str, UnsupportedError]] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)
    records: dict[str, Signature] = field(default_factory=dict)
    abstracts: dict[str, Measure] = field(default_factory=dict)
    measure_bodies: dict[str, ast.FunctionDef] = field(default_factory=dict)
    reflected: set[str] = field(default_factory=set)
    relations: dict[str, RelationSpec] = field(default_factory=dict)
    definitions: dict[str, ast.FunctionDef] = field(default_factory=dict)


def read_module(tree: ast.Module, text: str, source: str | None) -> ModuleSpec:
    """Collect the specifications of a parsed module (``text`` is its source, for comments)."""
    types = _type_names(tree)
    spec = ModuleSpec(source, types)
    comments = list(_spec_comments(text, source))
    for line, column, body in comments:
        if body.startswith("measure"):
            measure = _read_measure(body, line, column, spec)
            spec.measures[measure.name] = measure
        elif body.split()[:1] == ["reflect"]:
            measure = _read_reflect(body, line, column, tree, spec)
            spec.measures[measure.name] = measure
    for line, column, body in comments:
        keyword = body.split(None, 1)[0] if body.split() else ""
        rest_column = column + len(body) - len(body[len(keyword) :].lstrip())
        rest = body[len(keyword) :].strip()
        if keyword in ("measure", "reflect"):
            continue
        if keyword == "assume":
            signature = _read_assume(rest, line, rest_column, spec)
            spec.signatures[signature.name] = signature
            spec.assumed.append(signature.name)
        elif keyword == "qualif":
            spec.qualifiers.append(_read_qualifier(rest, line, rest_column, spec))
        elif keyword == "invariant":
            predicate = parse_predicate(rest, source=source, line=line, column=rest_column)
            spec.invariants.setdefault(line, []).append(predicate)
        elif keyword == "relation":
            relation = _read_relation(rest, line, rest_column, spec)
            spec.relations[relation.name] = relation
            # Applied to a list it is a bool measure (the checker gives it its meaning).
            spec.measures[relation.name] = Measure(
                relation.name, list_of(relation.element), BOOL, line
            )
        elif keyword == "abstract":
            abstract = _read_abstract(rest, line, rest_column, spec)
            spec.abstracts[abstract.name] = abstract
        elif keyword == "decreases":
            # A metric that does not parse is its function's problem, not the file's.
            try:
                spec.decreases[line] = read_decreases(
                    rest, source=source, line=line, column=rest_column
                )
            except InputError as problem:
                spec.decreases[line] = problem
        else:
            raise InputError(
                f"unknown specification #@ {keyword or '(empty)'}; expected measure, reflect, "
                "relation, assume, qualif, invariant, abstract or decreases",
                source=source,
                line=line,
                column=column,
            )
    _read_top_level(tree, spec)
    spec.recursive_groups = _mutual_recursion(spec)
    return spec


def parse(text: str, source: str | None) -> ast.Module:
    """Parse ``text`` as Python, turning every failure into a located input error."""
    try:
        with warnings.catch_warnings():
            # "invalid escape sequence" and friends: CPython's business, not a finding.
            warnings.simplefilter("ignore")
            return ast.parse(text, filename=source or "<string>")
    except SyntaxError as error:
        raise InputError(
            f"syntax error: {error.msg}", source=source, line=error.lineno, column=error.offset
        ) from None
    except ValueError as error:  # null bytes, for one
        raise InputError(f"cannot parse: {error}", source=source) from None
    except (RecursionError, MemoryError):
        raise InputError("cannot parse: nested too deeply", source=source) from None


def function_metric(node: ast.FunctionDef, signature: Signature, spec: ModuleSpec) -> Metric | None:
    """The termination metric of a function of this module (see fmlab.refine._termination)."""
    params = [(param.name, param.type.kind) for param in signature.params]
    return metric_of(node, params, spec.decreases, spec.source)


def _calls(node: ast.FunctionDef) -> set[str]:
    return {
        call.func.id
        for call in ast.walk(node)
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
    }


def _mutual_recursion(spec: ModuleSpec) -> dict[str, tuple[str, ...]]:
    # Functions that reach each other through calls (not just themselves): their
    # termination would need a shared metric, which this version does not check.
    graph = {node.name: _calls(node) & {f.name for f in spec.functions} for node in spec.functions}
    groups: dict[str, tuple[str, ...]] = {}
    for name in graph:
        seen: set[str] = set()
        stack = [callee for callee in graph[name] if callee != name]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            stack.extend(graph.get(current, ()))
        if name in seen:
            cycle = tuple(sorted(other for other in seen if name in _reach(graph, other)))
            groups[name] = cycle
    return groups


def _reach(graph: Mapping[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = list(graph.get(start, ()))
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(graph.get(current, ()))
    return seen


# --- comments -------------------------------------------------------------------------


def _spec_comments(text: str, source: str | None) -> Iterable[tuple[int, int, str]]:
    """``(line, column of the body, body)`` for every ``#@`` comment, in file order."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError) as error:
        raise InputError(f"cannot tokenize: {error}", source=source) from None
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        # Formatters (black, ruff format) rewrite "#@" as "# @": both are specifications.
        marker = _SPEC_MARKER.match(token.string)
        if marker is None:
            continue
        body = token.string[marker.end() :]
        stripped = body.lstrip()
        column = token.start[1] + 1 + marker.end() + (len(body) - len(stripped))
        yield token.start[0], column, stripped.rstrip()


_SPEC_MARKER = re.compile(r"#[ \t]?@")


def _parse_type_text(
    text: str, line: int, column: int, spec: ModuleSpec
) -> tuple[PyType, RefinementText | None, str | None]:
    """A type in a comment: ``T``, ``Annotated[T, "p"]`` or ``{v: T | p}``."""
    stripped = text.strip()
    column += len(text) - len(text.lstrip())
    if stripped.startswith("{") and stripped.endswith("}"):
        inner = stripped[1:-1]
        bar = split_top_level(inner, "|")
        if len(bar) != 2:
            raise InputError(
                "expected {v: T | predicate}", source=spec.source, line=line, column=column
            )
        head_offset, head = bar[0]
        predicate_offset, predicate = bar[1]
        binder, colon, type_text = head.partition(":")
        if not colon or not binder.strip().isidentifier():
            raise InputError(
                "expected {v: T | predicate}", source=spec.source, line=line, column=column
            )
        pytype, nested, _ = _parse_type_text(
            type_text, line, column + 1 + head_offset + len(binder) + 1, spec
        )
        if nested is not None:
            raise InputError(
                "a refinement nested inside another", source=spec.source, line=line, column=column
            )
        refinement = RefinementText(predicate, line, column + 1 + predicate_offset)
        return pytype, refinement, binder.strip()
    try:
        node = ast.parse(stripped, mode="eval").body
    except SyntaxError:
        raise InputError(
            f"cannot read type {stripped!r}", source=spec.source, line=line, column=column
        ) from None
    try:
        pytype, found = read_annotation(node, spec.types)
    except UnsupportedError as problem:
        raise InputError(
            f"unsupported {problem.what} in a specification",
            source=spec.source,
            line=line,
            column=column,
        ) from None
    if found is not None:
        found = RefinementText(found.text, line, column + found.column - 1)
    return pytype, found, None


_MEASURE = re.compile(r"measure\s+(\w+)\s*\(\s*(\w+)\s*:\s*(.+?)\s*\)\s*->\s*(\w+)\s*$")


def _read_measure(body: str, line: int, column: int, spec: ModuleSpec) -> Measure:
    match = _MEASURE.match(body)
    if match is None:
        raise InputError(
            "expected #@ measure name(x: T) -> int", source=spec.source, line=line, column=column
        )
    name, _, type_text, result_text = match.groups()
    if name == "len" or not name.isidentifier():
        raise InputError(
            f"cannot declare a measure named {name!r}", source=spec.source, line=line, column=column
        )
    argument, refinement, _binder = _parse_type_text(type_text, line, column, spec)
    if refinement is not None or argument.kind in (Kind.TUPLE, Kind.NONE):
        raise InputError(
            f"a measure takes one plain value, not {type_text!r}",
            source=spec.source,
            line=line,
            column=column,
        )
    results = {"int": INT, "bool": BOOL}
    if result_text not in results:
        raise InputError(
            "a measure returns int or bool",
            source=spec.source,
            line=line,
            column=column + match.start(4),
        )
    return Measure(name, argument, results[result_text], line)


def _read_reflect(body: str, line: int, column: int, tree: ast.Module, spec: ModuleSpec) -> Measure:
    """``#@ reflect f``: a function of this file, annotated parameters, an int or bool result."""
    name = body.split(None, 1)[1].strip() if len(body.split(None, 1)) == 2 else ""
    definitions = [s for s in tree.body if isinstance(s, ast.FunctionDef) and s.name == name]

    def problem(message: str) -> InputError:
        return InputError(message, source=spec.source, line=line, column=column)

    if not definitions:
        raise problem(f"#@ reflect {name or '(nothing)'}: no function of that name in this file")
    node = definitions[-1]
    arguments = node.args.args
    if (
        not arguments
        or any(argument.annotation is None for argument in arguments)
        or node.returns is None
    ):
        raise problem(f"#@ reflect {name}: reflect a function whose parameters are annotated")
    try:
        types = [
            read_annotation(argument.annotation, spec.types)[0]
            for argument in arguments
            if argument.annotation is not None
        ]
        result = read_annotation(node.returns, spec.types)[0]
    except UnsupportedError as error:
        raise problem(f"#@ reflect {name}: {error.what}") from None
    if any(t.kind in (Kind.TUPLE, Kind.NONE) for t in types) or result.kind not in (
        Kind.INT,
        Kind.BOOL,
    ):
        raise problem(f"#@ reflect {name}: a reflected function maps values to an int or bool")
    if definition_expression(node) is None:
        raise problem(f"#@ reflect {name}: its body must be returns under if/else, one expression")
    return Measure(name, types[0], result, line, tuple(types[1:]))


_RELATION = re.compile(r"(\w+)\s*\(\s*(\w+)\s*:\s*(\w+)\s*,\s*(\w+)\s*:\s*(\w+)\s*\)\s*:(.*)$")


def _read_relation(text: str, line: int, column: int, spec: ModuleSpec) -> RelationSpec:
    match = _RELATION.match(text)

    def problem(message: str) -> InputError:
        return InputError(message, source=spec.source, line=line, column=column)

    if match is None:
        raise problem("expected #@ relation name(a: T, b: T): predicate")
    name, first, first_type, second, second_type, body = match.groups()
    if first_type != second_type or first == second:
        raise problem(f"relation {name} relates two values of one type, named differently")
    element = {"int": INT, "bool": BOOL, "str": STR}.get(first_type)
    if element is None:
        raise problem(f"relation {name}: elements of type int, bool or str, not {first_type}")
    if name in spec.measures or name == "len":
        raise problem(f"relation {name}: the name is already a measure")
    predicate = parse_predicate(body, source=spec.source, line=line, column=column + match.start(6))
    check_predicate_names(predicate, {first, second}, spec.measures)
    return RelationSpec(name, element, first, second, predicate)


_ABSTRACT = re.compile(r"(\w+)\s*\(\s*(.+?)\s*\)\s*$")


def _read_abstract(text: str, line: int, column: int, spec: ModuleSpec) -> Measure:
    match = _ABSTRACT.match(text)
    if match is None:
        raise InputError(
            "expected #@ abstract p(T, ...), for example #@ abstract p(int) or "
            "#@ abstract r(int, int)",
            source=spec.source,
            line=line,
            column=column,
        )
    name = match.group(1)
    if name == "len" or name in spec.measures or name in spec.abstracts:
        raise InputError(
            f"predicate variable {name!r} would hide a measure or another one",
            source=spec.source,
            line=line,
            column=column,
        )
    types: list[PyType] = []
    for offset, piece in split_top_level(match.group(2), ","):
        argument, refinement, _ = _parse_type_text(
            piece, line, column + match.start(2) + offset, spec
        )
        if refinement is not None or argument.kind in (Kind.TUPLE, Kind.NONE):
            raise InputError(
                "an abstract refinement takes plain values (int, bool, str, T, ...)",
                source=spec.source,
                line=line,
                column=column,
            )
        types.append(argument)
    return Measure(name, types[0], BOOL, line, tuple(types[1:]))


def abstracts_of(params: Iterable[Param], spec: ModuleSpec) -> tuple[Measure, ...]:
    """The predicate variables a signature applies: the function is generic in them."""
    applied: set[str] = set()
    for param in params:
        texts = [param.type.element] if param.type.element is not None else []
        nodes = [param.refinement.node] if param.refinement is not None else []
        for text in texts:
            try:
                nodes.append(ast.parse(text.text.strip(), mode="eval").body)
            except SyntaxError:
                continue  # reported as an input error when the predicate is read
        for node in nodes:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name):
                    applied.add(inner.func.id)
    return tuple(spec.abstracts[name] for name in sorted(applied & set(spec.abstracts)))


def _read_assume(text: str, line: int, column: int, spec: ModuleSpec) -> Signature:
    name, params, result = _read_signature_text(text, line, column, spec, "#@ assume")
    signature = Signature(name, params, result, line, trusted=True)
    _check_signature_names(signature, spec)
    return signature


def _read_signature_text(
    text: str, line: int, column: int, spec: ModuleSpec, what: str
) -> tuple[str, tuple[Param, ...], Param]:
    shape = f"expected {what} f(x: T, ...) -> T"
    open_paren = text.find("(")
    arrow = text.rfind("->")
    close_paren = text.rfind(")", 0, arrow if arrow >= 0 else len(text))
    name = text[:open_paren].strip() if open_paren > 0 else ""
    if not name.isidentifier() or close_paren < open_paren or arrow < close_paren:
        raise InputError(shape, source=spec.source, line=line, column=column)
    inside = text[open_paren + 1 : close_paren]
    params: list[Param] = []
    if inside.strip():
        for offset, piece in split_top_level(inside, ","):
            param_name, colon, type_text = piece.partition(":")
            if not colon or not param_name.strip().isidentifier():
                raise InputError(
                    f"expected name: type, got {piece.strip()!r}",
                    source=spec.source,
                    line=line,
                    column=column + open_paren + 1 + offset,
                )
            type_column = column + open_paren + 1 + offset + len(param_name) + 1
            pytype, refinement, binder = _parse_type_text(type_text, line, type_column, spec)
            params.append(_param(param_name.strip(), pytype, refinement, binder, spec))
    result_type, result_refinement, result_binder = _parse_type_text(
        text[arrow + 2 :], line, column + arrow + 2, spec
    )
    result = _param(RESULT, result_type, result_refinement, result_binder, spec)
    return name, tuple(params), result


def _param(
    name: str,
    pytype: PyType,
    refinement: RefinementText | None,
    binder: str | None,
    spec: ModuleSpec,
) -> Param:
    predicate = None
    if refinement is not None:
        predicate = parse_predicate(
            refinement.text, source=spec.source, line=refinement.line, column=refinement.column
        )
    return Param(name, pytype, predicate, binder)


def _check_signature_names(
    signature: Signature, spec: ModuleSpec, *, dependent_elements: bool = True
) -> None:
    names = {param.name for param in signature.params}
    seen: set[str] = set()
    for param in signature.params:
        if param.name in seen:
            raise InputError(
                f"parameter {param.name!r} appears twice", source=spec.source, line=signature.line
            )
        seen.add(param.name)
    measures = {**spec.measures, **{a.name: a for a in signature.abstract}}
    constants = int_constants(spec)
    for param in (*signature.params, signature.result):
        if param.type.element is not None:
            element = parse_predicate(
                param.type.element.text,
                source=spec.source,
                line=param.type.element.line,
                column=param.type.element.column,
            )
            # A function's element refinement may mention its parameters (``_ < pivot``):
            # it is read with their values at entry, or with the arguments at a call.
            scope = names if dependent_elements else set()
            check_predicate_names(element, scope | {RESULT} | constants, measures)
        if param.refinement is None:
            continue
        allowed = names | {RESULT} | constants | ({param.binder} if param.binder else set())
        check_predicate_names(param.refinement, allowed, measures)


def int_constants(spec: ModuleSpec) -> set[str]:
    """Module names bound once to an int literal (``LIMIT = 10``): refinements may use them."""
    return {
        name
        for name, value in spec.constants.items()
        if isinstance(value, int) and not isinstance(value, bool)
    }


def check_predicate_names(
    predicate: Predicate, allowed: set[str], measures: Mapping[str, Measure]
) -> None:
    """Raise an input error for a name the predicate cannot see or an unknown measure."""
    for node in ast.walk(predicate.node):
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            if node.func.id != "len" and node.func.id not in measures:
                raise predicate.error(
                    node, f"unknown measure {node.func.id!r}; declare it with #@ measure"
                )
            arity = 1 if node.func.id == "len" else len(measures[node.func.id].arguments)
            # A predicate variable of two arguments may also be applied to one list.
            if len(node.args) != arity and not (arity == 2 and len(node.args) == 1):
                plural = "" if arity == 1 else "s"
                raise predicate.error(node, f"{node.func.id} takes {arity} argument{plural}")
            if arity == 2 and len(node.args) == 1 and measures[node.func.id].result != BOOL:
                raise predicate.error(node, f"{node.func.id} takes 2 arguments")
    for name in sorted(predicate.names() - allowed):
        node = next(n for n in ast.walk(predicate.node) if isinstance(n, ast.Name) and n.id == name)
        raise predicate.error(
            node, f"unknown name {name!r} in predicate (in scope: {', '.join(sorted(allowed))})"
        )


_QUALIFIER = re.compile(r"(\w+)\s*\((.*?)\)\s*:(.*)$")


def _read_qualifier(text: str, line: int, column: int, spec: ModuleSpec) -> Qualifier:
    match = _QUALIFIER.match(text)
    if match is None:
        raise InputError(
            "expected #@ qualif Name(v: int, x: int): predicate",
            source=spec.source,
            line=line,
            column=column,
        )
    params: list[tuple[str, PyType]] = []
    for offset, piece in split_top_level(match.group(2), ","):
        param_name, colon, type_text = piece.partition(":")
        if not colon or not param_name.strip().isidentifier():
            raise InputError(
                "expected name: type in a qualifier",
                source=spec.source,
                line=line,
                column=column + match.start(2) + offset,
            )
        pytype, refinement, _binder = _parse_type_text(type_text, line, column, spec)
        if refinement is not None:
            raise InputError(
                "qualifier parameters take plain types",
                source=spec.source,
                line=line,
                column=column,
            )
        params.append((param_name.strip(), pytype))
    predicate = parse_predicate(
        match.group(3), source=spec.source, line=line, column=column + match.start(3)
    )
    check_predicate_names(predicate, {name for name, _ in params}, spec.measures)
    return Qualifier(match.group(1), tuple(params), predicate)


# --- top level ------------------------------------------------------------------------


def _type_names(tree: ast.Module) -> TypeNames:
    opaque_names: set[str] = set()
    aliases: dict[str, PyType] = {}
    typevars = frozenset(
        name for statement in tree.body if (name := _type_var_name(statement)) is not None
    )
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef):
            opaque_names.add(statement.name)
        elif isinstance(statement, ast.ImportFrom):
            opaque_names.update(
                alias.asname or alias.name
                for alias in statement.names
                if alias.name[:1].isupper() and alias.name not in _TYPING_FORMS
            )
        elif _new_type_name(statement) is not None:
            opaque_names.add(_new_type_name(statement) or "")
    names = TypeNames(aliases, frozenset(opaque_names), typevars)
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef) and _record_fields(statement) is not None:
            try:
                aliases[statement.name] = _record_type(statement, names)
            except UnsupportedError:
                continue  # stays an opaque class
    for statement in tree.body:
        target = _simple_assign_target(statement)
        if (
            target is None
            or _new_type_name(statement) is not None
            or _type_var_name(statement) is not None
        ):
            continue
        value = statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
        if value is None or (isinstance(value, ast.Constant) and value.value is not None):
            continue
        try:
            aliases[target] = read_type(value, names)
        except UnsupportedError:
            continue
    return names


_TYPING_FORMS = {
    "Annotated",
    "List",
    "Tuple",
    "Sequence",
    "NewType",
    "TypeAlias",
    "Optional",
    "Union",
    "Any",
    "Callable",
    "Dict",
    "Set",
}


def _type_var_name(statement: ast.stmt) -> str | None:
    """``T = TypeVar("T")`` (no bound, no constraints): a type variable."""
    if not (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and isinstance(statement.value, ast.Call)
    ):
        return None
    call = statement.value
    head = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
    name = statement.targets[0].id
    if (
        head == "TypeVar"
        and len(call.args) == 1
        and not call.keywords
        and isinstance(call.args[0], ast.Constant)
        and call.args[0].value == name
    ):
        return name
    return None


def _is_frozen_dataclass(decorator: ast.expr) -> bool:
    if not isinstance(decorator, ast.Call) or decorator.args:
        return False
    head = getattr(decorator.func, "id", None) or getattr(decorator.func, "attr", None)
    # Only frozen=True: eq=False (identity equality) or order=True would change what
    # comparing two values means.
    return (
        head == "dataclass"
        and len(decorator.keywords) == 1
        and decorator.keywords[0].arg == "frozen"
        and isinstance(decorator.keywords[0].value, ast.Constant)
        and decorator.keywords[0].value.value is True
    )


def _record_fields(statement: ast.ClassDef) -> list[ast.AnnAssign] | None:
    """The fields of a ``@dataclass(frozen=True)`` class with no methods, bases or defaults."""
    if (
        len(statement.decorator_list) != 1
        or not _is_frozen_dataclass(statement.decorator_list[0])
        or statement.bases
        or statement.keywords
    ):
        return None
    fields: list[ast.AnnAssign] = []
    for item in statement.body:
        if _is_docstring(item):
            continue
        if (
            isinstance(item, ast.AnnAssign)
            and isinstance(item.target, ast.Name)
            and item.value is None
        ):
            fields.append(item)
            continue
        return None
    return fields or None


def _record_type(statement: ast.ClassDef, names: TypeNames) -> PyType:
    fields = _record_fields(statement)
    assert fields is not None
    types: list[PyType] = []
    for item in fields:
        pytype, _ = read_annotation(item.annotation, names)
        if pytype.kind in (Kind.TUPLE, Kind.NONE, Kind.TYPEVAR) or pytype.name == statement.name:
            raise UnsupportedError.at(item, f"field of type {pytype}")
        types.append(pytype)
    return PyType(
        Kind.RECORD,
        tuple(types),
        statement.name,
        tuple(item.target.id for item in fields if isinstance(item.target, ast.Name)),
    )


def _read_record(statement: ast.ClassDef, spec: ModuleSpec) -> None:
    """A frozen dataclass: its constructor is a signature whose parameters are the fields.

    A field's ``Annotated`` refinement (which may name the fields declared before it, or
    any field) is then a precondition of every construction, and a fact about every value
    of the type when one of its fields is read.
    """
    pytype = spec.types.aliases[statement.name]
    fields = _record_fields(statement)
    assert fields is not None
    params = []
    for item, field_type in zip(fields, pytype.args, strict=True):
        assert isinstance(item.target, ast.Name)
        _, refinement = read_annotation(item.annotation, spec.types)
        params.append(_param(item.target.id, field_type, refinement, None, spec))
    signature = Signature(
        statement.name, tuple(params), Param(RESULT, pytype), statement.lineno, trusted=True
    )
    _check_signature_names(signature, spec, dependent_elements=False)
    spec.signatures[statement.name] = signature
    spec.records[statement.name] = signature


def _simple_assign_target(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id
    return None


def _new_type_name(statement: ast.stmt) -> str | None:
    if not isinstance(statement, ast.Assign):
        return None
    value = statement.value
    if (
        isinstance(value, ast.Call)
        and (
            getattr(value.func, "id", None) == "NewType"
            or getattr(value.func, "attr", None) == "NewType"
        )
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
    ):
        return statement.targets[0].id
    return None


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _read_top_level(tree: ast.Module, spec: ModuleSpec) -> None:
    assigned: dict[str, int] = {}
    for statement in tree.body:
        target = _simple_assign_target(statement)
        if target is not None:
            assigned[target] = assigned.get(target, 0) + 1
    spec.definitions = {s.name: s for s in tree.body if isinstance(s, ast.FunctionDef)}
    # Constants first: a signature may name one bound further down (annotations are text).
    for statement in tree.body:
        if _simple_assign_target(statement) is not None:
            _read_assignment(statement, spec, assigned)
    for statement in tree.body:
        if isinstance(statement, ast.Import | ast.ImportFrom) or _is_docstring(statement):
            continue
        if isinstance(statement, ast.FunctionDef):
            _read_function(statement, spec)
        elif isinstance(statement, ast.ClassDef):
            _read_class(statement, spec)
        elif _simple_assign_target(statement) is not None:
            pass  # read above
        else:
            spec.module_problems.append(
                ("<module>", UnsupportedError.at(statement, f"module-level {describe(statement)}"))
            )


def _read_assignment(statement: ast.stmt, spec: ModuleSpec, assigned: Mapping[str, int]) -> None:
    target = _simple_assign_target(statement)
    assert target is not None
    if target in spec.types.aliases or target in spec.types.opaque or target in spec.types.typevars:
        return
    value = statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
    if (
        isinstance(value, ast.Constant)
        and isinstance(value.value, int | str)
        and assigned.get(target) == 1
    ):
        spec.constants[target] = value.value
        return
    if (
        isinstance(value, ast.UnaryOp)
        and isinstance(value.op, ast.USub)
        and isinstance(value.operand, ast.Constant)
        and type(value.operand.value) is int
        and assigned.get(target) == 1
    ):
        spec.constants[target] = -value.operand.value
        return
    spec.module_problems.append(
        ("<module>", UnsupportedError.at(statement, f"module-level assignment to {target!r}"))
    )


def _read_class(statement: ast.ClassDef, spec: ModuleSpec) -> None:
    if spec.types.aliases.get(statement.name, PyType(Kind.NONE)).kind is Kind.RECORD:
        _read_record(statement, spec)
        return
    # A class is an opaque type; its methods and the statements of its body would be code
    # we do not check (a class-body assignment runs when the class is defined), so say so.
    # A docstring, ``pass`` and a field's bare annotation run nothing.
    for item in statement.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            spec.module_problems.append(
                (
                    f"{statement.name}.{item.name}",
                    UnsupportedError.at(item, f"method {statement.name}.{item.name}"),
                )
            )
        elif not (
            _is_docstring(item)
            or isinstance(item, ast.Pass)
            or (isinstance(item, ast.AnnAssign) and item.value is None)
        ):
            spec.module_problems.append(
                (
                    f"{statement.name}.<body>",
                    UnsupportedError.at(item, f"{_class_statement(item)} in {statement.name}"),
                )
            )


def _class_statement(item: ast.stmt) -> str:
    if isinstance(item, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = item.targets if isinstance(item, ast.Assign) else [item.target]
        return "class-body assignment to " + ", ".join(repr(ast.unparse(t)) for t in targets)
    if isinstance(item, ast.Expr):
        return "class-body expression"
    if isinstance(item, ast.ClassDef):
        return "nested class"
    return f"class-body {describe(item)}"


def _read_function(node: ast.FunctionDef, spec: ModuleSpec) -> None:
    if node.name in spec.signatures and spec.signatures[node.name].trusted:
        return  # assumed: the comment's signature is trusted and the body is not checked
    if node.name in spec.measures:
        # The executable definition of a measure: calls to it in code are the measure
        # itself, which the solver treats as an uninterpreted function (or unfolds, when
        # its body is one return of a predicate expression: see expressions.py).
        spec.measure_bodies[node.name] = node
        if definition_expression(node) is None or not (
            is_recursive(node) or len(node.args.args) > 1
        ):
            spec.assumed.append(node.name)
            return
        # A recursive definition (or one of several parameters, which the one-parameter
        # unfolding in expressions.py does not read) is reflected (see _reflect), and
        # checked as a function: its termination is what makes its equation consistent.
        spec.reflected.add(node.name)
    try:
        signature = function_signature(node, spec)
    except UnsupportedError as problem:
        spec.broken[node.name] = problem
        spec.functions.append(node)
        return
    spec.signatures[node.name] = signature
    spec.functions.append(node)


def _is_enforce(decorator: ast.expr) -> bool:
    """``@enforce``, ``@enforce(...)`` or ``@contracts.enforce``: run-time checks only.

    The decorator raises when a refinement is false and otherwise returns what the function
    returns, so the static meaning of the body, and its signature, are unchanged.
    """
    if isinstance(decorator, ast.Call) and not decorator.args:
        decorator = decorator.func
    if isinstance(decorator, ast.Name):
        return decorator.id == "enforce"
    return isinstance(decorator, ast.Attribute) and decorator.attr == "enforce"


def function_signature(node: ast.FunctionDef, spec: ModuleSpec) -> Signature:
    """The signature a ``def`` declares through its annotations."""
    arguments = node.args
    for decorator in node.decorator_list:
        if not _is_enforce(decorator):
            raise UnsupportedError.at(decorator, "decorator")
    if arguments.vararg or arguments.kwarg or arguments.kwonlyargs or arguments.posonlyargs:
        raise UnsupportedError.at(
            node, "*args, **kwargs, keyword-only or positional-only parameters"
        )
    if arguments.defaults:
        raise UnsupportedError.at(arguments.defaults[0], "default parameter values")
    params: list[Param] = []
    for argument in arguments.args:
        if argument.annotation is None:
            raise UnsupportedError.at(
                argument, f"parameter {argument.arg!r} without a type annotation"
            )
        pytype, refinement = read_annotation(argument.annotation, spec.types)
        params.append(_param(argument.arg, pytype, refinement, None, spec))
    if node.returns is None:
        # Read off the returns (and checked like any annotation); no refinement: inferred.
        result_type, result_refinement = _unannotated_result(node, params, spec, {node.name}), None
    else:
        result_type, result_refinement = read_annotation(node.returns, spec.types)
    result = _param(RESULT, result_type, result_refinement, None, spec)
    abstract = abstracts_of((*params, result), spec)
    signature = Signature(node.name, tuple(params), result, node.lineno, abstract=abstract)
    _check_signature_names(signature, spec)
    return signature


def _unannotated_result(
    node: ast.FunctionDef, params: Iterable[Param], spec: ModuleSpec, seen: set[str]
) -> PyType:
    def result_of(callee: str) -> PyType | None:
        found: PyType | None = None
        if callee in spec.signatures:
            found = spec.signatures[callee].result.type
        elif callee in spec.measures:
            found = spec.measures[callee].result
        elif spec.types.aliases.get(callee, NONE).kind is Kind.RECORD:
            found = spec.types.aliases[callee]
        elif callee in spec.definitions and callee not in seen:
            definition = spec.definitions[callee]
            try:
                if definition.returns is not None:
                    found = read_annotation(definition.returns, spec.types)[0]
                else:
                    found = _unannotated_result(
                        definition, _plain_params(definition, spec), spec, seen | {callee}
                    )
            except UnsupportedError:
                return None
        if found is None or found.mentions_typevar():
            return None  # a generic result's type depends on the call: not read here
        return found.plain()

    types = {param.name: param.type for param in params}
    return read_result_type(node, types, spec.types, spec.constants, result_of)


def _plain_params(node: ast.FunctionDef, spec: ModuleSpec) -> list[Param]:
    params = []
    for argument in node.args.args:
        if argument.annotation is None:
            raise UnsupportedError.at(argument, f"parameter {argument.arg!r} without a type")
        params.append(Param(argument.arg, read_annotation(argument.annotation, spec.types)[0]))
    return params


__all__ = [
    "RESULT",
    "Measure",
    "ModuleSpec",
    "Param",
    "Qualifier",
    "RelationSpec",
    "Signature",
    "function_metric",
    "opaque",
    "read_module",
]
