"""``KubeSchedulerConfiguration`` (``kubescheduler.config.k8s.io/v1``): profiles and the
plugin arguments that change what the filters and preemption decide.

Read: each profile's ``schedulerName``; which filter plugins run and in which order
(``plugins.multiPoint`` and ``plugins.filter``, ``enabled`` and ``disabled`` with ``"*"``,
merged as upstream merges them with the defaults); whether DefaultPreemption runs
(``postFilter``); and ``pluginConfig`` for NodeResourcesFit (``ignoredResources``,
``ignoredResourceGroups``, ``scoringStrategy``), NodeAffinity (``addedAffinity``),
DefaultPreemption (``minCandidateNodesPercentage``, ``minCandidateNodesAbsolute``) and
PodTopologySpread (``defaultConstraints``, ``defaultingType``), validated as upstream
validates them. Plugins and arguments fmlab does not model are reported as warnings, by
name; anything invalid is a located error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fmlab.core.errors import InputError
from fmlab.k8s._fields import Fields
from fmlab.k8s._manifests import node_selector, read_text, spread_constraints
from fmlab.k8s._model import Pod
from fmlab.k8s._profile import (
    DEFAULT_PROFILE,
    DEFAULT_SCHEDULER,
    FILTER_PLUGINS,
    Profile,
    ScoringStrategy,
)
from fmlab.k8s._selectors import label_key_problem
from fmlab.k8s._yamlio import brief, documents

API_VERSION = "kubescheduler.config.k8s.io/v1"
_OWNER = "KubeSchedulerConfiguration"
# The default profile's plugins (multiPoint), in order; those with a Filter are the filters.
_DEFAULT_PLUGINS = (
    "PrioritySort",
    *FILTER_PLUGINS[:10],
    "PodTopologySpread",
    "InterPodAffinity",
    "DefaultPreemption",
    "NodeResourcesBalancedAllocation",
    "ImageLocality",
    "DefaultBinder",
    "SchedulingGates",
)
_KNOWN_PLUGINS = frozenset(
    {*_DEFAULT_PLUGINS, "DynamicResources", "EBSLimits", "GCEPDLimits", "AzureDiskLimits"}
)
_STRATEGIES = ("LeastAllocated", "MostAllocated", "RequestedToCapacityRatio")


@dataclass(frozen=True)
class SchedulerConfig:
    """The profiles of one kube-scheduler; a pod goes to the one named by its
    ``spec.schedulerName`` (empty: ``default-scheduler``), or to none."""

    profiles: tuple[Profile, ...] = (DEFAULT_PROFILE,)
    warnings: tuple[str, ...] = field(default=())

    def profile_for(self, pod: Pod) -> Profile | None:
        wanted = pod.scheduler_name or DEFAULT_SCHEDULER
        return next((p for p in self.profiles if p.scheduler_name == wanted), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.scheduler_name for p in self.profiles)


DEFAULT_CONFIG = SchedulerConfig()


def load_config(path: str | Path) -> SchedulerConfig:
    """Read a ``KubeSchedulerConfiguration`` file (YAML or JSON; ``-`` is standard input)."""
    name = str(path)
    return parse_config(read_text(name), source=name)


def parse_config(text: str, *, source: str | None = None) -> SchedulerConfig:
    docs = documents(text, source=source)
    if len(docs) != 1 or not isinstance(docs[0], Mapping):
        raise InputError("expected one KubeSchedulerConfiguration object", source=source)
    try:
        return _config(docs[0])
    except InputError as error:
        raise error.with_source(source) if source else error from None


def _config(obj: Mapping[str, Any]) -> SchedulerConfig:
    root = Fields(obj, _OWNER)
    if root.string("kind") != "KubeSchedulerConfiguration":
        raise root.error("kind", 'expected "KubeSchedulerConfiguration"')
    if root.string("apiVersion") != API_VERSION:
        raise root.error("apiVersion", f'expected "{API_VERSION}"')
    warnings: list[str] = []
    for key in obj:
        if key not in ("kind", "apiVersion", "profiles", "percentageOfNodesToScore"):
            warnings.append(f"{_OWNER}: {brief(str(key))} is not modelled; ignored")
    profiles = [_profile(p, warnings) for p in root.items("profiles")] or [DEFAULT_PROFILE]
    names = [p.scheduler_name for p in profiles]
    for index, name in enumerate(names):
        if name in names[:index]:
            raise root.error(f"profiles[{index}].schedulerName", f'"{name}" appears twice')
    return SchedulerConfig(tuple(profiles), tuple(warnings))


def _profile(fields: Fields, warnings: list[str]) -> Profile:
    name = fields.string("schedulerName", DEFAULT_SCHEDULER)
    if not name:
        raise fields.error("schedulerName", "must not be empty")
    plugins = fields.child("plugins")
    multipoint = _merge(list(_DEFAULT_PLUGINS), plugins.child("multiPoint"), warnings)
    filters = _filters(multipoint, plugins.child("filter"), warnings)
    post = plugins.child("postFilter")
    post_disabled = {p.string("name") for p in post.items("disabled")}
    preemption = (
        "DefaultPreemption" in multipoint
        and "DefaultPreemption" not in post_disabled
        and "*" not in post_disabled
    ) or any(p.string("name") == "DefaultPreemption" for p in post.items("enabled"))
    for point in plugins.data:
        if point not in ("multiPoint", "filter", "postFilter"):
            warnings.append(
                f"{fields.where('plugins')}.{brief(str(point))}: "
                "extension point not modelled; ignored"
            )
    profile = Profile(scheduler_name=name, filters=filters, preemption=preemption)
    seen: set[str] = set()
    for index, entry in enumerate(fields.items("pluginConfig")):
        plugin = entry.string("name")
        if plugin in seen:
            raise fields.error(f"pluginConfig[{index}].name", f'"{brief(plugin)}" appears twice')
        seen.add(plugin)
        args = entry.child("args")
        reader = _ARGS.get(plugin)
        if reader is None:
            warnings.append(
                f"{entry.where('args')}: arguments of {brief(plugin)} are not modelled; ignored"
            )
            continue
        profile = reader(profile, args, warnings)
    return profile


def _merge(defaults: list[str], custom: Fields, warnings: list[str]) -> list[str]:
    """``mergePluginSet``: drop disabled defaults ("*": all), keep the rest in order,
    then append the enabled plugins that were not defaults already."""
    disabled = {d.string("name") for d in custom.items("disabled")}
    merged = [] if "*" in disabled else [p for p in defaults if p not in disabled]
    for entry in custom.items("enabled"):
        name = entry.string("name")
        if name not in merged:
            merged.append(name)
    for name in merged:
        if name not in _KNOWN_PLUGINS:
            warnings.append(
                f"plugin {brief(name)} is not modelled (not an in-tree plugin); ignored"
            )
    return merged


def _filters(multipoint: list[str], point: Fields, warnings: list[str]) -> tuple[str, ...]:
    """The Filter extension point: plugins named under ``filter.enabled`` first, in that
    order, then the multiPoint plugins that filter, without ``filter.disabled``."""
    disabled = {d.string("name") for d in point.items("disabled")}
    explicit = [e.string("name") for e in point.items("enabled")]
    for name in explicit:
        if name not in FILTER_PLUGINS:
            warnings.append(f"filter plugin {brief(name)} is not modelled; it is taken to pass")
    from_multipoint = [
        p
        for p in multipoint
        if p in FILTER_PLUGINS and p not in explicit and "*" not in disabled and p not in disabled
    ]
    ordered = [p for p in explicit if p in FILTER_PLUGINS] + from_multipoint
    return tuple(dict.fromkeys(ordered))


def _fit_args(profile: Profile, args: Fields, warnings: list[str]) -> Profile:
    _only(args, ("ignoredResources", "ignoredResourceGroups", "scoringStrategy"))
    ignored = args.strings("ignoredResources")
    for index, name in enumerate(ignored):
        problem = label_key_problem(name)
        if problem:
            raise args.error(f"ignoredResources[{index}]", problem)
    groups = args.strings("ignoredResourceGroups")
    for index, group in enumerate(groups):
        if "/" in group:
            raise args.error(
                f"ignoredResourceGroups[{index}]", "resource group name can't contain '/'"
            )
    scoring = profile.scoring
    if args.has("scoringStrategy"):
        scoring = _scoring(args.child("scoringStrategy"))
    return replace(
        profile,
        ignored_resources=frozenset(ignored),
        ignored_resource_groups=frozenset(groups),
        scoring=scoring,
    )


def _scoring(fields: Fields) -> ScoringStrategy:
    _only(fields, ("type", "resources", "requestedToCapacityRatio"))
    kind = fields.choice("type", _STRATEGIES, "LeastAllocated")
    resources = []
    for entry in fields.items("resources"):
        weight = entry.integer("weight", 1)
        assert weight is not None
        if not 1 <= weight <= 100:
            raise entry.error(
                "weight", f"resource weight of {entry.string('name')} not in valid range [1, 100]"
            )
        resources.append((_required_string(entry, "name"), weight))
    shape: list[tuple[int, int]] = []
    if kind == "RequestedToCapacityRatio":
        for entry in fields.child("requestedToCapacityRatio").items("shape"):
            utilization = entry.integer("utilization", 0)
            score = entry.integer("score", 0)
            assert utilization is not None
            assert score is not None
            if not 0 <= utilization <= 100:
                raise entry.error("utilization", "not in valid range [0, 100]")
            if not 0 <= score <= 10:
                raise entry.error("score", "not in valid range [0, 10]")
            if shape and utilization <= shape[-1][0]:
                raise entry.error("utilization", "values must be sorted in increasing order")
            shape.append((utilization, score))
        if not shape:
            raise fields.error("requestedToCapacityRatio.shape", "at least one point is required")
    return ScoringStrategy(kind, tuple(resources) or ScoringStrategy().resources, tuple(shape))


def _affinity_args(profile: Profile, args: Fields, warnings: list[str]) -> Profile:
    _only(args, ("addedAffinity",))
    added = args.child("addedAffinity")
    if added.has("preferredDuringSchedulingIgnoredDuringExecution"):
        warnings.append(
            f"{added.where('preferredDuringSchedulingIgnoredDuringExecution')}: scoring is not "
            "modelled; ignored"
        )
    if not added.has("requiredDuringSchedulingIgnoredDuringExecution"):
        return profile
    problems: list[str] = []
    selector = node_selector(
        added.child("requiredDuringSchedulingIgnoredDuringExecution"), problems
    )
    if problems:
        # Upstream refuses to start the plugin when its added affinity does not parse.
        raise InputError(problems[0].split("; kube-scheduler")[0])
    return replace(profile, added_affinity=selector)


def _preemption_args(profile: Profile, args: Fields, warnings: list[str]) -> Profile:
    _only(args, ("minCandidateNodesPercentage", "minCandidateNodesAbsolute"))
    percentage = args.integer("minCandidateNodesPercentage", 10)
    absolute = args.integer("minCandidateNodesAbsolute", 100)
    assert percentage is not None
    assert absolute is not None
    if not 0 <= percentage <= 100:
        raise args.error("minCandidateNodesPercentage", "not in valid range [0, 100]")
    if absolute < 0:
        raise args.error("minCandidateNodesAbsolute", "not in valid range [0, inf)")
    if percentage == 0 and absolute == 0:
        raise args.error(
            None,
            "both minCandidateNodesPercentage and minCandidateNodesAbsolute cannot be zero",
        )
    return replace(
        profile, min_candidate_nodes_percentage=percentage, min_candidate_nodes_absolute=absolute
    )


def _spread_args(profile: Profile, args: Fields, warnings: list[str]) -> Profile:
    _only(args, ("defaultConstraints", "defaultingType"))
    defaulting = args.choice("defaultingType", ("System", "List"), "System")
    for index, c in enumerate(args.items("defaultConstraints")):
        if c.has("labelSelector"):
            raise args.error(
                f"defaultConstraints[{index}].labelSelector",
                "constraints must not define a selector, as they deduce them from the Pod",
            )
    constraints = spread_constraints(args, "defaultConstraints")
    if defaulting == "System" and constraints:
        raise args.error("defaultConstraints", 'must be empty when .defaultingType is "System"')
    seen: set[tuple[str, str]] = set()
    for index, constraint in enumerate(constraints):
        key = (constraint.topology_key, constraint.when_unsatisfiable)
        if key in seen:
            raise args.error(f"defaultConstraints[{index}]", f"duplicate {{{key[0]}, {key[1]}}}")
        seen.add(key)
    return replace(profile, default_constraints=constraints, defaulting_type=defaulting)


def _only(fields: Fields, allowed: tuple[str, ...]) -> None:
    """Strict decoding, as kube-scheduler's: an argument it does not know is an error."""
    for key in fields.data:
        if key not in allowed:
            raise fields.error(str(key), f"unknown field; expected one of {', '.join(allowed)}")


def _required_string(fields: Fields, key: str) -> str:
    value = fields.string(key)
    if not value:
        raise fields.error(key, "missing")
    return value


_ARGS = {
    "NodeResourcesFit": _fit_args,
    "NodeAffinity": _affinity_args,
    "DefaultPreemption": _preemption_args,
    "PodTopologySpread": _spread_args,
}
