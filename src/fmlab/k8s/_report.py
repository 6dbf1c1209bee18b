"""For each node, what each filter plugin says about a pending pod (``fmlab k8s filter``).

kube-scheduler stops at the first failing plugin on a node, and its FailedScheduling
event sums up only those first failures. :func:`filter_pod` runs every filter plugin of
the pod's profile on every node, so that a node failing for two reasons shows both, and
gives kube-scheduler's own sentence (:mod:`fmlab.k8s._summary`) built from the first
failures, as the event would read. A pod with scheduling gates, or one that names a
scheduler no profile has, is never tried by kube-scheduler; the report says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._config import DEFAULT_CONFIG, SchedulerConfig
from fmlab.k8s._model import Pod
from fmlab.k8s._status import Code, Status
from fmlab.k8s._summary import fit_error
from fmlab.k8s._text import LINE_WIDTH, fold
from fmlab.k8s.filters import CycleState

_SHORT = {
    Code.SUCCESS: "ok",
    Code.UNSCHEDULABLE: "U",
    Code.UNSCHEDULABLE_AND_UNRESOLVABLE: "UU",
    Code.ERROR: "error",
}


@dataclass(frozen=True)
class NodeFilters:
    """One node: does the pod fit, kube-scheduler's status for it, and every plugin's."""

    node: str
    fits: bool
    status: Status
    plugins: Mapping[str, Status]

    def to_json(self) -> dict[str, Any]:
        return {
            "fits": self.fits,
            "plugins": {
                name: {"code": s.code.value, "reasons": list(s.reasons)}
                for name, s in self.plugins.items()
            },
        }


@dataclass(frozen=True)
class FilterReport:
    """Every node's filter verdicts for one pod, and the sentence that sums them up.

    ``blocked`` says why kube-scheduler would not run a cycle for the pod at all (its
    scheduling gates, or a scheduler name no profile has); ``nodes`` is then what the
    filters would say once that is lifted (empty for another scheduler's pod).
    """

    pod: str
    nodes: tuple[NodeFilters, ...]
    summary: str
    blocked: str = ""
    warnings: tuple[str, ...] = field(default=())

    @property
    def fits(self) -> tuple[str, ...]:
        """The nodes on which every filter passes."""
        return tuple(n.node for n in self.nodes if n.fits)

    @property
    def schedulable(self) -> bool:
        """Would kube-scheduler place the pod now without preempting anyone?"""
        return not self.blocked and bool(self.fits)

    def to_json(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "pod": self.pod,
            "nodes": {n.node: n.to_json() for n in self.nodes},
            "summary": self.summary,
        }
        if self.blocked:
            payload["blocked"] = self.blocked
        return payload

    def table(self, width: int = LINE_WIDTH) -> str:
        """A plain-text table: a row per node, a column per plugin (ok, U, UU), and below
        it each failing plugin's reasons, one line per node and plugin; every line folded
        to ``width`` characters (the summary too: it is kube-scheduler's one-line message)."""
        if not self.nodes:
            return fold(self.summary, width)
        plugins = list(self.nodes[0].plugins)
        heads = [_abbreviation(p) for p in plugins]
        names = ["node", *(n.node for n in self.nodes)]
        verdicts = [
            ["fits", *heads],
            *(
                [
                    "yes" if n.fits else "no",
                    *(_SHORT[n.plugins[p].code] for p in plugins),
                ]
                for n in self.nodes
            ),
        ]
        column = [max(len(row[i]) for row in verdicts) for i in range(len(verdicts[0]))]
        cells = [
            "  ".join(c.ljust(w) for c, w in zip(row, column, strict=True)) for row in verdicts
        ]
        name_width = max(len(name) for name in names)
        lines = []
        if name_width + 2 + len(cells[0]) <= width:
            lines += [
                f"{n.ljust(name_width)}  {c}".rstrip() for n, c in zip(names, cells, strict=True)
            ]
        else:
            # Long node names (cloud providers' are 35-45 characters): each on a line of its
            # own, its verdicts indented below it, so that the columns still line up.
            for name, row in zip(names, cells, strict=True):
                lines += [name, f"  {row}".rstrip()]
        legend = ", ".join(f"{h}={p}" for p, h in zip(plugins, heads, strict=True))
        lines.append(f"(U: Unschedulable, UU: ...AndUnresolvable; {legend})")
        for n in self.nodes:
            for name, status in n.plugins.items():
                if not status.ok:
                    reasons = "; ".join(status.reasons) or status.code.value
                    lines.append(f"{n.node}: {name}: {reasons}")
        lines.append(self.summary)
        return fold("\n".join(lines), width)

    def __repr__(self) -> str:
        return self.table()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.table())


def _abbreviation(plugin: str) -> str:
    """A short column head: the capitals of the plugin's name (NodeResourcesFit -> NRF)."""
    return "".join(c for c in plugin if c.isupper())


def filter_pod(
    cluster: ClusterState, pod: Pod, *, config: SchedulerConfig | None = None
) -> FilterReport:
    """Every filter plugin of the pod's profile in ``config`` (default: kube-scheduler's
    default profile) on every node of ``cluster`` for the pending ``pod``."""
    config = config or DEFAULT_CONFIG
    profile = config.profile_for(pod)
    if profile is None:
        return other_scheduler_report(pod, config.names)
    blocked = ""
    if pod.scheduling_gates:
        blocked = gates_message(pod)
    state = CycleState(cluster, pod, profile)
    nodes: list[NodeFilters] = []
    failures: dict[str, Status] = {}
    for info in cluster.node_list:
        status = state.filter_with_nominated(info, shortcut=False)
        plugins = state.filter_each(info)
        nodes.append(NodeFilters(info.name, status.ok, status, plugins))
        if not status.ok:
            failures[info.name] = status
    fitting = [n.node for n in nodes if n.fits]
    if not cluster.node_list:
        summary = fit_error({})
    elif fitting:
        summary = f"fits on {len(fitting)} of {len(nodes)} node(s): {', '.join(fitting)}"
    else:
        summary = fit_error(failures, prefilter_message=state.prefilter_message)
    if blocked:
        summary = f"{blocked}; once ungated: {summary}"
    return FilterReport(pod.key, tuple(nodes), summary, blocked, config.warnings)


def gates_message(pod: Pod) -> str:
    """The SchedulingGates plugin's PreEnqueue message: the pod never reaches a cycle."""
    return f"waiting for scheduling gates: [{' '.join(pod.scheduling_gates)}]"


def other_scheduler_report(pod: Pod, profiles: tuple[str, ...]) -> FilterReport:
    message = other_scheduler_message(pod, profiles)
    return FilterReport(pod.key, (), message, message)


def other_scheduler_message(pod: Pod, profiles: tuple[str, ...]) -> str:
    return (
        f'pod {pod.key} asks for schedulerName "{pod.scheduler_name}", which no profile of '
        f"this scheduler has ({', '.join(profiles)}); kube-scheduler leaves it alone"
    )
