"""Cross-references of the API reference (book/api/) that resolve to what a reader imports.

The API pages are autodoc's, one per package, from each package's ``__all__``. The code
lives in private modules behind a lazy public face (``fmlab.core.lazy.lazy_exports``), so
autodoc meets two kinds of names the book documents under another name or not at all:

* A type hint names where a class lives (``fmlab.iam._request.Request``), and a docstring
  in a submodule names a sibling by its short name (``:class:`Proved``` inside
  ``fmlab.core.result``). Both are the object the page documents as ``fmlab.iam.Request``
  and ``fmlab.core.Proved``. On ``missing-reference`` this resolves the target to the
  Python object and links to the documented name of the same object (identity, not
  spelling, so a private alias cannot point at the wrong entry). A name that no page
  documents stays unresolved, and the nitpicky build (``-n -W``) fails on it.
* The standard library (``pathlib.Path``, ``collections.abc.Mapping``, ``:mod:`time```)
  has no inventory offline (intersphinx would download Python's, and the book builds
  without a network), so those link to docs.python.org by the documented anchor.

Hints are strings (``from __future__ import annotations``) and many name types imported
only for type checkers, which autodoc cannot evaluate: it then prints the raw strings,
quoted and unlinked. :func:`_evaluate_hints` evaluates them first, in the defining
module's namespace plus its ``TYPE_CHECKING`` imports.

Type variables (``W`` in ``Refuted[W]``) are shown as their name: they have no page.
Third-party types (z3, graphviz, ipywidgets, ...) are ignored by ``nitpick_ignore_regex``
in ``_config.yml``, which says why.

Loaded through ``sphinx.local_extensions`` in ``_config.yml``.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import functools
import importlib
import inspect
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, ParamSpec, TypeVar

from docutils import nodes
from docutils.nodes import Element
from docutils.statemachine import StringList
from sphinx.addnodes import desc, desc_signature, pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.pycode import ModuleAnalyzer, PycodeError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.inspect import signature as inspect_signature
from sphinx.util.inspect import stringify_signature
from sphinx.util.nodes import make_refnode, nested_parse_with_titles

logger = logging.getLogger(__name__)

PYTHON_LIBRARY = "https://docs.python.org/3/library/"
_MISSING = object()
_NAMES_CACHE: dict[int, tuple[int, dict[int, str]]] = {}


def find_object(dotted: str) -> Any:
    """The object ``dotted`` names (a module, or attributes of one), or ``_MISSING``."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        module_name = ".".join(parts[:split])
        if module_name in sys.modules:
            value: Any = sys.modules[module_name]
        else:
            try:
                value = importlib.import_module(module_name)
            except ImportError:
                continue
        for attribute in parts[split:]:
            value = getattr(value, attribute, _MISSING)
            if value is _MISSING:
                return _MISSING
        return value
    return _MISSING


@functools.cache
def _imports_of(module_name: str) -> dict[str, str]:
    """Local name -> dotted origin of every ``import`` in a module, ``TYPE_CHECKING`` ones too.

    A hint that names a type imported only for type checkers stays a string (autodoc
    cannot evaluate it), so the module's source says where the name comes from.
    """
    module = sys.modules.get(module_name)
    path = getattr(module, "__file__", None)
    if path is None:
        return {}
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return {}
    package = module_name if path.endswith("__init__.py") else module_name.rpartition(".")[0]
    found: dict[str, str] = {}
    for statement in ast.walk(tree):
        if isinstance(statement, ast.ImportFrom):
            base = statement.module or ""
            if statement.level:
                parent = package.rsplit(".", statement.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            for alias in statement.names:
                found[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                found[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
    return found


def _defining_module(node: pending_xref) -> str | None:
    """The module whose code a hint or docstring was written in (its names are in scope there)."""
    signature: Element | None = None
    parent = node.parent
    while parent is not None and signature is None:
        if isinstance(parent, desc_signature):
            signature = parent
        elif isinstance(parent, desc):
            signature = next(iter(parent.findall(desc_signature)), None)
        parent = parent.parent
    if signature is None or not signature.get("module") or not signature.get("fullname"):
        return None
    owner = find_object(f"{signature['module']}.{str(signature['fullname']).split('.')[0]}")
    home = getattr(owner, "__module__", None)
    return home if isinstance(home, str) else None


def _candidates(node: pending_xref) -> list[str]:
    """Where the reference's target may live, most specific first (as Sphinx looks)."""
    target = str(node["reftarget"]).lstrip("~.")
    module = node.get("py:module")
    klass = node.get("py:class")
    found = []
    if module and klass:
        found.append(f"{module}.{klass}.{target}")
    if module:
        found.append(f"{module}.{target}")
    home = _defining_module(node)
    if home:
        first, _, rest = target.partition(".")
        # Where the module imported the name from first: that is the name it is known by
        # (types.ModuleType, not builtins.module as the class calls itself).
        origin = _imports_of(home).get(first)
        if origin:
            found.append(f"{origin}.{rest}" if rest else origin)
        found.append(f"{home}.{target}")
    found.append(target)
    return found


def _documented_names(env: BuildEnvironment) -> dict[int, str]:
    """id(object) -> the documented name of every fmlab object on the API pages."""
    objects = env.get_domain("py").objects  # type: ignore[attr-defined]
    # Kept in this process only: ids mean nothing in the next build's process, where the
    # environment (pickled between builds) would bring a stale table back.
    cache = _NAMES_CACHE.get(id(env))
    if cache is not None and cache[0] == len(objects):
        return cache[1]
    names: dict[int, str] = {}
    # Shorter names first: a package's face (fmlab.core.Proved) wins over a submodule's.
    for name in sorted(objects, key=lambda dotted: (dotted.count("."), dotted)):
        if not name.startswith("fmlab") or objects[name].aliased:
            continue
        value = find_object(name)
        if value is not _MISSING and not isinstance(value, (str, int, float, bool, tuple)):
            names.setdefault(id(value), name)
    _NAMES_CACHE[id(env)] = (len(objects), names)
    return names


def _stdlib_name(value: Any) -> str | None:
    """The documented dotted name of a standard-library object, or None."""
    if isinstance(value, ModuleType):
        dotted = value.__name__
    else:
        module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
        if not isinstance(module, str) or not isinstance(qualname, str):
            return None
        dotted = f"{module}.{qualname}"
    top = dotted.split(".")[0]
    return dotted if top in sys.stdlib_module_names and not top.startswith("_") else None


def _python_docs(dotted: str, is_module: bool) -> str:
    page = dotted
    while "." in page and not isinstance(find_object(page), ModuleType):
        page = page.rpartition(".")[0]
    return f"{PYTHON_LIBRARY}{page}.html" + ("" if is_module else f"#{dotted}")


def resolve(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.Element | None:
    """A link for a Python reference Sphinx could not resolve, or None to leave it so."""
    if node.get("refdomain") != "py":
        return None
    for candidate in _candidates(node):
        value = find_object(candidate)
        if value is _MISSING:
            continue
        if isinstance(value, (TypeVar, ParamSpec)):
            return contnode  # a type variable has no page; its name is all there is
        documented = _documented_names(env).get(id(value))
        if documented is not None:
            entry = env.get_domain("py").objects[documented]  # type: ignore[attr-defined]
            return make_refnode(
                app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, documented
            )
        if candidate.split(".")[0] in sys.stdlib_module_names:
            stdlib: str | None = candidate
        elif str(getattr(value, "__module__", "")).startswith("fmlab"):
            stdlib = None
        else:
            stdlib = _stdlib_name(value)
        if stdlib is not None:
            reference = nodes.reference(
                "", "", internal=False, refuri=_python_docs(stdlib, isinstance(value, ModuleType))
            )
            reference["reftitle"] = stdlib
            reference.append(contnode)
            return reference
        home = getattr(value, "__module__", "")
        if isinstance(home, str) and home.startswith("fmlab") and "refexplicit" not in node:
            # A type hint (not a role a docstring wrote) naming a class its package does not
            # export: a reader can neither import nor look it up (tests/test_public_api.py
            # checks the same rule from the code's side). Shown as its name, and a warning,
            # which the nitpicky build turns into an error.
            logger.warning(
                "%s.%s is named in a public signature but its package does not export it",
                home,
                getattr(value, "__qualname__", candidate),
                location=node,
                type="fmlab-api",
            )
            return contnode
        return None
    return None


def public_names(package: str) -> list[str]:
    """The names a package's face exports (its ``__all__``)."""
    module = importlib.import_module(package)
    return list(getattr(module, "__all__", []))


def _is_data(value: Any) -> bool:
    return not (inspect.isclass(value) or inspect.isroutine(value) or inspect.ismodule(value))


LONGEST_VALUE = 120
"""A constant whose repr is longer than this is listed without its value."""


class PackageReference(SphinxDirective):
    """``.. fmlab-api:: fmlab.k8s``: the package's docstring and every name in its ``__all__``.

    ``automodule`` documents the classes and functions a lazy face exports (getattr loads
    each, so autodoc sees the real object), but it silently skips data imported from
    another module (it finds only variables assigned in the face's own source), so the
    constants and type aliases get an ``autodata`` each here.
    """

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        package = self.arguments[0]
        module = importlib.import_module(package)
        names = sorted(public_names(package))
        # The page's own table of contents, which phones show too (the sidebar's list of
        # objects is turned off: toc_object_entries in _config.yml).
        index = ", ".join(f":py:obj:`~{package}.{name}`" for name in names)
        lines = [f"**In** ``{package}``: {index}.", "", f".. automodule:: {package}", ""]
        for name in names:
            value = getattr(module, name)
            if _is_data(value):
                lines += [f".. autodata:: {package}.{name}"]
                if len(repr(value)) > LONGEST_VALUE:
                    # A table of objects printed whole (fmlab.k8s.CRITERIA was 93 kB of
                    # markup, a sixth of its page): its docstring says what it holds.
                    lines += ["   :no-value:"]
                lines += [""]
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, source=package), container)
        return list(container.children)


def _data_docstring(
    app: Sphinx, what: str, name: str, value: Any, options: Any, lines: list[str]
) -> None:
    """A re-exported constant's doc comment from the module that assigns it, not its type's."""
    if what != "data" or not name.startswith("fmlab."):
        return
    type_doc = inspect.getdoc(type(value)) or ""
    if "\n".join(lines).strip() == type_doc.strip():
        del lines[:]
    if lines:
        return
    package, _, short = name.rpartition(".")
    home = _imports_of(package).get(short, "").rpartition(".")[0]
    if not home:
        return
    try:
        comments = ModuleAnalyzer.for_module(home).find_attr_docs()
    except PycodeError:
        return
    lines.extend(comments.get(("", short), []))


def _evaluate_hints(app: Sphinx, function: Any, bound_method: bool) -> None:
    """Turn a function's string hints into the objects they name, before autodoc reads them.

    Under ``from __future__ import annotations`` every hint is a string, and autodoc
    evaluates them in the function's globals: one name imported only under
    ``TYPE_CHECKING`` fails the whole signature, which is then printed from the raw
    strings (``create: 'Pod | None'``, quoted and unlinked). Each hint is evaluated here in
    the module's globals plus what it imports for type checkers (the module's source says
    where from); a hint that still does not evaluate stays a string.
    """
    module_name = getattr(function, "__module__", None)
    annotations = getattr(function, "__annotations__", None)
    if not isinstance(module_name, str) or not module_name.startswith("fmlab."):
        return
    if not isinstance(annotations, dict) or not any(
        isinstance(h, str) for h in annotations.values()
    ):
        return
    module = sys.modules.get(module_name)
    if module is None:
        return
    namespace = dict(vars(module))
    for local, origin in _imports_of(module_name).items():
        if local not in namespace:
            value = find_object(origin)
            if value is not _MISSING:
                namespace[local] = value
    for name, hint in annotations.items():
        if isinstance(hint, str):
            try:
                annotations[name] = eval(hint, namespace)  # the library's own hints
            except Exception:  # ``array[int]`` before Python 3.12, say
                continue


def _signature(
    app: Sphinx, what: str, name: str, value: Any, options: Any, args: Any, returns: Any
) -> tuple[str | None, str | None] | None:
    """No call signature for an enumeration, a dataclass's from its constructor, and ``...``
    for a dataclass's default factory.

    ``EnumType.__call__`` is not how an enumeration is used. A dataclass without a
    docstring has the one ``dataclasses`` writes, ``Pod(name: 'str', ...)``, which autodoc
    takes for the signature: its hints stay quoted strings, never links, so the signature
    is made from the constructor instead (whose hints :func:`_evaluate_hints` resolved).
    A field with a ``default_factory`` shows as ``<factory>``, which is not Python: the
    domain then fails to parse the whole signature and prints every hint as raw text
    (``~typing.Any``, unlinked).
    """
    if what == "class" and isinstance(value, type) and issubclass(value, enum.Enum):
        return None, None
    changed = False
    if what == "class" and isinstance(value, type) and _has_generated_docstring(value):
        constructor = _constructor_signature(app, value)
        changed = constructor is not None
        args = constructor or args
    if isinstance(args, str) and "<factory>" in args:
        return args.replace("<factory>", "..."), returns
    return (args, returns) if changed else None


def _has_generated_docstring(cls: type) -> bool:
    doc = vars(cls).get("__doc__")
    return (
        dataclasses.is_dataclass(cls)
        and isinstance(doc, str)
        and doc.startswith(f"{cls.__name__}(")
    )


def _constructor_signature(app: Sphinx, cls: type) -> str | None:
    """The signature of ``cls(...)`` as autodoc writes a constructor's, or None."""
    init = vars(cls).get("__init__")
    if init is None:
        return None
    _evaluate_hints(app, init, True)
    try:
        found = inspect_signature(
            init, bound_method=True, type_aliases=app.config.autodoc_type_aliases
        )
    except (TypeError, ValueError):
        return None
    short = app.config.autodoc_typehints_format == "short"
    return stringify_signature(found, show_return_annotation=False, unqualified_typehints=short)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("autodoc-before-process-signature", _evaluate_hints)
    app.connect("autodoc-process-signature", _signature)
    app.add_directive("fmlab-api", PackageReference)
    app.connect("autodoc-process-docstring", _data_docstring)
    app.connect("missing-reference", resolve)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
