"""The repo2docker files (binder/) build the environment `make book` builds.

Binder and a workshop's JupyterHub image are built by repo2docker from ``binder/``; nothing
here runs repo2docker (it needs Docker and a network), but each file is checked against
the source of truth it must follow, so the two set-ups cannot drift apart silently.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"


def _requirement_files(start: Path) -> list[Path]:
    """``start`` and every file it pulls in with ``-r``, in order."""
    found = [start]
    for line in start.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*-r\s+(\S+)", line)
        if match:
            found += _requirement_files((start.parent / match.group(1)).resolve())
    return found


def _pins(path: Path) -> set[str]:
    return {
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.lstrip().startswith("#")
    }


def test_apt_txt_installs_the_package_that_provides_dot() -> None:
    # scripts/ensure_system.sh is what `make book` uses: the same Debian package.
    ensure = (ROOT / "scripts" / "ensure_system.sh").read_text(encoding="utf-8")
    package = re.search(r"\[dot\]=(\S+)", ensure)
    assert package, "ensure_system.sh no longer maps dot to a package"
    apt = (BINDER / "apt.txt").read_text(encoding="utf-8").split()
    assert package.group(1) in apt


def test_requirements_reach_every_pin_of_the_book_and_the_lab() -> None:
    files = _requirement_files(BINDER / "requirements.txt")
    assert ROOT / "requirements.txt" in files
    assert ROOT / "requirements-lab.txt" in files
    pinned = set().union(*(_pins(path) for path in files))
    assert _pins(ROOT / "requirements.txt") <= pinned
    assert any(pin.startswith("jupyterlab==") for pin in pinned)
    assert any(pin.startswith("jupytext==") for pin in pinned)


def test_runtime_is_a_python_the_package_accepts() -> None:
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-3\.(\d+)", runtime)
    assert match, runtime
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
        "requires-python"
    ]
    minimum = re.fullmatch(r">=3\.(\d+)", requires)
    assert minimum, requires
    assert int(match.group(1)) >= int(minimum.group(1))


def test_post_build_installs_fmlab_and_opens_markdown_as_notebooks(tmp_path: Path) -> None:
    script = BINDER / "postBuild"
    assert os.access(script, os.X_OK), "postBuild must be executable for repo2docker"
    text = script.read_text(encoding="utf-8")
    assert "pip install --no-deps -e ." in text
    syntax = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr
    # Run only the settings half, with a stand-in prefix, and read back what it wrote.
    settings_part = "#" + text.split("# Open the chapters", 1)[1]
    subprocess.run(
        ["bash", "-euo", "pipefail", "-c", settings_part],
        env={**os.environ, "NB_PYTHON_PREFIX": str(tmp_path)},
        check=True,
    )
    written = json.loads(
        (tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json").read_text()
    )
    viewers = written["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == "Jupytext Notebook"
