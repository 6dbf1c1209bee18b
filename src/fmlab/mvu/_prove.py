"""Inductive invariants of ``update``, proved with z3.

Exploration checks the models it reaches; an app whose models are unbounded (a counter
with no maximum) can only be explored up to a bound. An invariant ``Inv`` is
*inductive* when

* it holds in ``init()``, and
* ``Inv(m) and valid(m, msg)`` implies ``Inv(update(m, msg))`` for **every** model ``m``
  of the model's type and every message ``msg`` of the message classes,

and then it holds in every reachable model, however many there are. ``valid`` is the
app's optional ``valid(msg)`` or ``valid(model, msg)``: the messages the view can send
(a disabled button sends nothing); without it every message of the classes counts.

**The encoding.** The Python functions themselves are run on symbolic values
(:mod:`fmlab.mvu._symbolic`), path by path, for models that are frozen dataclasses of
``int`` and ``bool`` fields (or a plain ``int``/``bool``) and messages that are
dataclasses of ``int`` and ``bool`` fields, named by the annotation of ``update``'s
message parameter (``def update(model: Model, msg: Msg)`` with
``Msg = Increment | Decrement``). Anything else is reported as unknown with the reason
(a string field, a loop over a symbolic count, an unannotated message parameter). The
encoding is then cross-checked: on the transitions exploration found, the encoded
``update`` and invariant must give what the Python functions give.

**The answers.** Proved; refuted with a counterexample to induction (a model where the
invariant holds, a message, and the model after it where it does not), replayed through
the Python ``update`` before it is shown (such a model need not be reachable: the
invariant may still hold, but then it needs strengthening to be proved this way); or
unknown with the reason. Effects play no part (they are data ``update`` returns).

>>> from fmlab.mvu import App
>>> from fmlab.mvu.examples import leaky_counter, unbounded_counter
>>> prove_inductive(App.from_module(unbounded_counter), "inv_not_negative").verdict.value
'proved'
>>> step = prove_inductive(App.from_module(leaky_counter), "inv_not_negative").witness
>>> step.model, step.message, step.next_model
(Model(count=0), Decrement(), Model(count=-1))
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import z3

from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason, refute
from fmlab.core.solving import Satisfiability, solve, unknown_from
from fmlab.mvu._app import App, AppError, _line_in
from fmlab.mvu._symbolic import Path, SymBool, SymInt, Unsupported, as_term, enumerate_paths

if TYPE_CHECKING:
    from fmlab.mvu._explore import Exploration

_PLAIN = "value"
"""The one field of a model that is a plain int or bool."""


@dataclass(frozen=True)
class InductionStep:
    """A counterexample to induction: ``Inv(model)``, ``message``, not ``Inv(next_model)``.

    ``message`` is ``None`` when ``init()`` itself breaks the invariant.
    """

    model: Hashable
    message: Hashable | None
    next_model: Hashable

    def __str__(self) -> str:
        if self.message is None:
            return f"init() gives {self.model!r}, which breaks it"
        return f"{self.model!r} --{self.message!r}--> {self.next_model!r}"

    def to_json(self) -> dict[str, Any]:
        from fmlab.mvu._messages import encode_message

        return {
            "model": repr(self.model),
            "message": None if self.message is None else encode_message(self.message),
            "next_model": repr(self.next_model),
        }


Result = Proved | Refuted[InductionStep] | Unknown


@dataclass(frozen=True)
class _Shape:
    """A class of models or messages as z3 sees it: field names and sorts."""

    cls: type | None  # None: the model is a plain int or bool
    fields: tuple[tuple[str, type], ...]

    def symbolic(self, prefix: str) -> tuple[Any, dict[str, z3.ExprRef]]:
        variables = {
            name: (z3.Int if kind is int else z3.Bool)(f"{prefix}.{name}")
            for name, kind in self.fields
        }
        wrapped = {
            name: SymInt(term) if isinstance(term, z3.ArithRef) else SymBool(term)
            for name, term in variables.items()
        }
        if self.cls is None:
            return wrapped[_PLAIN], variables
        value: Any = object.__new__(self.cls)
        for name, symbol in wrapped.items():
            object.__setattr__(value, name, symbol)  # bypasses __post_init__ checks
        return value, variables

    def terms(self, value: Any) -> dict[str, z3.ExprRef]:
        """The field terms of a (possibly symbolic) value of this shape."""
        if self.cls is None:
            return {_PLAIN: _typed_term(value, self.fields[0][1], "the model")}
        if type(value) is not self.cls:
            raise Unsupported(
                f"update returned a {type(value).__name__}, not a {self.cls.__name__}"
            )
        return {
            name: _typed_term(getattr(value, name), kind, f"field {name}")
            for name, kind in self.fields
        }

    def concrete(self, values: dict[str, Any]) -> Any:
        if self.cls is None:
            return values[_PLAIN]
        return self.cls(**values)

    def values_of(self, value: Any) -> dict[str, Any]:
        if self.cls is None:
            return {_PLAIN: value}
        return {name: getattr(value, name) for name, _ in self.fields}


def _typed_term(value: object, kind: type, what: str) -> z3.ExprRef:
    term = as_term(value)
    wanted = z3.IntSort() if kind is int else z3.BoolSort()
    if isinstance(value, bool) and kind is int:
        term = z3.IntVal(int(value))
    if term.sort() != wanted:
        raise Unsupported(f"{what} should be {kind.__name__}, got {type(value).__name__}")
    return term


def _shape(value: object, cls: type, what: str) -> _Shape:
    if cls in (int, bool):
        return _Shape(None, ((_PLAIN, cls),))
    if not dataclasses.is_dataclass(cls):
        raise Unsupported(f"{what} {cls.__name__} is not a dataclass of ints and bools")
    try:
        hints = typing.get_type_hints(cls)
    except Exception as error:  # unresolvable annotations: a class defined in a function
        raise Unsupported(f"cannot read the field types of {cls.__name__}: {error}") from None
    fields = []
    for field in dataclasses.fields(cls):
        kind = hints.get(field.name)
        if kind not in (int, bool):
            raise Unsupported(
                f"{what} class {cls.__name__} has a field {field.name!r} of type "
                f"{_type_name(kind)}; the proof covers int and bool fields"
            )
        fields.append((field.name, kind))
    return _Shape(cls, tuple(fields))


def _type_name(kind: object) -> str:
    return getattr(kind, "__name__", None) or str(kind)


def _message_classes(update: Callable[..., Any]) -> tuple[type, ...]:
    parameters = list(inspect.signature(update).parameters)
    if len(parameters) < 2:
        raise Unsupported("update takes no message parameter")
    try:
        hints = typing.get_type_hints(update)
    except Exception as error:
        raise Unsupported(f"cannot read update's annotations: {error}") from None
    annotation = hints.get(parameters[1])
    if annotation is None:
        raise Unsupported(
            "annotate update's message parameter with the message classes "
            "(Msg = Increment | Decrement; def update(model: Model, msg: Msg))"
        )
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        classes = typing.get_args(annotation)
    else:
        classes = (annotation,)
    if not all(isinstance(cls, type) for cls in classes):
        raise Unsupported(f"update's message annotation {annotation!r} names no classes")
    return tuple(classes)


def _truth(paths: Sequence[Path]) -> z3.BoolRef:
    """The formula "the function returns a true value" (a raising path counts as false)."""
    cases = []
    for path in paths:
        if path.raised is not None:
            continue
        result = path.result
        if isinstance(result, SymInt):
            value: z3.BoolRef = result.term != 0
        elif isinstance(result, SymBool):
            value = result.term
        else:
            value = z3.BoolVal(bool(result))
        cases.append(z3.And(path.guard(), value))
    return z3.Or(*cases) if cases else z3.BoolVal(False)


class _Encoder:
    """The app's functions as z3 formulas, path by path."""

    def __init__(self, app: App, invariant: str) -> None:
        self.app = app
        self.invariant = app.invariants[invariant]
        model = app.init_model()
        self.model_shape = _shape(model, type(model), "the model")
        self.message_shapes = [
            _shape(None, cls, "the message") for cls in _message_classes(app.update)
        ]
        self.valid = app.valid
        self.valid_arity = 0 if app.valid is None else len(inspect.signature(app.valid).parameters)

    def holds(self, model: Any) -> z3.BoolRef:
        return _truth(enumerate_paths(self.invariant)(model))

    def allowed(self, model: Any, message: Any) -> z3.BoolRef:
        if self.valid is None:
            return z3.BoolVal(True)
        args = (message,) if self.valid_arity == 1 else (model, message)
        return _truth(enumerate_paths(self.valid)(*args))

    def update_paths(self, model: Any, message: Any) -> list[Path]:
        def next_model(m: Any, msg: Any) -> Any:
            result = self.app.update(m, msg)
            if (
                isinstance(result, tuple)
                and len(result) == 2
                and isinstance(result[1], list | tuple)
            ):
                return result[0]
            return result

        return enumerate_paths(next_model)(model, message)


def prove_inductive(
    app: App,
    invariant: str,
    *,
    exploration: Exploration | None = None,
    timeout_ms: int | None = None,
    cross_check: int = 500,
) -> Result:
    """Prove ``invariant`` inductive for ``app`` with z3 (see the module docstring).

    ``exploration`` supplies transitions for the cross-check (up to ``cross_check`` of
    them); without it a small exploration is made.
    """
    claim = f"{invariant} is inductive"
    if invariant not in app.invariants:
        raise KeyError(f"the app has no invariant {invariant!r}")
    first = app.init_model()
    if not app.check_invariant(invariant, first):
        step = InductionStep(first, None, first)
        return refute(claim, step, replay=lambda s: not app.check_invariant(invariant, s.model))
    try:
        encoder = _Encoder(app, invariant)
        model, model_vars = encoder.model_shape.symbolic("m")
        before = encoder.holds(model)
        for shape in encoder.message_shapes:
            message, message_vars = shape.symbolic("msg")
            answer = _step(
                app,
                invariant,
                claim,
                encoder,
                model,
                model_vars,
                message,
                message_vars,
                before,
                shape,
                timeout_ms,
            )
            if answer is not None:
                return answer
        checked = _cross_check(app, encoder, exploration, cross_check)
    except Unsupported as error:
        return Unknown(claim, UnknownReason.UNSUPPORTED, _located(app, error))
    except _DisagreementError as error:
        return Unknown(claim, UnknownReason.WITNESS_NOT_CONFIRMED, str(error))
    classes = ", ".join(shape.cls.__name__ for shape in encoder.message_shapes if shape.cls)
    bound = (
        f"by z3, for every int/bool model and every {classes}"
        f"{' that valid() allows' if app.valid else ''}; the encoding agreed with update "
        f"on {checked} explored transitions"
    )
    return Proved(claim, bound)


def _step(
    app: App,
    invariant: str,
    claim: str,
    encoder: _Encoder,
    model: Any,
    model_vars: dict[str, z3.ExprRef],
    message: Any,
    message_vars: dict[str, z3.ExprRef],
    before: z3.BoolRef,
    shape: _Shape,
    timeout_ms: int | None,
) -> Result | None:
    """``None`` when every path of ``update`` on this message class keeps the invariant."""
    allowed = encoder.allowed(model, message)
    breaking = []
    for path in encoder.update_paths(model, message):
        if path.raised is not None:
            raised = _raising(app, encoder, path, before, allowed, shape, model_vars, message_vars)
            if raised is not None:
                return Unknown(claim, UnknownReason.INCOMPLETE, raised)
            continue
        after_model = _rebuild(encoder.model_shape, path.result)
        breaking.append(z3.And(path.guard(), z3.Not(encoder.holds(after_model))))
    if not breaking:
        return None
    outcome = solve([before, allowed, z3.Or(*breaking)], timeout_ms=timeout_ms)
    if outcome.status is Satisfiability.UNSAT:
        return None
    if outcome.status is Satisfiability.UNKNOWN:
        return unknown_from(claim, outcome)
    assert outcome.model is not None
    found_model = encoder.model_shape.concrete(_read(outcome.model, model_vars))
    found_message = shape.concrete(_read(outcome.model, message_vars))

    def replay(step: InductionStep) -> bool:
        ok_before = app.check_invariant(invariant, step.model)
        after = app.next_model(step.model, step.message)
        return (
            ok_before
            and _valid(app, step.model, step.message)
            and not app.check_invariant(invariant, after)
            and after == step.next_model
        )

    try:
        after = app.next_model(found_model, found_message)
    except AppError as error:
        return Unknown(claim, UnknownReason.WITNESS_NOT_CONFIRMED, f"replay failed: {error}")
    return refute(
        claim,
        InductionStep(found_model, found_message, after),
        replay=replay,
        replayed_by="update and the invariant, run on the solver's model",
    )


class _DisagreementError(Exception):
    """The encoding and the Python function disagree on a concrete input."""


def _raising(
    app: App,
    encoder: _Encoder,
    path: Path,
    before: z3.BoolRef,
    allowed: z3.BoolRef,
    shape: _Shape,
    model_vars: dict[str, z3.ExprRef],
    message_vars: dict[str, z3.ExprRef],
) -> str | None:
    outcome = solve([before, allowed, path.guard()])
    if outcome.status is not Satisfiability.SAT or outcome.model is None:
        return None
    model = encoder.model_shape.concrete(_read(outcome.model, model_vars))
    message = shape.concrete(_read(outcome.model, message_vars))
    return (
        f"update raises {type(path.raised).__name__} ({path.raised}) on a model where the "
        f"invariant holds, for example {model!r} with {message!r}"
    )


def _rebuild(shape: _Shape, result: Any) -> Any:
    """A model built from update's result, whose fields are terms (symbolic again)."""
    terms = shape.terms(result)
    wrapped = {
        name: SymInt(term) if isinstance(term, z3.ArithRef) else SymBool(term)
        for name, term in terms.items()
    }
    if shape.cls is None:
        return wrapped[_PLAIN]
    value: Any = object.__new__(shape.cls)
    for name, symbol in wrapped.items():
        object.__setattr__(value, name, symbol)
    return value


def _read(model: z3.ModelRef, variables: dict[str, z3.ExprRef]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, term in variables.items():
        value = model.eval(term, model_completion=True)
        values[name] = value.as_long() if z3.is_int_value(value) else z3.is_true(value)
    return values


def _valid(app: App, model: Any, message: Any) -> bool:
    if app.valid is None:
        return True
    arity = len(inspect.signature(app.valid).parameters)
    return bool(app.valid(message) if arity == 1 else app.valid(model, message))


def _cross_check(app: App, encoder: _Encoder, exploration: Exploration | None, limit: int) -> int:
    """Evaluate the encoding on explored transitions; raise on the first disagreement."""
    if exploration is None:
        from fmlab.mvu._explore import explore

        exploration = explore(app, max_states=200)
    model, model_vars = encoder.model_shape.symbolic("m")
    invariant = z3.simplify(encoder.holds(model))
    by_class = {shape.cls: shape for shape in encoder.message_shapes}
    encoded: dict[type, tuple[list[Path], dict[str, z3.ExprRef]]] = {}
    checked = 0
    for source, message, target in exploration.edges():
        if checked >= limit:
            break
        shape = by_class.get(type(message))
        if shape is None or shape.cls is None:
            raise _DisagreementError(
                f"the view sent {message!r}, whose class is not in update's message annotation"
            )
        if shape.cls not in encoded:
            symbolic_message, message_vars = shape.symbolic("msg")
            encoded[shape.cls] = (encoder.update_paths(model, symbolic_message), message_vars)
        paths, message_vars = encoded[shape.cls]
        pairs = _substitution(model_vars, encoder.model_shape.values_of(source))
        pairs += _substitution(message_vars, shape.values_of(message))
        _agree(encoder, paths, pairs, source, message, target)
        if z3.is_true(z3.simplify(z3.substitute(invariant, *pairs[: len(model_vars)]))) != bool(
            encoder.invariant(source)
        ):
            raise _DisagreementError(f"the encoded invariant disagrees with Python on {source!r}")
        checked += 1
    return checked


def _substitution(variables: dict[str, z3.ExprRef], values: dict[str, Any]) -> list[Any]:
    pairs = []
    for name, term in variables.items():
        value = values[name]
        pairs.append(
            (
                term,
                z3.BoolVal(value)
                if isinstance(value, bool) and z3.is_bool(term)
                else z3.IntVal(int(value)),
            )
        )
    return pairs


def _agree(
    encoder: _Encoder,
    paths: list[Path],
    pairs: list[Any],
    source: Any,
    message: Any,
    target: Any,
) -> None:
    for path in paths:
        if not z3.is_true(z3.simplify(z3.substitute(path.guard(), *pairs))):
            continue
        if path.raised is not None:
            raise _DisagreementError(
                f"the encoding raises on {source!r} with {message!r}; Python gave {target!r}"
            )
        terms = encoder.model_shape.terms(path.result)
        expected = encoder.model_shape.values_of(target)
        for name, term in terms.items():
            value = z3.simplify(z3.substitute(term, *pairs))
            got = value.as_long() if z3.is_int_value(value) else z3.is_true(value)
            if got != expected[name]:
                raise _DisagreementError(
                    f"on {source!r} with {message!r} the encoding gives {name}={got!r}, "
                    f"Python's update gives {expected[name]!r}"
                )
        return
    raise _DisagreementError(f"no encoded path of update covers {source!r} with {message!r}")


def _located(app: App, error: Unsupported) -> str:
    for function in (app.update, *app.invariants.values(), app.valid):
        if function is None:
            continue
        try:
            file = inspect.getsourcefile(function)
        except TypeError:
            continue
        line = _line_in(error.__traceback__, file)
        if line is not None:
            return f"{error} (at {file}:{line})"
    return str(error)
