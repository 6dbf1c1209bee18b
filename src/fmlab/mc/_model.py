"""A model in the plain file convention, and loading one from a ``.py`` file.

A :class:`Model` is the handful of plain functions the convention names (``init``,
``next``, ``inv_*``, ``terminal``, ``leadsto_*``, the fairness lists, ``label_map``),
gathered with the file they came from so that errors can name it.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
import traceback
import types
import uuid
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fmlab.core.errors import InputError

State = Hashable
Label = Hashable
Predicate = Callable[[Any], bool]
InitFunction = Callable[[], Iterable[Any]]
NextFunction = Callable[[Any], Iterable[tuple[Any, Any]]]
LabelMap = Callable[[Any], Any] | Mapping[Any, Any]

INVARIANT_PREFIX = "inv_"

MODEL_FAULTS: tuple[type[BaseException], ...] = (Exception, SystemExit)
"""What the model's own code may raise that the checker reports as a :class:`ModelError`.

``SystemExit`` is among them: a model that calls ``sys.exit()`` must not end the checker
with that code (``sys.exit(0)`` inside ``next`` would otherwise read as "holds").
``KeyboardInterrupt`` is not: Ctrl-C stops the checker as it stops any program."""
LEADS_TO_PREFIX = "leadsto_"


class ModelError(InputError):
    """A model that cannot be checked: a missing ``init``/``next``, an unhashable state,
    or an exception raised by the model's own code. It names the file and the line."""


def action_name(label: object) -> str:
    """The name of an action: its label up to the first ``(``, without spaces.

    Fairness is declared per name or per exact label (see the package documentation).
    A label that is not a string is named through its ``repr``, so a message object
    ``Increment(by=2)`` is named ``Increment``; a label with nothing before its first
    ``(`` (a tuple, say) is its own name.

    >>> action_name("StartContainer(c1)"), action_name("tick"), action_name(" stop (a, b)")
    ('StartContainer', 'tick', 'stop')
    >>> action_name(("msg", 1))
    "('msg', 1)"
    """
    text = label if isinstance(label, str) else repr(label)
    return text.split("(", 1)[0].strip() or text.strip()


def label_text(label: object) -> str:
    """A label as text: strings as they are, anything else through ``repr``."""
    return label if isinstance(label, str) else value_text(label)


def value_text(value: object) -> str:
    """``repr(value)``, or a placeholder saying why when the model's ``__repr__`` raises.

    A report must still be printed (with its verdict) when a state cannot describe itself.

    >>> class Mute:
    ...     def __repr__(self):
    ...         raise ValueError("no")
    >>> value_text((1, "a")), value_text(Mute())
    ("(1, 'a')", '<Mute: its __repr__ raised ValueError: no>')
    """
    try:
        return repr(value)
    except Exception as error:
        return f"<{type(value).__name__}: its __repr__ raised {type(error).__name__}: {error}>"


@dataclass(frozen=True)
class LeadsTo:
    """The liveness property "whenever ``p`` holds, ``q`` holds then or later"."""

    p: Predicate
    q: Predicate


@dataclass(frozen=True)
class Model:
    """A transition system given by plain functions (the file convention, in memory).

    ``init()`` returns an iterable of hashable initial states; ``next(state)`` yields
    ``(action_label, next_state)`` pairs; ``invariants`` maps names (``inv_...``) to
    predicates. ``terminal(state)`` says that a state without successors is a proper end
    (no deadlock is reported there). ``liveness`` maps names (``leadsto_...``) to
    :class:`LeadsTo` properties, checked under ``weak_fairness`` and ``strong_fairness``
    (action names or exact labels). ``label_map`` maps this model's labels onto a
    specification's for :func:`fmlab.mc.check_refinement`.
    """

    init: InitFunction
    next: NextFunction
    invariants: Mapping[str, Predicate] = field(default_factory=dict)
    terminal: Predicate | None = None
    liveness: Mapping[str, LeadsTo] = field(default_factory=dict)
    weak_fairness: tuple[str, ...] = ()
    strong_fairness: tuple[str, ...] = ()
    label_map: LabelMap | None = None
    name: str = "model"
    source: str | None = None
    """The file the model was loaded from (``None`` for a model built in memory)."""
    code: tuple[Callable[..., Any], ...] = ()
    """Further functions holding the model's code, for locating errors (a
    :class:`~fmlab.mc.VectorModel`'s guards and updates behind its plain view)."""

    @classmethod
    def from_namespace(
        cls, namespace: Mapping[str, Any], *, name: str = "model", source: str | None = None
    ) -> Model:
        """Read the file convention from a module's namespace (or a notebook's ``globals()``).

        Raises :class:`ModelError` when ``init`` or ``next`` is missing or not callable,
        or when a ``leadsto_`` entry or a fairness list has the wrong shape.
        """
        where = source or name
        for required in ("init", "next"):
            if not callable(namespace.get(required)):
                missing = (
                    "does not define" if required not in namespace else "defines a non-callable"
                )
                raise ModelError(
                    f"{missing} {required}(): a model file needs init() and next(state)",
                    source=where,
                )
        invariants = {
            key: value
            for key, value in namespace.items()
            if key.startswith(INVARIANT_PREFIX) and callable(value)
        }
        liveness = {
            key: _leads_to(key, value, where)
            for key, value in namespace.items()
            if key.startswith(LEADS_TO_PREFIX)
        }
        terminal = namespace.get("terminal")
        if terminal is not None and not callable(terminal):
            raise ModelError("terminal must be a function terminal(state) -> bool", source=where)
        label_map = namespace.get("label_map", namespace.get("LABEL_MAP"))
        if label_map is not None and not (callable(label_map) or isinstance(label_map, Mapping)):
            raise ModelError(
                "label_map must be a function label_map(label) or a dict of labels",
                source=where,
            )
        return cls(
            init=namespace["init"],
            next=namespace["next"],
            invariants=dict(sorted(invariants.items())),
            terminal=terminal,
            liveness=dict(sorted(liveness.items())),
            weak_fairness=_names(namespace.get("WEAK_FAIRNESS", ()), "WEAK_FAIRNESS", where),
            strong_fairness=_names(namespace.get("STRONG_FAIRNESS", ()), "STRONG_FAIRNESS", where),
            label_map=label_map,
            name=name,
            source=source,
        )

    def code_files(self) -> frozenset[str]:
        """The files holding this model's code: errors are located in the last of their frames."""
        files = {self.source} if self.source else set()
        functions: list[Any] = [self.init, self.next, self.terminal, *self.invariants.values()]
        functions += self.code
        for prop in self.liveness.values():
            functions += [prop.p, prop.q]
        for function in functions:
            code = getattr(function, "__code__", None)
            if code is not None and not is_engine_file(code.co_filename):
                files.add(code.co_filename)
        return frozenset(files)

    def where(self) -> str:
        """What error messages call this model: its file, else its name."""
        return self.source or self.name


def _leads_to(key: str, value: object, where: str) -> LeadsTo:
    if isinstance(value, LeadsTo):
        return value
    if isinstance(value, tuple) and len(value) == 2 and callable(value[0]) and callable(value[1]):
        return LeadsTo(value[0], value[1])
    raise ModelError(f"{key} must be a pair (p, q) of predicates on states", source=where)


def _names(value: object, what: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ModelError(f"{what} must be a list of action names or labels", source=where)
    names = tuple(value)
    if not all(isinstance(name, str) for name in names):
        raise ModelError(f"{what} must be a list of strings", source=where)
    return names


def load_model(path: str | Path) -> Any:
    """Import the model file at ``path`` and return its model.

    **This runs the file's code** (it is imported like any Python module), so check only
    files you trust. A file in the plain convention gives a :class:`Model`; a file that
    defines ``model = VectorModel(...)`` (or ``model = Model(...)``) gives that object.
    Errors (a missing file, a syntax error, an exception while importing, no ``init`` and
    ``next``) raise :class:`ModelError` naming the file and the line.
    """
    file = Path(path)
    where = str(path)
    if not file.is_file():
        raise ModelError("no such model file", source=where)
    module_name = f"fmlab_mc_model_{file.stem}_{uuid.uuid4().hex[:8]}"
    spec = importlib.util.spec_from_file_location(module_name, file)
    if spec is None or spec.loader is None:
        raise ModelError("cannot be imported as a Python module (is it a .py file?)", source=where)
    module = importlib.util.module_from_spec(spec)
    # Registered so that dataclasses and pickling inside the model can find their module.
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        raise ModelError(
            f"syntax error: {error.msg}", source=where, line=error.lineno, column=error.offset
        ) from None
    except MODEL_FAULTS as error:
        # The module's code carries the absolute path importlib made of ``path``.
        files = {where, str(file.absolute()), str(file.resolve())}
        raise located_error(
            error, "while importing the model", files, where, fallback_line=None
        ) from None
    return _model_of(module, where)


def _model_of(module: types.ModuleType, where: str) -> Any:
    namespace = vars(module)
    declared = namespace.get("model")
    if "init" not in namespace and "next" not in namespace and declared is not None:
        if isinstance(declared, Model) or hasattr(declared, "to_plain_model"):
            # Name the file in reports and errors, as for the plain convention.
            return declared if declared.source else dataclasses.replace(declared, source=where)
        raise ModelError("'model' must be a fmlab.mc Model or VectorModel", source=where)
    return Model.from_namespace(namespace, name=Path(where).stem, source=where)


def located_error(
    error: BaseException,
    context: str,
    files: Iterable[str],
    where: str,
    *,
    fallback_line: int | None,
) -> ModelError:
    """A :class:`ModelError` for an exception the model's code raised.

    The line is the last traceback frame inside one of ``files`` (the model's own code),
    which is where the user has to look; without one, ``fallback_line``.
    """
    wanted = set(files)
    line = fallback_line
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename in wanted:
            line = frame.lineno
    if isinstance(error, ModelError):
        # fmlab's own check (a VectorModel built wrongly): its message is the news.
        return ModelError(f"{context}: {error.message}", source=where, line=line)
    message = f"{context}: {type(error).__name__}: {error}"
    return ModelError(message, source=where, line=line)


_ENGINE_FOLDER = Path(__file__).resolve().parent


def is_engine_file(filename: str) -> bool:
    """Whether ``filename`` is one of the checker's own modules (``fmlab/mc/_*.py``).

    Wrappers such as a :class:`~fmlab.mc.VectorModel`'s plain view are defined there; an
    error must never be located at their lines under the name of the user's model file.
    """
    path = Path(filename)
    return path.name.startswith("_") and path.resolve().parent == _ENGINE_FOLDER


def definition_line(function: object) -> int | None:
    """The line where ``function`` is defined, when it is plain Python outside the engine."""
    code = getattr(function, "__code__", None)
    if code is None or is_engine_file(code.co_filename):
        return None
    return int(code.co_firstlineno)
