"""Run-time checks for the refinements the checker could not prove: :func:`enforce`.

The static checker never runs the code it checks. What it could not prove (an ``unknown``
loop, an ``unsupported`` construct, a caller outside the checked file) can still be checked
while the program runs: ``@enforce`` reads the function's ``Annotated[T, "predicate"]``
parameters and result and evaluates the predicates at each call, in the checker's own
predicate language (``_`` is the value, other parameters by name, ``len`` built in,
measures as Python functions). A false one raises :class:`RefinementViolation`.

Unlike the checker, the decorator *executes* the predicates and their measures: it is for
code you run anyway, not for files you only want to inspect.

>>> from typing import Annotated
>>> @enforce
... def dec(x: Annotated[int, "_ > 0"]) -> Annotated[int, "_ >= 0"]:
...     return x - 1
>>> dec(3)
2
>>> dec(0)
Traceback (most recent call last):
  ...
fmlab.refine._contracts.RefinementViolation: dec: parameter x must satisfy `_ > 0`, got x = 0
"""

from __future__ import annotations

import ast
import functools
import inspect
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, overload

from fmlab.core.errors import ViolationError
from fmlab.refine._predicates import Predicate, parse_predicate
from fmlab.refine._specs import RESULT

P = ParamSpec("P")
R = TypeVar("R")

RETURN = "return"
"""The target of a result refinement (a parameter's target is its name)."""


class RefinementViolation(ViolationError, AssertionError):  # noqa: N818 - reads as what happened
    """A refinement found false at a call: which function, which parameter or the result."""

    def __init__(
        self, function: str, target: str, predicate: str, values: Mapping[str, Any]
    ) -> None:
        where = "result" if target == RETURN else f"parameter {target}"
        shown = ", ".join(f"{name} = {value!r}" for name, value in values.items())
        super().__init__(f"{function}: {where} must satisfy `{predicate}`, got {shown}")
        self.function = function
        self.target = target
        self.predicate = predicate
        self.values = dict(values)


@dataclass(frozen=True)
class _Check:
    """One refinement of a decorated function, compiled once."""

    target: str  # a parameter's name, or RETURN
    predicate: Predicate
    code: Any  # a code object; typed Any because mypy has no CodeType for eval's input

    def names(self) -> set[str]:
        return self.predicate.names()

    def measures(self) -> set[str]:
        return {
            node.func.id
            for node in ast.walk(self.predicate.node)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        } - {"len"}


Measures = Mapping[str, Callable[..., Any]] | Iterable[Callable[..., Any]]


@overload
def enforce(function: Callable[P, R], /) -> Callable[P, R]: ...


@overload
def enforce(
    *, measures: Measures | None = None, only_unproved: bool = False
) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def enforce(
    function: Callable[P, R] | None = None,
    /,
    *,
    measures: Measures | None = None,
    only_unproved: bool = False,
) -> Callable[P, R] | Callable[[Callable[P, R]], Callable[P, R]]:
    """Check ``function``'s parameter and result refinements at every call.

    ``measures`` maps a measure's name to its Python definition (or lists the functions,
    named by ``__name__``); a measure not given is looked up by name in the function's
    module when the predicate is evaluated. With ``only_unproved=True``, the result's
    refinement is checked only if the checker did not prove the function ``safe`` (its
    verdict is computed on the first call, from the function's source file, through the
    checker's caches). Parameter refinements are always checked: the checker sees the
    calls inside the file, never the ones made from elsewhere.
    """
    given = _measure_table(measures)

    def decorate(target: Callable[P, R]) -> Callable[P, R]:
        return _wrap(target, given, only_unproved)

    return decorate if function is None else decorate(function)


def _measure_table(measures: Measures | None) -> dict[str, Callable[..., Any]]:
    if measures is None:
        return {}
    if isinstance(measures, Mapping):
        return dict(measures)
    return {measure.__name__: measure for measure in measures}


def _wrap(
    function: Callable[P, R], measures: Mapping[str, Callable[..., Any]], only_unproved: bool
) -> Callable[P, R]:
    name = getattr(function, "__qualname__", repr(function))
    signature = inspect.signature(function)
    checks = _checks(function, signature)
    parameters = [check for check in checks if check.target != RETURN]
    results = [check for check in checks if check.target == RETURN]
    decided: list[bool] = []  # filled on the first call: whether to check the result

    def evaluate(check: _Check, bindings: Mapping[str, Any]) -> None:
        namespace = _namespace(function, check, measures, name)
        try:
            held = bool(eval(check.code, namespace, dict(bindings)))
        except IndexError:
            held = False  # a read out of range makes a predicate false, as in the checker
        if not held:
            shown = {key: bindings[key] for key in sorted(check.names()) if key in bindings}
            if RESULT in shown and check.target != RETURN:
                # `_` is the parameter itself: show it once, under its own name.
                shown.pop(RESULT)
                shown = {check.target: bindings[check.target], **shown}
            elif RESULT in shown:
                shown = {"result": shown.pop(RESULT), **shown}
            raise RefinementViolation(name, check.target, check.predicate.text, shown)

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        values = dict(bound.arguments)
        for check in parameters:
            evaluate(check, {**values, RESULT: values[check.target]})
        result = function(*args, **kwargs)
        if results:
            if not decided:
                decided.append(not only_unproved or _result_unproved(function))
            if decided[0]:
                for check in results:
                    evaluate(check, {**values, RESULT: result})
        return result

    return wrapper


def _checks(function: Callable[..., Any], signature: inspect.Signature) -> list[_Check]:
    try:
        hints = typing.get_type_hints(function, include_extras=True)
    except Exception as error:  # an annotation that does not evaluate: say which function
        raise TypeError(f"enforce: cannot read the annotations of {function!r}: {error}") from None
    source = _source_file(function)
    line = function.__code__.co_firstlineno if hasattr(function, "__code__") else 1
    names = set(signature.parameters)
    checks = []
    for target, hint in hints.items():
        text = _refinement_text(hint)
        if text is None:
            continue
        if target != RETURN and target not in names:
            continue
        predicate = parse_predicate(text, source=source, line=line, column=1)
        allowed = names | {RESULT}
        unknown = predicate.names() - allowed
        if unknown:
            raise TypeError(
                f"enforce: {function.__qualname__}: unknown name {sorted(unknown)[0]!r} in "
                f"`{text}` (in scope: {', '.join(sorted(allowed))})"
            )
        code = compile(ast.Expression(predicate.node), f"<refinement {text}>", "eval")
        checks.append(_Check(target, predicate, code))
    return checks


def _source_file(function: Callable[..., Any]) -> str | None:
    try:
        return inspect.getsourcefile(function)
    except TypeError:  # a builtin, or a callable object: no file to point at
        return None


def _refinement_text(hint: Any) -> str | None:
    if typing.get_origin(hint) is not typing.Annotated:
        return None
    texts = [item for item in getattr(hint, "__metadata__", ()) if isinstance(item, str)]
    return texts[0] if texts else None


def _namespace(
    function: Callable[..., Any],
    check: _Check,
    measures: Mapping[str, Callable[..., Any]],
    name: str,
) -> dict[str, Any]:
    # Predicates see len and measures only: no other builtins, as in the checker's language.
    namespace: dict[str, Any] = {"__builtins__": {}, "len": len}
    module = getattr(function, "__globals__", {})
    for measure in check.measures():
        found = measures.get(measure, module.get(measure))
        if not callable(found):
            raise NameError(
                f"enforce: {name}: measure {measure!r} is neither passed in measures= nor "
                "a function of the module"
            )
        namespace[measure] = found
    return namespace


def _result_unproved(function: Callable[..., Any]) -> bool:
    # Imported here: a decorated module should not pay for z3 unless it asks for verdicts.
    from fmlab.refine._unproved import function_verdict

    source = _source_file(function)
    if source is None or function.__qualname__ != function.__name__:
        return True  # nothing the checker looked at: check everything
    verdict = function_verdict(Path(source), function.__name__)
    return verdict is None or not verdict


__all__ = ["RETURN", "RefinementViolation", "enforce"]
