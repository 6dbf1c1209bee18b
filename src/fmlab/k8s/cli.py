"""``fmlab k8s``: preemption decisions on real manifests.

``fmlab k8s preempt MANIFESTS... --pod NAME`` answers what kube-scheduler's
DefaultPreemption would do for the pending pod NAME (``--planner default``), or what
the best choice is under the same criteria (``--planner exact``). Exit codes: 0 a
nomination was made (or the pod fits without one), 1 preemption cannot help, 2 bad
input, 3 the exact planner ran out of budget before finding any plan.
"""

from __future__ import annotations

import argparse
import sys

from fmlab.cli.conventions import (
    ExitCode,
    OneLineParser,
    add_group,
    add_json_flag,
    add_timeout_flag,
    emit,
    timeout_ms,
)
from fmlab.core.errors import UsageError
from fmlab.k8s.cluster import ClusterState
from fmlab.k8s.manifests import load_manifests
from fmlab.k8s.model import Pod
from fmlab.k8s.preemption import PreemptionResult, preempt


def _pending_pod(cluster: ClusterState, name: str) -> Pod:
    try:
        found = cluster.find_pod(name)
    except KeyError:
        matches = [p.key for p in cluster.all_pods() if p.name == name]
        if len(matches) > 1:
            raise UsageError(f"--pod {name} is ambiguous: {', '.join(sorted(matches))}") from None
        raise UsageError(f"--pod {name}: no such pod in the manifests") from None
    if found.node_name:
        raise UsageError(f"--pod {name}: the pod is already bound to node {found.node_name}")
    return found


def _text(result: PreemptionResult, planner: str) -> str:
    lines = [f"pod {result.pod} ({planner} planner)"]
    if result.fits:
        lines.append(f"fits without preemption on: {', '.join(result.fits)}")
    elif result.nominated_node is None:
        lines.append("no node nominated")
    else:
        lines.append(f"nominated node: {result.nominated_node}")
        victims = ", ".join(v.key for v in result.victims) or "none"
        lines.append(f"victims: {victims}")
        lines.append(f"PDB violations: {result.pdb_violations}")
    lines.append(f"reason: {result.reason}")
    return "\n".join(lines)


def _handle_preempt(args: argparse.Namespace) -> int:
    manifests = load_manifests(args.manifests)
    for warning in manifests.warnings:
        print(f"fmlab: warning: {warning}", file=sys.stderr)
    cluster = ClusterState.from_manifests(manifests)
    pending = _pending_pod(cluster, args.pod)
    if args.planner == "exact":
        from fmlab.k8s.exact import plan_exact

        planned = plan_exact(cluster, pending, timeout_ms=timeout_ms(args))
        payload = {**planned.result.to_json(), "planner": "exact", **planned.to_json()}
        emit(args, payload, lambda: _text(planned.result, "exact") + "\n" + planned.explain())
        if planned.unknown:
            return ExitCode.UNKNOWN
        result = planned.result
    else:
        result = preempt(cluster, pending, seed=args.seed, offset=args.offset)
        payload = {**result.to_json(), "planner": "default", "offset": result.offset}
        emit(args, payload, lambda: _text(result, "default"))
    if result.nominated_node is not None or result.fits:
        return ExitCode.OK
    return ExitCode.FINDING


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}")
    return value


def register(subcommands: argparse._SubParsersAction[OneLineParser]) -> None:
    group = add_group(subcommands, "k8s", "Kubernetes pod priority and preemption")
    parser = group.add_parser(
        "preempt",
        help="what preemption does for one pending pod",
        description="Decide preemption for the pending pod --pod, as kube-scheduler's "
        "DefaultPreemption does (--planner default) or optimally (--planner exact).",
    )
    parser.add_argument("manifests", nargs="+", metavar="MANIFESTS", help="YAML or JSON files")
    parser.add_argument(
        "--pod", required=True, metavar="NAME", help="pending pod (ns/name or name)"
    )
    parser.add_argument("--planner", choices=("default", "exact"), default="default")
    parser.add_argument("--seed", type=_non_negative, default=None, help="seed for the offset")
    parser.add_argument(
        "--offset", type=_non_negative, default=None, help="start the dry run at this node"
    )
    add_json_flag(parser)
    add_timeout_flag(parser)
    parser.set_defaults(handler=_handle_preempt)
