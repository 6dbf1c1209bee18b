"""A scheduling profile: which filter plugins run, in which order, with which arguments.

:data:`DEFAULT_PROFILE` is kube-scheduler's default profile (``default-scheduler``) with
the defaults of ``KubeSchedulerConfiguration`` v1; :mod:`fmlab.k8s._config` reads other
profiles from a configuration file.
"""

from __future__ import annotations

from dataclasses import dataclass

from fmlab.k8s._model import TopologySpreadConstraint
from fmlab.k8s._selectors import NodeSelector

DEFAULT_SCHEDULER = "default-scheduler"

FILTER_PLUGINS = (
    "NodeUnschedulable",
    "NodeName",
    "TaintToleration",
    "NodeAffinity",
    "NodePorts",
    "NodeResourcesFit",
    "VolumeRestrictions",
    "NodeVolumeLimits",
    "VolumeBinding",
    "VolumeZone",
    "PodTopologySpread",
    "InterPodAffinity",
)
"""The in-tree filter plugins of the default profile, in the order they run."""


@dataclass(frozen=True)
class ScoringStrategy:
    """NodeResourcesFitArgs.scoringStrategy: how feasible nodes are scored.

    ``shape`` (utilization, score) points apply to ``RequestedToCapacityRatio`` only.
    """

    type: str = "LeastAllocated"
    resources: tuple[tuple[str, int], ...] = (("cpu", 1), ("memory", 1))
    shape: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Profile:
    """One profile of a scheduler: its name, filter plugins and plugin arguments."""

    scheduler_name: str = DEFAULT_SCHEDULER
    filters: tuple[str, ...] = FILTER_PLUGINS
    preemption: bool = True
    """Whether DefaultPreemption runs as the PostFilter plugin."""
    ignored_resources: frozenset[str] = frozenset()
    ignored_resource_groups: frozenset[str] = frozenset()
    scoring: ScoringStrategy = ScoringStrategy()
    added_affinity: NodeSelector | None = None
    min_candidate_nodes_percentage: int = 10
    min_candidate_nodes_absolute: int = 100
    default_constraints: tuple[TopologySpreadConstraint, ...] = ()
    defaulting_type: str = "System"

    def ignores(self, resource: str) -> bool:
        """Does NodeResourcesFit skip ``resource``? Only extended resources (a name with a
        domain that is not ``kubernetes.io``) can be ignored, as upstream checks them."""
        if not is_extended_resource(resource):
            return False
        return resource in self.ignored_resources or (
            resource.partition("/")[0] in self.ignored_resource_groups
        )


def is_extended_resource(name: str) -> bool:
    """``v1helper.IsExtendedResourceName``: a domain-prefixed name outside kubernetes.io."""
    if "/" not in name or name.startswith("requests."):
        return False
    domain = name.partition("/")[0]
    return not (domain == "kubernetes.io" or domain.endswith(".kubernetes.io"))


DEFAULT_PROFILE = Profile()
