"""Exact planner: solve time against cluster size.

Each cluster has N full nodes of 4 CPUs with 30 pods each (priorities 0-4, a few with
zone anti-affinity), spread over 3 zones; the pending pod needs 1 CPU at priority 10
and has a zone anti-affinity term, so the best plan may cross nodes. Prints JSON with
the status (``optimal`` only when z3 proved it), the time, and DefaultPreemption's time.

Run: ``.venv/bin/python benchmarks/preemption/bench_exact.py [--sizes 10 100 1000]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._exact import plan_cost, plan_exact
from fmlab.k8s._model import Pod
from fmlab.k8s._preemption import preempt
from fmlab.k8s._workloads import zone_shy_pod, zoned_cluster

# Run alone or through benchmarks/run.py: either way the harness module is beside us.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import Case


def make_cluster(nodes: int) -> ClusterState:
    return zoned_cluster(nodes)


def pending() -> Pod:
    return zone_shy_pod()


def run(sizes: list[int], timeout_ms: int) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        cluster = make_cluster(size)
        started = time.perf_counter()
        default = preempt(cluster, pending(), offset=0, now=1e9)
        default_seconds = time.perf_counter() - started
        plan = plan_exact(cluster, pending(), timeout_ms=timeout_ms, now=1e9)
        rows.append(
            {
                "nodes": size,
                "pods": size * 30,
                "status": plan.status,
                "exact_seconds": round(plan.seconds, 3),
                "variables": plan.variables,
                "exact_cost": plan.cost,
                "default_node": default.nominated_node,
                "default_cost": plan_cost(cluster, default.victims, 1e9)
                if default.nominated_node
                else None,
                "default_seconds": round(default_seconds, 4),
            }
        )
    return rows


def cases(sizes: tuple[int, ...] = (10, 100, 1000), timeout_ms: int = 60_000) -> list[Case]:
    """Exact planner against DefaultPreemption on the same clusters, size by size."""
    result = []
    for size in sizes:
        cluster = make_cluster(size)
        params = {"nodes": size, "pods": size * 30}
        task = "plan one preemption (zone anti-affinity)"
        result.append(
            Case(
                "preemption",
                task,
                "DefaultPreemption",
                lambda c=cluster: preempt(c, pending(), offset=0, now=1e9),
                params,
                repeat=3,
                baseline=True,
            )
        )
        result.append(
            Case(
                "preemption",
                task,
                "exact planner (z3)",
                lambda c=cluster: plan_exact(c, pending(), timeout_ms=timeout_ms, now=1e9),
                params,
                repeat=1 if size >= 1000 else 3,
                check=lambda plan: getattr(plan, "status", "") == "optimal",
            )
        )
    return result


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--timeout-ms", type=int, default=60_000)
    args = parser.parse_args(argv)
    rows = run(args.sizes, args.timeout_ms)
    print(json.dumps({"benchmark": "exact-planner", "rows": rows}, indent=2))
    return rows


if __name__ == "__main__":
    main()
