"""A large cluster dump, end to end through the command line: ``fmlab k8s preempt`` on a
``kind: List`` of 1,000 nodes and about 110,000 pods (about 50 MB of YAML, the size issue
15 measured at 84-103 s and 3 GB before the C loader and the fast pod reader).

The file is written once per run in a temporary directory, shaped as ``kubectl get
nodes,pods -A -o yaml`` prints a plain pod: owner references, labels, one container with
an image, a port and requests, the two default tolerations, a phase, conditions and a
start time. Each run is a fresh ``python -m fmlab`` process, so start-up, YAML reading,
indexing and the decision are all counted; its peak memory (the child's maximum resident
set) is reported with the answer. The issue's target is at most 15 s and 1.5 GB.

    .venv/bin/python benchmarks/preemption/bench_large_list.py   # one run, prints the figures
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Run alone or through benchmarks/run.py: either way the harness module is beside us.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import Case, Timed

NODES = 1000
PODS_PER_NODE = 110
TARGET_SECONDS = 15.0
TARGET_BYTES = 1.5 * 2**30
HOST = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"


_NODE = """\
- apiVersion: v1
  kind: Node
  metadata:
    name: {name}
    labels:
      {host}: {name}
      {zone}: zone-{zone_index}
  status:
    allocatable:
      cpu: "64"
      memory: 256Gi
      pods: "110"
"""

_POD = """\
- apiVersion: v1
  kind: Pod
  metadata:
    name: {app}-{node:04d}-{j:03d}
    namespace: team-{team}
    labels:
      app: {app}
      pod-template-hash: 7d9f8c6b5
    ownerReferences:
    - {{apiVersion: apps/v1, kind: ReplicaSet, name: {app}-7d9f8c6b5, controller: true}}
  spec:
    nodeName: node-{node:04d}
    priority: {priority}
    containers:
    - name: app
      image: registry.example/{app}:1.4.2
      resources:
        requests: {{cpu: 500m, memory: 2Gi}}
    tolerations:
    - {{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute}}
    - {{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute}}
  status:
    phase: Running
    startTime: "2026-11-30T08:{minute:02d}:00Z"
"""

_URGENT = """\
- apiVersion: v1
  kind: Pod
  metadata:
    name: urgent
    namespace: default
  spec:
    priority: 1000
    containers:
    - name: c
      resources:
        requests:
          cpu: "12"
"""


def write_list(path: Path, nodes: int = NODES, pods_per_node: int = PODS_PER_NODE) -> int:
    """Write the List as block YAML, as kubectl prints it (from templates: PyYAML's dumper
    would take minutes); return the number of pods."""
    with path.open("w", encoding="utf-8") as out:
        out.write("apiVersion: v1\nkind: List\nitems:\n")
        for i in range(nodes):
            out.write(_NODE.format(name=f"node-{i:04d}", host=HOST, zone=ZONE, zone_index=i % 3))
        for i in range(nodes):
            for j in range(pods_per_node):
                app = f"svc-{(i * 7 + j) % 40}"
                out.write(
                    _POD.format(app=app, node=i, j=j, team=j % 8, priority=j % 3, minute=j % 60)
                )
        out.write(_URGENT)
    return nodes * pods_per_node + 1


def write_json(yaml_path: Path, json_path: Path) -> None:
    """The same List as ``kubectl get -o json`` would print it.

    Converted in a child process: a parent that has held the whole List would hand its
    resident pages to every later child it forks, and the children's peak would count them.
    """
    command = [sys.executable, __file__, "--to-json", str(yaml_path), str(json_path)]
    subprocess.run(command, check=True)


def _to_json(yaml_path: Path, json_path: Path) -> None:
    from fmlab.k8s._yamlio import documents

    (document,) = documents(yaml_path.read_text(encoding="utf-8"))
    json_path.write_text(json.dumps(document, indent=1), encoding="utf-8")


@dataclass(frozen=True)
class CliRun:
    """One command-line run: wall and CPU seconds, peak resident memory, the answer."""

    seconds: float
    cpu_seconds: float
    peak_bytes: int
    answer: dict[str, Any]

    def __str__(self) -> str:
        return (
            f"{self.answer.get('nominatedNode')}, {self.cpu_seconds:.1f} s cpu, "
            f"peak {self.peak_bytes / 2**20:.0f} MiB"
        )


def run_cli(path: Path) -> CliRun:
    """One ``fmlab k8s preempt --json`` process, its resources read with ``wait4`` (its
    own peak resident set, not the largest of every child so far)."""
    # The installed console script, as a user runs it.
    command = [str(Path(sys.executable).parent / "fmlab"), "k8s", "preempt", str(path)]
    command += ["--pod", "default/urgent", "--seed", "0", "--json"]
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors)
        assert child.stdout is not None
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        child.stdout.close()
        if child.returncode not in (0, 1):
            errors.seek(0)
            raise RuntimeError(f"fmlab exited {child.returncode}: {errors.read()[-500:]!r}")
    cpu = usage.ru_utime + usage.ru_stime
    peak = usage.ru_maxrss * 1024  # KiB on Linux
    return CliRun(seconds, cpu, peak, json.loads(out))


def cases() -> list[Case]:
    folder = Path(tempfile.mkdtemp(prefix="fmlab-bench-list-"))
    yaml_path, json_path = folder / "cluster.yaml", folder / "cluster.json"
    pods = write_list(yaml_path)
    write_json(yaml_path, json_path)
    found = []
    for path, contender in ((yaml_path, "fmlab CLI (YAML)"), (json_path, "fmlab CLI (JSON)")):
        megabytes = round(path.stat().st_size / 2**20, 1)
        params = {"nodes": NODES, "pods": pods, "MiB": megabytes, "target_s": TARGET_SECONDS}

        def once(path: Path = path) -> Timed:
            run = run_cli(path)
            return Timed(str(run), run.seconds)

        found.append(
            Case(
                "preemption",
                "fmlab k8s preempt on a kind: List, end to end",
                contender,
                once,
                params,
                repeat=3,
                check=lambda answer: not str(answer).startswith("None"),
            )
        )
    return found


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="fmlab-bench-list-") as folder:
        yaml_path, json_path = Path(folder) / "cluster.yaml", Path(folder) / "cluster.json"
        pods = write_list(yaml_path)
        write_json(yaml_path, json_path)
        for path in (yaml_path, json_path):
            size = path.stat().st_size / 2**20
            runs = [run_cli(path) for _ in range(3)]
            wall = statistics.median(r.seconds for r in runs)
            cpu = statistics.median(r.cpu_seconds for r in runs)
            peak = max(r.peak_bytes for r in runs) / 2**20
            print(
                f"{path.name} ({size:.1f} MiB, {NODES} nodes, {pods} pods): median of 3 runs "
                f"{wall:.1f} s wall, {cpu:.1f} s cpu, peak {peak:.0f} "
                f"MiB, nominated {runs[0].answer.get('nominatedNode')}"
            )
        print(f"target: <= {TARGET_SECONDS:.0f} s and <= {TARGET_BYTES / 2**30:.1f} GiB")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--to-json"]:
        _to_json(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
