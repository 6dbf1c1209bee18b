"""One model-checking run in a child process, so its peak memory is its own.

    python benchmarks/mc/measure.py fmlab MODEL.py [--plain] [--containers N]
    python benchmarks/mc/measure.py pan ./pan_binary [pan options...]

Prints one JSON object: states, transitions, the wall-clock and CPU seconds of the search
itself (start-up, imports and SPIN's compilation excluded), the verdicts, and the child's
peak resident memory. ``bench_mc.py`` runs it with :func:`run_child`, which reads the peak
RSS from the kernel (``wait4``) rather than trusting the child.

CPU seconds are what the benchmark compares: the machines here are shared (two cores,
often several busy processes), and wall-clock time then measures the neighbours as much
as the checker. A search is single-threaded in every contender, so on an idle machine
the two agree.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def run_child(
    arguments: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout_s: float = 3600,
) -> dict[str, Any]:
    """Run ``measure.py`` with ``arguments``; its JSON plus ``peak_rss_bytes``."""
    command = [sys.executable, str(HERE / "measure.py"), *arguments]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        text=True,
    )
    started = time.perf_counter()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    assert process.stdout is not None
    assert process.stderr is not None
    out, err = process.stdout.read(), process.stderr.read()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0 or elapsed > timeout_s:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {err[-2000:]}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_bytes"] = usage.ru_maxrss * 1024  # Linux reports kilobytes
    return result


def _fmlab(argv: list[str]) -> dict[str, Any]:
    from fmlab.mc import check, load_model

    path = argv[0]
    model = load_model(path)
    if "--plain" in argv:
        model = model.to_plain_model()
    started, cpu = time.perf_counter(), time.process_time()
    report = check(model)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    return {
        "states": report.states,
        "transitions": report.transitions,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "complete": report.complete,
        "verdicts": {p.name: p.status.value for p in report.properties},
    }


def _namespace(argv: list[str]) -> dict[str, Any]:
    """The chapter's CRI model at a size (``fmlab.mc.models.cri.namespace``)."""
    import importlib

    from fmlab.mc import Model, check

    module = importlib.import_module(argv[0])
    containers = int(argv[1])
    model = Model.from_namespace(module.namespace(containers), name=f"{argv[0]}({containers})")
    started, cpu = time.perf_counter(), time.process_time()
    report = check(model)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    return {
        "states": report.states,
        "transitions": report.transitions,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "complete": report.complete,
        "verdicts": {p.name: p.status.value for p in report.properties},
    }


def _pan(argv: list[str]) -> dict[str, Any]:
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, _, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    cpu_seconds = usage.ru_utime + usage.ru_stime
    states = re.search(r"^\s*(\d+) states, stored", output, re.MULTILINE)
    transitions = re.search(r"^\s*(\d+) transitions \(= stored\+matched\)", output, re.MULTILINE)
    errors = re.search(r"errors: (\d+)", output)
    memory = re.search(r"^\s*([\d.]+)\s+total actual memory usage", output, re.MULTILINE)
    if not states or not errors:
        raise SystemExit(f"could not read pan's report:\n{output[-2000:]}")
    return {
        "states": int(states.group(1)),
        "transitions": int(transitions.group(1)) if transitions else 0,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "complete": "Search not completed" not in output,
        "errors": int(errors.group(1)),
        "pan_memory_mb": float(memory.group(1)) if memory else None,
    }


def main(argv: list[str]) -> int:
    kind, rest = argv[0], argv[1:]
    runner = {"fmlab": _fmlab, "namespace": _namespace, "pan": _pan}[kind]
    print(json.dumps(runner(rest)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
