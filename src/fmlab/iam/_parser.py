"""Reading AWS policy JSON into :mod:`fmlab.iam._model`, rejecting what AWS would reject.

Every rejection is an :class:`~fmlab.core.errors.InputError` carrying the JSON pointer
of the offending element:

>>> parse_policy({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
...                             {"Effect": "allow", "Action": "s3:*", "Resource": "*"}]})
Traceback (most recent call last):
  ...
fmlab.core.errors.InputError: /Statement/1/Effect: expected "Allow" or "Deny", got "allow"
>>> policy = parse_policy({"Version": "2012-10-17", "Statement": {
...     "Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}})
>>> policy.statements[0].not_action, policy.statements[0].actions
(True, ('iam:*',))
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fmlab.core.errors import InputError
from fmlab.core.jsonio import json_pointer, load_json_file
from fmlab.iam._model import (
    Condition,
    Effect,
    Policy,
    PolicyKind,
    PrincipalEntry,
    Principals,
    PrincipalType,
    Statement,
)
from fmlab.iam._operators import check_value, parse_operator
from fmlab.iam._patterns import has_variables
from fmlab.iam._pause import paused_collector

VERSIONS = ("2012-10-17", "2008-10-17")
_POLICY_KEYS = ("Version", "Id", "Statement")
_STATEMENT_KEYS = (
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
)

Path_ = list[str | int]


def _pointer(path: Path_) -> str:
    """:func:`json_pointer`, with the escaping skipped for parts that need none."""
    return "".join(
        f"/{part}"
        if type(part) is int or ("~" not in part and "/" not in part)  # type: ignore[operator]
        else json_pointer([part])
        for part in path
    )


def _describe(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'"{shown}"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class _Reader:
    """Walks one document; ``fail`` raises with the pointer of the current path."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.uses_variables = False

    def fail(self, path: Path_, message: str) -> InputError:
        return InputError(message, source=self.source, pointer=json_pointer(path) or "/")

    def object(self, value: Any, path: Path_, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected an object, got {_describe(value)}")
        for key in value:
            if key not in allowed:
                near = [name for name in allowed if name.lower() == key.lower()]
                hint = f' (did you mean "{near[0]}"?)' if near else ""
                raise self.fail([*path, key], f'unknown element "{key}"{hint}')
        return value

    def string(self, value: Any, path: Path_) -> str:
        if not isinstance(value, str):
            raise self.fail(path, f"expected a string, got {_describe(value)}")
        return value

    def strings(self, value: Any, path: Path_, *, what: str = "a string") -> tuple[str, ...]:
        """A single string or a non-empty list of strings (AWS accepts both)."""
        # The common, valid shapes first (a 10 MB policy has a hundred thousand of them);
        # the checks below find and locate what is wrong.
        if type(value) is str and value:
            return (value,)
        if type(value) is list and value and all(type(item) is str and item for item in value):
            return tuple(value)
        if isinstance(value, str):
            items: list[Any] = [value]
            paths: list[Path_] = [path]
        elif isinstance(value, list):
            if not value:
                raise self.fail(path, f"expected {what} or a non-empty list, got an empty list")
            items = value
            paths = [[*path, index] for index in range(len(value))]
        else:
            raise self.fail(path, f"expected {what} or a list of them, got {_describe(value)}")
        out = []
        for item, item_path in zip(items, paths, strict=True):
            if not isinstance(item, str):
                raise self.fail(item_path, f"expected {what}, got {_describe(item)}")
            if not item:
                raise self.fail(item_path, f"expected {what}, got an empty string")
            out.append(item)
        return tuple(out)

    def policy(self, document: Any, name: str, kind: PolicyKind | None) -> Policy:
        top = self.object(document, [], _POLICY_KEYS)
        version: str | None = None
        if "Version" in top:
            version = self.string(top["Version"], ["Version"])
            if version not in VERSIONS:
                raise self.fail(
                    ["Version"], f'expected "2012-10-17" or "2008-10-17", got {_describe(version)}'
                )
        policy_id = self.string(top["Id"], ["Id"]) if "Id" in top else None
        if "Statement" not in top:
            raise self.fail([], 'missing "Statement"')
        raw = top["Statement"]
        if isinstance(raw, dict):
            elements: list[tuple[Any, Path_]] = [(raw, ["Statement"])]
        elif isinstance(raw, list):
            elements = [(item, ["Statement", index]) for index, item in enumerate(raw)]
        else:
            raise self.fail(
                ["Statement"], f"expected an object or a list of objects, got {_describe(raw)}"
            )
        variables = version == "2012-10-17"
        statements = tuple(
            self.statement(element, path, index, kind, variables)
            for index, (element, path) in enumerate(elements)
        )
        seen: set[str] = set()
        for statement in statements:
            if statement.sid is None:
                continue
            if statement.sid in seen:
                raise InputError(
                    f'duplicate Sid "{statement.sid}"',
                    source=self.source,
                    pointer=statement.pointer + "/Sid",
                )
            seen.add(statement.sid)
        return Policy(statements, version, policy_id, name, self.uses_variables)

    def statement(
        self, value: Any, path: Path_, index: int, kind: PolicyKind | None, variables: bool
    ) -> Statement:
        raw = self.object(value, path, _STATEMENT_KEYS)
        sid = self.string(raw["Sid"], [*path, "Sid"]) if "Sid" in raw else None
        if "Effect" not in raw:
            raise self.fail(path, 'missing "Effect"')
        effect_text = raw["Effect"]
        if effect_text not in ("Allow", "Deny"):
            raise self.fail(
                [*path, "Effect"], f'expected "Allow" or "Deny", got {_describe(effect_text)}'
            )
        effect = Effect(effect_text)

        actions, not_action = self._exactly_one(raw, path, "Action", "NotAction", self.action_list)
        resources: tuple[str, ...] | None = None
        not_resource = False
        if "Resource" in raw or "NotResource" in raw:
            resources, not_resource = self._exactly_one(
                raw, path, "Resource", "NotResource", self.resource_list
            )
            if variables and any(has_variables(r) for r in resources):
                self.uses_variables = True

        principals: Principals | None = None
        not_principal = False
        if "Principal" in raw or "NotPrincipal" in raw:
            principals, not_principal = self._exactly_one(
                raw, path, "Principal", "NotPrincipal", self.principals
            )
            if kind is not None and not kind.names_principals:
                element = "NotPrincipal" if not_principal else "Principal"
                raise self.fail(
                    [*path, element],
                    f"a {kind.value} policy cannot name principals; "
                    f"{element} belongs in resource-based policies",
                )
        elif kind is not None and kind.names_principals:
            raise self.fail(path, f'missing "Principal" (required in a {kind.value} policy)')

        conditions = (
            self.conditions(raw["Condition"], [*path, "Condition"], variables)
            if ("Condition" in raw)
            else ()
        )
        return Statement(
            effect=effect,
            actions=actions,
            not_action=not_action,
            resources=resources,
            not_resource=not_resource,
            principals=principals,
            not_principal=not_principal,
            conditions=conditions,
            sid=sid,
            index=index,
            pointer=_pointer(path),
        )

    def _exactly_one(
        self, raw: dict[str, Any], path: Path_, plain: str, negated: str, read: Any
    ) -> Any:
        if plain in raw and negated in raw:
            raise self.fail(path, f'"{plain}" and "{negated}" cannot both appear')
        if plain not in raw and negated not in raw:
            raise self.fail(path, f'missing "{plain}" or "{negated}"')
        key = plain if plain in raw else negated
        return read(raw[key], [*path, key]), key == negated

    def action_list(self, value: Any, path: Path_) -> tuple[str, ...]:
        actions = self.strings(value, path, what="an action")
        for index, action in enumerate(actions):
            if action == "*":
                continue
            service, colon, name = action.partition(":")
            if not colon or not service or not name:
                where = path if isinstance(value, str) else [*path, index]
                raise self.fail(where, f'expected "service:Action" or "*", got {_describe(action)}')
        return actions

    def resource_list(self, value: Any, path: Path_) -> tuple[str, ...]:
        resources = self.strings(value, path, what="a resource")
        for index, resource in enumerate(resources):
            if not (resource.startswith("arn:") or resource.startswith("*")):
                where = path if isinstance(value, str) else [*path, index]
                raise self.fail(where, f'expected an ARN or "*", got {_describe(resource)}')
        return resources

    def principals(self, value: Any, path: Path_) -> Principals:
        if value == "*":
            return Principals(anyone=True)
        allowed = tuple(kind.value for kind in PrincipalType)
        block = self.object(value, path, allowed)
        if not block:
            raise self.fail(path, "expected at least one principal")
        entries: list[PrincipalEntry] = []
        anyone = False
        for key, ids in block.items():
            for principal_id in self.strings(ids, [*path, key], what="a principal"):
                if key == "AWS" and principal_id == "*":
                    anyone = True
                entries.append(PrincipalEntry(PrincipalType(key), principal_id))
        return Principals(anyone=anyone, entries=tuple(entries))

    def conditions(self, value: Any, path: Path_, variables: bool) -> tuple[Condition, ...]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected an object, got {_describe(value)}")
        out: list[Condition] = []
        for operator_text, block in value.items():
            operator_path = [*path, operator_text]
            try:
                operator = parse_operator(operator_text)
            except ValueError as error:
                raise self.fail(operator_path, str(error)) from None
            if not isinstance(block, dict):
                raise self.fail(operator_path, f"expected an object, got {_describe(block)}")
            if not block:
                raise self.fail(operator_path, "expected at least one condition key")
            for key, raw_values in block.items():
                key_path = [*operator_path, key]
                if not key:
                    raise self.fail(key_path, "empty condition key")
                values = self._condition_values(raw_values, key_path)
                for index, text in enumerate(values):
                    try:
                        check_value(operator, text)
                    except ValueError as error:
                        where = key_path if not isinstance(raw_values, list) else [*key_path, index]
                        raise self.fail(where, str(error)) from None
                    if variables and has_variables(text):
                        self.uses_variables = True
                out.append(Condition(operator, key, values, _pointer(key_path)))
        return tuple(out)

    def _condition_values(self, raw: Any, path: Path_) -> tuple[str, ...]:
        # AWS accepts strings, numbers and booleans and compares their text.
        items = raw if isinstance(raw, list) else [raw]
        if isinstance(raw, list) and not raw:
            raise self.fail(path, "expected a value or a non-empty list, got an empty list")
        out = []
        for index, item in enumerate(items):
            where = [*path, index] if isinstance(raw, list) else path
            if isinstance(item, bool):
                out.append("true" if item else "false")
            elif isinstance(item, int):
                out.append(str(item))
            elif isinstance(item, float):
                if item != item or item in (float("inf"), float("-inf")):
                    raise self.fail(where, "expected a finite number")
                out.append(repr(item))
            elif isinstance(item, str):
                out.append(item)
            else:
                raise self.fail(
                    where, f"expected a string, number or boolean, got {_describe(item)}"
                )
        return tuple(out)


def parse_policy(
    document: Any,
    *,
    source: str | None = None,
    name: str | None = None,
    kind: PolicyKind | None = None,
) -> Policy:
    """Parse a policy already read from JSON. ``kind`` enables per-kind checks
    (no Principal in identity policies, a Principal required in resource policies)."""
    reader = _Reader(source)
    try:
        with paused_collector():
            return reader.policy(document, name or source or "policy", kind)
    except RecursionError:
        raise InputError("nested too deeply", source=source) from None


def load_policy(path: str | Path, *, kind: PolicyKind | None = None) -> Policy:
    """Read and parse a policy file."""
    name = str(path)
    document = load_json_file(path)
    return parse_policy(document, source=name, name=Path(name).name, kind=kind)
