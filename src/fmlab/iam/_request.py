"""A request to evaluate: who asks, for which action, on which resource, in which context.

Context keys compare case-insensitively, so the request stores them lower-cased; every
key holds a tuple of values (one value for a single-valued key).

>>> request = Request.build("arn:aws:sts::111122223333:assumed-role/Dev/alice",
...                         "s3:GetObject", "arn:aws:s3:::logs/a.txt",
...                         {"aws:SourceIp": "203.0.113.7", "aws:TagKeys": ["a", "b"]})
>>> request.context["aws:sourceip"], request.context["aws:tagkeys"]
(('203.0.113.7',), ('a', 'b'))
>>> who = describe_principal(request.principal)
>>> who.kind.value, who.account, who.role_name
('role-session', '111122223333', 'Dev')
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fmlab.core.errors import InputError
from fmlab.core.jsonio import json_pointer


@dataclass(frozen=True)
class Request:
    """One request as IAM evaluates it: principal, action, resource and context keys."""

    principal: str
    action: str
    resource: str
    context: Mapping[str, tuple[str, ...]]

    @classmethod
    def build(
        cls,
        principal: str,
        action: str,
        resource: str,
        context: Mapping[str, str | list[str] | tuple[str, ...]] | None = None,
    ) -> Request:
        normalised: dict[str, tuple[str, ...]] = {}
        for key, value in (context or {}).items():
            normalised[key.lower()] = (value,) if isinstance(value, str) else tuple(value)
        return cls(principal, action, resource, normalised)

    def value(self, key: str) -> tuple[str, ...] | None:
        return self.context.get(key.lower())

    def to_json(self) -> dict[str, Any]:
        return {
            "principal": self.principal,
            "action": self.action,
            "resource": self.resource,
            "context": {
                key: values[0] if len(values) == 1 else list(values)
                for key, values in sorted(self.context.items())
            },
        }


class PrincipalKind(enum.Enum):
    ROOT = "root"
    USER = "user"
    ROLE = "role"
    ROLE_SESSION = "role-session"
    FEDERATED_USER = "federated-user"
    OTHER = "other"
    """A service principal, an anonymous caller, or anything that is not an IAM ARN."""

    @property
    def is_session(self) -> bool:
        return self in (PrincipalKind.ROLE_SESSION, PrincipalKind.FEDERATED_USER)


@dataclass(frozen=True)
class PrincipalInfo:
    arn: str
    kind: PrincipalKind
    account: str | None
    role_name: str | None = None
    """For a role session, the name of the role it was assumed from."""


_IAM = re.compile(r"arn:([^:]+):iam::([0-9]{12}):(root|user/.+|role/.+)")
_STS = re.compile(r"arn:([^:]+):sts::([0-9]{12}):(assumed-role/[^/]+/.+|federated-user/.+)")


def describe_principal(arn: str) -> PrincipalInfo:
    """What kind of principal an ARN names, and its account."""
    found = _IAM.fullmatch(arn)
    if found:
        account, rest = found.group(2), found.group(3)
        if rest == "root":
            return PrincipalInfo(arn, PrincipalKind.ROOT, account)
        if rest.startswith("user/"):
            return PrincipalInfo(arn, PrincipalKind.USER, account)
        return PrincipalInfo(arn, PrincipalKind.ROLE, account, rest.rsplit("/", 1)[-1])
    found = _STS.fullmatch(arn)
    if found:
        account, rest = found.group(2), found.group(3)
        if rest.startswith("assumed-role/"):
            return PrincipalInfo(arn, PrincipalKind.ROLE_SESSION, account, rest.split("/")[1])
        return PrincipalInfo(arn, PrincipalKind.FEDERATED_USER, account)
    return PrincipalInfo(arn, PrincipalKind.OTHER, None)


_ARN_ACCOUNT = re.compile(r"arn:[^:]*:[^:]*:[^:]*:([^:]*):.*", re.DOTALL)


def resource_account(request: Request) -> str | None:
    """The account that owns the resource: ``aws:ResourceAccount`` when given, else the
    account field of the resource ARN, else the principal's own account."""
    given = request.value("aws:ResourceAccount")
    if given is not None and len(given) == 1:
        return given[0]
    found = _ARN_ACCOUNT.fullmatch(request.resource)
    if found and found.group(1):
        return found.group(1)
    return describe_principal(request.principal).account


def parse_request(raw: Any, *, source: str | None = None, path: list[str | int]) -> Request:
    """Read a scenario's ``request`` object, with located errors."""

    def fail(where: list[str | int], message: str) -> InputError:
        return InputError(message, source=source, pointer=json_pointer(where) or "/")

    if not isinstance(raw, dict):
        raise fail(path, "expected an object with principal, action and resource")
    for key in raw:
        if key not in ("principal", "action", "resource", "context"):
            raise fail([*path, key], f'unknown request field "{key}"')
    fields: dict[str, str] = {}
    for name in ("principal", "action", "resource"):
        if name not in raw:
            raise fail(path, f'missing "{name}"')
        value = raw[name]
        if not isinstance(value, str) or not value:
            raise fail([*path, name], "expected a non-empty string")
        fields[name] = value
    if ":" not in fields["action"]:
        raise fail([*path, "action"], f'expected "service:Action", got "{fields["action"]}"')
    context: dict[str, tuple[str, ...]] = {}
    raw_context = raw.get("context", {})
    if not isinstance(raw_context, dict):
        raise fail([*path, "context"], "expected an object of context keys")
    for key, value in raw_context.items():
        where = [*path, "context", key]
        items = value if isinstance(value, list) else [value]
        texts = []
        for index, item in enumerate(items):
            at = [*where, index] if isinstance(value, list) else where
            if isinstance(item, bool):
                texts.append("true" if item else "false")
            elif isinstance(item, int):
                texts.append(str(item))
            elif isinstance(item, str):
                texts.append(item)
            else:
                raise fail(at, "expected a string, integer or boolean")
        if key.lower() in context:
            raise fail(where, f'context key "{key}" given twice (keys ignore case)')
        context[key.lower()] = tuple(texts)
    return Request(fields["principal"], fields["action"], fields["resource"], context)
