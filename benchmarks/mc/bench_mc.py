"""Model checking: fmlab.mc beside SPIN 6.5.2, in the same run.

* The grid: 7 counters modulo 10 (10,000,000 states, 70,000,000 transitions), checked
  for deadlock and one invariant by SPIN's breadth-first search (``-DBFS``, claim-free,
  deadlock only: SPIN does less work) and by fmlab.mc's plain path (packed-integer and
  tuple states) and fast path (``VectorModel``). The issue's targets: 130,000 states/s
  for the plain convention, SPIN's states/s for the fast path at no more bytes per state.
* The CRI model with 1 to 8 containers: states and seconds for SPIN (the chapter's
  ``cri.pml -DN=n``), fmlab.mc's fast path (``models/cri_vector.py``) and, up to 7
  containers, the chapter's plain model (``fmlab.mc.models.cri``).

Every run is a child process (``measure.py``): only the search is timed (SPIN's
``spin -a`` and gcc run once, before), in CPU seconds (the machine is shared; see
``measure.py``), and the peak RSS is the child's own, read from the kernel. The answer
string of each run carries states per CPU second, bytes per state and the wall time.
"""

from __future__ import annotations

import atexit
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from measure import run_child  # noqa: E402

from harness import Case, Timed  # noqa: E402

MODELS = HERE / "models"
GRID_K, GRID_M = 7, 10
GRID_STATES = GRID_M**GRID_K
CRI_SIZES = range(1, 9)
CRI_PLAIN_SIZES = range(1, 8)
REPEAT = 3


class Run(NamedTuple):
    """One measured run; ``status`` is what the results table shows.

    (A named tuple, not a dataclass: run.py loads this file without registering it as a
    module, which dataclasses need.)
    """

    states: int
    transitions: int
    seconds: float
    peak_rss_bytes: int
    status: str

    def to_json(self) -> dict[str, Any]:
        return {"states": self.states, "seconds": self.seconds, "rss": self.peak_rss_bytes}


def _run(result: dict[str, Any]) -> Timed:
    states, cpu, rss = result["states"], result["cpu_seconds"], result["peak_rss_bytes"]
    rate = states / cpu if cpu > 0 else float("inf")
    status = (
        f"{states:,} states, {rate:,.0f} states/s, {rss / max(states, 1):.1f} B/state peak RSS,"
        f" wall {result['seconds']:.2f} s"
    )
    run = Run(states, result["transitions"], cpu, rss, status)
    return Timed(run, cpu)


_WORK = Path(tempfile.mkdtemp(prefix="fmlab-bench-mc-"))
atexit.register(shutil.rmtree, _WORK, ignore_errors=True)


def _pan_binary(name: str, promela: str, defines: dict[str, int], include: Path | None) -> Path:
    """Build SPIN's breadth-first, claim-free verifier once (not timed)."""
    folder = _WORK / name
    binary = folder / "pan"
    if binary.exists():
        return binary
    folder.mkdir(parents=True)
    (folder / "model.pml").write_text(promela, encoding="utf-8")
    flags = [f"-D{k}={v}" for k, v in defines.items()]
    if include is not None:
        flags.append(f"-E-I{include}")
    subprocess.run(
        ["spin", *flags, "-a", "model.pml"],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=300,
    )
    subprocess.run(
        ["gcc", "-O2", "-DBFS", "-DSAFETY", "-DNOCLAIM", "-DMEMLIM=8192", "-o", "pan", "pan.c"],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return binary


def _spin_run(binary: Path) -> Timed:
    # -m: a depth limit well above the grid's 63 levels and the CRI's; everything else is
    # pan's default (a hash table of 2^24 slots).
    result = run_child(["pan", str(binary), "-m100000"], cwd=binary.parent)
    assert result["errors"] == 0, result
    assert result["complete"], result
    return _run(result)


def _grid_promela() -> str:
    spec = importlib.util.spec_from_file_location("bench_grid_model", MODELS / "grid.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.promela(GRID_K, GRID_M))


def _grid_cases() -> list[Case]:
    env = {"GRID_K": str(GRID_K), "GRID_M": str(GRID_M)}
    params = {"states": GRID_STATES, "transitions": GRID_K * GRID_STATES}
    name = f"grid {GRID_K} counters mod {GRID_M}"

    def fmlab(file: str) -> Any:
        return lambda: _run(run_child(["fmlab", str(MODELS / file)], env=env))

    def correct(run: object) -> bool:
        return isinstance(run, Run) and run.states == GRID_STATES

    cases = [
        Case(
            "mc", name, "fmlab.mc fast path", fmlab("grid_vector.py"), params, REPEAT, check=correct
        ),
        Case(
            "mc",
            name,
            "fmlab.mc plain, int states",
            fmlab("grid.py"),
            params,
            REPEAT,
            check=correct,
        ),
        Case(
            "mc",
            name,
            "fmlab.mc plain, tuple states",
            fmlab("grid_tuple.py"),
            params,
            1,
            check=correct,
        ),
    ]
    if shutil.which("spin") and shutil.which("gcc"):
        binary = _pan_binary("grid", _grid_promela(), {}, None)
        cases.insert(
            0,
            Case(
                "mc",
                name,
                "SPIN 6.5.2 BFS",
                lambda: _spin_run(binary),
                params,
                REPEAT,
                baseline=True,
                check=correct,
            ),
        )
    return cases


def _cri_cases() -> list[Case]:
    cases = []
    chapter = importlib.util.find_spec("fmlab.mc.models") is not None
    for containers in CRI_SIZES:
        expected = 6**containers + 2 * 4**containers + 2
        params = {"containers": containers, "states": expected}
        name = "CRI model"

        def correct(run: object, expected: int = expected) -> bool:
            return isinstance(run, Run) and run.states == expected

        env = {"CRI_CONTAINERS": str(containers)}
        repeat = REPEAT if containers >= 5 else 5
        cases.append(
            Case(
                "mc",
                name,
                "fmlab.mc fast path",
                lambda env=env: _run(run_child(["fmlab", str(MODELS / "cri_vector.py")], env=env)),
                params,
                repeat,
                check=correct,
            )
        )
        if chapter and containers in CRI_PLAIN_SIZES:
            cases.append(
                Case(
                    "mc",
                    name,
                    "fmlab.mc plain (chapter model)",
                    lambda n=containers: _run(
                        run_child(["namespace", "fmlab.mc.models.cri", str(n)])
                    ),
                    params,
                    1 if containers >= 6 else repeat,
                    check=correct,
                )
            )
        if chapter and shutil.which("spin") and shutil.which("gcc"):
            from fmlab.mc.models import promela_path

            source = promela_path("cri")
            binary = _pan_binary(
                f"cri{containers}",
                source.read_text(encoding="utf-8"),
                {"N": containers},
                source.parent,
            )
            cases.append(
                Case(
                    "mc",
                    name,
                    "SPIN 6.5.2 BFS",
                    lambda b=binary: _spin_run(b),
                    params,
                    repeat,
                    baseline=True,
                    check=correct,
                )
            )
    return cases


def cases() -> list[Case]:
    return _grid_cases() + _cri_cases()
