"""Launch buttons hang on one setting, the repository URL: off while it is empty.

A two-page book with one MyST notebook is built twice with the project's runnable
extension (book/_ext/fmlab_runnable.py) and the project's ``launch_buttons`` section: once
with no repository URL (no launch button at all) and once with one (a Binder link to the
notebook, no Colab link, since Colab cannot open MyST Markdown).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = [pytest.mark.notebooks, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
REPOSITORY = "https://github.com/example-org/fmlab-course"

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

```{code-cell} ipython3
answer = 6 * 7
```
"""


def _build(folder: Path, repository_url: str) -> str:
    project = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config: dict[str, Any] = {
        "title": "launch probe",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "repository": {"url": repository_url, "branch": "main"},
        # The project's services, plus Colab switched on, which the gate must still drop.
        "launch_buttons": {
            **project["launch_buttons"],
            "colab_url": "https://colab.research.google.com",
        },
        "sphinx": {"local_extensions": {"fmlab_runnable": str(ROOT / "book" / "_ext")}},
    }
    (folder / "_config.yml").write_text(yaml.safe_dump(config))
    toc = {"format": "jb-book", "root": "intro", "chapters": [{"file": "probe"}]}
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc))
    (folder / "intro.md").write_text("# Intro\n\nOne notebook.\n")
    (folder / "probe.md").write_text(_NOTEBOOK)
    done = subprocess.run(
        [str(JUPYTER_BOOK), "build", "--all", str(folder)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=folder,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return (folder / "_build" / "html" / "probe.html").read_text(encoding="utf-8")


def test_no_repository_url_means_no_launch_button(tmp_path: Path) -> None:
    html = _build(tmp_path, "")
    assert "launch-buttons" not in html
    assert "mybinder.org" not in html
    assert "_sources/probe.ipynb" in html  # the download is there regardless


def test_a_repository_url_turns_on_binder_but_not_colab(tmp_path: Path) -> None:
    html = _build(tmp_path, REPOSITORY)
    assert "https://mybinder.org/v2/gh/example-org/fmlab-course/main?urlpath=lab/tree/probe.md" in (
        html.replace("&amp;", "&")
    )
    assert "colab.research.google.com" not in html
