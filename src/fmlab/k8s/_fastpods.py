"""A fast reader for the common shape of a Pod manifest, checked against the full reader.

Large clusters are mostly plain pods: one or more containers with resource requests, a
few labels, the default tolerations, a start time. :func:`read_plain_pod` reads those
with direct dictionary access; anything it does not recognise (affinity, a node selector,
spread constraints, init containers, odd types, invalid values) makes it return None,
and the caller uses the full reader, which also produces the located error messages.
The tests check that both readers agree wherever the fast one answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fmlab.k8s._model import PREEMPT_LOWER_PRIORITY, Condition, Pod
from fmlab.k8s._profile import DEFAULT_SCHEDULER
from fmlab.k8s._quantity import cached_request_amount
from fmlab.k8s._selectors import TAINT_EFFECTS, Toleration

# Spec fields the fast reader understands or that scheduling ignores.
_SPEC_KEYS = frozenset(
    {
        "containers", "nodeName", "priority", "priorityClassName", "preemptionPolicy",
        "tolerations", "restartPolicy", "terminationGracePeriodSeconds", "dnsPolicy",
        "serviceAccountName", "serviceAccount", "securityContext", "schedulerName",
        "enableServiceLinks", "volumes", "hostname", "subdomain", "automountServiceAccountToken",
        "imagePullSecrets",
    }
)  # fmt: skip
# Shared by every plain pod's node selector, as label maps are: Pod mappings are read-only.
_EMPTY: dict[str, str] = {}


def read_plain_pod(obj: Mapping[str, Any]) -> Pod | None:
    """The Pod, if ``obj`` has the plain shape; otherwise None (use the full reader)."""
    meta = obj.get("metadata")
    spec = obj.get("spec")
    status = obj.get("status")
    if status is None:
        status = _EMPTY
    if type(meta) is not dict or type(spec) is not dict or type(status) is not dict:
        return None
    if not _SPEC_KEYS.issuperset(spec) or "deletionTimestamp" in meta:
        return None
    name = meta.get("name")
    namespace = meta.get("namespace", "default")
    if type(name) is not str or not name or type(namespace) is not str:
        return None
    labels = meta.get("labels")
    if labels is None:
        labels = {}
    elif type(labels) is not dict:
        return None
    else:
        labels = _labels(labels)
        if labels is None:
            return None
    # The memos of _requests and _tolerations, tried here first: most pods are like the
    # one before, and a call costs more than the equality test.
    containers = spec.get("containers")
    if (
        type(containers) is list
        and len(containers) == 1
        and type(container := containers[0]) is dict
        and container.get("resources") == _LAST_RESOURCES[0]
    ):
        requests = _LAST_RESOURCES[1]
    else:
        requests = _requests(containers)
        if requests is None:
            return None
    # _requests answered, so there is exactly one container, a mapping.
    ports = containers[0].get("ports")  # type: ignore[index]
    if ports and not _without_host_ports(ports):
        return None  # NodePorts: the full reader reads host ports
    volumes = spec.get("volumes")
    if volumes and not _harmless_volumes(volumes):
        return None  # claims and disks: the full reader reads them
    resized = "containerStatuses" in status or "initContainerStatuses" in status
    if resized and not _no_resize(status):
        return None  # in-place resize: the full reader counts the status
    scheduler = spec.get("schedulerName", "")
    if type(scheduler) is not str:
        return None
    owner = _owner(meta.get("ownerReferences"))
    if owner is None:
        return None
    items = spec.get("tolerations")
    if items is not None and items == _LAST_TOLERATIONS[0]:
        tolerations = _LAST_TOLERATIONS[1]
    else:
        tolerations = _tolerations(items)
        if tolerations is None:
            return None
    node_name = spec.get("nodeName", "")
    class_name = spec.get("priorityClassName", "")
    priority = spec.get("priority")
    policy = spec.get("preemptionPolicy")
    if type(node_name) is not str or type(class_name) is not str:
        return None
    if priority is not None and type(priority) is not int:
        return None
    if policy is not None and policy not in _POLICIES:
        return None
    start = status.get("startTime")
    started = None
    seconds = None
    if start is not None:
        found = _TIMES.get(start) if type(start) is str else None
        if found is None:
            found = _time(start)
            if found is None:
                return None
        started, seconds = found
    nominated = status.get("nominatedNodeName", "")
    phase = status.get("phase", "")
    if type(nominated) is not str or type(phase) is not str:
        return None
    conditions = status.get("conditions")
    if conditions is not None:
        conditions = _conditions(conditions)
        if conditions is None:
            return None
    else:
        conditions = ()
    # Pod(...) without the frozen dataclass's __init__, which sets each of some twenty
    # fields through object.__setattr__ and costs more than reading the manifest. Fields
    # holding their class-level default (None, "", ()) are left out of the instance dict:
    # attribute lookup finds the default on the class, and a dict half the size is built
    # faster and scanned faster by the collector. The tests compare every field (derived
    # ones included) with the full reader's Pod.
    fields = {
        "namespace": namespace,
        "name": name,
        "labels": labels,
        "node_name": node_name,
        "priority": priority,
        "requests": requests,
        "node_selector": _EMPTY,
        "tolerations": tolerations,
        "start_time": started,
        "phase": phase,
        "key": f"{namespace}/{name}",
        "effective_priority": 0 if priority is None else priority,
        "start_seconds": seconds,
    }
    if class_name:
        fields["priority_class_name"] = class_name
    if policy:
        fields["preemption_policy"] = policy
    if nominated:
        fields["nominated_node_name"] = nominated
    if conditions:
        fields["conditions"] = conditions
    if scheduler and scheduler != DEFAULT_SCHEDULER:
        fields["scheduler_name"] = scheduler
    if owner:
        fields["owner"] = owner
    pod = _new(Pod)
    _set(pod, "__dict__", fields)
    return pod


def _without_host_ports(ports: Any) -> bool:
    return type(ports) is list and all(type(p) is dict and not p.get("hostPort") for p in ports)


_HARMLESS = frozenset({"name", "projected", "configMap", "secret", "emptyDir", "downwardAPI"})


def _harmless_volumes(volumes: Any) -> bool:
    """Only volume kinds no filter plugin looks at (projected tokens, config, scratch)."""
    return type(volumes) is list and all(
        type(v) is dict and _HARMLESS.issuperset(v) for v in volumes
    )


def _no_resize(status: dict[str, Any]) -> bool:
    for key in ("containerStatuses", "initContainerStatuses"):
        entries = status.get(key)
        if entries is None:
            continue
        if type(entries) is not list:
            return False
        for entry in entries:
            if type(entry) is not dict or "resources" in entry:
                return False
    return True


def _owner(refs: Any) -> tuple[str, str] | tuple[()] | None:
    """The controlling owner as (kind, name), () without one, None if odd-shaped."""
    if refs is None:
        return ()
    if type(refs) is not list:
        return None
    for ref in refs:
        if type(ref) is not dict:
            return None
        if ref.get("controller") is True:
            kind, name = ref.get("kind"), ref.get("name")
            if type(kind) is not str or type(name) is not str:
                return None
            return (kind, name)
    return ()


_new = object.__new__
_set = object.__setattr__
_POLICIES = (PREEMPT_LOWER_PRIORITY, "Never")
# Pods repeat a handful of request lists, toleration lists and start times, so each
# distinct one is read once. The caches hold only values derived from plain strings
# and numbers, and are emptied when they grow past a bound.
_CACHE_BOUND = 65536
_REQUESTS: dict[tuple[Any, Any], Mapping[str, int] | None] = {}
_TOLERATIONS: dict[tuple[Any, ...], tuple[Toleration, ...] | None] = {}
_TIMES: dict[str, tuple[dt.datetime, float]] = {}
_LABELS: dict[tuple[Any, ...], Mapping[str, str] | None] = {}


def _labels(labels: dict[Any, Any]) -> Mapping[str, str] | None:
    """A checked copy of ``labels``, shared by the pods that carry the same labels."""
    try:
        key = tuple(labels.items())
        found = _LABELS.get(key, _MISSING)
    except TypeError:
        return None  # an unhashable value: not the plain shape
    if found is _MISSING:
        found = dict(labels)
        for name, value in labels.items():
            if type(value) is not str or type(name) is not str:
                found = None
                break
        if len(_LABELS) >= _CACHE_BOUND:
            _LABELS.clear()
        _LABELS[key] = found
    return found  # type: ignore[return-value]


def _time(text: Any) -> tuple[dt.datetime, float] | None:
    if type(text) is not str:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if not parsed.tzinfo:
        parsed = parsed.replace(tzinfo=dt.UTC)
    if len(_TIMES) >= _CACHE_BOUND:
        _TIMES.clear()
    found = _TIMES[text] = (parsed, parsed.timestamp())
    return found


def _requests(containers: Any) -> Mapping[str, int] | None:
    """Requests of a lone container; the mapping is shared by pods asking the same."""
    if type(containers) is not list or len(containers) != 1:
        return None  # several containers add up exactly in the full reader
    container = containers[0]
    if type(container) is not dict:
        return None
    resources = container.get("resources")
    if resources is None:
        return _NO_REQUESTS
    if type(resources) is not dict:
        return None
    # Neighbouring pods usually come from one workload: an equality test in C answers
    # before any key is built.
    last = _LAST_RESOURCES
    if resources == last[0]:
        return last[1]  # type: ignore[no-any-return]
    found = _requests_of(resources)
    if found is not None:
        # A copy, so that a caller changing its manifest later cannot change the memo
        # (sections that are not mappings are left out: the copy then never compares equal).
        snapshot = {k: dict(v) for k, v in resources.items() if type(v) is dict}
        _LAST_RESOURCES[:] = [snapshot, found]
    return found


def _requests_of(resources: dict[str, Any]) -> Mapping[str, int] | None:
    limits = resources.get("limits")
    requests = resources.get("requests")
    try:
        key = (
            None if limits is None else tuple(limits.items()),
            None if requests is None else tuple(requests.items()),
        )
        found = _REQUESTS.get(key, _MISSING)
    except (AttributeError, TypeError):
        return None  # not mappings of hashable values: not the plain shape
    if found is _MISSING:
        if len(_REQUESTS) >= _CACHE_BOUND:
            _REQUESTS.clear()
        found = _REQUESTS[key] = _read_requests(limits, requests)
    return found  # type: ignore[return-value]


_NO_REQUESTS: Mapping[str, int] = {}
# [the last manifest part seen (a copy), what it read as]; the placeholder equals nothing.
_NOTHING_YET = object()
_LAST_RESOURCES: list[Any] = [_NOTHING_YET, None]
_LAST_TOLERATIONS: list[Any] = [_NOTHING_YET, None]
_MISSING = object()


def _read_requests(limits: Any, requests: Any) -> Mapping[str, int] | None:
    merged: dict[str, Any] = {}
    for values in (limits, requests):  # requests win; limits fill gaps
        if values is None:
            continue
        if type(values) is not dict:
            return None
        merged.update(values)
    amounts: dict[str, int] = {}
    for name, raw in merged.items():
        if type(raw) is not str or type(name) is not str:
            return None
        amount = cached_request_amount(name, raw)
        if amount is None:
            return None
        if amount > 0:
            amounts[name] = amount
    return amounts


def _tolerations(items: Any) -> tuple[Toleration, ...] | None:
    if items is None:
        return ()
    if type(items) is not list:
        return None
    last = _LAST_TOLERATIONS
    if items == last[0]:
        return last[1]  # type: ignore[no-any-return]
    found = _tolerations_of(items)
    if found is not None:
        _LAST_TOLERATIONS[:] = [[dict(item) for item in items], found]  # a copy, as above
    return found


def _tolerations_of(items: list[Any]) -> tuple[Toleration, ...] | None:
    try:
        key = tuple([tuple(item.items()) for item in items])
        found = _TOLERATIONS.get(key, _MISSING)
    except (AttributeError, TypeError):
        return None  # not mappings of hashable values: not the plain shape
    if found is _MISSING:
        if len(_TOLERATIONS) >= _CACHE_BOUND:
            _TOLERATIONS.clear()
        found = _TOLERATIONS[key] = _read_tolerations(items)
    return found  # type: ignore[return-value]


def _read_tolerations(items: list[Any]) -> tuple[Toleration, ...] | None:
    result = []
    for item in items:
        if type(item) is not dict:
            return None
        fields = (
            item.get("key", ""),
            item.get("operator", "Equal"),
            item.get("value", ""),
            item.get("effect", ""),
        )
        key, operator, value, effect = fields
        if not all(type(x) is str for x in fields):
            return None
        if operator not in ("Equal", "Exists") or effect not in ("", *TAINT_EFFECTS):
            return None
        result.append(Toleration(key, operator, value, effect))
    return tuple(result)


def _conditions(items: Any) -> tuple[Condition, ...] | None:
    if items is None:
        return ()
    if type(items) is not list:
        return None
    result = []
    for item in items:
        if type(item) is not dict:
            return None
        fields = (item.get("type", ""), item.get("status", ""), item.get("reason", ""))
        if not all(type(x) is str for x in fields):
            return None
        result.append(Condition(*fields))
    return tuple(result)
