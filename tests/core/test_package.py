"""The core package's lazy names: each one resolves, and importing errors stays cheap."""

from __future__ import annotations

import subprocess
import sys

import fmlab.core


def test_every_exported_name_resolves_to_its_home_module() -> None:
    homes = {name: module for module, names in fmlab.core._HOMES.items() for name in names}
    assert sorted(fmlab.core.__all__) == sorted(homes)
    for name in fmlab.core.__all__:
        value = getattr(fmlab.core, name)
        home = sys.modules[f"fmlab.core.{homes[name]}"]
        assert getattr(home, name) is value


def test_importing_errors_does_not_load_the_solver() -> None:
    probe = "import sys, fmlab.core.errors; print('z3' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"
