"""Every fmlab type a public signature names is itself public.

A package's face (``__all__``) is what users import and what the API reference
(book/api/) documents. When an exported function returns, accepts or stores a class the
package does not export, a user can neither import that type (to annotate their own
code, or ``isinstance`` a result) nor look it up: the reference shows it as a plain,
unlinked name. So for every name in every face's ``__all__`` this walks what autodoc
shows and what a caller meets:

* a function's parameters and return type;
* a class's constructor, its public methods, properties and class methods, and its
  annotated public attributes (dataclass fields, and ``self.name: hint`` in
  ``__init__``), its fmlab base classes' too (a user calls inherited methods just the
  same);
* an exported constant's or type alias's annotation or value.

Hints are read with :func:`typing.get_type_hints` (``include_extras``) in the namespace
of the module that wrote them, including names imported only under ``TYPE_CHECKING``
(under ``from __future__ import annotations`` every hint is a string naming them). Every
class defined in fmlab that occurs anywhere inside a hint (``list[Pod] | None`` names
``Pod``) must be exported by a face of its own package: ``fmlab.k8s._model.Pod`` by
``fmlab.k8s`` (or a public subpackage such as ``fmlab.k8s.filters``), a core type by
``fmlab.core``.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import functools
import importlib
import inspect
import sys
import textwrap
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "fmlab"


def _face_names() -> list[str]:
    """Every public package with a face to check (the top package and the CLI have none)."""
    faces = []
    for path in sorted(SRC.rglob("__init__.py")):
        parts = path.relative_to(SRC.parent).parent.parts
        if any(part.startswith("_") for part in parts):
            continue
        name = ".".join(parts)
        if name not in {"fmlab", "fmlab.cli"}:
            faces.append(name)
    return faces


FACES = _face_names()


@functools.cache
def _namespace(module_name: str) -> dict[str, Any]:
    """The module's globals plus what it imports only for type checkers."""
    module = importlib.import_module(module_name)
    namespace = dict(vars(module))
    source = Path(module.__file__ or "").read_text(encoding="utf-8")
    is_package = Path(module.__file__ or "").name == "__init__.py"
    package = module_name if is_package else module_name.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")):
            continue
        for statement in node.body:
            if isinstance(statement, ast.ImportFrom):
                base = statement.module or ""
                if statement.level:
                    parent = package.rsplit(".", statement.level - 1)[0]
                    base = f"{parent}.{base}" if base else parent
                imported = importlib.import_module(base)
                for alias in statement.names:
                    value = getattr(imported, alias.name, None)
                    if value is None:  # a submodule: ``from package import module``
                        value = importlib.import_module(f"{base}.{alias.name}")
                    namespace[alias.asname or alias.name] = value
            elif isinstance(statement, ast.Import):
                for alias in statement.names:
                    top = importlib.import_module(alias.name)
                    if alias.asname:
                        namespace[alias.asname] = top
                    else:
                        namespace[alias.name.split(".")[0]] = sys.modules[alias.name.split(".")[0]]
    return namespace


class _Names(tuple[Any, ...]):
    """The objects a hint's source names, for a hint Python cannot evaluate at run time."""


def _hints(owner: Any, module_name: str) -> dict[str, Any]:
    """``get_type_hints`` of a function (or a class's own annotations) in its module.

    A hint only a type checker can evaluate (``array.array[int]`` is not subscriptable
    before Python 3.12) is read name by name from its source instead.
    """
    namespace = _namespace(module_name)
    try:
        return typing.get_type_hints(owner, globalns=namespace, include_extras=True)
    except TypeError:
        pass
    found: dict[str, Any] = {}
    for name, hint in getattr(owner, "__annotations__", {}).items():
        single = type("One", (), {"__annotations__": {name: hint}, "__module__": module_name})
        try:
            found |= typing.get_type_hints(single, globalns=namespace, include_extras=True)
        except TypeError:
            found[name] = _Names(_named_in(str(hint), namespace))
    return found


def _named_in(source: str, namespace: dict[str, Any]) -> Iterator[Any]:
    """The objects the names and dotted names of an expression's source stand for."""
    for node in ast.walk(ast.parse(source, mode="eval")):
        if isinstance(node, (ast.Name, ast.Attribute)):
            try:
                yield eval(ast.unparse(node), namespace)  # our own hints, not input
            except Exception:  # a part of a dotted name that is none by itself
                continue


def _classes_in(hint: Any) -> Iterator[type]:
    """Every class a type hint names, however deeply nested (``dict[str, list[Pod]]``)."""
    if isinstance(hint, _Names):
        for named in hint:
            yield from _classes_in(named)
        return
    if isinstance(hint, type) and not isinstance(hint, types.GenericAlias):
        yield hint
    if isinstance(hint, typing.TypeVar):
        if hint.__bound__ is not None:
            yield from _classes_in(hint.__bound__)
        for constraint in hint.__constraints__:
            yield from _classes_in(constraint)
        return
    if typing.get_origin(hint) is typing.Literal:
        return
    origin = typing.get_origin(hint)
    if isinstance(origin, type):
        yield origin
    for argument in typing.get_args(hint):
        if isinstance(argument, (list, tuple)):  # Callable[[A, B], C]
            for item in argument:
                yield from _classes_in(item)
        else:
            yield from _classes_in(argument)
    supertype = getattr(hint, "__supertype__", None)  # NewType
    if supertype is not None:
        yield from _classes_in(supertype)
    value = getattr(hint, "__value__", None)  # a ``type X = ...`` alias
    if value is not None:
        yield from _classes_in(value)


# (where, hint): "Pod.__init__:tolerations", "ClusterState.bound_pods:return", "Pod.node".
Hints = list[tuple[str, Any]]


def _function_hints(function: Callable[..., Any]) -> Hints:
    function = inspect.unwrap(function)
    module = getattr(function, "__module__", None)
    if not isinstance(module, str) or not module.startswith("fmlab"):
        return []
    hints = _hints(function, module)
    return [(f"{function.__qualname__}:{name}", hint) for name, hint in hints.items()]


def _annotation_hints(owner: type, annotations: dict[str, Any]) -> Hints:
    """The hints of some of a class's annotated attributes, read in the class's module."""
    if not annotations:
        return []
    shim = type(
        owner.__name__, (), {"__annotations__": annotations, "__module__": owner.__module__}
    )
    hints = _hints(shim, owner.__module__)
    return [(f"{owner.__qualname__}.{name}", hint) for name, hint in hints.items()]


def _instance_annotations(cls: type) -> dict[str, str]:
    """``self.name: hint = ...`` in the class's own ``__init__``, for its public names."""
    init = vars(cls).get("__init__")
    if not inspect.isfunction(init):
        return {}
    try:
        source = inspect.getsource(init)
    except OSError:  # a dataclass's generated constructor: its fields are annotations
        return {}
    tree = ast.parse(textwrap.dedent(source))
    return {
        node.target.attr: ast.unparse(node.annotation)
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Attribute)
        and isinstance(node.target.value, ast.Name)
        and node.target.value.id == "self"
        and not node.target.attr.startswith("_")
    }


def _class_hints(cls: type) -> Hints:
    found: Hints = []
    for base in [base for base in cls.__mro__ if base.__module__.startswith("fmlab")]:
        own = inspect.get_annotations(base)
        public = {name: hint for name, hint in own.items() if not name.startswith("_")}
        if dataclasses.is_dataclass(base):
            # The constructor takes every init field, private-named ones too.
            fields = dataclasses.fields(base)
            public |= {f.name: own[f.name] for f in fields if f.init and f.name in own}
        found += _annotation_hints(base, public)
        found += _annotation_hints(base, _instance_annotations(base))
        for name, member in vars(base).items():
            if name.startswith("_") and name not in {"__init__", "__new__", "__call__"}:
                continue
            if issubclass(base, enum.Enum) and name in base.__members__:
                continue
            if isinstance(member, (staticmethod, classmethod)):
                member = member.__func__
            if isinstance(member, property):
                member = member.fget
            if isinstance(member, functools.cached_property):
                member = member.func
            if inspect.isfunction(member):
                found += [
                    (label, hint)
                    for label, hint in _function_hints(member)
                    if not (name == "__init__" and label.endswith(":return"))
                ]
    return found


def _signature_hints(face: str, name: str) -> Hints:
    """(where, hint) for everything a user of ``face.name`` meets."""
    value = getattr(importlib.import_module(face), name)
    if inspect.ismodule(value):
        return []
    if inspect.isclass(value):
        return _class_hints(value)
    if callable(value) and inspect.isfunction(inspect.unwrap(value)):
        return _function_hints(value)
    # Data: a constant's annotation in the module that assigns it, or a type alias itself.
    home = _home_module(face, name)
    annotations = vars(importlib.import_module(home)).get("__annotations__", {})
    hints = []
    if name in annotations:
        shim = type(name, (), {"__annotations__": {name: annotations[name]}, "__module__": home})
        hints += list(_hints(shim, home).values())
    if typing.get_origin(value) is not None or isinstance(value, types.UnionType | typing.TypeVar):
        hints.append(value)
    return [(f"{face}.{name}", hint) for hint in hints]


def _home_module(face: str, name: str) -> str:
    """The module a face takes ``name`` from (its lazy table, or its own imports)."""
    module = importlib.import_module(face)
    for home, names in getattr(module, "_HOMES", {}).items():
        if name in names:
            return f"{face}.{home}"
    lazy = getattr(module, "_LAZY", {})
    if name in lazy:
        return f"{face}.{lazy[name]}"
    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and any((alias.asname or alias.name) == name for alias in node.names)
        ):
            return node.module
    return face


@functools.cache
def _exported() -> dict[int, list[str]]:
    """id(object) -> the faces exporting it."""
    found: dict[int, list[str]] = {}
    for face in FACES:
        module = importlib.import_module(face)
        for name in module.__all__:
            found.setdefault(id(getattr(module, name)), []).append(face)
    return found


def _unexported_in(hints: Hints) -> dict[str, list[str]]:
    """``module.Class`` -> where ``hints`` name it, for each class no face of its package
    exports (``fmlab.k8s._model.Pod`` must be in ``fmlab.k8s`` or ``fmlab.k8s.<sub>``)."""
    found: dict[str, list[str]] = {}
    for where, hint in hints:
        for cls in _classes_in(hint):
            if not cls.__module__.startswith("fmlab."):
                continue
            package = ".".join(cls.__module__.split(".")[:2])
            faces = _exported().get(id(cls), [])
            if any(face == package or face.startswith(package + ".") for face in faces):
                continue
            found.setdefault(f"{cls.__module__}.{cls.__qualname__}", []).append(where)
    return found


def unexported_types(face: str) -> dict[str, list[str]]:
    """``module.Class`` -> where a public signature of ``face`` names it, unexported."""
    names = importlib.import_module(face).__all__
    return _unexported_in([hint for name in names for hint in _signature_hints(face, name)])


@pytest.mark.parametrize("face", FACES)
def test_public_signatures_name_only_public_types(face: str) -> None:
    found = unexported_types(face)
    assert found == {}, "types in public signatures that no face of their package exports"


@pytest.mark.parametrize("face", FACES)
def test_every_exported_class_says_what_it_is(face: str) -> None:
    # The API reference prints a class's docstring under its name; a dataclass without
    # one has the text ``dataclasses`` writes (its field list, hints quoted), not prose.
    module = importlib.import_module(face)
    classes = [getattr(module, name) for name in module.__all__]
    silent = [
        cls.__name__
        for cls in classes
        if inspect.isclass(cls)
        and (
            not (vars(cls).get("__doc__") or "").strip()
            or (dataclasses.is_dataclass(cls) and cls.__doc__.startswith(f"{cls.__name__}("))
        )
    ]
    assert silent == []


def test_the_walk_sees_nested_inherited_and_deferred_hints() -> None:
    # The check above passes on the real tree; make sure the walk would see a bad one.
    from fmlab.k8s import Pod, preempt
    from fmlab.k8s.filters import CycleState, ResolvedTerm

    hidden = "fmlab.relational._encode._Atoms"  # a private class, exported by no face
    atoms = vars(importlib.import_module("fmlab.relational._encode"))["_Atoms"]
    nested = dict[str, list[Pod | atoms] | None]
    assert _unexported_in([("example", nested)]) == {hidden: ["example"]}
    assert _unexported_in([("example", Callable[[int], tuple[atoms, ...]])]) == {
        hidden: ["example"]
    }
    assert _unexported_in([("example", list[Pod])]) == {}
    # A hint naming a type imported only under TYPE_CHECKING is read all the same.
    assert dict(_function_hints(preempt))["preempt:return"].__name__ == "PreemptionResult"
    # A class's attributes include those of its (private) fmlab bases.
    inherited = [
        where for where, hint in _class_hints(CycleState) if ResolvedTerm in set(_classes_in(hint))
    ]
    assert "CycleBase.affinity_terms" in inherited
    # ... and the attributes its constructor annotates (``self.loops: list[LoopRecord]``).
    from fmlab.refine import FunctionExecutor, LoopRecord

    attributes = dict(_class_hints(FunctionExecutor))
    assert LoopRecord in set(_classes_in(attributes["FunctionExecutor.loops"]))
    # And the walk is not vacuous: public signatures name hundreds of fmlab classes.
    named = {
        cls
        for face in FACES
        for name in importlib.import_module(face).__all__
        for _, hint in _signature_hints(face, name)
        for cls in _classes_in(hint)
        if cls.__module__.startswith("fmlab.")
    }
    assert len(named) > 150


if __name__ == "__main__":  # the count per face, with where each type is named
    total = 0
    for face in FACES:
        found = unexported_types(face)
        for key, wheres in sorted(found.items()):
            print(f"{face}: {key}  <- {', '.join(sorted(set(wheres))[:3])}")
        total += len(found)
    print("total", total)
