"""The book build fails when a notebook cell fails, and passes when it is fixed.

A two-page Jupyter Book is written to a temporary folder with this project's execution
settings (the `execute:` section and the `nb_execution_*` options of `_config.yml`) and
built with the flags the Makefile uses (`BOOK_FLAGS`). If either ever stops turning a cell
error into a failed build (say `-W` is dropped, or `allow_errors` is switched on), the
failing case here exits 0 and this test fails.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = [pytest.mark.notebooks, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
BUILD_TIMEOUT_S = 180

_NOTEBOOK = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Probe

```{{code-cell}} ipython3
{cell}
```
"""


def _book_flags() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^BOOK_FLAGS\s*:?=\s*(.+)$", makefile, flags=re.MULTILINE)
    assert match, "the Makefile defines no BOOK_FLAGS"
    return shlex.split(match.group(1))


def _project_execution_config() -> dict[str, Any]:
    project = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx_config = project.get("sphinx", {}).get("config", {})
    return {
        "title": "build probe",
        "only_build_toc_files": True,
        "execute": project["execute"],
        "sphinx": {
            "config": {k: v for k, v in sphinx_config.items() if k.startswith("nb_execution")}
        },
    }


def _write_book(folder: Path, cell: str) -> None:
    (folder / "_config.yml").write_text(yaml.safe_dump(_project_execution_config()))
    toc = {"format": "jb-book", "root": "intro", "chapters": [{"file": "probe"}]}
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc))
    (folder / "intro.md").write_text("# Intro\n\nA book with one notebook.\n")
    (folder / "probe.md").write_text(_NOTEBOOK.format(cell=cell))


@pytest.mark.parametrize(
    ("cell", "should_pass"),
    [
        ("assert 1 + 1 == 3, 'deliberately wrong'", False),
        ("assert 1 + 1 == 2", True),
    ],
    ids=["failing-cell", "fixed-cell"],
)
def test_book_build_exit_code_follows_the_notebook(
    tmp_path: Path, cell: str, should_pass: bool
) -> None:
    _write_book(tmp_path, cell)
    done = subprocess.run(
        [str(JUPYTER_BOOK), "build", *_book_flags(), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
        cwd=tmp_path,
    )
    log = f"exit {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    if should_pass:
        assert done.returncode == 0, f"the clean book failed to build:\n{log}"
        assert (tmp_path / "_build" / "html" / "probe.html").is_file(), log
    else:
        assert done.returncode != 0, f"a failing cell did not fail the build:\n{log}"
        assert "deliberately wrong" in done.stdout + done.stderr, (
            f"the build failed, but not because of the cell:\n{log}"
        )
