"""An access specification: requests that must be allowed, requests that must be denied.

Every other request is *don't care*: a policy derived from the specification may decide
it either way. This is the "pred" half of the talk's Alloy ``run``; :mod:`fmlab.iam._synthesis`
is the "run" half.

The JSON form (``fmlab iam synthesize SPEC.json``)::

    {
      "principal": "arn:aws:iam::111122223333:user/alice",
      "allow": [
        {"action": ["s3:GetObject", "s3:ListBucket"],
         "resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/q1.csv"]}
      ],
      "deny": [
        {"action": "s3:Put*", "resource": "arn:aws:s3:::reports/q1.csv"},
        {"action": "iam:CreateUser", "resource": "arn:aws:iam::111122223333:user/eve"}
      ],
      "candidates": {"actions": ["s3:Get*"], "resources": ["arn:aws:s3:::rep*"]}
    }

- ``allow`` (required) and ``deny`` (optional) are lists of entries. An entry stands for
  every combination of its ``action`` and ``resource`` values (a string or a list).
- An ``action`` may be a pattern such as ``s3:Put*``: it stands for every catalog action it
  matches. A ``resource`` is one concrete ARN (or ``*``): a request is about one resource,
  so wildcards in a resource are rejected; put resource patterns in ``candidates``.
- ``principal`` (optional, top level or per entry) is who asks; the synthesized policy is
  an identity policy attached to that principal. ``context`` (optional, per entry) is the
  request context, as in a scenario file.
- ``candidates`` (optional) adds patterns to the template space; with ``"derive": false``
  it replaces the patterns derived from the requests.

Every error names the JSON pointer of the offending element:

>>> from fmlab.iam._catalog import Catalog
>>> small = Catalog.from_mapping({"s3": ["GetObject", "PutObject"]})
>>> spec = parse_spec({"allow": [{"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}],
...                    "deny": [{"action": "s3:Put*", "resource": "arn:aws:s3:::b/k"}]},
...                   catalog=small)
>>> [r.action for r in spec.allow], [r.action for r in spec.deny]
(['s3:GetObject'], ['s3:PutObject'])
>>> parse_spec({"allow": [{"action": "s3:Get", "resource": "a*"}]}, catalog=small)
Traceback (most recent call last):
  ...
fmlab.core.errors.InputError: /allow/0/action: "s3:Get" is not a catalog action (a typo?)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fmlab.core.errors import InputError
from fmlab.core.jsonio import json_pointer, load_json_file
from fmlab.iam._catalog import Catalog, load_catalog
from fmlab.iam._request import Request, parse_request
from fmlab.iam._resource_types import RequestWarning, load_resource_types

DEFAULT_PRINCIPAL = "arn:aws:iam::111122223333:user/spec-user"
"""Who asks when a specification names nobody: a user in one account."""

_TOP_KEYS = ("description", "principal", "allow", "deny", "candidates")
_ENTRY_KEYS = ("action", "resource", "principal", "context")
_CANDIDATE_KEYS = ("actions", "resources", "derive")


@dataclass(frozen=True)
class Candidates:
    """Extra patterns for the template space, and whether to derive more from the requests."""

    actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    derive: bool = True


@dataclass(frozen=True)
class AccessSpec:
    """Requests that must be allowed and requests that must not be; the rest don't care."""

    allow: tuple[Request, ...]
    deny: tuple[Request, ...] = ()
    candidates: Candidates = Candidates()
    name: str = "spec"
    warnings: tuple[RequestWarning, ...] = field(default=(), compare=False)
    """Context keys an action never carries: AWS would ignore them (see ``parse_spec``)."""

    @classmethod
    def build(
        cls,
        allow: Iterable[tuple[str, str]],
        deny: Iterable[tuple[str, str]] = (),
        *,
        principal: str = DEFAULT_PRINCIPAL,
        candidates: Candidates = Candidates(),
        name: str = "spec",
    ) -> AccessSpec:
        """A specification from ``(action, resource)`` pairs, all asked by ``principal``.

        >>> AccessSpec.build([("s3:GetObject", "*")]).allow[0].principal
        'arn:aws:iam::111122223333:user/spec-user'
        """
        return cls(
            tuple(Request.build(principal, a, r) for a, r in allow),
            tuple(Request.build(principal, a, r) for a, r in deny),
            candidates,
            name,
        )

    def requests(self) -> list[tuple[Request, bool]]:
        """Every request with whether it must be allowed."""
        return [(r, True) for r in self.allow] + [(r, False) for r in self.deny]

    def to_json(self) -> dict[str, Any]:
        return {
            "allow": [r.to_json() for r in self.allow],
            "deny": [r.to_json() for r in self.deny],
        }


def load_spec(path: str, *, catalog: Catalog | None = None) -> AccessSpec:
    """Read a SPEC.json file (``-`` for standard input)."""
    document = load_json_file(path)
    source = "<stdin>" if path == "-" else path
    name = "spec" if path == "-" else Path(path).stem
    return parse_spec(document, source=source, catalog=catalog, name=name)


def parse_spec(
    document: Any,
    *,
    source: str | None = None,
    catalog: Catalog | None = None,
    name: str = "spec",
) -> AccessSpec:
    """Build an :class:`AccessSpec` from its JSON form, with located errors."""
    reader = _Reader(source, catalog)
    if not isinstance(document, dict):
        raise reader.fail([], 'expected an object with an "allow" list')
    for key in document:
        if key not in _TOP_KEYS:
            raise reader.fail([key], f'unknown field "{key}" (expected one of {_TOP_KEYS})')
    principal = DEFAULT_PRINCIPAL
    if "principal" in document:
        principal = reader.text(document["principal"], ["principal"])
    if "allow" not in document:
        raise reader.fail([], 'missing "allow": the requests that must be allowed')
    allow = reader.entries(document["allow"], ["allow"], principal)
    deny = reader.entries(document.get("deny", []), ["deny"], principal)
    candidates = reader.candidates(document.get("candidates", {}), ["candidates"])
    if not allow and not deny:
        # Everything would be "don't care": any policy at all meets such a specification.
        raise reader.fail(["allow"], "the specification names no request to allow or deny")
    return AccessSpec(tuple(allow), tuple(deny), candidates, name, tuple(reader.warnings))


class _Reader:
    def __init__(self, source: str | None, catalog: Catalog | None) -> None:
        self.source = source
        self._catalog = catalog
        self.warnings: list[RequestWarning] = []

    @property
    def catalog(self) -> Catalog:
        # Loaded only when a pattern needs expanding: exact actions do not need it.
        if self._catalog is None:
            self._catalog = load_catalog()
        return self._catalog

    def fail(self, path: list[str | int], message: str) -> InputError:
        return InputError(message, source=self.source, pointer=json_pointer(path) or "/")

    def text(self, value: Any, path: list[str | int]) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(path, "expected a non-empty string")
        return value

    def texts(self, value: Any, path: list[str | int]) -> list[tuple[str, list[str | int]]]:
        """A string or a non-empty list of strings, each with its own pointer."""
        if isinstance(value, list):
            if not value:
                raise self.fail(path, "expected a non-empty list")
            return [(self.text(item, [*path, i]), [*path, i]) for i, item in enumerate(value)]
        return [(self.text(value, path), path)]

    def entries(self, raw: Any, path: list[str | int], principal: str) -> list[Request]:
        if not isinstance(raw, list):
            raise self.fail(path, "expected a list of request entries")
        out: list[Request] = []
        for index, entry in enumerate(raw):
            out += self.entry(entry, [*path, index], principal)
        return out

    def entry(self, raw: Any, path: list[str | int], principal: str) -> list[Request]:
        if not isinstance(raw, dict):
            raise self.fail(path, "expected an object with action and resource")
        for key in raw:
            if key not in _ENTRY_KEYS:
                raise self.fail([*path, key], f'unknown entry field "{key}"')
        for key in ("action", "resource"):
            if key not in raw:
                raise self.fail(path, f'missing "{key}"')
        who = self.text(raw["principal"], [*path, "principal"]) if "principal" in raw else principal
        actions = [
            a
            for text, at in self.texts(raw["action"], [*path, "action"])
            for a in self.actions(text, at)
        ]
        resources: list[tuple[str, list[str | int]]] = []
        for text, at in self.texts(raw["resource"], [*path, "resource"]):
            if text != "*" and ("*" in text or "?" in text):
                raise self.fail(
                    at,
                    f'"{text}": a request names one resource; put patterns in '
                    '"candidates"/"resources"',
                )
            resources.append((text, at))
        out = []
        for action in actions:
            for resource, at in resources:
                # parse_request checks the context the way a scenario file's is checked.
                raw_request = {"principal": who, "action": action, "resource": resource}
                if "context" in raw:
                    raw_request["context"] = raw["context"]
                request = parse_request(raw_request, source=self.source, path=path)
                self.check_types(request, path, at, raw.get("context", {}))
                out.append(request)
        return out

    def check_types(
        self,
        request: Request,
        path: list[str | int],
        resource_at: list[str | int],
        context: dict[str, Any],
    ) -> None:
        """A resource the action cannot have is an error: the policy derived for a request
        AWS never sends says nothing about the requests it does send. An unsupported
        context key is only a warning: AWS sends the request and ignores the key."""
        for problem in load_resource_types().request_problems(request):
            if problem.field == "resource":
                raise self.fail(resource_at, problem.message)
            lowered = problem.field.partition("/")[2]
            key = next((k for k in context if k.lower() == lowered), lowered)
            where = json_pointer([*path, "context", key])
            if all(w.message != problem.message for w in self.warnings):
                self.warnings.append(RequestWarning(where, problem.message))

    def actions(self, text: str, path: list[str | int]) -> list[str]:
        if ":" not in text:
            raise self.fail(path, f'expected "service:Action", got "{text}"')
        if "*" not in text and "?" not in text:
            if not self.catalog.has_action(text):
                raise self.fail(path, f'"{text}" is not a catalog action (a typo?)')
            return [text]
        expanded = self.catalog.expand(text)
        if not expanded:
            raise self.fail(path, f'"{text}" matches no catalog action')
        return expanded

    def candidates(self, raw: Any, path: list[str | int]) -> Candidates:
        if not isinstance(raw, dict):
            raise self.fail(path, "expected an object with actions and/or resources")
        for key in raw:
            if key not in _CANDIDATE_KEYS:
                raise self.fail([*path, key], f'unknown candidates field "{key}"')
        derive = raw.get("derive", True)
        if not isinstance(derive, bool):
            raise self.fail([*path, "derive"], "expected true or false")
        actions: list[str] = []
        for text, at in self.texts(raw["actions"], [*path, "actions"]) if "actions" in raw else []:
            if text != "*" and ":" not in text:
                raise self.fail(at, f'expected "service:Action*", got "{text}"')
            actions.append(text)
        resources = [
            text
            for text, _ in (
                self.texts(raw["resources"], [*path, "resources"]) if "resources" in raw else []
            )
        ]
        return Candidates(tuple(actions), tuple(resources), derive)
