"""Reading JSON the strict way: duplicate keys rejected, every error located.

Python's ``json`` keeps the last of two equal keys without a word; AWS rejects such a
policy, and a checker that silently picks one would analyse a document nobody wrote.

>>> loads_strict('{"a": 1, "b": [true, {"c": null}]}')
{'a': 1, 'b': [True, {'c': None}]}
>>> loads_strict('{"a": {"x": 1, "x": 2}}', source="p.json")
Traceback (most recent call last):
  ...
fmlab.core.errors.InputError: p.json: /a: duplicate key "x"
>>> json_pointer(["Statement", 0, "a/b~c"])
'/Statement/0/a~1b~0c'
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fmlab.core.errors import InputError

__all__ = [
    "json_pointer",
    "load_json_file",
    "loads_strict",
]


class _Duplicate(dict[str, Any]):
    """An object that had a repeated key; found and reported after parsing."""

    duplicate: str


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            marked = _Duplicate(seen)
            marked.duplicate = key
            return marked
        seen[key] = value
    return seen


def json_pointer(parts: Iterable[str | int]) -> str:
    """An RFC 6901 JSON pointer for the path ``parts`` (``""`` for the document root)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _find_duplicate(value: Any, path: list[str | int]) -> tuple[list[str | int], str] | None:
    # Depth-first, in document order, so the first duplicate in the file is reported.
    if isinstance(value, _Duplicate):
        return path, value.duplicate
    if isinstance(value, dict):
        for key, item in value.items():
            found = _find_duplicate(item, [*path, key])
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_duplicate(item, [*path, index])
            if found:
                return found
    return None


def loads_strict(text: str, *, source: str | None = None) -> Any:
    """Parse ``text`` as JSON, raising :class:`InputError` with a location on any problem."""
    duplicates: list[str] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        built = _pairs_hook(pairs)
        if isinstance(built, _Duplicate):
            duplicates.append(built.duplicate)
        return built

    try:
        value = json.loads(text, object_pairs_hook=hook)
    except json.JSONDecodeError as error:
        raise InputError(
            f"invalid JSON: {error.msg}", source=source, line=error.lineno, column=error.colno
        ) from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply", source=source) from None
    # Walk the document for the first duplicate's place only when there is one: the walk
    # over a 10 MB policy costs more than parsing it.
    found = _find_duplicate(value, []) if duplicates else None
    if found:
        path, key = found
        raise InputError(f'duplicate key "{key}"', source=source, pointer=json_pointer(path) or "/")
    return value


def load_json_file(path: str | Path) -> Any:
    """Read and strictly parse a JSON file (``-`` reads standard input)."""
    name = str(path)
    if name == "-":
        import sys

        return loads_strict(sys.stdin.read(), source="<stdin>")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", source=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a JSON file", source=name) from None
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", source=name) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", source=name) from None
    return loads_strict(text, source=name)
