"""A fast reader for the common shape of a Pod manifest, checked against the full reader.

Large clusters are mostly plain pods: one or more containers with resource requests, a
few labels, the default tolerations, a start time. :func:`read_plain_pod` reads those
with direct dictionary access; anything it does not recognise (affinity, a node selector,
spread constraints, init containers, odd types, invalid values) makes it return None,
and the caller uses the full reader, which also produces the located error messages.
The tests check that both readers agree wherever the fast one answers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

from fmlab.k8s.model import PREEMPT_LOWER_PRIORITY, Condition, Pod
from fmlab.k8s.quantity import parse_quantity, scheduler_amount
from fmlab.k8s.selectors import TAINT_EFFECTS, Toleration

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
_EMPTY: dict[str, str] = {}


@functools.lru_cache(maxsize=4096)
def _amount(resource: str, raw: str) -> int | None:
    try:
        value = parse_quantity(raw)
    except ValueError:
        return None
    return scheduler_amount(resource, value) if value >= 0 else None


@functools.lru_cache(maxsize=65536)
def _time(text: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _strings(value: Any) -> dict[str, str] | None:
    if value is None:
        return _EMPTY
    if type(value) is not dict:
        return None
    for key, item in value.items():
        if type(item) is not str or type(key) is not str:
            return None
    return value


def read_plain_pod(obj: Mapping[str, Any]) -> Pod | None:
    """The Pod, if ``obj`` has the plain shape; otherwise None (use the full reader)."""
    meta = obj.get("metadata")
    spec = obj.get("spec")
    status = obj.get("status") or _EMPTY
    if type(meta) is not dict or type(spec) is not dict or type(status) is not dict:
        return None
    if not _SPEC_KEYS.issuperset(spec) or "deletionTimestamp" in meta:
        return None
    name = meta.get("name")
    namespace = meta.get("namespace", "default")
    if type(name) is not str or not name or type(namespace) is not str:
        return None
    labels = _strings(meta.get("labels"))
    if labels is None:
        return None
    requests = _requests(spec.get("containers"))
    if requests is None:
        return None
    tolerations = _tolerations(spec.get("tolerations"))
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
    if policy is not None and policy not in (PREEMPT_LOWER_PRIORITY, "Never"):
        return None
    start = status.get("startTime")
    started = None
    if start is not None:
        if type(start) is not str:
            return None
        started = _time(start)
        if started is None:
            return None
    nominated = status.get("nominatedNodeName", "")
    phase = status.get("phase", "")
    if type(nominated) is not str or type(phase) is not str:
        return None
    conditions = _conditions(status.get("conditions"))
    if conditions is None:
        return None
    return _new_pod(
        {
            "namespace": namespace,
            "name": name,
            "labels": dict(labels),
            "node_name": node_name,
            "priority_class_name": class_name,
            "priority": priority,
            "preemption_policy": policy or None,
            "requests": requests,
            "node_selector": {},
            "tolerations": tolerations,
            "start_time": started,
            "nominated_node_name": nominated,
            "conditions": conditions,
            "phase": phase,
        }
    )


def _pod_defaults() -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for spec in dataclasses.fields(Pod):
        if not spec.init:
            continue
        if spec.default is not dataclasses.MISSING:
            defaults[spec.name] = spec.default
        elif spec.default_factory is not dataclasses.MISSING:
            defaults[spec.name] = None  # every such field is given by the reader
    return defaults


_POD_DEFAULTS = _pod_defaults()


def _new_pod(fields: dict[str, Any]) -> Pod:
    """``Pod(**fields)`` with the derived fields, without the frozen dataclass's __init__.

    That __init__ sets each of some twenty fields through ``object.__setattr__``, which
    costs more than reading the manifest; filling ``__dict__`` at once gives the same
    object (the tests compare every attribute, derived ones included).
    """
    values = {**_POD_DEFAULTS, **fields}
    priority = values["priority"]
    started = values["start_time"]
    values["key"] = f"{values['namespace']}/{values['name']}"
    values["effective_priority"] = priority if priority is not None else 0
    values["start_seconds"] = started.timestamp() if started is not None else None
    pod = object.__new__(Pod)
    pod.__dict__.update(values)
    return pod


def _requests(containers: Any) -> dict[str, int] | None:
    if type(containers) is not list or len(containers) != 1:
        return None  # several containers add up exactly in the full reader
    container = containers[0]
    if type(container) is not dict:
        return None
    resources = container.get("resources")
    if resources is None:
        return {}
    if type(resources) is not dict:
        return None
    merged: dict[str, Any] = {}
    for section in ("limits", "requests"):  # requests win; limits fill gaps
        values = resources.get(section)
        if values is None:
            continue
        if type(values) is not dict:
            return None
        merged.update(values)
    amounts: dict[str, int] = {}
    for name, raw in merged.items():
        if type(raw) is not str or type(name) is not str:
            return None
        amount = _amount(name, raw)
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
    fields = []
    for item in items:
        if type(item) is not dict:
            return None
        fields.append(
            (
                item.get("key", ""),
                item.get("operator", "Equal"),
                item.get("value", ""),
                item.get("effect", ""),
            )
        )
    try:
        return _toleration_tuple(tuple(fields))
    except TypeError:
        return None  # an unhashable value: not the plain shape


@functools.lru_cache(maxsize=1024)
def _toleration_tuple(
    fields: tuple[tuple[Any, Any, Any, Any], ...],
) -> tuple[Toleration, ...] | None:
    # Most pods carry the same default tolerations: read each distinct list once.
    result = []
    for key, operator, value, effect in fields:
        if not all(type(x) is str for x in (key, operator, value, effect)):
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
