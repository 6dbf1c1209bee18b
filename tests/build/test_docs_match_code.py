"""Nothing in the docs contradicts the code: chapter statuses and the command listing.

The roadmap (book/roadmap.md) is where a chapter's status is decided: its sections
"Available", "Available, and still growing" and "Planned" hold one bold-named paragraph
per chapter. Every other table of chapters (the introduction's, how-to-use's timings,
the README's) must say the same status for the same chapter; the chapters part of
``_toc.yml`` must hold exactly the chapters that are not planned; and every ``fmlab X``
command the docs name for an available chapter must be one ``fmlab --help`` lists.
how-to-use's command listing is generated at build time (book/_ext/fmlab_generated.py),
and it names every target ``make help`` lists.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from fmlab.cli.main import CHAPTER_COMMANDS

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
ROADMAP_SECTIONS = {
    "Available": "available",
    "Available, and still growing": "available, growing",
    "Planned": "planned",
}
# Tables of chapters with a status column, and whether they list planned chapters too.
STATUS_TABLES = {
    BOOK / "intro.md": True,
    BOOK / "how-to-use.md": False,
    ROOT / "README.md": True,
}
COMMAND = re.compile(r"`fmlab (?P<name>[a-z][a-z0-9-]*)")


def roadmap() -> dict[str, tuple[str, str]]:
    """Chapter name -> (status, its roadmap paragraph), in roadmap order."""
    text = (BOOK / "roadmap.md").read_text(encoding="utf-8")
    chapters: dict[str, tuple[str, str]] = {}
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        heading, _, body = section.partition("\n")
        status = ROADMAP_SECTIONS.get(heading.strip())
        if status is None:
            continue
        for paragraph in re.split(r"\n\s*\n", body):
            named = re.match(r"\*\*(?P<name>[^*]+?)\.?\*\*", paragraph.strip())
            if named:
                chapters[named["name"]] = (status, paragraph)
    return chapters


def status_table(path: Path) -> dict[str, str]:
    """Chapter -> status from the first Markdown table with a Chapter and a Status column."""
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith("|")
    ]
    for index, header in enumerate(rows):
        if header and header[0] == "Chapter" and "Status" in header:
            column = header.index("Status")
            table: dict[str, str] = {}
            for row in rows[index + 2 :]:
                if len(row) != len(header) or row[0] == "Chapter":
                    break
                table[row[0]] = row[column]
            return table
    raise AssertionError(f"{path.relative_to(ROOT)} has no table with Chapter and Status")


def toc_chapters() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc["parts"]:
        if part.get("caption") == "Chapters":
            return [str(chapter["file"]) for chapter in part["chapters"]]
    raise AssertionError("_toc.yml has no part captioned Chapters")


def test_the_roadmap_names_its_chapters() -> None:
    chapters = roadmap()
    assert len(chapters) >= 5, chapters.keys()
    assert set(status for status, _ in chapters.values()) <= set(ROADMAP_SECTIONS.values())


@pytest.mark.parametrize("path", list(STATUS_TABLES), ids=lambda path: path.name)
def test_status_tables_agree_with_the_roadmap(path: Path) -> None:
    decided = {name: status for name, (status, _) in roadmap().items()}
    said = status_table(path)
    wanted = {
        name: status
        for name, status in decided.items()
        if STATUS_TABLES[path] or status != "planned"
    }
    assert said == wanted, f"{path.name} disagrees with book/roadmap.md"


def test_the_toc_holds_the_chapters_that_are_not_planned() -> None:
    on_site = [name for name, (status, _) in roadmap().items() if status != "planned"]
    assert len(toc_chapters()) == len(on_site), (toc_chapters(), on_site)


def test_commands_named_for_available_chapters_exist() -> None:
    listed = {command.name for command in CHAPTER_COMMANDS}
    named: dict[str, str] = {}
    for name, (status, paragraph) in roadmap().items():
        if status != "planned":
            named |= {match["name"]: name for match in COMMAND.finditer(paragraph)}
    for page in [*BOOK.glob("*.md"), ROOT / "README.md"]:
        if page.name == "roadmap.md":
            continue
        named |= {match["name"]: page.name for match in COMMAND.finditer(page.read_text("utf-8"))}
    missing = {command: where for command, where in named.items() if command not in listed}
    assert not missing, f"the docs name commands fmlab does not have: {missing}"
    assert named, "no fmlab command found in the docs: is the pattern still right?"


def make_targets() -> list[str]:
    """The targets ``make help`` lists (its ``@echo "make NAME ..."`` lines)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.findall(r'^\t@echo "make ([a-z][a-z-]*)\b', makefile, flags=re.MULTILINE)


def test_how_to_use_names_every_make_target() -> None:
    targets = make_targets()
    assert {"book", "test", "pdf"} <= set(targets), targets
    page = (BOOK / "how-to-use.md").read_text(encoding="utf-8")
    missing = [target for target in targets if f"`make {target}`" not in page]
    assert not missing, f"book/how-to-use.md does not mention: {missing}"


def _fmlab_generated() -> ModuleType:
    path = BOOK / "_ext" / "fmlab_generated.py"
    spec = importlib.util.spec_from_file_location("fmlab_generated", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_how_to_use_lists_the_commands_from_the_code() -> None:
    page = (BOOK / "how-to-use.md").read_text(encoding="utf-8")
    assert "```{fmlab-help}" in page, "how-to-use must generate its command listing"
    listing = _fmlab_generated().fmlab_help_text()
    for command in CHAPTER_COMMANDS:
        assert re.search(rf"^\s+{command.name}\s+{re.escape(command.help)}", listing, re.M), (
            command.name
        )
    assert max(len(line) for line in listing.splitlines()) <= 90


def test_a_stale_status_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: how-to-use calling a finished chapter "available, growing"."""
    page = (BOOK / "how-to-use.md").read_text(encoding="utf-8")
    finished = next(name for name, (status, _) in roadmap().items() if status == "available")
    stale = re.sub(
        rf"^\| {re.escape(finished)} \| available \|",
        f"| {finished} | available, growing |",
        page,
        flags=re.MULTILINE,
    )
    assert stale != page
    copy = tmp_path / "how-to-use.md"
    copy.write_text(stale, encoding="utf-8")
    monkeypatch.setitem(STATUS_TABLES, copy, False)
    with pytest.raises(AssertionError, match="disagrees"):
        test_status_tables_agree_with_the_roadmap(copy)
