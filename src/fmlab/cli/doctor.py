"""``fmlab doctor``: is this machine ready to run the course?

Workshop organisers run it on each laptop before the day starts. It checks what the
notebooks need (Python, z3 answering a query, Graphviz's ``dot`` drawing a graph) and
reports what the optional browser tests would use.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from dataclasses import dataclass

from fmlab.cli.conventions import OneLineParser, add_json_flag, emit
from fmlab.core.exitcode import ExitCode


@dataclass(frozen=True)
class Probe:
    name: str
    ok: bool
    detail: str
    required: bool = True

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail, "required": self.required}


def _python() -> Probe:
    version = ".".join(map(str, sys.version_info[:3]))
    return Probe("python", sys.version_info >= (3, 11), f"{version} at {sys.executable}")


def _z3() -> Probe:
    try:
        import z3

        x = z3.Int("x")
        solver = z3.Solver()
        solver.set("timeout", 2000)
        solver.add(x * x == 49, x < 0)
        answered = solver.check() == z3.sat and solver.model()[x].as_long() == -7
        return Probe("z3", answered, f"z3 {z3.get_version_string()}, solved x*x = 49, x < 0")
    except Exception as error:  # the probe reports, it does not crash
        return Probe("z3", False, f"{type(error).__name__}: {error}")


def _dot() -> Probe:
    path = shutil.which("dot")
    if path is None:
        return Probe(
            "graphviz dot",
            False,
            "not on PATH; install Graphviz (Debian: apt-get install graphviz)",
        )
    try:
        drawn = subprocess.run(
            [path, "-Tsvg"],
            input="digraph { a -> b }",
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return Probe("graphviz dot", False, f"{path} failed: {error}")
    ok = drawn.returncode == 0 and "<svg" in drawn.stdout
    return Probe("graphviz dot", ok, f"{path} drew a test graph" if ok else drawn.stderr.strip())


def _chromium() -> Probe:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    detail = path or "not found (only the site's browser tests need it)"
    return Probe("chromium", path is not None, detail, required=False)


def _handle(args: argparse.Namespace) -> int:
    probes = [_python(), _z3(), _dot(), _chromium()]
    ready = all(probe.ok for probe in probes if probe.required)

    def text() -> str:
        lines = []
        for probe in probes:
            mark = "ok " if probe.ok else ("MISSING" if probe.required else "absent")
            lines.append(f"{mark:8} {probe.name:13} {probe.detail}")
        lines.append("ready for the course" if ready else "not ready: fix the lines marked MISSING")
        return "\n".join(lines)

    emit(args, {"ready": ready, "probes": probes}, text)
    return ExitCode.OK if ready else ExitCode.FINDING


def register(subcommands: argparse._SubParsersAction[OneLineParser]) -> None:
    parser = subcommands.add_parser("doctor", help="check that this machine can run the course")
    add_json_flag(parser)
    parser.set_defaults(handler=_handle)
