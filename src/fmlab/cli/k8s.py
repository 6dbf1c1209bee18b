"""``fmlab k8s``: scheduling and preemption decisions on real manifests.

``fmlab k8s filter MANIFESTS... --pod NAME`` shows, for every node, what every filter
plugin says about the pending pod NAME, and kube-scheduler's summary sentence (exit 0 it
fits somewhere, 1 it fits nowhere). ``fmlab k8s preempt MANIFESTS... --pod NAME``
answers what kube-scheduler's DefaultPreemption would do (``--planner default``), or what
the best choice is under the same criteria (``--planner exact``). Exit codes: 0 a
nomination was made (or the pod fits without one), 1 preemption cannot help, 2 bad
input, 3 the exact planner ran out of budget before finding any plan. ``--config FILE``
(every command) reads a KubeSchedulerConfiguration: profiles and plugin arguments.
"""

from __future__ import annotations

import argparse
import sys

from fmlab.cli.conventions import (
    OneLineParser,
    add_group,
    add_json_flag,
    add_timeout_flag,
    emit,
    seconds,
    timeout_ms,
    whole_number,
)
from fmlab.core import ExitCode, UsageError
from fmlab.k8s import (
    ClusterState,
    Pod,
    PreemptionResult,
    SchedulerConfig,
    filter_pod,
    load_cluster,
    load_config,
    preempt,
)


def _warn(warning: str) -> None:
    print(f"fmlab: warning: {warning}", file=sys.stderr)


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
    head, _, rest = result.explain().partition("\n")
    return f"{head} ({planner} planner)\n{rest}"


def _config(args: argparse.Namespace) -> SchedulerConfig | None:
    if args.config is None:
        return None
    config = load_config(args.config)
    for warning in config.warnings:
        _warn(f"{args.config}: {warning}")
    return config


def _handle_filter(args: argparse.Namespace) -> int:
    config = _config(args)
    cluster, _ = load_cluster(args.manifests, warn=_warn)
    pending = _pending_pod(cluster, args.pod)
    report = filter_pod(cluster, pending, config=config)
    emit(args, report.to_json(), report.table)
    return ExitCode.OK if report.schedulable else ExitCode.FINDING


def _handle_preempt(args: argparse.Namespace) -> int:
    config = _config(args)
    cluster, _ = load_cluster(args.manifests, warn=_warn)
    pending = _pending_pod(cluster, args.pod)
    if args.planner == "exact":
        from fmlab.k8s import plan_exact

        planned = plan_exact(cluster, pending, timeout_ms=timeout_ms(args))
        payload = {**planned.result.to_json(), "planner": "exact", **planned.to_json()}
        emit(args, payload, lambda: _text(planned.result, "exact") + "\n" + planned.explain())
        if planned.unknown:
            return ExitCode.UNKNOWN
        result = planned.result
    else:
        result = preempt(cluster, pending, seed=args.seed, offset=args.offset, config=config)
        payload = {**result.to_json(), "planner": "default", "offset": result.offset}
        emit(args, payload, lambda: _text(result, "default"))
    if result.nominated_node is not None or result.fits:
        return ExitCode.OK
    return ExitCode.FINDING


def _handle_simulate(args: argparse.Namespace) -> int:
    from fmlab.k8s import load_actions, plot_timeline, simulate

    config = _config(args)
    cluster, manifests = load_cluster(args.manifests, warn=_warn)
    actions = [] if args.events is None else load_actions(args.events)
    timeline = simulate(
        cluster,
        actions,
        classes=manifests.priority_classes,
        grace_seconds=args.grace,
        seed=args.seed or 0,
        config=config,
    )
    if args.plot:
        plot_timeline(timeline, args.plot)

    def text() -> str:
        lines = []
        for event in timeline.events:
            where = f" on {event.node}" if event.node else ""
            detail = f" ({event.detail})" if event.detail and event.kind != "unschedulable" else ""
            lines.append(f"t={event.time:9.3f}  {event.kind:13} {event.pod}{where}{detail}")
        lines.append(f"still pending: {', '.join(timeline.pending) or 'none'}")
        return "\n".join(lines)

    emit(args, timeline.to_json(), text)
    return ExitCode.OK


def register(subcommands: argparse._SubParsersAction[OneLineParser]) -> None:
    group = add_group(subcommands, "k8s", "Kubernetes pod priority and preemption")
    filters = group.add_parser(
        "filter",
        help="every filter plugin's verdict for one pending pod, on every node",
        description="For each node, run every filter plugin of the pod's profile on the "
        "pending pod --pod and show its verdict (Success, Unschedulable, "
        "UnschedulableAndUnresolvable) and reasons, with kube-scheduler's summary sentence.",
    )
    filters.add_argument("manifests", nargs="+", metavar="MANIFESTS", help="YAML or JSON files")
    filters.add_argument(
        "--pod", required=True, metavar="NAME", help="pending pod (ns/name or name)"
    )
    _add_config_flag(filters)
    add_json_flag(filters)
    filters.set_defaults(handler=_handle_filter)

    parser = group.add_parser(
        "preempt",
        help="what preemption does for one pending pod",
        description="Decide preemption for the pending pod --pod, as kube-scheduler's "
        "DefaultPreemption does (--planner default) or optimally (--planner exact). For the "
        "exact planner --timeout bounds the whole search in wall-clock time; when it runs "
        "out, the best plan found so far is printed as not proved optimal.",
    )
    parser.add_argument("manifests", nargs="+", metavar="MANIFESTS", help="YAML or JSON files")
    parser.add_argument(
        "--pod", required=True, metavar="NAME", help="pending pod (ns/name or name)"
    )
    parser.add_argument("--planner", choices=("default", "exact"), default="default")
    parser.add_argument("--seed", type=whole_number(), default=None, help="seed for the offset")
    parser.add_argument(
        "--offset", type=whole_number(), default=None, help="start the dry run at this node"
    )
    _add_config_flag(parser)
    add_json_flag(parser)
    add_timeout_flag(parser)
    parser.set_defaults(handler=_handle_preempt)

    simulate = group.add_parser(
        "simulate",
        help="run the scheduler over the pending pods and timed events",
        description="Schedule every pending pod (with DefaultPreemption), applying the "
        "pod creations and deletions of --events at their times; prints the timeline.",
    )
    simulate.add_argument("manifests", nargs="+", metavar="MANIFESTS", help="YAML or JSON files")
    simulate.add_argument("--events", metavar="EVENTS", help="YAML/JSON list of timed actions")
    simulate.add_argument(
        "--grace",
        type=seconds(allow_zero=True),
        default=0.0,
        metavar="SECONDS",
        help="grace period of preempted pods (default 0)",
    )
    simulate.add_argument("--seed", type=whole_number(), default=None, help="seed for offsets")
    simulate.add_argument("--plot", metavar="FILE.svg", help="draw queue lengths and a Gantt chart")
    _add_config_flag(simulate)
    add_json_flag(simulate)
    simulate.set_defaults(handler=_handle_simulate)


def _add_config_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) to schedule with",
    )
