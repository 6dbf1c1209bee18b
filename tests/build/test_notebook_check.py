"""The executed-notebook check fails when library code a notebook calls is broken.

The notebook imports a throwaway module from its own folder (as chapters import `fmlab`);
when the module raises, the check in `tests/notebooks/test_notebooks.py` must fail the test,
and when the module works, it must pass, so the check is shown to discriminate.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = [pytest.mark.notebooks, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "tests" / "notebooks" / "test_notebooks.py"

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

# Uses a helper

```{code-cell} ipython3
from probe_helper import answer
assert answer() == 42
```
"""

_WORKING = "def answer() -> int:\n    return 42\n"
_BROKEN = "def answer() -> int:\n    raise RuntimeError('helper is broken')\n"


def _notebook_check(book_root: Path) -> ModuleType:
    # Load the real check (its kernel settings and failure handling), pointed at tmp_path:
    # it names failing notebooks relative to its ROOT.
    spec = importlib.util.spec_from_file_location("fmlab_notebook_check", CHECK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.ROOT = book_root
    return module


def _write(tmp_path: Path, helper_source: str) -> Path:
    (tmp_path / "probe_helper.py").write_text(helper_source)
    notebook = tmp_path / "uses-helper.md"
    notebook.write_text(_NOTEBOOK)
    return notebook


def test_broken_helper_fails_the_notebook_check(tmp_path: Path) -> None:
    notebook = _write(tmp_path, _BROKEN)
    with pytest.raises(pytest.fail.Exception, match="a cell failed") as failure:
        _notebook_check(tmp_path).test_notebook_executes(notebook)
    assert "helper is broken" in str(failure.value)


def test_working_helper_passes_the_notebook_check(tmp_path: Path) -> None:
    notebook = _write(tmp_path, _WORKING)
    _notebook_check(tmp_path).test_notebook_executes(notebook)
