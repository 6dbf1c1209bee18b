"""Running SPIN on the chapter's Promela twins, for the cross-check tests.

SPIN is an independent checker: its answers and counts come from another program, so
agreement with fmlab.mc on the same question is evidence about both. Each run copies the
model into its own folder (``pan`` writes its files beside it), generates the verifier
with ``spin -a``, compiles it with gcc and reads pan's summary. Breadth-first safety runs
(``-DBFS -DSAFETY``) give shortest trails; ``-DNOREDUCE`` turns partial-order reduction
off so that the stored-state count is the plain number of reachable states.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from fmlab.mc.models import promela_path

TIMEOUT = 120


@dataclass(frozen=True)
class SpinVerdict:
    """What pan said about one property."""

    holds: bool
    states: int
    """States stored (when the property holds: all reachable states)."""
    trail_steps: int | None
    """The counterexample's length in steps, replayed with ``spin -t`` (None if it holds)."""


def require_spin() -> None:
    missing = [tool for tool in ("spin", "gcc") if shutil.which(tool) is None]
    if missing:
        raise RuntimeError(f"{' and '.join(missing)} not installed: make test installs them")


def _run(command: list[str], folder: Path, *, must_succeed: bool = False) -> str:
    done = subprocess.run(
        command, cwd=folder, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    output = done.stdout + done.stderr
    if must_succeed and done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output}")
    return output


class PromelaModel:
    """One Promela twin with one set of ``-D`` defines, compiled for safety or liveness."""

    def __init__(self, folder: Path, name: str, defines: dict[str, int]) -> None:
        require_spin()
        self.folder = folder
        self.file = f"{name}.pml"
        self.defines = [f"-D{key}={value}" for key, value in sorted(defines.items())]
        shutil.copy(promela_path(name), folder / self.file)
        self._compiled: str | None = None

    def _compile(self, mode: str) -> None:
        if self._compiled == mode:
            return
        _run(["spin", *self.defines, "-a", self.file], self.folder, must_succeed=True)
        flags = {
            "safety": ["-DNOREDUCE", "-DBFS", "-DSAFETY"],
            "deadlock": ["-DNOREDUCE", "-DBFS", "-DSAFETY", "-DNOCLAIM"],
            "liveness": ["-DNOREDUCE"],
        }[mode]
        _run(["gcc", "-O0", *flags, "-o", "pan", "pan.c"], self.folder, must_succeed=True)
        self._compiled = mode

    def _verdict(self, output: str) -> SpinVerdict:
        errors = re.search(r"errors: (\d+)", output)
        stored = re.search(r"(\d+) states, stored", output)
        if errors is None or stored is None:
            raise RuntimeError(f"cannot read pan's summary:\n{output}")
        holds = errors.group(1) == "0"
        steps = None
        if not holds:
            replay = _run(["spin", *self.defines, "-t", self.file], self.folder)
            ended = re.search(r"trail ends after (\d+) steps", replay)
            steps = int(ended.group(1)) if ended else None
        return SpinVerdict(holds, int(stored.group(1)), steps)

    def safety(self, claim: str) -> SpinVerdict:
        """An invariant, as the LTL claim ``[] p`` named ``claim``, breadth-first."""
        self._compile("safety")
        return self._verdict(_run(["./pan", "-N", claim], self.folder))

    def deadlock(self) -> SpinVerdict:
        """No claim at all: pan then reports a state where no process can move (an invalid
        end state), which is fmlab.mc's deadlock."""
        self._compile("deadlock")
        return self._verdict(_run(["./pan"], self.folder))

    def liveness(self, claim: str, *, fair: bool) -> SpinVerdict:
        """An LTL claim with acceptance cycles; ``fair`` adds weak fairness per process."""
        self._compile("liveness")
        flags = ["-a", "-f"] if fair else ["-a"]
        return self._verdict(_run(["./pan", *flags, "-N", claim], self.folder))
