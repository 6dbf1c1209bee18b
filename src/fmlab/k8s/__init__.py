"""Kubernetes pod priority and preemption.

Manifests in (:func:`load_cluster`, :func:`parse_manifests`), kube-scheduler's filters
and DefaultPreemption (:func:`preempt`), the scheduling queue and a simulation of the
scheduler over time (:func:`simulate`), and an exact planner (:func:`plan_exact`). The
filters themselves are :mod:`fmlab.k8s.filters`. Names load on first use: reading
manifests does not start z3, and the planner does not load matplotlib. :func:`filter_pod`
answers, node by node and plugin by plugin, why a pod does not schedule;
:func:`load_config` reads a ``KubeSchedulerConfiguration`` (profiles and plugin arguments).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fmlab.core.lazy import lazy_exports

if TYPE_CHECKING:
    from fmlab.k8s._admission import AdmissionError, ApiServer
    from fmlab.k8s._build import node, pod
    from fmlab.k8s._cluster import ClusterState, NodeInfo, Usage, load_cluster
    from fmlab.k8s._config import SchedulerConfig, load_config, parse_config
    from fmlab.k8s._exact import ExactPlan, plan_exact, plan_status, replay
    from fmlab.k8s._exercises import PlanCounterexample, check_eviction, check_greedy_gap
    from fmlab.k8s._manifests import Manifests, load_manifests, parse_manifests
    from fmlab.k8s._model import (
        Condition,
        HostPort,
        Namespace,
        Node,
        Pod,
        PodAffinityTerm,
        PodDisruptionBudget,
        PodVolume,
        PriorityClass,
        TopologySpreadConstraint,
        Workload,
    )
    from fmlab.k8s._preemption import (
        Candidate,
        PreemptionResult,
        VictimSelection,
        explain_victim_selection,
        preempt,
    )
    from fmlab.k8s._profile import Profile, ScoringStrategy
    from fmlab.k8s._queue import QueuedPodInfo, QueueLengths, SchedulingQueue
    from fmlab.k8s._report import FilterReport, NodeFilters, filter_pod
    from fmlab.k8s._scheduler import Event, Scheduler
    from fmlab.k8s._selectors import (
        LabelSelector,
        Namespaces,
        NodeSelector,
        NodeSelectorTerm,
        Requirement,
        Taint,
        Toleration,
    )
    from fmlab.k8s._simulation import (
        Action,
        Timeline,
        load_actions,
        parse_actions,
        plot_timeline,
        simulate,
    )
    from fmlab.k8s._status import Code, Status
    from fmlab.k8s._storage import Claim, CSINode, Storage, StorageClass, Volume
    from fmlab.k8s._victim_steps import StepAction, VictimStep
    from fmlab.k8s._views import draw_cluster
    from fmlab.k8s._walkthrough import CRITERIA, Stage, Walkthrough, criteria_values, walk_through
    from fmlab.k8s._workloads import zone_shy_pod, zoned_cluster

__all__ = [
    "CRITERIA",
    "Action",
    "AdmissionError",
    "ApiServer",
    "CSINode",
    "Candidate",
    "Claim",
    "ClusterState",
    "Code",
    "Condition",
    "Event",
    "ExactPlan",
    "FilterReport",
    "HostPort",
    "LabelSelector",
    "Manifests",
    "Namespace",
    "Namespaces",
    "Node",
    "NodeFilters",
    "NodeInfo",
    "NodeSelector",
    "NodeSelectorTerm",
    "PlanCounterexample",
    "Pod",
    "PodAffinityTerm",
    "PodDisruptionBudget",
    "PodVolume",
    "PreemptionResult",
    "PriorityClass",
    "Profile",
    "QueueLengths",
    "QueuedPodInfo",
    "Requirement",
    "Scheduler",
    "SchedulerConfig",
    "SchedulingQueue",
    "ScoringStrategy",
    "Stage",
    "Status",
    "StepAction",
    "Storage",
    "StorageClass",
    "Taint",
    "Timeline",
    "Toleration",
    "TopologySpreadConstraint",
    "Usage",
    "VictimSelection",
    "VictimStep",
    "Volume",
    "Walkthrough",
    "Workload",
    "check_eviction",
    "check_greedy_gap",
    "criteria_values",
    "draw_cluster",
    "explain_victim_selection",
    "filter_pod",
    "load_actions",
    "load_cluster",
    "load_config",
    "load_manifests",
    "node",
    "parse_actions",
    "parse_config",
    "parse_manifests",
    "plan_exact",
    "plan_status",
    "plot_timeline",
    "pod",
    "preempt",
    "replay",
    "simulate",
    "walk_through",
    "zone_shy_pod",
    "zoned_cluster",
]

_HOMES = {
    "_model": (
        "Condition",
        "HostPort",
        "Namespace",
        "Node",
        "Pod",
        "PodAffinityTerm",
        "PodDisruptionBudget",
        "PodVolume",
        "PriorityClass",
        "TopologySpreadConstraint",
        "Workload",
    ),
    "_manifests": ("Manifests", "load_manifests", "parse_manifests"),
    "_cluster": ("ClusterState", "NodeInfo", "Usage", "load_cluster"),
    "_config": ("SchedulerConfig", "load_config", "parse_config"),
    "_profile": ("Profile", "ScoringStrategy"),
    "_report": ("FilterReport", "NodeFilters", "filter_pod"),
    "_admission": ("AdmissionError", "ApiServer"),
    "_build": ("node", "pod"),
    "_preemption": (
        "Candidate",
        "PreemptionResult",
        "VictimSelection",
        "explain_victim_selection",
        "preempt",
    ),
    "_exercises": ("PlanCounterexample", "check_eviction", "check_greedy_gap"),
    "_exact": ("ExactPlan", "plan_exact", "plan_status", "replay"),
    "_queue": ("QueueLengths", "QueuedPodInfo", "SchedulingQueue"),
    "_scheduler": ("Event", "Scheduler"),
    "_simulation": (
        "Action",
        "Timeline",
        "load_actions",
        "parse_actions",
        "plot_timeline",
        "simulate",
    ),
    "_views": ("draw_cluster",),
    "_walkthrough": ("CRITERIA", "Stage", "Walkthrough", "criteria_values", "walk_through"),
    "_workloads": ("zone_shy_pod", "zoned_cluster"),
    "_selectors": (
        "LabelSelector",
        "Namespaces",
        "NodeSelector",
        "NodeSelectorTerm",
        "Requirement",
        "Taint",
        "Toleration",
    ),
    "_status": ("Code", "Status"),
    "_storage": ("CSINode", "Claim", "Storage", "StorageClass", "Volume"),
    "_victim_steps": ("StepAction", "VictimStep"),
}

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _HOMES)
