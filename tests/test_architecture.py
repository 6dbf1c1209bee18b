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

Tests and benchmarks may reach into the chapter they measure, and are not checked here.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "fmlab"
BOTTOM = {"core", "viz"}
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
    if importer_top is None or importer_top == "cli" or target == importer_top:
        return problems
    if target == "cli":
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
