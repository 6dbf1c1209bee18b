"""scheduler_perf-like workloads through :class:`fmlab.k8s._scheduler.Scheduler`.

* ``PreemptionBasic``: 1,000 nodes (4 CPU, 32 Gi, 110 pods), 4,000 low-priority pods of
  900m (the initial state, scheduled first and not measured), then 1,000 high-priority
  pods of 3 CPU, each of which must preempt three low pods. Upstream sets no threshold.
* ``PreemptionAsync``-like: 5,000 such nodes with 4 low-priority pods each, then
  ``--high`` high-priority pods and ``--small`` pods of 100m, all submitted at once
  (upstream submits the high ones at 5/s; its threshold is 570 pods/s).

Throughput is measured pods bound per second of wall-clock time spent in the scheduler
loop (simulated waits such as backoff cost nothing). Prints JSON.

Run: ``.venv/bin/python benchmarks/preemption/bench_scheduler.py [--workload basic|async]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from fmlab.k8s._build import node, pod
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._scheduler import Scheduler

# Run alone or through benchmarks/run.py: either way the harness module is beside us.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import Case, Timed


def _cluster(nodes: int) -> ClusterState:
    return ClusterState([node(f"node-{i:05d}", cpu="4", memory="32Gi") for i in range(nodes)])


def _measure(scheduler: Scheduler, pods: list[Any]) -> tuple[int, float]:
    before = scheduler.bound_count()
    for p in pods:
        scheduler.submit(p)
    started = time.perf_counter()
    scheduler.run()
    elapsed = time.perf_counter() - started
    return scheduler.bound_count() - before, elapsed


def preemption_basic(nodes: int = 1000, init: int = 4000, measured: int = 1000) -> dict[str, Any]:
    scheduler = Scheduler(_cluster(nodes), seed=1)
    low = [pod(f"low-{i}", cpu="900m", memory="500Mi", priority=1) for i in range(init)]
    init_bound, init_seconds = _measure(scheduler, low)
    high = [pod(f"high-{i}", cpu="3", memory="500Mi", priority=10) for i in range(measured)]
    bound, seconds = _measure(scheduler, high)
    return {
        "workload": "PreemptionBasic",
        "nodes": nodes,
        "init_pods": init_bound,
        "init_pods_per_second": round(init_bound / init_seconds, 1),
        "measured_pods_bound": bound,
        "measured_seconds": round(seconds, 3),
        "pods_per_second": round(bound / seconds, 1),
        "preempted": sum(1 for e in scheduler.events if e.kind == "preempted"),
    }


def preemption_async(nodes: int = 5000, high: int = 500, small: int = 5000) -> dict[str, Any]:
    scheduler = Scheduler(_cluster(nodes), seed=1)
    low = [pod(f"low-{i}", cpu="900m", memory="500Mi", priority=1) for i in range(4 * nodes)]
    init_bound, init_seconds = _measure(scheduler, low)
    measured = [pod(f"high-{i}", cpu="3", memory="500Mi", priority=10) for i in range(high)]
    measured += [pod(f"small-{i}", cpu="100m", memory="100Mi", priority=5) for i in range(small)]
    bound, seconds = _measure(scheduler, measured)
    return {
        "workload": "PreemptionAsync-like",
        "nodes": nodes,
        "init_pods": init_bound,
        "init_pods_per_second": round(init_bound / init_seconds, 1),
        "measured_pods_bound": bound,
        "measured_seconds": round(seconds, 3),
        "pods_per_second": round(bound / seconds, 1),
        "upstream_threshold_pods_per_second": 570,
    }


def cases() -> list[Case]:
    """scheduler_perf-style workloads; only the measured phase is timed (see Timed)."""

    def timed(workload: Any) -> Timed:
        report = workload()
        return Timed(f"{report['pods_per_second']} pods/s", report["measured_seconds"])

    return [
        Case(
            "preemption",
            "PreemptionBasic: 1,000 high-priority pods",
            "fmlab.k8s scheduler",
            lambda: timed(preemption_basic),
            {"nodes": 1000, "pods": 1000},
            repeat=3,
        ),
        Case(
            "preemption",
            "PreemptionAsync-like: 500 high + 5,000 small pods",
            "fmlab.k8s scheduler",
            lambda: timed(preemption_async),
            {"nodes": 5000, "pods": 5500, "upstream_threshold_pods_per_second": 570},
            repeat=1,
        ),
    ]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workload", choices=("basic", "async"), default="basic")
    parser.add_argument("--nodes", type=int, default=None)
    args = parser.parse_args(argv)
    if args.workload == "basic":
        report = preemption_basic(nodes=args.nodes or 1000)
    else:
        report = preemption_async(nodes=args.nodes or 5000)
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
