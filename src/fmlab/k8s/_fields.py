"""Reading one manifest object field by field, so every error names its field path.

A :class:`Fields` wraps a mapping together with the object it belongs to
(``Pod default/web-1``) and the path that leads to it (``spec.containers[0]``).

>>> pod = Fields({"spec": {"priority": "high"}}, "Pod default/web-1")
>>> pod.child("spec").integer("priority")
Traceback (most recent call last):
  ...
fmlab.core.errors.InputError: Pod default/web-1: spec.priority: expected an integer, got "high"
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from fmlab.core.errors import InputError
from fmlab.k8s._yamlio import ScalarNotes, brief

# While manifests are read: where non-string scalars were in the YAML, and the warnings.
_NOTING: ContextVar[tuple[ScalarNotes, list[str]] | None] = ContextVar("noting", default=None)


@contextlib.contextmanager
def noting_values(notes: ScalarNotes, warnings: list[str]) -> Iterator[None]:
    """Within the block, :meth:`Fields.string_map` warns (into ``warnings``, naming the
    line from ``notes``) about each value that was not a string in the source."""
    token = _NOTING.set((notes, warnings))
    try:
        yield
    finally:
        _NOTING.reset(token)


class Fields:
    """A mapping inside a manifest, with the path used to report problems in it."""

    def __init__(self, data: Mapping[str, Any], owner: str, path: str = "") -> None:
        self.data = data
        self.owner = owner
        self.path = path

    def where(self, key: str | None = None) -> str:
        path = self.path if key is None else (f"{self.path}.{key}" if self.path else key)
        return f"{self.owner}: {path}" if path else self.owner

    def error(self, key: str | None, message: str) -> InputError:
        return InputError(message, pointer=self.where(key))

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def child(self, key: str) -> Fields:
        """The mapping at ``key``; an absent or null field reads as an empty mapping."""
        value = self.data.get(key)
        if value is None:
            value = _EMPTY
        # dict first: the ABC check is slow, and parsed YAML and JSON are plain dicts.
        elif type(value) is not dict and not isinstance(value, Mapping):
            raise self.error(key, f"expected a mapping, got {_kind(value)}")
        return Fields(value, self.owner, f"{self.path}.{key}" if self.path else key)

    def items(self, key: str) -> Iterator[Fields]:
        """The mappings in the list at ``key`` (absent or null: none)."""
        for index, value in enumerate(self.raw_list(key)):
            where = f"{self._join(key)}[{index}]"
            if type(value) is not dict and not isinstance(value, Mapping):
                raise InputError(f"expected a mapping, got {_kind(value)}", pointer=self._at(where))
            yield Fields(value, self.owner, where)

    def raw_list(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, f"expected a list, got {_kind(value)}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        values = self.raw_list(key)
        for index, value in enumerate(values):
            if not isinstance(value, str):
                where = self._at(f"{self._join(key)}[{index}]")
                raise InputError(f"expected a string, got {_kind(value)}", pointer=where)
        return tuple(values)

    def string(self, key: str, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.error(key, f"expected a string, got {_kind(value)}")
        return value

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.string(key, default)
        if value not in allowed:
            expected = ", ".join(f'"{a}"' for a in allowed)
            raise self.error(key, f'expected one of {expected}, got "{brief(value)}"')
        return value

    def integer(self, key: str, default: int | None = None) -> int | None:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            shown = f'"{brief(value)}"' if isinstance(value, str) else _kind(value)
            raise self.error(key, f"expected an integer, got {shown}")
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, got {_kind(value)}")
        return value

    def string_map(self, key: str) -> dict[str, str]:
        """A ``map[string]string`` such as labels.

        YAML reads an unquoted ``version: 1.10`` as the number 1.1; the API server would
        reject it. It is read here as ``str`` of the number, with a warning that names the
        line and what was written, so that a selector that quietly stops matching is seen.
        """
        raw = self.child(key)
        result: dict[str, str] = {}
        for name, value in raw.data.items():
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise raw.error(str(name), f"expected a string, got {_kind(value)}")
            if not isinstance(value, str):
                _warn_not_string(raw, str(name), value)
                value = str(value)
            result[str(name)] = value
        return result

    def timestamp(self, key: str) -> dt.datetime | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        if not isinstance(value, str):
            raise self.error(key, f"expected an RFC 3339 time, got {_kind(value)}")
        try:
            parsed = _parse_time(value)
        except ValueError:
            raise self.error(key, f'expected an RFC 3339 time, got "{brief(value)}"') from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)

    def _join(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _at(self, path: str) -> str:
        return f"{self.owner}: {path}"


_EMPTY: Mapping[str, Any] = {}


def _warn_not_string(fields: Fields, name: str, value: object) -> None:
    noting = _NOTING.get()
    if noting is None:
        return
    notes, warnings = noting
    found = notes.get(id(fields.data), {}).get(name)
    if found is not None:
        line, written = found
        warnings.append(
            f"{fields.where(name)}: line {line}: {written} is not a string in YAML (read as "
            f'{brief(value)}); quote it ("{written}"): the API server rejects a non-string value'
        )
    else:
        warnings.append(
            f"{fields.where(name)}: {brief(value)} is not a string; the API server rejects a "
            "non-string value"
        )


@functools.lru_cache(maxsize=65536)
def _parse_time(text: str) -> dt.datetime:
    # Pods started in the same second share their timestamp text.
    return dt.datetime.fromisoformat(text)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {brief(value)}"
    if isinstance(value, str):
        return f'the string "{brief(value)}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return type(value).__name__
