"""Reading the corpus: each program declares its expected verdict on its first line.

``# expect: unsafe 12 15`` means: the file's worst function status is ``unsafe`` and the
errors are reported at lines 12 and 15 (``# expect: safe`` has no lines). The worst
status orders unsafe before unsupported before unknown before safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fmlab.refine import ModuleReport, Status

CORPUS = Path(__file__).parent / "corpus"
PROGRAMS = sorted(CORPUS.glob("*/*.py"))
_ORDER = [Status.UNSAFE, Status.UNSUPPORTED, Status.UNKNOWN, Status.SAFE]
_HEADER = re.compile(r"# expect: (safe|unsafe|unknown|unsupported)((?: \d+)*)\s*$")


@dataclass(frozen=True)
class Expectation:
    status: Status
    lines: tuple[int, ...]


def expectation(path: Path) -> Expectation:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    match = _HEADER.match(first)
    assert match, f"{path} must start with '# expect: STATUS [LINE ...]'"
    return Expectation(Status(match.group(1)), tuple(int(n) for n in match.group(2).split()))


def worst(report: ModuleReport) -> Status:
    statuses = [function.status for function in report.functions] or [Status.SAFE]
    return min(statuses, key=_ORDER.index)


def error_lines(report: ModuleReport) -> tuple[int, ...]:
    return tuple(sorted({e.line for f in report.functions for e in f.errors}))


def program_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"
