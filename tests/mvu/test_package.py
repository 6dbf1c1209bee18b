"""fmlab.mvu's public face: every exported name resolves, heavy parts load on first use."""

from __future__ import annotations

import subprocess
import sys

import fmlab.mvu


def test_every_exported_name_resolves() -> None:
    assert len(fmlab.mvu.__all__) == len(set(fmlab.mvu.__all__))
    for name in fmlab.mvu.__all__:
        assert getattr(fmlab.mvu, name) is not None, name


def test_importing_the_package_loads_neither_z3_nor_ipywidgets() -> None:
    probe = "import sys, fmlab.mvu; print('z3' in sys.modules, 'ipywidgets' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["False", "False"]
