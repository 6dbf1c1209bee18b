"""The shape of the library, read from its imports: layers, public faces, private modules.

* Layers: ``fmlab.core`` imports nothing else of fmlab; ``fmlab.viz`` only the core; a
  chapter the core, viz and (only where named below) another chapter's public face; only
  ``fmlab.cli`` imports ``fmlab.cli``.
* Privacy: a name or module whose dotted path has a part starting with ``_`` is private
  to its package. Nothing outside a chapter (another chapter, the CLI, a notebook, a book
  page) imports one of its private modules or names.
* Faces: a package's ``__init__`` lists in ``__all__`` exactly what it offers; for a lazy
  face the ``TYPE_CHECKING`` imports, ``__all__`` and the table ``_HOMES`` agree, and
  every name resolves.

* Loops: no package imports itself in a circle, deferred imports included (two known
  loops are strict expected failures until the branches removing them land).
* Names: the README's table of chapter names agrees with the tree (pages, notebooks,
  benchmarks, packages, tests, commands).

Tests and benchmarks may reach into the chapter they measure, and are not checked here.
"""

from __future__ import annotations

import ast
import functools
import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "fmlab"
BOTTOM = {"core", "viz"}
# The command line, and ``python -m fmlab`` (``fmlab/__main__.py``), which only starts it.
TOP = {"cli", "__main__"}
# A chapter may use another chapter's public face only where its issue says so.
ALLOWED_CHAPTER_USES: dict[str, set[str]] = {"mvu": {"mc"}}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[str, str | None]]:
    """(module, name) for every import in ``tree``; ``name`` is None for ``import m``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module if is_package else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            for alias in node.names:
                yield base, alias.name


def _source_files() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _private(dotted: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in dotted.split("."))


def _top(dotted: str) -> str | None:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "fmlab" else None


def _violations_of(importer_top: str | None, imported: str, name: str | None) -> list[str]:
    """What is wrong with an importer in ``fmlab.<importer_top>`` importing this."""
    target = _top(imported)
    if target is None:
        return []
    problems = []
    if target != importer_top:
        full = imported if name is None else f"{imported}.{name}"
        if _private(full):
            problems.append(f"private {full}")
    if importer_top is None or importer_top in TOP or target == importer_top:
        return problems
    if target in TOP:
        problems.append("the command line")
    elif importer_top == "core":
        problems.append(f"fmlab.{target} from the core")
    elif importer_top == "viz" and target != "core":
        problems.append(f"fmlab.{target} from viz")
    elif target not in BOTTOM and target not in ALLOWED_CHAPTER_USES.get(importer_top, set()):
        problems.append(f"another chapter, fmlab.{target}")
    return problems


@pytest.mark.parametrize("path", _source_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_library_imports_follow_the_layers_and_respect_privacy(path: Path) -> None:
    module = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [
        f"{imported}{'' if name is None else ' ' + name}: {problem}"
        for imported, name in _imports(tree, module, path.name == "__init__.py")
        for problem in _violations_of(_top(module), imported, name)
    ]
    assert found == []


_CODE_CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.S)


def _page_code(path: Path) -> str:
    cells = _CODE_CELL.findall(path.read_text(encoding="utf-8"))
    # Cell options (":tags:") and IPython magics are not Python.
    lines = [
        line
        for cell in cells
        for line in cell.splitlines()
        if not line.lstrip().startswith(("%", "!", ":"))
    ]
    return "\n".join(lines)


_PAGES = sorted([*ROOT.glob("notebooks/**/*.md"), *ROOT.glob("book/*.md")])


@pytest.mark.parametrize("path", _PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_import_only_package_faces(path: Path) -> None:
    tree = ast.parse(_page_code(path))
    found = []
    for imported, name in _imports(tree, "page", False):
        if _top(imported) is None:
            continue
        full = imported if name is None else f"{imported}.{name}"
        if _private(full):
            found.append(full)
        elif imported not in _FACES and imported != "fmlab.cli.main":
            # The command's entry point is the one module a page may name directly.
            found.append(f"{imported} (import from the package instead)")
    assert found == []


_FACES = sorted(
    _module_name(path) for path in SRC.rglob("__init__.py") if not _private(_module_name(path))
)


@pytest.mark.parametrize("package", _FACES)
def test_every_face_declares_what_it_offers(package: str) -> None:
    face = importlib.import_module(package)
    names = face.__all__
    assert names == sorted(set(names), key=names.index), "a name listed twice"
    for name in names:
        assert not _private(name) or name == "__version__"
        getattr(face, name)  # resolves (a lazy face loads it now)


def _type_checking_imports(path: Path) -> dict[str, str]:
    """Name -> the module its ``if TYPE_CHECKING:`` import takes it from."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                assert statement.module
                for alias in statement.names:
                    found[alias.asname or alias.name] = statement.module
    return found


_LAZY = [p for p in _FACES if hasattr(importlib.import_module(p), "_HOMES")]


@pytest.mark.parametrize("package", _LAZY)
def test_a_lazy_face_lists_each_name_once_and_consistently(package: str) -> None:
    face = importlib.import_module(package)
    homes = {name: f"{package}.{module}" for module, names in face._HOMES.items() for name in names}
    path = Path(face.__file__ or "")
    assert _type_checking_imports(path) == homes
    assert sorted(face.__all__) == sorted(homes)
    for name, module in homes.items():
        assert getattr(face, name) is getattr(importlib.import_module(module), name)


def test_the_privacy_rule_sees_a_private_import() -> None:
    # The checks above pass on the real tree; make sure they would fail on a bad one.
    assert _violations_of("k8s", "fmlab.iam._parser", "parse_policy") == [
        "private fmlab.iam._parser.parse_policy",
        "another chapter, fmlab.iam",
    ]
    assert _violations_of("iam", "fmlab.cli.conventions", "emit") == ["the command line"]
    assert _violations_of("core", "fmlab.viz", "draw_instance") == ["fmlab.viz from the core"]
    assert _violations_of("cli", "fmlab.refine._checker", "check_file") == [
        "private fmlab.refine._checker.check_file"
    ]
    assert _violations_of("mvu", "fmlab.mc", "check") == []
    assert _violations_of("iam", "fmlab.iam._parser", "parse_policy") == []


# --- one chapter, its names: the README's table against the tree ----------------------

_NAMES_MARKER = "<!-- names-table:"
_CHAPTER_LAYER = {"core", "viz", "cli"}


class _ChapterNames(NamedTuple):
    chapter: str
    page: str
    package: str
    command: str | None

    @property
    def planned(self) -> bool:
        return "(planned)" in self.chapter


def _names_table() -> list[_ChapterNames]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _NAMES_MARKER in text, "the README lost its names table"
    lines = text.split(_NAMES_MARKER, 1)[1].splitlines()[1:]
    rows = []
    for line in lines[2:]:  # after the header and the |---| rule
        if not line.startswith("|"):
            break
        chapter, page, package, command = (cell.strip() for cell in line.strip("|").split("|"))
        rows.append(
            _ChapterNames(
                chapter,
                page.strip("`"),
                package.strip("`"),
                None if command == "none" else command.strip("`"),
            )
        )
    return rows


def _chapter_pages_in_toc() -> set[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    part = next(p for p in toc["parts"] if p["caption"] == "Chapters")
    return {Path(chapter["file"]).name for chapter in part["chapters"]}


def test_the_names_table_lists_every_chapter_once() -> None:
    rows = _names_table()
    for column in ("page", "package", "command"):
        names = [getattr(row, column) for row in rows if getattr(row, column) is not None]
        assert len(names) == len(set(names)), f"a {column} named twice"
    pages = {row.page for row in rows}
    packages = {row.package for row in rows}
    commands = {row.command for row in rows}
    benchmarks = {p.parent.name for p in ROOT.glob("benchmarks/*/bench_*.py")}
    assert {p.name for p in ROOT.glob("notebooks/*") if p.is_dir()} <= pages
    assert benchmarks <= pages
    assert _chapter_pages_in_toc() <= pages
    src_packages = {p.parent.name for p in SRC.glob("*/__init__.py")} - _CHAPTER_LAYER
    assert src_packages <= packages
    from fmlab.cli.main import CHAPTER_COMMANDS

    assert {c.name for c in CHAPTER_COMMANDS} - {"doctor"} <= commands


@pytest.mark.parametrize("row", _names_table(), ids=lambda row: row.package)
def test_each_chapter_has_its_pieces_where_the_table_says(row: _ChapterNames) -> None:
    if row.planned:
        pytest.skip(f"{row.chapter}: not written yet")
    expected = [
        ROOT / "book" / f"{row.page}.md",
        ROOT / "notebooks" / row.page,
        ROOT / "benchmarks" / row.page,
        SRC / row.package / "__init__.py",
        ROOT / "tests" / row.package,
    ]
    if row.command is not None:
        expected.append(SRC / "cli" / f"{row.command}.py")
    assert [str(p.relative_to(ROOT)) for p in expected if not p.exists()] == []


# --- import loops -----------------------------------------------------------------------

# Loops other branches are removing; strict, so the test says when one is gone.
_KNOWN_LOOPS: dict[str, str] = {}


def _runtime_imports(tree: ast.Module) -> Iterator[ast.AST]:
    """Every node of ``tree`` except what sits under ``if TYPE_CHECKING:`` (never run)."""
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            pending.extend(node.orelse)
            continue
        yield node
        pending.extend(ast.iter_child_nodes(node))


@functools.cache
def _import_graph() -> dict[str, set[str]]:
    """Module -> the fmlab modules it imports when run, deferred imports included.

    ``from package import name`` counts as importing ``package.name`` when that is a
    module. A package's lazy face imports its modules only under ``TYPE_CHECKING`` and on
    first use, so the edge from a module to its own package's face is not a loop.
    """
    modules = {_module_name(path): path for path in _source_files()}
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        wrapper = ast.Module(body=list(_runtime_imports(tree)), type_ignores=[])
        targets = set()
        for imported, name in _imports(wrapper, module, path.name == "__init__.py"):
            full = f"{imported}.{name}" if name else imported
            target = full if full in modules else imported
            if target in modules and target != module and not module.startswith(target + "."):
                targets.add(target)
        graph[module] = targets
    return graph


def _loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


_PACKAGES = sorted({p.parent.name for p in SRC.glob("*/__init__.py")})


@pytest.mark.parametrize(
    "package",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=_KNOWN_LOOPS[p]))
        if p in _KNOWN_LOOPS
        else p
        for p in _PACKAGES
    ],
)
def test_no_import_loop_in(package: str) -> None:
    loops = [loop for loop in _loops(_import_graph()) if _top(loop[0]) == package]
    assert loops == []


def test_the_loop_finder_sees_a_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _loops(graph) == [["a", "b", "c"]]
    assert _loops({"a": {"b"}, "b": set()}) == []
