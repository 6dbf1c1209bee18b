"""Make ``tests.iam.strategies`` importable however pytest is started (importlib mode
does not put the repository root on ``sys.path``)."""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
