"""Manifest text to documents: strict JSON, or safe YAML with a budget on aliases.

* JSON (text starting with ``{`` or ``[``) is read strictly (duplicate keys rejected).
* YAML is read with libyaml's C parser where PyYAML has it, with duplicate keys rejected
  as the API server's strict decoding does, and every error located.
* YAML aliases may point at a node that itself holds aliases, so a kilobyte can stand for
  a billion values (the "billion laughs"). The composed document is measured first (each
  node once, with the expanded size of what it holds) and refused when expanding it would
  give more than :data:`ALIAS_BUDGET` values or when an alias contains itself.
* Scalars in mapping values that are not strings (``version: 1.10`` is the number 1.1)
  are noted with their line and source text, so that a label or selector value written
  that way can be reported where it is (see :func:`scalar_note`).
* Most manifests (everything ``kubectl get -o yaml`` prints) use no anchors, aliases,
  explicit tags or merge keys. Those are built straight from libyaml's parse events,
  without composing PyYAML's node graph first (which holds a node and two marks for every
  scalar: gigabytes for a large cluster dump). The first anchor, alias, tag or merge key
  met sends the text back to the composing loader above, which handles them all; both
  resolve plain scalars with the same resolver and constructors, and both report a
  syntax error from the same parser, at the same line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from fmlab.core.errors import InputError
from fmlab.core.jsonio import loads_strict

ALIAS_BUDGET = 100_000
"""The most values a YAML document may expand to through aliases (beyond its own nodes)."""

_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"

# id(mapping) -> {key: (line, source text)} for the mapping values that were not strings.
ScalarNotes = dict[int, dict[str, tuple[int, str]]]

_BASE_LOADER: Any = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader


class _StrictLoader(_BASE_LOADER):  # type: ignore[misc]
    """Safe YAML that refuses a repeated key, as the API server's strict decoding does."""

    notes: ScalarNotes | None = None


def _mapping_without_duplicates(loader: Any, node: Any, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, Any] = {}
    noted: dict[str, tuple[int, str]] | None = None
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            mark = key_node.start_mark
            raise InputError(
                "a mapping key must be a plain value, not a list or mapping",
                line=mark.line + 1,
                column=mark.column + 1,
            )
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise InputError(
                f'duplicate key "{brief(key)}"', line=mark.line + 1, column=mark.column + 1
            )
        seen[key] = loader.construct_object(value_node, deep=deep)
        if (
            loader.notes is not None
            and isinstance(value_node, yaml.ScalarNode)
            and value_node.tag not in (_STR_TAG, _NULL_TAG)
        ):
            if noted is None:
                noted = loader.notes.setdefault(id(seen), {})
            noted[str(key)] = (value_node.start_mark.line + 1, brief(value_node.value))
    return seen


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def brief(value: object, limit: int = 60) -> str:
    """``value`` for a message, never longer than about ``limit`` characters.

    Containers are named, not shown: one built from YAML aliases may be astronomically
    large, and even ``repr`` of it would exhaust memory.

    >>> brief("x" * 100)[-5:], brief([1, 2]), brief(3.5)
    ('xx...', 'a list', '3.5')
    """
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + "..."
    if isinstance(value, bool | int | float) or value is None:
        shown = repr(value)
        return shown if len(shown) <= limit else shown[:limit] + "..."
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def documents(
    text: str, *, source: str | None = None, notes: ScalarNotes | None = None
) -> list[Any]:
    """The documents in ``text``: one JSON value, or every YAML document (empty ones dropped).

    ``notes``, when given, receives the non-string mapping values of YAML documents.
    """
    if text.lstrip().startswith(("{", "[")):
        value = loads_strict(text, source=source)
        return value if isinstance(value, list) else [value]
    try:
        loaded = list(_load_yaml(text, notes))
    except InputError as error:
        raise error.with_source(source or "<input>") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise InputError(
            f"invalid YAML: {brief(error.problem, 200)}", source=source, line=line, column=column
        ) from None
    except yaml.YAMLError as error:
        raise InputError(f"invalid YAML: {brief(str(error), 200)}", source=source) from None
    except RecursionError:
        raise InputError("invalid YAML: nested too deeply", source=source) from None
    return [doc for doc in loaded if doc is not None]


def _load_yaml(text: str, notes: ScalarNotes | None) -> Iterator[Any]:
    if _EventParser is not None:
        fast = _load_plain_yaml(text, notes)
        if fast is not None:
            return iter(fast)
    return _compose_and_load(text, notes)


class _NeedsFullLoaderError(Exception):
    """The text uses a YAML feature the event-driven reader leaves to the full loader."""


_EventParser: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None)
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_FIRST_CHARS = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)
_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "null", "bool", "int", "float", "timestamp")
)


def _plain_scalar(value: str, cache: dict[str, tuple[str, Any]]) -> tuple[str, Any]:
    """The tag and value of a plain (unquoted) scalar, as the SafeLoader resolves it."""
    if value and value[0] not in _FIRST_CHARS:
        return _STR_TAG, value
    found = cache.get(value)
    if found is None:
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        if tag not in _PLAIN_TAGS:
            raise _NeedsFullLoaderError  # a merge key ("<<") or a value key ("=")
        node = yaml.ScalarNode(tag, value)
        found = (tag, _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node))
        if len(value) <= 64:  # short values repeat (versions, sizes, booleans)
            cache[value] = found
    return found


def _load_plain_yaml(text: str, notes: ScalarNotes | None) -> list[Any] | None:
    """Every document, built from parse events; None if the text needs the full loader."""
    parser = _EventParser(text)
    cache: dict[str, tuple[str, Any]] = {}
    loaded: list[Any] = []
    # The open containers, outermost first, each with the key its value will go under.
    stack: list[tuple[Any, Any]] = []
    current: Any = None  # the innermost open container (None: at document level)
    key: Any = None
    expecting_key = False
    key_mark: Any = None
    scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    stream_end = yaml.StreamEndEvent
    try:
        while True:
            event = parser.get_event()
            kind = event.__class__
            if kind is scalar:
                if event.anchor is not None or event.tag is not None:
                    raise _NeedsFullLoaderError
                if not event.style:  # plain: libyaml's events say "", PyYAML's None
                    tag, value = _plain_scalar(event.value, cache)
                else:
                    tag, value = _STR_TAG, event.value
                if expecting_key:
                    key, key_mark, expecting_key = value, event.start_mark, False
                    if key in current:
                        raise InputError(
                            f'duplicate key "{brief(key)}"',
                            line=key_mark.line + 1,
                            column=key_mark.column + 1,
                        )
                    continue
                if type(current) is dict:
                    current[key] = value
                    expecting_key = True
                    if notes is not None and tag not in (_STR_TAG, _NULL_TAG):
                        noted = notes.setdefault(id(current), {})
                        noted[str(key)] = (event.start_mark.line + 1, brief(event.value))
                elif current is None:
                    loaded.append(value)
                else:
                    current.append(value)
            elif kind is map_start or kind is seq_start:
                if event.anchor is not None or event.tag is not None or expecting_key:
                    raise _NeedsFullLoaderError  # anchored, tagged, or a complex mapping key
                container: Any = {} if kind is map_start else []
                if type(current) is dict:
                    current[key] = container
                elif current is None:
                    loaded.append(container)
                else:
                    current.append(container)
                stack.append((current, key))
                current, expecting_key = container, kind is map_start
            elif kind is map_end or kind is seq_end:
                current, key = stack.pop()
                expecting_key = type(current) is dict
            elif kind is alias:
                raise _NeedsFullLoaderError
            elif kind is stream_end:
                return loaded
    except _NeedsFullLoaderError:
        return None


def _compose_and_load(text: str, notes: ScalarNotes | None) -> Iterator[Any]:
    loader = _StrictLoader(text)
    loader.notes = notes
    try:
        while loader.check_node():
            node = loader.get_node()
            _check_aliases(node)
            yield loader.construct_document(node)
    finally:
        loader.dispose()


def _check_aliases(root: Any) -> None:
    """Refuse a document whose aliases would expand it past :data:`ALIAS_BUDGET` values.

    Each node is visited once; its expanded size is one plus that of what it holds, so a
    node reached through many aliases is counted as many times as it would be copied.
    """
    sizes: dict[int, int] = {}
    distinct = 0
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            on_path.discard(key)
            size = 1 + sum(sizes[id(child)] for child in children)
            sizes[key] = size
            if size > ALIAS_BUDGET + distinct:
                mark = node.start_mark
                raise InputError(
                    f"invalid YAML: its aliases expand to more than {ALIAS_BUDGET:,} values "
                    "(an alias bomb?); write the document without them",
                    line=mark.line + 1,
                    column=mark.column + 1,
                )
            continue
        if key in sizes:
            continue
        if key in on_path:
            mark = node.start_mark
            raise InputError(
                "invalid YAML: an alias refers to a node that contains it",
                line=mark.line + 1,
                column=mark.column + 1,
            )
        on_path.add(key)
        distinct += 1
        stack.append((node, True))
        for child in children:
            if id(child) not in sizes:
                stack.append((child, False))


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []
