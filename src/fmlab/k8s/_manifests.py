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

import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from fmlab.core.errors import InputError
from fmlab.k8s._bulk import paused_garbage_collection
from fmlab.k8s._fastpods import read_plain_pod
from fmlab.k8s._fields import Fields, noting_values
from fmlab.k8s._model import (
    NEVER,
    PREEMPT_LOWER_PRIORITY,
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
from fmlab.k8s._profile import DEFAULT_SCHEDULER
from fmlab.k8s._quantity import (
    cached_quantity,
    cached_request_amount,
    parse_quantity,
    scheduler_amount,
)
from fmlab.k8s._selectors import (
    LABEL_OPERATORS,
    NODE_OPERATORS,
    TAINT_EFFECTS,
    TOLERATION_OPERATORS,
    LabelSelector,
    NodeSelector,
    NodeSelectorTerm,
    Requirement,
    Taint,
    Toleration,
    canonical_int,
    requirement_problem,
)
from fmlab.k8s._storage import Claim, CSINode, StorageClass, Volume
from fmlab.k8s._yamlio import ScalarNotes, brief, documents

_KINDS = {
    "Node": ("v1",),
    "Pod": ("v1",),
    "Namespace": ("v1",),
    "PriorityClass": ("scheduling.k8s.io/v1",),
    "PodDisruptionBudget": ("policy/v1",),
    "Service": ("v1",),
    "ReplicationController": ("v1",),
    "ReplicaSet": ("apps/v1",),
    "StatefulSet": ("apps/v1",),
    "PersistentVolumeClaim": ("v1",),
    "PersistentVolume": ("v1",),
    "StorageClass": ("storage.k8s.io/v1",),
    "CSINode": ("storage.k8s.io/v1",),
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
    workloads: tuple[Workload, ...] = ()
    storage: tuple[Claim | Volume | StorageClass | CSINode, ...] = ()


# --- documents -------------------------------------------------------------------------


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


def _quoted(value: object) -> str:
    """A kind or apiVersion for a warning: quoted if a string, bounded whatever it is."""
    return f"'{brief(value)}'" if isinstance(value, str) else brief(value)


def _where(position: tuple[int, int | None]) -> str:
    """``document 2``, or ``document 1 items[3]``."""
    index, item_index = position
    where = f"document {index}"
    return where if item_index is None else f"{where} items[{item_index}]"


# --- objects ---------------------------------------------------------------------------


def parse_manifests(text: str, *, source: str | None = None) -> Manifests:
    """Read every supported object in ``text``."""
    notes: ScalarNotes = {}
    return from_documents(documents(text, source=source, notes=notes), source=source, notes=notes)


def from_documents(
    docs: Iterable[Any], *, source: str | None = None, notes: ScalarNotes | None = None
) -> Manifests:
    """Read every supported object in already-parsed documents (objects or ``kind: List``).

    ``notes`` (from :func:`~fmlab.k8s._yamlio.documents`) gives the line of each label or
    selector value that was not a string in the YAML source, for its warning.
    """
    return _collect(_objects(docs, source), source, notes)


def load_manifests(paths: Iterable[str | Path]) -> Manifests:
    """Read and merge manifest files (``-`` is standard input)."""
    return _merge([parse_manifests(read_text(str(path)), source=str(path)) for path in paths])


def read_text(name: str) -> str:
    """The text of a manifest or events file (``-`` is standard input), or a located error."""
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
        workloads=tuple(x for p in parts for x in p.workloads),
        storage=tuple(x for p in parts for x in p.storage),
    )
    _check_unique(merged, None)
    return merged


def _collect(
    objects: Iterable[tuple[tuple[int, int | None], Mapping[str, Any]]],
    source: str | None,
    notes: ScalarNotes | None = None,
) -> Manifests:
    nodes: list[Node] = []
    pods: list[Pod] = []
    classes: list[PriorityClass] = []
    pdbs: list[PodDisruptionBudget] = []
    namespaces: list[Namespace] = []
    workloads: list[Workload] = []
    storage: list[Claim | Volume | StorageClass | CSINode] = []
    warnings: list[str] = []
    prefix = f"{source}: " if source else ""
    add_pod = pods.append
    # Reading allocates some ten objects per pod, all kept: the cyclic garbage collector
    # would rescan the growing heap again and again for nothing, so it waits.
    found: list[str] = []
    with paused_garbage_collection(), noting_values(notes or {}, found):
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
                where = _where(position)
                warnings.append(
                    f"{prefix}{where}: skipped kind {_quoted(kind)} ({brief(api_version)})"
                )
                continue
            if api_version not in _KINDS[kind]:
                where = _where(position)
                warnings.append(
                    f"{prefix}{where}: skipped {kind} with apiVersion {_quoted(api_version)}"
                )
                continue
            try:
                if kind == "Node":
                    node, warning = _node(obj)
                    nodes.append(node)
                    if warning:
                        warnings.append(f"{prefix}{warning}")
                elif kind == "Pod":
                    add_pod(_pod(obj, found))
                elif kind == "PriorityClass":
                    classes.append(_priority_class(obj))
                elif kind == "PodDisruptionBudget":
                    pdbs.append(_pdb(obj))
                elif kind in _WORKLOADS:
                    workloads.append(_workload(obj, kind))
                elif kind in _STORAGE:
                    storage.append(_STORAGE[kind](obj, found))
                else:
                    namespaces.append(_namespace(obj))
            except InputError as error:
                raise error.with_source(source) if source else error from None
            if found:
                warnings.extend(f"{prefix}{w}" for w in found)
                found.clear()
    manifests = Manifests(
        tuple(nodes),
        tuple(pods),
        tuple(classes),
        tuple(pdbs),
        tuple(namespaces),
        tuple(warnings),
        tuple(workloads),
        tuple(storage),
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
            value = cached_quantity(raw) if isinstance(raw, str) else parse_quantity(raw)
        except ValueError as error:
            raise fields.error(str(name), str(error)) from None
        if value < 0:
            raise fields.error(str(name), f"must not be negative, got {raw}")
        result[str(name)] = value
    return result


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
        amount = cached_request_amount(str(name), raw)
        if amount is None:
            return None
        if amount > 0:
            amounts[str(name)] = amount
    return amounts


def _container_requests(
    container: Fields, statuses: Mapping[str, Fields] | None = None, infeasible: bool = False
) -> dict[str, Fraction]:
    """A container's requests (a missing request defaults to the limit, as the API server
    defaults it). With in-place resize, a container whose status reports ``resources``
    counts the largest of its spec, its status and ``allocatedResources`` per resource (only
    the status and allocation once a resize is marked infeasible), as the scheduler does."""
    resources = container.child("resources")
    requests = _exact_resources(resources.child("requests"))
    for name, limit in _exact_resources(resources.child("limits")).items():
        requests.setdefault(name, limit)
    status = None if statuses is None else statuses.get(container.string("name"))
    if status is not None and status.has("resources"):
        reported = _exact_resources(status.child("resources").child("requests"))
        allocated = _exact_resources(status.child("allocatedResources"))
        merged = {} if infeasible else dict(requests)
        for source in (reported, allocated):
            for name, value in source.items():
                merged[name] = max(merged.get(name, Fraction(0)), value)
        return merged
    return requests


def _add(total: dict[str, Fraction], extra: Mapping[str, Fraction]) -> None:
    for name, value in extra.items():
        total[name] = total.get(name, Fraction(0)) + value


_POD_LEVEL = ("cpu", "memory")


def _pod_level_resource(name: str) -> bool:
    return name in _POD_LEVEL or name.startswith("hugepages-")


def _pod_requests(spec: Fields, status: Fields) -> dict[str, int]:
    """What the pod asks of a node: containers plus sidecars, or the largest init step;
    pod-level ``spec.resources`` replaces that for cpu, memory and huge pages; then the
    overhead. Bound pods being resized count as :func:`_container_requests` says."""
    statuses = {
        c.string("name"): c
        for key in ("containerStatuses", "initContainerStatuses")
        for c in status.items(key)
    }
    infeasible = any(
        c.string("type") == "PodResizePending" and c.string("reason") == "Infeasible"
        for c in status.items("conditions")
    )
    containers = list(spec.items("containers"))
    simple = not statuses and not spec.has("resources")
    if (
        len(containers) == 1
        and not spec.has("initContainers")
        and not spec.has("overhead")
        and simple
    ):
        # The common case: one container, nothing to add up.
        fast = _single_container_amounts(containers[0])
        if fast is not None:
            return fast
        only = _container_requests(containers[0])
        return {name: scheduler_amount(name, value) for name, value in only.items() if value > 0}
    regular: dict[str, Fraction] = {}
    for container in containers:
        _add(regular, _container_requests(container, statuses, infeasible))
    sidecars: dict[str, Fraction] = {}
    init_peak: dict[str, Fraction] = {}
    for container in spec.items("initContainers"):
        if container.string("restartPolicy") == "Always":
            _add(sidecars, _container_requests(container, statuses, infeasible))
            continue
        # A plain init container runs next to the sidecars started before it.
        step = dict(sidecars)
        _add(step, _container_requests(container))
        for name, value in step.items():
            init_peak[name] = max(init_peak.get(name, Fraction(0)), value)
    total = dict(regular)
    _add(total, sidecars)
    for name, value in init_peak.items():
        total[name] = max(total.get(name, Fraction(0)), value)
    pod_level = spec.child("resources")
    pod_requests = _exact_resources(pod_level.child("requests"))
    for name, limit in _exact_resources(pod_level.child("limits")).items():
        pod_requests.setdefault(name, limit)  # defaulted from the pod-level limit
    for name, value in pod_requests.items():
        if _pod_level_resource(name):
            total[name] = value
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
    """A requirement as the API server validates it (the errors it would reject)."""
    operator = fields.string("operator")
    if operator not in operators:
        expected = ", ".join(operators)
        raise fields.error("operator", f'expected one of {expected}, got "{brief(operator)}"')
    values = fields.strings("values")
    if operator in ("In", "NotIn") and not values:
        raise fields.error("values", f"must not be empty for operator {operator}")
    if operator in ("Exists", "DoesNotExist") and values:
        raise fields.error("values", f"must be empty for operator {operator}")
    if operator in ("Gt", "Lt") and len(values) != 1:
        raise fields.error("values", f"operator {operator} needs exactly one value")
    return Requirement(_required(fields, "key"), operator, values)


def _node_selector(fields: Fields, warnings: list[str]) -> NodeSelector:
    """Required node affinity. A term kube-scheduler cannot parse (labels.NewRequirement
    rejects a value the API server let through) matches no node, with a warning."""
    terms = []
    for term in fields.items("nodeSelectorTerms"):
        expressions = tuple(_requirement(r, NODE_OPERATORS) for r in term.items("matchExpressions"))
        names = tuple(_field_requirement(r) for r in term.items("matchFields"))
        problem = ""
        for index, r in enumerate(expressions):
            found = requirement_problem(r.key, r.operator, r.values)
            if found:
                problem = f"{term.where('matchExpressions')}[{index}].{found}"
                break
        if not problem:
            for index, r in enumerate(names):
                if len(r.values) != 1:
                    problem = (
                        f"{term.where('matchFields')}[{index}]: unexpected number of value "
                        f'({len(r.values)}) for node field selector operator "{r.operator}"'
                    )
                    break
        if problem:
            warnings.append(
                f"{problem}; kube-scheduler cannot parse this term, so it matches no node"
            )
        terms.append(NodeSelectorTerm(expressions, names, problem))
    return NodeSelector(tuple(terms))


def _field_requirement(fields: Fields) -> Requirement:
    requirement = _requirement(fields, ("In", "NotIn"))
    if requirement.key != "metadata.name":
        raise fields.error(
            "key", f'only "metadata.name" is supported, got "{brief(requirement.key)}"'
        )
    return requirement


def _toleration(fields: Fields) -> Toleration:
    operator = fields.choice("operator", TOLERATION_OPERATORS, "Equal")
    value = fields.string("value")
    if operator in ("Gt", "Lt") and canonical_int(value) is None:
        raise fields.error(
            "value",
            f'operator {operator} needs a decimal integer in canonical form, got "{brief(value)}"',
        )
    return Toleration(
        key=fields.string("key"),
        operator=operator,
        value=value,
        effect=fields.choice("effect", ("", *TAINT_EFFECTS), ""),
    )


def _affinity_terms(
    fields: Fields, key: str, labels: Mapping[str, str]
) -> tuple[PodAffinityTerm, ...]:
    """Required (anti-)affinity terms; ``matchLabelKeys`` and ``mismatchLabelKeys`` are
    merged into the selector as the API server merges them when the pod is created (``key
    In (the pod's value)``, ``key NotIn (...)``; keys the pod lacks are skipped; a term
    without a selector stays without one). On a pod read back from a cluster the merge is
    already there; doing it again adds an equal requirement and changes nothing."""
    terms = []
    for term in fields.child(key).items("requiredDuringSchedulingIgnoredDuringExecution"):
        selector = _label_selector(term, "labelSelector")
        if selector is not None:
            extra = tuple(
                Requirement(k, op, (labels[k],))
                for field_name, op in (("matchLabelKeys", "In"), ("mismatchLabelKeys", "NotIn"))
                for k in term.strings(field_name)
                if k in labels
            )
            if extra:
                selector = LabelSelector(selector.match_labels, selector.match_expressions + extra)
        terms.append(
            PodAffinityTerm(
                label_selector=selector,
                topology_key=_required(term, "topologyKey"),
                namespaces=term.strings("namespaces"),
                namespace_selector=_label_selector(term, "namespaceSelector"),
            )
        )
    return tuple(terms)


def _spread_constraints(
    spec: Fields, key: str = "topologySpreadConstraints"
) -> tuple[TopologySpreadConstraint, ...]:
    constraints = []
    for c in spec.items(key):
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


def _pod(obj: Mapping[str, Any], warnings: list[str]) -> Pod:
    root, name, namespace = _metadata(obj, "Pod", namespaced=True)
    meta = root.child("metadata")
    spec = root.child("spec")
    status = root.child("status")
    affinity = spec.child("affinity")
    node_affinity = affinity.child("nodeAffinity")
    required_nodes = None
    if node_affinity.has("requiredDuringSchedulingIgnoredDuringExecution"):
        required_nodes = _node_selector(
            node_affinity.child("requiredDuringSchedulingIgnoredDuringExecution"), warnings
        )
    tolerations = tuple(_toleration(t) for t in spec.items("tolerations"))
    conditions = tuple(
        Condition(c.string("type"), c.string("status"), c.string("reason"))
        for c in status.items("conditions")
    )
    policy = spec.string("preemptionPolicy") or None
    if policy is not None and policy not in _POLICIES:
        raise spec.error("preemptionPolicy", f'expected "{PREEMPT_LOWER_PRIORITY}" or "Never"')
    labels = meta.string_map("labels")
    scheduler = spec.string("schedulerName")
    return Pod(
        namespace=namespace,
        name=name,
        labels=labels,
        node_name=spec.string("nodeName"),
        priority_class_name=spec.string("priorityClassName"),
        priority=spec.integer("priority"),
        preemption_policy=policy,
        requests=_pod_requests(spec, status),
        node_selector=spec.string_map("nodeSelector"),
        node_affinity=required_nodes,
        affinity_terms=_affinity_terms(affinity, "podAffinity", labels),
        anti_affinity_terms=_affinity_terms(affinity, "podAntiAffinity", labels),
        tolerations=tolerations,
        spread_constraints=_spread_constraints(spec),
        start_time=status.timestamp("startTime"),
        nominated_node_name=status.string("nominatedNodeName"),
        deletion_timestamp=meta.timestamp("deletionTimestamp"),
        conditions=conditions,
        phase=status.string("phase"),
        host_ports=_host_ports(spec),
        scheduling_gates=tuple(_required(g, "name") for g in spec.items("schedulingGates")),
        scheduler_name="" if scheduler == DEFAULT_SCHEDULER else scheduler,
        volumes=_volumes(spec, root.owner, warnings),
        owner=_controller(meta),
    )


def _host_ports(spec: Fields) -> tuple[HostPort, ...]:
    """``hostPort`` of the containers and of the sidecars (restartable init containers)."""
    found = []
    for key in ("initContainers", "containers"):
        for container in spec.items(key):
            if key == "initContainers" and container.string("restartPolicy") != "Always":
                continue
            for port in container.items("ports"):
                number = port.integer("hostPort", 0)
                if number:
                    found.append(
                        HostPort(
                            number,
                            port.string("protocol") or "TCP",
                            port.string("hostIP") or "0.0.0.0",
                        )
                    )
    return tuple(found)


_DISKS = {
    "gcePersistentDisk": "pdName",
    "awsElasticBlockStore": "volumeID",
    "rbd": "image",
    "iscsi": "iqn",
}
_HARMLESS_VOLUMES = frozenset(
    {"name", "projected", "configMap", "secret", "emptyDir", "downwardAPI", "hostPath"}
)


def _volumes(spec: Fields, owner: str, warnings: list[str]) -> tuple[PodVolume, ...]:
    """Claim volumes (``persistentVolumeClaim``, generic ephemeral volumes, whose claim is
    ``<pod>-<volume>``) and inline disks; other kinds are warned about once per pod."""
    found = []
    pod_name = owner.rpartition("/")[2]
    for volume in spec.items("volumes"):
        name = volume.string("name")
        if volume.has("persistentVolumeClaim"):
            claim = volume.child("persistentVolumeClaim")
            found.append(
                PodVolume(name, _required(claim, "claimName"), read_only=claim.boolean("readOnly"))
            )
        elif volume.has("ephemeral"):
            found.append(PodVolume(name, f"{pod_name}-{name}", ephemeral=True))
        else:
            kind = next((k for k in _DISKS if volume.has(k)), None)
            if kind is not None:
                disk = volume.child(kind)
                ident = disk.string(_DISKS[kind])
                monitors: frozenset[str] = frozenset()
                if kind == "rbd":
                    # The same image is the same pool and name behind a shared monitor; the
                    # API server defaults the pool to "rbd".
                    ident = f"{disk.string('pool') or 'rbd'}/{ident}"
                    monitors = frozenset(disk.strings("monitors"))
                found.append(
                    PodVolume(
                        name,
                        disk=(kind, ident, disk.boolean("readOnly")),
                        monitors=monitors,
                    )
                )
            elif not _HARMLESS_VOLUMES.issuperset(volume.data):
                other = ", ".join(sorted(str(k) for k in volume.data if k not in _HARMLESS_VOLUMES))
                warnings.append(
                    f"{volume.where()}: volume kind {brief(other)} is not modelled by the volume "
                    "plugins; it is taken to fit"
                )
    return tuple(found)


def _controller(meta: Fields) -> tuple[str, str] | tuple[()]:
    for ref in meta.items("ownerReferences"):
        if ref.boolean("controller"):
            return (ref.string("kind"), ref.string("name"))
    return ()


spread_constraints = _spread_constraints
node_selector = _node_selector


def parse_pod(obj: Mapping[str, Any], warnings: list[str] | None = None) -> Pod:
    """One Pod manifest (a mapping) as a :class:`~fmlab.k8s._model.Pod`; what it does not
    model or cannot parse is added to ``warnings``."""
    return _pod(obj, [] if warnings is None else warnings)


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


_WORKLOADS = ("Service", "ReplicationController", "ReplicaSet", "StatefulSet")


def _workload(obj: Mapping[str, Any], kind: str) -> Workload:
    """Only the selector is read: it is what PodTopologySpread's default constraints use."""
    root, name, namespace = _metadata(obj, kind, namespaced=True)
    spec = root.child("spec")
    if kind in ("Service", "ReplicationController"):
        # A plain map of labels (map[string]string).
        selector = LabelSelector.of(spec.string_map("selector")) if spec.has("selector") else None
    else:
        selector = _label_selector(spec, "selector")
    return Workload(kind, namespace, name, selector)


def _storage_amount(fields: Fields, key: str) -> int:
    amounts = _resources(fields)
    return amounts.get(key, 0)


def _claim(obj: Mapping[str, Any], warnings: list[str]) -> Claim:
    root, name, namespace = _metadata(obj, "PersistentVolumeClaim", namespaced=True)
    spec = root.child("spec")
    return Claim(
        namespace,
        name,
        volume_name=spec.string("volumeName"),
        storage_class=spec.string("storageClassName"),
        access_modes=spec.strings("accessModes"),
        request=_storage_amount(spec.child("resources").child("requests"), "storage"),
        phase=root.child("status").string("phase"),
        deleting=root.child("metadata").has("deletionTimestamp"),
    )


def _volume(obj: Mapping[str, Any], warnings: list[str]) -> Volume:
    root, name, _ = _metadata(obj, "PersistentVolume", namespaced=False)
    spec = root.child("spec")
    affinity = spec.child("nodeAffinity")
    selector = None
    if affinity.has("required"):
        selector = _node_selector(affinity.child("required"), warnings)
    ref = spec.child("claimRef")
    claim = (
        f"{ref.string('namespace') or 'default'}/{ref.string('name')}" if ref.has("name") else ""
    )
    csi = spec.child("csi")
    return Volume(
        name,
        labels=root.child("metadata").string_map("labels"),
        node_affinity=selector,
        storage_class=spec.string("storageClassName"),
        claim=claim,
        capacity=_storage_amount(spec.child("capacity"), "storage"),
        access_modes=spec.strings("accessModes"),
        csi_driver=csi.string("driver"),
        handle=csi.string("volumeHandle"),
    )


def _storage_class(obj: Mapping[str, Any], warnings: list[str]) -> StorageClass:
    root, name, _ = _metadata(obj, "StorageClass", namespaced=False)
    topologies = tuple(
        tuple(
            (_required(e, "key"), e.strings("values")) for e in term.items("matchLabelExpressions")
        )
        for term in root.items("allowedTopologies")
    )
    return StorageClass(
        name,
        provisioner=root.string("provisioner"),
        binding_mode=root.choice(
            "volumeBindingMode", ("Immediate", "WaitForFirstConsumer"), "Immediate"
        ),
        allowed_topologies=topologies,
    )


def _csi_node(obj: Mapping[str, Any], warnings: list[str]) -> CSINode:
    root, name, _ = _metadata(obj, "CSINode", namespaced=False)
    limits: dict[str, int | None] = {}
    for driver in root.child("spec").items("drivers"):
        limits[_required(driver, "name")] = driver.child("allocatable").integer("count")
    return CSINode(name, limits)


_STORAGE: dict[
    str, Callable[[Mapping[str, Any], list[str]], Claim | Volume | StorageClass | CSINode]
] = {
    "PersistentVolumeClaim": _claim,
    "PersistentVolume": _volume,
    "StorageClass": _storage_class,
    "CSINode": _csi_node,
}


def _namespace(obj: Mapping[str, Any]) -> Namespace:
    root, name, _ = _metadata(obj, "Namespace", namespaced=False)
    labels = dict(root.child("metadata").string_map("labels"))
    # The API server labels every namespace with its own name.
    labels.setdefault("kubernetes.io/metadata.name", name)
    return Namespace(name, labels)
