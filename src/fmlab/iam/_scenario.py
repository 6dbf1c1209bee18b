"""A scenario file: the policies in play and one request, as ``fmlab iam evaluate`` reads it.

``{"policies": {"identity": [...], "resource": [...], "boundary": [...], "scp": [...],
"rcp": [...], "session": [...]}, "request": {...}}``. Each policy is an inline policy
document or a path (relative to the scenario file) to one. An absent list means no
policy of that kind; other top-level keys are ignored (room for notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fmlab.core.errors import InputError
from fmlab.core.jsonio import json_pointer, load_json_file
from fmlab.iam._evaluator import PolicySet
from fmlab.iam._model import Policy, PolicyKind
from fmlab.iam._parser import load_policy, parse_policy
from fmlab.iam._pause import paused_collector
from fmlab.iam._request import Request, parse_request


@dataclass(frozen=True)
class Scenario:
    """Policies and one request to evaluate against them (a scenario file)."""

    policies: PolicySet
    request: Request


def parse_policies(raw: Any, *, source: str | None, base: Path | None) -> PolicySet:
    """Read the ``policies`` object of a scenario."""
    if not isinstance(raw, dict):
        raise InputError("expected an object of policy lists", source=source, pointer="/policies")
    kinds: dict[str, tuple[Policy, ...]] = {}
    for key, items in raw.items():
        path: list[str | int] = ["policies", key]
        try:
            kind = PolicyKind(key)
        except ValueError:
            names = ", ".join(k.value for k in PolicyKind)
            raise InputError(
                f'unknown policy kind "{key}" (expected one of {names})',
                source=source,
                pointer=json_pointer(path),
            ) from None
        if not isinstance(items, list):
            raise InputError(
                "expected a list of policies", source=source, pointer=json_pointer(path)
            )
        parsed = []
        for index, item in enumerate(items):
            item_path = [*path, index]
            if isinstance(item, str):
                file = (base / item) if base is not None else Path(item)
                parsed.append(load_policy(file, kind=kind))
                continue
            try:
                policy = parse_policy(item, source=source, name=f"{key}[{index}]", kind=kind)
            except InputError as error:
                # Re-anchor the pointer inside the scenario document.
                inner = error.pointer if error.pointer not in (None, "/") else ""
                raise InputError(
                    error.message, source=source, pointer=json_pointer(item_path) + (inner or "")
                ) from None
            parsed.append(policy)
        kinds[key] = tuple(parsed)
    return PolicySet(
        identity=kinds.get("identity", ()),
        resource=kinds.get("resource", ()),
        boundary=kinds.get("boundary"),
        scp=kinds.get("scp"),
        rcp=kinds.get("rcp"),
        session=kinds.get("session"),
    )


def parse_scenario(
    document: Any, *, source: str | None = None, base: Path | None = None
) -> Scenario:
    if not isinstance(document, dict):
        raise InputError("expected an object with policies and request", source=source, pointer="/")
    for required in ("policies", "request"):
        if required not in document:
            raise InputError(f'missing "{required}"', source=source, pointer="/")
    policies = parse_policies(document["policies"], source=source, base=base)
    request = parse_request(document["request"], source=source, path=["request"])
    return Scenario(policies, request)


def load_scenario(path: str | Path) -> Scenario:
    name = str(path)
    with paused_collector():  # a 10 MB scenario is a million objects: see _pause
        document = load_json_file(path)
        base = None if name == "-" else Path(name).parent
        return parse_scenario(document, source=name, base=base)


def load_policy_set(path: str, kind: PolicyKind = PolicyKind.IDENTITY) -> PolicySet:
    """A file holding one policy document (attached as ``kind``), or a scenario-like
    ``{"policies": {...}}`` object: a document with ``policies`` and no ``Statement``."""
    document = load_json_file(path)
    base = None if path == "-" else Path(path).parent
    if isinstance(document, dict) and "policies" in document and "Statement" not in document:
        return parse_policies(document["policies"], source=path, base=base)
    policy = parse_policy(document, source=path, name=Path(path).name, kind=kind)
    return PolicySet(**{kind.value: (policy,)})


def load_policy_files(paths: list[str]) -> tuple[list[Policy], dict[str, str]]:
    """Identity policies, one per file, each named by its file name (or by its path when
    two files share a name), and the file each name came from."""
    policies = []
    where: dict[str, str] = {}
    for path in paths:
        name = Path(path).name
        if name in where:
            name = path  # two files with one name: tell them apart by path
        document = load_json_file(path)
        policies.append(parse_policy(document, source=path, name=name, kind=PolicyKind.IDENTITY))
        where[name] = path
    return policies, where
