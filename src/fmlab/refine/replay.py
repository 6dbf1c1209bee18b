"""Replaying a counterexample: run the function on it, in a subprocess, with a timeout.

The checker's counterexamples are claims about Python: "called with ``x = -1``, this
function breaks its refinement at line 5". :func:`replay` checks the claim the only way
that convinces: it runs the instrumented module (see :mod:`fmlab.refine.runtime`) under
CPython in a separate process and reports where it failed. Only the test corpus's own
programs are run this way; ``fmlab refine check`` never runs the file it checks.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPLAY_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class ReplayOutcome:
    """What running the function did: the failure's kind and place, or how it ended."""

    outcome: str  # "violation", "returned", "rejected-input", "crashed", "timeout"
    kind: str | None = None
    line: int | None = None
    column: int | None = None
    detail: str = ""

    def confirms(self, kind: str, line: int) -> bool:
        """Whether the run failed with this obligation kind at this line."""
        return self.outcome == "violation" and self.kind == kind and self.line == line


def _to_json(value: Any) -> Any:
    if isinstance(value, tuple):
        return {"tuple": [_to_json(item) for item in value]}
    if isinstance(value, list):
        return [_to_json(item) for item in value]
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(_from_json(item) for item in value["tuple"])
    if isinstance(value, list):
        return [_from_json(item) for item in value]
    return value


def replay(
    path: str | Path,
    function: str,
    arguments: dict[str, Any],
    *,
    timeout_s: float = REPLAY_TIMEOUT_S,
) -> ReplayOutcome:
    """Run ``function`` of the file at ``path`` on ``arguments`` in a fresh interpreter."""
    return replay_many(path, [(function, arguments)], timeout_s=timeout_s)[0]


def replay_many(
    path: str | Path,
    calls: list[tuple[str, dict[str, Any]]],
    *,
    timeout_s: float = REPLAY_TIMEOUT_S,
) -> list[ReplayOutcome]:
    """Run several calls of one file's functions in one subprocess (each on a fresh module)."""
    request = json.dumps(
        {
            "path": str(path),
            "calls": [
                {"function": function, "arguments": _to_json(arguments)}
                for function, arguments in calls
            ],
        }
    )
    command = [sys.executable, "-c", "from fmlab.refine.replay import main; main()"]
    try:
        finished = subprocess.run(
            command, input=request, capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        return [ReplayOutcome("timeout", detail=f"no result within {timeout_s} s")] * len(calls)
    lines = finished.stdout.strip().splitlines()
    if finished.returncode != 0 or not lines:
        crashed = ReplayOutcome("crashed", detail=finished.stderr.strip()[-2000:])
        return [crashed] * len(calls)
    return [
        ReplayOutcome(
            answer["outcome"],
            answer.get("kind"),
            answer.get("line"),
            answer.get("column"),
            answer.get("detail", ""),
        )
        for answer in json.loads(lines[-1])
    ]


def _innermost(traceback: Any, filename: str, function: str) -> int | None:
    line = None
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if code.co_filename == filename and code.co_name == function:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _run(path: str, call: dict[str, Any]) -> dict[str, Any]:
    # Imported here: the parent process does not need them, and neither imports z3.
    from fmlab.refine.runtime import HELPER, PreconditionOfTarget, Runtime, Violation, instrument
    from fmlab.refine.specs import parse, read_module

    function = call["function"]
    text = Path(path).read_text(encoding="utf-8")
    tree = parse(text, path)
    spec = read_module(tree, text, path)
    code = compile(instrument(tree, spec), path, "exec")
    namespace: dict[str, Any] = {"__name__": "__fmlab_replay__"}
    namespace[HELPER] = Runtime(spec, namespace)
    exec(code, namespace)
    arguments = [_from_json(value) for value in call["arguments"].values()]
    try:
        value = namespace[function](*arguments)
    except Violation as violation:
        return {
            "outcome": "violation",
            "kind": violation.kind,
            "line": violation.line,
            "column": violation.column,
            "detail": str(violation),
        }
    except PreconditionOfTarget as rejected:
        return {"outcome": "rejected-input", "detail": str(rejected)}
    except (AssertionError, ZeroDivisionError, Exception) as error:
        line = _innermost(error.__traceback__, path, function)
        kind = {AssertionError: "assert", ZeroDivisionError: "division"}.get(type(error), "raise")
        return {
            "outcome": "violation",
            "kind": kind,
            "line": line,
            "detail": f"{type(error).__name__}: {error}",
        }
    return {"outcome": "returned", "detail": repr(value)[:200]}


def main() -> None:
    """The subprocess's entry point: a JSON request on stdin, a JSON answer on stdout."""
    sys.setrecursionlimit(10_000)
    request = json.loads(sys.stdin.read())
    answers = [_run(request["path"], call) for call in request["calls"]]
    print(json.dumps(answers))
