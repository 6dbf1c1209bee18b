"""Execute every chapter notebook in a fresh kernel, as a reader running it would.

Notebooks are MyST Markdown files with a jupytext header; jupytext reads them and
nbclient runs them against the same Python (and the same editable fmlab) as the tests.
A cell that raises fails the test with the cell's source and traceback.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]
# Chapters, plus the book pages that are notebooks too (they carry a jupytext header).
NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.md")) + sorted(
    page for page in (ROOT / "book").glob("*.md") if "jupytext:" in page.read_text("utf-8")[:200]
)
CELL_TIMEOUT_S = 600


@pytest.mark.notebooks
@pytest.mark.parametrize(
    "path", NOTEBOOKS, ids=[str(p.relative_to(ROOT)) for p in NOTEBOOKS]
)
def test_notebook_executes(path: Path) -> None:
    notebook = jupytext.read(path)
    assert notebook.cells, f"{path} has no cells"
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        # ipykernel's built-in "python3" spec runs sys.executable: this venv's Python,
        # so the notebook imports the fmlab under test.
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{path.relative_to(ROOT)}: a cell failed:\n{error}", pytrace=False)
    nbformat.validate(notebook)


def test_there_are_notebooks() -> None:
    # A glob that silently matched nothing would make the test above vacuous.
    assert NOTEBOOKS, "no notebooks found under notebooks/"
