"""Messages as JSON: how counterexamples are printed and ``--messages`` files are read.

A dataclass message is an object naming its class (``{"type": "Toggle", "id": 3}``), an
enum member names its class and member, strings, numbers, booleans and ``null`` are
themselves, and tuples are lists. Reading a file looks class names up in the app's own
module, so a counterexample printed by ``fmlab mvu check --json`` can be replayed with
``fmlab mvu render --messages``.

>>> from fmlab.mvu.examples import todo
>>> encode_message(todo.Toggle(3))
{'type': 'Toggle', 'id': 3}
>>> decode_messages([{"type": "Toggle", "id": 3}, {"type": "Add"}], vars(todo))
[Toggle(id=3), Add()]
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Hashable, Mapping
from typing import Any

from fmlab.core.errors import InputError


def encode_message(message: object) -> Any:
    """A message (or any value inside one) as JSON data."""
    if message is None or isinstance(message, bool | int | float | str):
        return message
    if isinstance(message, enum.Enum):
        return {"type": type(message).__name__, "member": message.name}
    if dataclasses.is_dataclass(message) and not isinstance(message, type):
        encoded: dict[str, Any] = {"type": type(message).__name__}
        for field in dataclasses.fields(message):
            encoded[field.name] = encode_message(getattr(message, field.name))
        return encoded
    if isinstance(message, tuple | list | frozenset):
        return [encode_message(item) for item in message]
    return {"repr": repr(message)}


def decode_messages(
    data: object, namespace: Mapping[str, Any], *, source: str | None = None
) -> list[Hashable]:
    """Read a JSON list of messages; class names are looked up in ``namespace``.

    Bad input raises :class:`~fmlab.core.errors.InputError` with a JSON pointer.
    """
    if not isinstance(data, list):
        raise InputError("expected a JSON list of messages", source=source, pointer="")
    return [_decode(item, namespace, source, f"/{index}") for index, item in enumerate(data)]


def _decode(value: object, namespace: Mapping[str, Any], source: str | None, pointer: str) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return tuple(
            _decode(item, namespace, source, f"{pointer}/{index}")
            for index, item in enumerate(value)
        )
    if not isinstance(value, dict):
        raise InputError(f"unexpected {type(value).__name__}", source=source, pointer=pointer)
    if "type" not in value:
        raise InputError(
            'a message object needs "type" (its class name)', source=source, pointer=pointer
        )
    name = value["type"]
    cls = namespace.get(name) if isinstance(name, str) else None
    if not isinstance(cls, type):
        raise InputError(
            f"the app defines no class {name!r}", source=source, pointer=f"{pointer}/type"
        )
    if issubclass(cls, enum.Enum):
        member = value.get("member")
        if not isinstance(member, str) or member not in cls.__members__:
            raise InputError(
                f"{name} has no member {member!r}", source=source, pointer=f"{pointer}/member"
            )
        return cls[member]
    if not dataclasses.is_dataclass(cls):
        raise InputError(f"{name} is not a dataclass", source=source, pointer=f"{pointer}/type")
    fields = {field.name for field in dataclasses.fields(cls) if field.init}
    arguments = {}
    for key, item in value.items():
        if key == "type":
            continue
        if key not in fields:
            raise InputError(
                f"{name} has no field {key!r}", source=source, pointer=f"{pointer}/{key}"
            )
        arguments[key] = _decode(item, namespace, source, f"{pointer}/{key}")
    try:
        return cls(**arguments)
    except TypeError as error:
        raise InputError(f"cannot make {name}: {error}", source=source, pointer=pointer) from None
