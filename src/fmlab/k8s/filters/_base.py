"""What the parts of a scheduling cycle share: its state, and the methods one part
calls in another (each defined for real in its own module; see
:class:`~fmlab.k8s.filters._cycle.CycleState`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from fmlab.k8s._cluster import ClusterState, NodeInfo
from fmlab.k8s._model import Node, Pod
from fmlab.k8s._profile import Profile
from fmlab.k8s._spread import CriticalPaths, SpreadConstraint
from fmlab.k8s._status import Status
from fmlab.k8s._terms import ResolvedTerm
from fmlab.k8s.filters._reasons import Pair
from fmlab.k8s.filters._screen import PreemptionScreen


class CycleBase:
    """The attributes of one cycle; :class:`~fmlab.k8s.filters._cycle.CycleState` sets them."""

    cluster: ClusterState
    pod: Pod
    profile: Profile
    priority: int
    prefilter_rejection: Status | None
    allowed_nodes: frozenset[str] | None
    _plain: bool
    _affinity_on: bool
    _spread_on: bool
    _fit_on: bool
    _signature: tuple[object, ...]
    _static: dict[str, Status]
    _selector_cache: dict[str, bool]
    _requests: list[tuple[str, int]]
    _requested_names: tuple[str, ...]
    _counts_nothing: bool
    _screen: PreemptionScreen | None
    _extra: tuple[dict[str, np.ndarray[Any, np.dtype[np.int64]]], frozenset[int]] | None
    # InterPodAffinity
    relevant: set[str]
    affinity_terms: tuple[ResolvedTerm, ...]
    anti_terms: tuple[ResolvedTerm, ...]
    affinity_counts: dict[Pair, int]
    anti_counts: dict[Pair, int]
    existing_anti_counts: dict[Pair, int]
    self_affinity: bool
    _resolved_cache: dict[str, tuple[ResolvedTerm, ...]]
    # PodTopologySpread
    constraints: tuple[SpreadConstraint, ...]
    spread_counts: dict[Pair, int]
    domains: dict[str, int]
    paths: dict[str, CriticalPaths]
    _spread_eligible: dict[str, tuple[bool, ...]]

    def static_status(self, node: Node) -> Status:
        raise NotImplementedError

    def _selectors_match(self, node: Node) -> bool:
        raise NotImplementedError

    def filter_with_nominated(self, info: NodeInfo, *, shortcut: bool = True) -> Status:
        raise NotImplementedError

    def is_relevant(self, other: Pod) -> bool:
        raise NotImplementedError

    def spread_match(self, constraint: SpreadConstraint, other: Pod) -> bool:
        raise NotImplementedError

    def _spread(self, node: Node) -> Status | None:
        raise NotImplementedError

    def _inter_pod_affinity(self, node: Node) -> Status:
        raise NotImplementedError

    def _resolved_anti(self, other: Pod) -> tuple[ResolvedTerm, ...]:
        raise NotImplementedError
