"""Reading manifests as ``kubectl get -o yaml`` (or ``-o json``) writes them.

A file holds one or more YAML documents (or one JSON value); each is an object or a
``kind: List`` of objects. Nodes, Pods, PriorityClasses, PodDisruptionBudgets and
Namespaces are read; other kinds are skipped with a warning. Every problem raises
:class:`~fmlab.core.errors.InputError` naming the object and the field path.

>>> text = '''
... apiVersion: v1
... kind: Pod
... metadata: {name: web-1}
... spec:
...   containers:
...   - name: app
...     resources: {requests: {cpu: 5 cores}}
... '''
>>> try:
...     parse_manifests(text, source="web.yaml")
... except InputError as error:
...     print(error.pointer, "|", error.message)
Pod default/web-1: spec.containers[0].resources.requests.cpu | invalid quantity "5 cores"
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from fmlab.core.errors import InputError
from fmlab.core.jsonio import loads_strict
from fmlab.k8s._bulk import paused_garbage_collection
from fmlab.k8s._fastpods import read_plain_pod
from fmlab.k8s._fields import Fields
from fmlab.k8s._model import (
    NEVER,
    PREEMPT_LOWER_PRIORITY,
    Condition,
    Namespace,
    Node,
    Pod,
    PodAffinityTerm,
    PodDisruptionBudget,
    PriorityClass,
    TopologySpreadConstraint,
)
from fmlab.k8s._quantity import parse_quantity, scheduler_amount
from fmlab.k8s._selectors import (
    LABEL_OPERATORS,
    NODE_OPERATORS,
    TAINT_EFFECTS,
    LabelSelector,
    NodeSelector,
    NodeSelectorTerm,
    Requirement,
    Taint,
    Toleration,
)

_KINDS = {
    "Node": ("v1",),
    "Pod": ("v1",),
    "Namespace": ("v1",),
    "PriorityClass": ("scheduling.k8s.io/v1",),
    "PodDisruptionBudget": ("policy/v1",),
}
_POLICIES = (PREEMPT_LOWER_PRIORITY, NEVER)


@dataclass(frozen=True)
class Manifests:
    """Everything read from the input files, in input order, plus skip warnings."""

    nodes: tuple[Node, ...] = ()
    pods: tuple[Pod, ...] = ()
    priority_classes: tuple[PriorityClass, ...] = ()
    pdbs: tuple[PodDisruptionBudget, ...] = ()
    namespaces: tuple[Namespace, ...] = ()
    warnings: tuple[str, ...] = field(default=())


# --- documents -------------------------------------------------------------------------


class _StrictLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML that refuses a repeated key, as the API server's strict decoding does."""


def _mapping_without_duplicates(loader: Any, node: Any, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise InputError(f'duplicate key "{key}"', line=mark.line + 1, column=mark.column + 1)
        seen[key] = loader.construct_object(value_node, deep=deep)
    return seen


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def documents(text: str, *, source: str | None = None) -> list[Any]:
    """The documents in ``text``: one JSON value, or every YAML document (empty ones dropped)."""
    if text.lstrip().startswith(("{", "[")):
        value = loads_strict(text, source=source)
        return value if isinstance(value, list) else [value]
    try:
        loaded = list(yaml.load_all(text, Loader=_StrictLoader))
    except InputError as error:
        raise error.with_source(source or "<input>") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise InputError(
            f"invalid YAML: {error.problem}", source=source, line=line, column=column
        ) from None
    except yaml.YAMLError as error:
        raise InputError(f"invalid YAML: {error}", source=source) from None
    return [doc for doc in loaded if doc is not None]


def _objects(
    docs: Iterable[Any], source: str | None
) -> Iterator[tuple[tuple[int, int | None], Mapping[str, Any]]]:
    """Every object, with its position: (document number, index in its ``items`` or None).

    Positions stay numbers until a warning needs them as text (:func:`_where`): a
    cluster's List has 150,000 items, and formatting each position cost more than
    reading most of them.
    """
    for index, doc in enumerate(docs, start=1):
        if not isinstance(doc, Mapping):
            raise InputError(
                "expected a Kubernetes object (a mapping)",
                source=source,
                pointer=_where((index, None)),
            )
        kind = doc.get("kind")
        if isinstance(kind, str) and kind.endswith("List") and "items" in doc:
            items = doc.get("items") or []
            if not isinstance(items, list):
                raise InputError(
                    "items: expected a list", source=source, pointer=_where((index, None))
                )
            for item_index, item in enumerate(items):
                if type(item) is not dict and not isinstance(item, Mapping):
                    raise InputError(
                        "expected a Kubernetes object",
                        source=source,
                        pointer=_where((index, item_index)),
                    )
                yield (index, item_index), item
        else:
            yield (index, None), doc


def _where(position: tuple[int, int | None]) -> str:
    """``document 2``, or ``document 1 items[3]``."""
    index, item_index = position
    where = f"document {index}"
    return where if item_index is None else f"{where} items[{item_index}]"


# --- objects ---------------------------------------------------------------------------


def parse_manifests(text: str, *, source: str | None = None) -> Manifests:
    """Read every supported object in ``text``."""
    return from_documents(documents(text, source=source), source=source)


def from_documents(docs: Iterable[Any], *, source: str | None = None) -> Manifests:
    """Read every supported object in already-parsed documents (objects or ``kind: List``)."""
    return _collect(_objects(docs, source), source)


def load_manifests(paths: Iterable[str | Path]) -> Manifests:
    """Read and merge manifest files (``-`` is standard input)."""
    return _merge([parse_manifests(_read(str(path)), source=str(path)) for path in paths])


def _read(name: str) -> str:
    if name == "-":
        import sys

        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", source=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a manifest file", source=name) from None
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", source=name) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", source=name) from None


def _merge(parts: list[Manifests]) -> Manifests:
    merged = Manifests(
        nodes=tuple(n for p in parts for n in p.nodes),
        pods=tuple(x for p in parts for x in p.pods),
        priority_classes=tuple(x for p in parts for x in p.priority_classes),
        pdbs=tuple(x for p in parts for x in p.pdbs),
        namespaces=tuple(x for p in parts for x in p.namespaces),
        warnings=tuple(w for p in parts for w in p.warnings),
    )
    _check_unique(merged, None)
    return merged


def _collect(
    objects: Iterable[tuple[tuple[int, int | None], Mapping[str, Any]]], source: str | None
) -> Manifests:
    nodes: list[Node] = []
    pods: list[Pod] = []
    classes: list[PriorityClass] = []
    pdbs: list[PodDisruptionBudget] = []
    namespaces: list[Namespace] = []
    warnings: list[str] = []
    prefix = f"{source}: " if source else ""
    add_pod = pods.append
    # Reading allocates some ten objects per pod, all kept: the cyclic garbage collector
    # would rescan the growing heap again and again for nothing, so it waits.
    with paused_garbage_collection():
        for position, obj in objects:
            kind = obj.get("kind")
            api_version = obj.get("apiVersion")
            if kind == "Pod" and api_version == "v1":
                # Most objects are pods: the plain ones take the fast reader.
                pod = read_plain_pod(obj)
                if pod is not None:
                    add_pod(pod)
                    continue
            if not isinstance(kind, str) or kind not in _KINDS:
                warnings.append(
                    f"{prefix}{_where(position)}: skipped kind {kind!r} ({api_version})"
                )
                continue
            if api_version not in _KINDS[kind]:
                warnings.append(
                    f"{prefix}{_where(position)}: skipped {kind} with apiVersion {api_version!r}"
                )
                continue
            try:
                if kind == "Node":
                    node, warning = _node(obj)
                    nodes.append(node)
                    if warning:
                        warnings.append(f"{prefix}{warning}")
                elif kind == "Pod":
                    add_pod(_pod(obj))
                elif kind == "PriorityClass":
                    classes.append(_priority_class(obj))
                elif kind == "PodDisruptionBudget":
                    pdbs.append(_pdb(obj))
                else:
                    namespaces.append(_namespace(obj))
            except InputError as error:
                raise error.with_source(source) if source else error from None
    manifests = Manifests(
        tuple(nodes), tuple(pods), tuple(classes), tuple(pdbs), tuple(namespaces), tuple(warnings)
    )
    _check_unique(manifests, source)
    return manifests


_NAME = operator.attrgetter("name")
_KEY = operator.attrgetter("key")


def _check_unique(manifests: Manifests, source: str | None) -> None:
    groups: list[tuple[str, Sequence[Any], Callable[[Any], str]]] = [
        ("Node", manifests.nodes, _NAME),
        ("Pod", manifests.pods, _KEY),
        ("PriorityClass", manifests.priority_classes, _NAME),
        ("PodDisruptionBudget", manifests.pdbs, _KEY),
        ("Namespace", manifests.namespaces, _NAME),
    ]
    for kind, objects, name_of in groups:
        if len(set(map(name_of, objects))) == len(objects):
            continue  # the common case, decided by one set built in C
        seen: set[str] = set()
        for name in map(name_of, objects):
            if name in seen:
                raise InputError(f"{kind} {name} appears twice", source=source)
            seen.add(name)


def _metadata(obj: Mapping[str, Any], kind: str, *, namespaced: bool) -> tuple[Fields, str, str]:
    root = Fields(obj, kind)
    meta = root.child("metadata")
    name = meta.string("name")
    if not name:
        raise meta.error("name", "missing")
    namespace = meta.string("namespace", "default") if namespaced else ""
    owner = f"{kind} {namespace}/{name}" if namespaced else f"{kind} {name}"
    return Fields(obj, owner), name, namespace


def _node(obj: Mapping[str, Any]) -> tuple[Node, str | None]:
    root, name, _ = _metadata(obj, "Node", namespaced=False)
    spec = root.child("spec")
    taints = tuple(
        Taint(
            key=_required(t, "key"),
            value=t.string("value"),
            effect=t.choice("effect", TAINT_EFFECTS, ""),
        )
        for t in spec.items("taints")
    )
    status = root.child("status")
    warning = None
    if not status.has("allocatable"):
        warning = f"Node {name}: status.allocatable is missing, so no pod fits on it"
    allocatable = _resources(status.child("allocatable"))
    node = Node(
        name=name,
        labels=root.child("metadata").string_map("labels"),
        taints=taints,
        unschedulable=spec.boolean("unschedulable"),
        allocatable=allocatable,
    )
    return node, warning


def _required(fields: Fields, key: str) -> str:
    value = fields.string(key)
    if not value:
        raise fields.error(key, "missing")
    return value


def _resources(fields: Fields) -> dict[str, int]:
    return {name: scheduler_amount(name, value) for name, value in _exact_resources(fields).items()}


def _exact_resources(fields: Fields) -> dict[str, Fraction]:
    result: dict[str, Fraction] = {}
    for name, raw in fields.data.items():
        try:
            value = _cached_quantity(raw) if isinstance(raw, str) else parse_quantity(raw)
        except ValueError as error:
            raise fields.error(str(name), str(error)) from None
        if value < 0:
            raise fields.error(str(name), f"must not be negative, got {raw}")
        result[str(name)] = value
    return result


@functools.lru_cache(maxsize=4096)
def _cached_quantity(raw: str) -> Fraction:
    # A cluster repeats a handful of spellings ("100m", "512Mi") across all its pods.
    return parse_quantity(raw)


@functools.lru_cache(maxsize=4096)
def _cached_amount(resource: str, raw: str) -> int | None:
    """The scheduler's integer for a quantity spelling, or None if it is not a valid request."""
    try:
        value = parse_quantity(raw)
    except ValueError:
        return None
    return scheduler_amount(resource, value) if value >= 0 else None


def _single_container_amounts(container: Fields) -> dict[str, int] | None:
    """Requests of a lone container from cached spellings; None means: take the slow path."""
    resources = container.data.get("resources")
    if not resources:
        return {}
    if type(resources) is not dict:
        return None
    merged: dict[str, Any] = {}
    for section in ("limits", "requests"):  # requests win; limits only fill gaps
        values = resources.get(section)
        if values is None:
            continue
        if type(values) is not dict:
            return None
        merged.update(values)
    amounts: dict[str, int] = {}
    for name, raw in merged.items():
        if type(raw) is not str:
            return None
        amount = _cached_amount(str(name), raw)
        if amount is None:
            return None
        if amount > 0:
            amounts[str(name)] = amount
    return amounts


def _container_requests(container: Fields) -> dict[str, Fraction]:
    resources = container.child("resources")
    requests = _exact_resources(resources.child("requests"))
    # The API server defaults a missing request to the limit, container by container.
    for name, limit in _exact_resources(resources.child("limits")).items():
        requests.setdefault(name, limit)
    return requests


def _add(total: dict[str, Fraction], extra: Mapping[str, Fraction]) -> None:
    for name, value in extra.items():
        total[name] = total.get(name, Fraction(0)) + value


def _pod_requests(spec: Fields) -> dict[str, int]:
    """What the pod asks of a node: containers plus sidecars, or the largest init step."""
    containers = list(spec.items("containers"))
    if len(containers) == 1 and not spec.has("initContainers") and not spec.has("overhead"):
        # The common case: one container, nothing to add up.
        fast = _single_container_amounts(containers[0])
        if fast is not None:
            return fast
        only = _container_requests(containers[0])
        return {name: scheduler_amount(name, value) for name, value in only.items() if value > 0}
    regular: dict[str, Fraction] = {}
    for container in containers:
        _add(regular, _container_requests(container))
    sidecars: dict[str, Fraction] = {}
    init_peak: dict[str, Fraction] = {}
    for container in spec.items("initContainers"):
        requests = _container_requests(container)
        if container.string("restartPolicy") == "Always":
            _add(sidecars, requests)
            continue
        # A plain init container runs next to the sidecars started before it.
        step = dict(sidecars)
        _add(step, requests)
        for name, value in step.items():
            init_peak[name] = max(init_peak.get(name, Fraction(0)), value)
    total = dict(regular)
    _add(total, sidecars)
    for name, value in init_peak.items():
        total[name] = max(total.get(name, Fraction(0)), value)
    _add(total, _exact_resources(spec.child("overhead")))
    return {name: scheduler_amount(name, value) for name, value in total.items() if value > 0}


def _label_selector(fields: Fields, key: str) -> LabelSelector | None:
    if not fields.has(key):
        return None
    selector = fields.child(key)
    return LabelSelector(
        tuple(sorted(selector.string_map("matchLabels").items())),
        tuple(_requirement(r, LABEL_OPERATORS) for r in selector.items("matchExpressions")),
    )


def _requirement(fields: Fields, operators: tuple[str, ...]) -> Requirement:
    operator = fields.string("operator")
    if operator not in operators:
        expected = ", ".join(operators)
        raise fields.error("operator", f'expected one of {expected}, got "{operator}"')
    values = fields.strings("values")
    if operator in ("In", "NotIn") and not values:
        raise fields.error("values", f"must not be empty for operator {operator}")
    if operator in ("Exists", "DoesNotExist") and values:
        raise fields.error("values", f"must be empty for operator {operator}")
    if operator in ("Gt", "Lt") and (len(values) != 1 or not values[0].lstrip("-").isdigit()):
        raise fields.error("values", f"operator {operator} needs exactly one integer")
    return Requirement(_required(fields, "key"), operator, values)


def _node_selector(fields: Fields) -> NodeSelector:
    terms = []
    for term in fields.items("nodeSelectorTerms"):
        terms.append(
            NodeSelectorTerm(
                tuple(_requirement(r, NODE_OPERATORS) for r in term.items("matchExpressions")),
                tuple(_field_requirement(r) for r in term.items("matchFields")),
            )
        )
    return NodeSelector(tuple(terms))


def _field_requirement(fields: Fields) -> Requirement:
    requirement = _requirement(fields, ("In", "NotIn"))
    if requirement.key != "metadata.name":
        raise fields.error("key", f'only "metadata.name" is supported, got "{requirement.key}"')
    return requirement


def _affinity_terms(fields: Fields, key: str) -> tuple[PodAffinityTerm, ...]:
    terms = []
    for term in fields.child(key).items("requiredDuringSchedulingIgnoredDuringExecution"):
        terms.append(
            PodAffinityTerm(
                label_selector=_label_selector(term, "labelSelector"),
                topology_key=_required(term, "topologyKey"),
                namespaces=term.strings("namespaces"),
                namespace_selector=_label_selector(term, "namespaceSelector"),
            )
        )
    return tuple(terms)


def _spread_constraints(spec: Fields) -> tuple[TopologySpreadConstraint, ...]:
    constraints = []
    for c in spec.items("topologySpreadConstraints"):
        max_skew = c.integer("maxSkew")
        if max_skew is None or max_skew < 1:
            raise c.error("maxSkew", "must be an integer of at least 1")
        min_domains = c.integer("minDomains", 1)
        assert min_domains is not None
        if min_domains < 1:
            raise c.error("minDomains", "must be at least 1")
        constraints.append(
            TopologySpreadConstraint(
                max_skew=max_skew,
                topology_key=_required(c, "topologyKey"),
                when_unsatisfiable=c.choice(
                    "whenUnsatisfiable", ("DoNotSchedule", "ScheduleAnyway"), ""
                )
                if c.has("whenUnsatisfiable")
                else _missing(c, "whenUnsatisfiable"),
                label_selector=_label_selector(c, "labelSelector"),
                min_domains=min_domains,
                node_affinity_policy=c.choice("nodeAffinityPolicy", ("Honor", "Ignore"), "Honor"),
                node_taints_policy=c.choice("nodeTaintsPolicy", ("Honor", "Ignore"), "Ignore"),
                match_label_keys=c.strings("matchLabelKeys"),
            )
        )
    return tuple(constraints)


def _missing(fields: Fields, key: str) -> str:
    raise fields.error(key, "missing")


def _pod(obj: Mapping[str, Any]) -> Pod:
    root, name, namespace = _metadata(obj, "Pod", namespaced=True)
    meta = root.child("metadata")
    spec = root.child("spec")
    status = root.child("status")
    affinity = spec.child("affinity")
    node_affinity = affinity.child("nodeAffinity")
    required_nodes = None
    if node_affinity.has("requiredDuringSchedulingIgnoredDuringExecution"):
        required_nodes = _node_selector(
            node_affinity.child("requiredDuringSchedulingIgnoredDuringExecution")
        )
    tolerations = tuple(
        Toleration(
            key=t.string("key"),
            operator=t.choice("operator", ("Equal", "Exists"), "Equal"),
            value=t.string("value"),
            effect=t.choice("effect", ("", *TAINT_EFFECTS), ""),
        )
        for t in spec.items("tolerations")
    )
    conditions = tuple(
        Condition(c.string("type"), c.string("status"), c.string("reason"))
        for c in status.items("conditions")
    )
    policy = spec.string("preemptionPolicy") or None
    if policy is not None and policy not in _POLICIES:
        raise spec.error("preemptionPolicy", f'expected "{PREEMPT_LOWER_PRIORITY}" or "Never"')
    return Pod(
        namespace=namespace,
        name=name,
        labels=meta.string_map("labels"),
        node_name=spec.string("nodeName"),
        priority_class_name=spec.string("priorityClassName"),
        priority=spec.integer("priority"),
        preemption_policy=policy,
        requests=_pod_requests(spec),
        node_selector=spec.string_map("nodeSelector"),
        node_affinity=required_nodes,
        affinity_terms=_affinity_terms(affinity, "podAffinity"),
        anti_affinity_terms=_affinity_terms(affinity, "podAntiAffinity"),
        tolerations=tolerations,
        spread_constraints=_spread_constraints(spec),
        start_time=status.timestamp("startTime"),
        nominated_node_name=status.string("nominatedNodeName"),
        deletion_timestamp=meta.timestamp("deletionTimestamp"),
        conditions=conditions,
        phase=status.string("phase"),
    )


def parse_pod(obj: Mapping[str, Any]) -> Pod:
    """One Pod manifest (a mapping) as a :class:`~fmlab.k8s._model.Pod`."""
    return _pod(obj)


def _priority_class(obj: Mapping[str, Any]) -> PriorityClass:
    root, name, _ = _metadata(obj, "PriorityClass", namespaced=False)
    value = root.integer("value")
    if value is None:
        raise root.error("value", "missing")
    policy = root.string("preemptionPolicy") or None
    if policy is not None and policy not in _POLICIES:
        raise root.error("preemptionPolicy", f'expected "{PREEMPT_LOWER_PRIORITY}" or "Never"')
    return PriorityClass(name, value, root.boolean("globalDefault"), policy)


def _pdb(obj: Mapping[str, Any]) -> PodDisruptionBudget:
    root, name, namespace = _metadata(obj, "PodDisruptionBudget", namespaced=True)
    status = root.child("status")
    allowed = status.integer("disruptionsAllowed", 0)
    assert allowed is not None
    disrupted = frozenset(str(k) for k in status.child("disruptedPods").data)
    return PodDisruptionBudget(
        namespace=namespace,
        name=name,
        selector=_label_selector(root.child("spec"), "selector"),
        disruptions_allowed=allowed,
        disrupted_pods=disrupted,
    )


def _namespace(obj: Mapping[str, Any]) -> Namespace:
    root, name, _ = _metadata(obj, "Namespace", namespaced=False)
    labels = dict(root.child("metadata").string_map("labels"))
    # The API server labels every namespace with its own name.
    labels.setdefault("kubernetes.io/metadata.name", name)
    return Namespace(name, labels)
