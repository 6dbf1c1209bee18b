"""Wildcard patterns: actions, ARNs and ``StringLike`` values, and policy variables.

A pattern is read once into :class:`Glob` tokens (literal text, ``*``, ``?``); the
concrete evaluator turns them into a linear-time matcher (:func:`glob_matcher`, no
backtracking) and the symbolic engine into a z3 regular expression, from the same tokens.

ARN patterns (the Resource element and the Arn* operators) are matched segment by
segment: the text is split at its first five colons, and a wildcard in one of the first
five segments stays inside that segment, while the last segment of the pattern (the
resource part, or an earlier segment when the pattern has fewer than six) may span
colons. So ``arn:aws:sqs:*`` covers every SQS ARN, and an account wildcard cannot eat
a colon.

>>> action_matches("iam:*AccessKey*", "IAM:listaccesskeys")
True
>>> arn_matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a:b/c")
True
>>> arn_matches("arn:aws:ec2:*:111122223333:instance/*",
...             "arn:aws:ec2:us-east-1:999999999999:x:111122223333:instance/i-1")
False
>>> string_like("arn:aws:ec2:*:111122223333:instance/*",
...             "arn:aws:ec2:us-east-1:999999999999:x:111122223333:instance/i-1")
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

STAR = "*"
QMARK = "?"


@dataclass(frozen=True)
class Glob:
    """A pattern as tokens: each is ``STAR``, ``QMARK`` or a literal string.

    A literal is kept as a one-element tuple ``("text",)`` so that a literal ``*`` (from
    the ``${*}`` variable) never looks like a wildcard.
    """

    tokens: tuple[str | tuple[str], ...]

    @property
    def literal(self) -> str | None:
        """The text when the pattern has no wildcard at all."""
        parts = []
        for token in self.tokens:
            if not isinstance(token, tuple):
                return None
            parts.append(token[0])
        return "".join(parts)


_WILDCARDS = re.compile(r"([*?])")


@functools.lru_cache(maxsize=65536)
def glob(text: str) -> Glob:
    """Tokens of a pattern with ``*`` and ``?`` wildcards and no variables."""
    tokens: list[str | tuple[str]] = []
    for index, part in enumerate(_WILDCARDS.split(text)):
        if index % 2:
            tokens.append(part)  # a wildcard: the separators sit at odd positions
        elif part:
            tokens.append((part,))
    return Glob(tuple(tokens))


_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


def has_variables(text: str) -> bool:
    return _VARIABLE.search(text) is not None


def substitute(text: str, lookup: Callable[[str], str | None]) -> Glob | None:
    """Tokens of ``text`` with ``${key}`` replaced by ``lookup(key)`` as literal text.

    ``${*}``, ``${?}`` and ``${$}`` stand for the literal characters. A variable may
    carry a default, ``${aws:username, 'anonymous'}``. ``None`` when a variable has
    neither a value nor a default: such a pattern matches nothing.
    """
    tokens: list[str | tuple[str]] = []
    position = 0
    for found in _VARIABLE.finditer(text):
        tokens.extend(glob(text[position : found.start()]).tokens)
        inner = found.group(1).strip()
        if inner in _ESCAPES:
            tokens.append((_ESCAPES[inner],))
        else:
            key, _, default = inner.partition(",")
            value = lookup(key.strip())
            if value is None:
                default = default.strip()
                if len(default) >= 2 and default[0] == default[-1] == "'":
                    value = default[1:-1]
                else:
                    return None
            tokens.append((value,))
        position = found.end()
    tokens.extend(glob(text[position:]).tokens)
    return Glob(tuple(tokens))


def ascii_lower(text: str) -> str:
    """Lower-case A-Z only: the case folding both engines agree on."""
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def split_arn_tokens(pattern: Glob) -> list[tuple[str | tuple[str], ...]]:
    """The pattern's tokens cut at its first five literal colons (at most six segments)."""
    segments: list[list[str | tuple[str]]] = [[]]
    for token in pattern.tokens:
        if isinstance(token, tuple) and ":" in token[0] and len(segments) < 6:
            pieces = token[0].split(":", 6 - len(segments))
            for index, piece in enumerate(pieces):
                if index:
                    segments.append([])
                if piece:
                    segments[-1].append((piece,))
        else:
            segments[-1].append(token)
    return [tuple(segment) for segment in segments]


# --- matching in linear time ---------------------------------------------------------
#
# A pattern is read as pieces separated by its stars: P0*P1*...*Pn. A string matches when
# P0 starts it, Pn ends it, and P1..Pn-1 occur in order between them; taking each middle
# piece at its leftmost occurrence is always safe (a later start leaves less room and
# gains nothing), so there is no backtracking. Star-free pieces are found with str.find
# (linear); a piece with ``?`` is a fixed-length regular expression with no quantifier,
# which Python's engine scans in time |text| x |piece| at worst. Regular expressions with
# ``.*`` were used before, and "*a*a*a*a*a*a*b" against 100 characters took 24 s.


@dataclass(frozen=True)
class _Piece:
    """Star-free text between two stars: a literal, or a fixed-length expression when
    it holds a ``?`` (which matches any one character)."""

    size: int
    literal: str | None
    expression: re.Pattern[str] | None

    def at(self, text: str, position: int) -> bool:
        if self.literal is not None:
            return text.startswith(self.literal, position)
        assert self.expression is not None
        return self.expression.match(text, position) is not None

    def find(self, text: str, start: int, end: int) -> int:
        """The leftmost position in ``[start, end - size]`` where the piece occurs, or -1."""
        if self.literal is not None:
            return text.find(self.literal, start, end)
        assert self.expression is not None
        found = self.expression.search(text, start, end)
        return found.start() if found is not None else -1


def _piece(tokens: list[str | tuple[str]]) -> _Piece:
    if all(isinstance(token, tuple) for token in tokens):
        text = "".join(token[0] for token in tokens if isinstance(token, tuple))
        return _Piece(len(text), text, None)
    size = 0
    parts = []
    for token in tokens:
        if isinstance(token, tuple):
            size += len(token[0])
            parts.append(re.escape(token[0]))
        else:
            size += 1
            parts.append(".")
    return _Piece(size, None, re.compile("".join(parts), re.DOTALL))


@dataclass(frozen=True)
class _Matcher:
    """A compiled glob: its star-separated pieces (``starred`` when there is a star)."""

    pieces: tuple[_Piece, ...]
    starred: bool
    least: int
    """The shortest length a matching string can have."""

    def __call__(self, text: str) -> bool:
        size = len(text)
        if size < self.least:
            return False
        pieces = self.pieces
        if not self.starred:
            return size == self.least and pieces[0].at(text, 0)
        first, last = pieces[0], pieces[-1]
        if not first.at(text, 0) or not last.at(text, size - last.size):
            return False
        position, end = first.size, size - last.size
        for piece in pieces[1:-1]:
            found = piece.find(text, position, end)
            if found < 0:
                return False
            position = found + piece.size
        return True


def _matcher(tokens: tuple[str | tuple[str], ...]) -> _Matcher:
    groups: list[list[str | tuple[str]]] = [[]]
    for token in tokens:
        if token == STAR:
            groups.append([])
        else:
            groups[-1].append(token)
    pieces = tuple(_piece(group) for group in groups)
    return _Matcher(pieces, len(pieces) > 1, sum(piece.size for piece in pieces))


@functools.lru_cache(maxsize=65536)
def glob_matcher(pattern: Glob) -> Callable[[str], bool]:
    """``pattern`` as a predicate: ``*`` and ``?`` may match any character."""
    return _matcher(pattern.tokens)


@functools.lru_cache(maxsize=65536)
def arn_matcher(pattern: Glob) -> Callable[[str], bool]:
    """``pattern`` as an ARN predicate, segment by segment (see the module docstring).

    The pattern has k <= 6 segments; the text is cut at its first k - 1 colons, each
    colon-free part matched by its segment, and the rest (colons and all) by the last."""
    segments = tuple(_matcher(segment) for segment in split_arn_tokens(pattern))
    cuts = len(segments) - 1

    def matches(text: str) -> bool:
        parts = text.split(":", cuts)
        return len(parts) == len(segments) and all(
            segment(part) for segment, part in zip(segments, parts, strict=True)
        )

    return matches


@functools.lru_cache(maxsize=65536)
def _action_matcher(pattern: str) -> Callable[[str], bool]:
    lowered = ascii_lower(pattern)
    if "*" not in lowered and "?" not in lowered:
        return lowered.__eq__
    return glob_matcher(glob(lowered))


def action_matches(pattern: str, action: str) -> bool:
    """Action names compare case-insensitively, with ``*`` and ``?`` anywhere."""
    return _action_matcher(pattern)(ascii_lower(action))


def lowered_action_matches(pattern: str, lowered_action: str) -> bool:
    """:func:`action_matches` for an action already passed through :func:`ascii_lower`."""
    return _action_matcher(pattern)(lowered_action)


def _ends_fit(pattern: Glob, text: str) -> bool:
    """The literal text before the first wildcard starts ``text`` and the literal text
    after the last ends it: a cheap test every match passes (under ARN rules too), which
    spares building a matcher for the many patterns that fail it."""
    tokens = pattern.tokens
    if not tokens:
        return not text
    first, last = tokens[0], tokens[-1]
    if isinstance(first, tuple) and not text.startswith(first[0]):
        return False
    return not (isinstance(last, tuple) and not text.endswith(last[0]))


def glob_matches(pattern: Glob, text: str) -> bool:
    if len(pattern.tokens) == 1 and isinstance(pattern.tokens[0], tuple):
        return pattern.tokens[0][0] == text
    return _ends_fit(pattern, text) and glob_matcher(pattern)(text)


def arn_glob_matches(pattern: Glob, text: str) -> bool:
    if len(pattern.tokens) == 1 and isinstance(pattern.tokens[0], tuple):
        return pattern.tokens[0][0] == text  # a literal ARN pattern matches only itself
    return _ends_fit(pattern, text) and arn_matcher(pattern)(text)


def arn_matches(pattern: str, arn: str) -> bool:
    return arn_glob_matches(glob(pattern), arn)


def string_like(pattern: str, text: str) -> bool:
    return glob_matches(glob(pattern), text)


def resolve(
    text: str, variables: bool, context: Mapping[str, tuple[str, ...]] | None
) -> Glob | None:
    """The pattern ``text`` in a request's context: variables substituted when enabled."""
    if not variables or not has_variables(text):
        return glob(text)

    def lookup(key: str) -> str | None:
        values = (context or {}).get(key.lower())
        # A variable stands for one value; a multivalued or empty key has none to give.
        return values[0] if values is not None and len(values) == 1 else None

    return substitute(text, lookup)


# --- pattern inclusion and disjointness (sufficient conditions, for pruning) ------------


def _segments(pattern: Glob, arn: bool) -> list[tuple[str | tuple[str], ...]]:
    return split_arn_tokens(pattern) if arn else [pattern.tokens]


def _leading(tokens: tuple[str | tuple[str], ...]) -> tuple[str, bool]:
    """The literal text before the first wildcard, and whether there is no wildcard."""
    text = ""
    for token in tokens:
        if not isinstance(token, tuple):
            return text, False
        text += token[0]
    return text, True


def _trailing(tokens: tuple[str | tuple[str], ...]) -> str:
    text = ""
    for token in reversed(tokens):
        if not isinstance(token, tuple):
            return text
        text = token[0] + text
    return text


def _segment_subset(
    inner: tuple[str | tuple[str], ...], outer: tuple[str | tuple[str], ...]
) -> bool:
    if outer == (STAR,) or inner == outer:
        return True
    if any(t == QMARK for t in outer):
        return False
    # outer is P0*P1*...*Pn. Every string of inner (its wildcards shown as a character
    # no literal holds) matches when P0 starts it, each middle piece is found in order
    # inside inner's literal text, and Pn ends it after them.
    pieces = [""]
    for token in outer:
        if isinstance(token, tuple):
            pieces[-1] += token[0]
        else:
            pieces.append("")
    text = "".join(t[0] if isinstance(t, tuple) else "\0" for t in inner)
    if len(pieces) == 1 or any("\0" in piece for piece in pieces):
        return False
    first, *middle, last = pieces
    if not text.startswith(first):
        return False
    position = len(first)
    for piece in middle:
        found = text.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return text.endswith(last) and len(text) - len(last) >= position


def _segment_disjoint(
    one: tuple[str | tuple[str], ...], other: tuple[str | tuple[str], ...]
) -> bool:
    (head_one, exact_one), (head_other, exact_other) = _leading(one), _leading(other)
    if exact_one and exact_other:
        return head_one != head_other
    if not (head_one.startswith(head_other) or head_other.startswith(head_one)):
        return True
    if exact_one and not head_one.startswith(head_other):
        return True
    if exact_other and not head_other.startswith(head_one):
        return True
    tail_one, tail_other = _trailing(one), _trailing(other)
    return not (tail_one.endswith(tail_other) or tail_other.endswith(tail_one))


def glob_subset(inner: Glob, outer: Glob, *, arn: bool) -> bool:
    """``True`` only if every string ``inner`` matches, ``outer`` matches too (ARN
    segment rules when ``arn``). ``False`` means "not shown", not "no"."""
    one, two = _segments(inner, arn), _segments(outer, arn)
    if len(one) == len(two):
        return all(_segment_subset(a, b) for a, b in zip(one, two, strict=True))
    if len(one) > len(two) and two[-1] == (STAR,):
        # outer's last segment "*" spans any further segments of inner.
        return all(_segment_subset(a, b) for a, b in zip(one, two[:-1], strict=False))
    return False


def glob_disjoint(one: Glob, other: Glob, *, arn: bool) -> bool:
    """``True`` only if no string matches both (ARN segment rules when ``arn``)."""
    first, second = _segments(one, arn), _segments(other, arn)
    if len(first) == len(second):
        pairs = list(zip(first, second, strict=True))
    else:
        # Only the segments before either pattern's last are colon-free fields in both.
        shared = min(len(first), len(second)) - 1
        pairs = list(zip(first[:shared], second[:shared], strict=True))
    return any(_segment_disjoint(a, b) for a, b in pairs)
