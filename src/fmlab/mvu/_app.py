"""An application in the Elm architecture: ``init``, ``update`` and ``view``, plain Python.

* ``init() -> model``: the first model;
* ``update(model, msg) -> model`` or ``(model, effects)``: the next model, and optionally
  effects as *data* (a list or tuple of values describing what should happen: an HTTP
  request, a timer). ``update`` never performs them, which is what makes it a pure
  function that can be replayed, explored and proved;
* ``view(model) -> node``: the virtual tree, built with :func:`fmlab.mvu.h`;
* ``inv_<name>(model) -> bool``: invariants the checks verify;
* optionally ``valid(msg)`` or ``valid(model, msg)`` (the messages the inductive proof
  may assume) and ``INPUT_SAMPLES`` (the texts typed into inputs during exploration).

Models and messages must be hashable (frozen dataclasses are the natural choice), and a
model is never ``None`` (that is read as a forgotten ``return``; so is an invariant that
answers ``None``). A view is at most 200 elements deep (a browser keeps 511 nested in
``<body>``; deeper ones are refused with the reason). A pair
returned by ``update`` is read as ``(model, effects)`` when its second item is a list or
a tuple; use a dataclass for a model that is itself a pair.

>>> from fmlab.mvu.examples import counter
>>> app = App.from_module(counter)
>>> app.name, sorted(app.invariants)
('counter', ['inv_in_range'])
>>> model = app.init_model()
>>> [handler.message for handler in app.offered(model)]
[Increment(), Reset()]
>>> app.run([counter.Increment(), counter.Increment()])[-1]
Model(count=2)
"""

from __future__ import annotations

import inspect
import sys
import traceback
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

from fmlab.core.errors import InputError
from fmlab.mvu._nodes import (
    BROWSER_MAX_DEPTH,
    DEFAULT_SAMPLES,
    MAX_DEPTH,
    Element,
    Handler,
    Node,
    Text,
    depth,
    handlers,
)

Model = Hashable
Message = Hashable


class AppError(InputError):
    """The app itself is broken: a missing function, a view that returns no node, an
    exception raised by ``init``, ``update``, ``view`` or an invariant. The message names
    the app's file and the line."""


@dataclass(frozen=True)
class Transition:
    """What one message did: the next model and the effects ``update`` asked for."""

    model: Model
    effects: tuple[Hashable, ...] = ()


@dataclass(frozen=True)
class App:
    """An Elm-architecture application (see the module docstring)."""

    init: Callable[[], Any]
    update: Callable[[Any, Any], Any]
    view: Callable[[Any], Any]
    name: str = "app"
    invariants: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    valid: Callable[..., Any] | None = None
    input_samples: tuple[str, ...] = DEFAULT_SAMPLES
    source: str | None = None
    """The file the app came from, named by error messages."""
    namespace: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Where message type names are looked up when messages are read from JSON."""

    # --- construction ------------------------------------------------------------------

    @classmethod
    def from_module(
        cls, module: ModuleType, *, source: str | None = None, name: str | None = None
    ) -> App:
        """The app a module defines (``init``, ``update``, ``view``, ``inv_*``...)."""
        where = source or getattr(module, "__file__", None) or module.__name__
        return cls.from_namespace(
            vars(module), name=name or module.__name__.rpartition(".")[2], source=where
        )

    @classmethod
    def from_namespace(
        cls, namespace: Mapping[str, Any], *, name: str = "app", source: str | None = None
    ) -> App:
        """The app a namespace defines: a module's, or a notebook's ``globals()``."""
        where = source or name
        missing = [key for key in ("init", "update", "view") if not callable(namespace.get(key))]
        if missing:
            raise AppError(
                f"defines no {', '.join(f'{key}()' for key in missing)}: an app needs "
                "init(), update(model, msg) and view(model)",
                source=where,
                line=1,
            )
        invariants = {
            key: value
            for key, value in namespace.items()
            if key.startswith("inv_") and callable(value)
        }
        samples = namespace.get("INPUT_SAMPLES", DEFAULT_SAMPLES)
        if not (isinstance(samples, tuple | list) and all(isinstance(s, str) for s in samples)):
            raise AppError("INPUT_SAMPLES must be a tuple of strings", source=where, line=1)
        valid = namespace.get("valid")
        return cls(
            init=namespace["init"],
            update=namespace["update"],
            view=namespace["view"],
            name=str(namespace.get("NAME") or name),
            invariants=dict(sorted(invariants.items())),
            valid=valid if callable(valid) else None,
            input_samples=tuple(samples),
            source=source,
            namespace=namespace,
        )

    # --- running the user's code, with located errors --------------------------------

    def init_model(self) -> Model:
        """``init()``, checked to be hashable."""
        model = self._call("init()", self.init)
        return self._checked_model(model, "init()", self.init)

    def step(self, model: Model, message: Message) -> Transition:
        """``update(model, message)``, normalised to a :class:`Transition`."""
        result = self._call(f"update(model, msg) with msg={message!r}", self.update, model, message)
        effects: tuple[Hashable, ...] = ()
        if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], list | tuple):
            result, raw_effects = result
            effects = tuple(raw_effects)
        return Transition(self._checked_model(result, "update(model, msg)", self.update), effects)

    def next_model(self, model: Model, message: Message) -> Model:
        """Only the model ``update`` returns."""
        return self.step(model, message).model

    def render(self, model: Model) -> Node:
        """``view(model)``, checked to be a node."""
        node = self._call("view(model)", self.view, model)
        if not isinstance(node, Element | Text):
            raise AppError(
                f"view(model) returned {type(node).__name__} {_short(node)}, not a node "
                "(build the view with h(tag, attrs, children))",
                source=self._file_of(self.view),
                line=_first_line(self.view),
            )
        levels = depth(node)
        if levels > MAX_DEPTH:
            raise AppError(
                f"view(model) returned a tree {levels:,} elements deep; fmlab.mvu takes at "
                f"most {MAX_DEPTH} (a browser keeps {BROWSER_MAX_DEPTH} in <body> and puts "
                "deeper elements beside their parent)",
                source=self._file_of(self.view),
                line=_first_line(self.view),
            )
        return node

    def offered(self, model: Model) -> list[Handler]:
        """The messages the view of ``model`` lets a user send (its enabled handlers)."""
        found = handlers(self.render(model), self.input_samples)
        for handler in found:
            try:
                hash(handler.message)
            except TypeError:
                raise AppError(
                    f"the message {handler.message!r} from {handler.describe()} "
                    "is not hashable (use a frozen dataclass)",
                    source=self._file_of(self.view),
                    line=_first_line(self.view),
                ) from None
        return found

    def check_invariant(self, name: str, model: Model) -> bool:
        """Whether invariant ``name`` holds in ``model`` (any truthy answer counts).

        ``None`` is refused rather than read as false: it is almost always a missing
        ``return``, and a violation with a counterexample would send the reader the
        wrong way.
        """
        function = self.invariants[name]
        answer = self._call(f"{name}(model)", function, model)
        if answer is None:
            raise AppError(
                f"{name}(model) returned None, not True or False (a missing return?)",
                source=self._file_of(function),
                line=_first_line(function),
            )
        return bool(answer)

    def broken_invariants(self, model: Model) -> tuple[str, ...]:
        """The invariants ``model`` breaks."""
        return tuple(name for name in self.invariants if not self.check_invariant(name, model))

    def run(self, messages: Iterable[Message], model: Model | None = None) -> list[Model]:
        """The models after each message, starting from ``init()`` (or ``model``).

        The list starts with the first model, so it has one more item than ``messages``.
        """
        current = self.init_model() if model is None else model
        models = [current]
        for message in messages:
            current = self.next_model(current, message)
            models.append(current)
        return models

    # --- helpers -------------------------------------------------------------------------

    def _call(self, what: str, function: Callable[..., Any], *args: Any) -> Any:
        try:
            return function(*args)
        except AppError:
            raise
        except Exception as error:
            raise self._located(what, function, error) from error

    def _located(self, what: str, function: Callable[..., Any], error: Exception) -> AppError:
        file = self._file_of(function)
        line = _line_in(error.__traceback__, file) or _first_line(function)
        return AppError(
            f"{what} raised {type(error).__name__}: {_short(error, 120)}",
            source=file,
            line=line,
        )

    def _checked_model(self, model: Any, what: str, function: Callable[..., Any]) -> Model:
        if model is None:
            raise AppError(
                f"{what} returned None, not a model (a missing return?)",
                source=self._file_of(function),
                line=_first_line(function),
            )
        try:
            hash(model)
        except TypeError:
            raise AppError(
                f"{what} returned an unhashable {type(model).__name__}; models must be "
                "hashable (use a frozen dataclass and tuples)",
                source=self._file_of(function),
                line=_first_line(function),
            ) from None
        return model  # type: ignore[no-any-return]

    def _file_of(self, function: Callable[..., Any]) -> str | None:
        try:
            file = inspect.getsourcefile(function)
        except TypeError:
            file = None
        return file or self.source


def load_app(path: str | Path) -> App:
    """Import the app file at ``path`` (its code runs) and read the app it defines.

    Errors (a missing file, a syntax error, an exception while importing) become
    :class:`AppError` naming the file and the line.
    """
    file = Path(path)
    if not file.is_file():
        raise AppError("no such file", source=str(path))
    module_name = f"fmlab_mvu_app_{abs(hash(str(file.resolve())))}"
    try:
        source_text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AppError(f"cannot read: {error}", source=str(path)) from None
    try:
        code = compile(source_text, str(file), "exec")
    except SyntaxError as error:
        raise AppError(
            f"syntax error: {error.msg}", source=str(path), line=error.lineno, column=error.offset
        ) from None
    module = ModuleType(module_name)
    module.__file__ = str(file)
    # Dataclasses look their module up in sys.modules while the class body runs.
    sys.modules[module_name] = module
    try:
        exec(code, vars(module))
    except Exception as error:
        line = _line_in(error.__traceback__, str(file))
        raise AppError(
            f"importing the app raised {type(error).__name__}: {_short(error, 120)}",
            source=str(path),
            line=line,
        ) from None
    return App.from_module(module, source=str(path), name=file.stem)


def _line_in(tb: TracebackType | None, file: str | None) -> int | None:
    """The line of the innermost frame of ``tb`` that runs in ``file``."""
    if file is None:
        return None
    wanted = str(Path(file).resolve()) if Path(file).exists() else file
    line = None
    for frame, lineno in traceback.walk_tb(tb):
        name = frame.f_code.co_filename
        resolved = str(Path(name).resolve()) if Path(name).exists() else name
        if resolved == wanted:
            line = lineno
    return line


def _first_line(function: Callable[..., Any]) -> int | None:
    code = getattr(function, "__code__", None)
    return None if code is None else int(code.co_firstlineno)


def _short(value: object, limit: int = 60) -> str:
    text = str(value) if isinstance(value, BaseException) else repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def replay(app: App, messages: Sequence[Message]) -> list[Model]:
    """The models of ``messages`` sent from ``init()`` (see :meth:`App.run`)."""
    return app.run(messages)
