"""Policy variables in the symbolic engine: patterns whose text comes from the request.

``arn:aws:s3:::home/${aws:username}/*`` is not one regular expression: which resources it
matches depends on the request's ``aws:username``. The concrete evaluator substitutes the
value (:func:`fmlab.iam._patterns.resolve`); here the pattern becomes a formula over two
z3 strings, the one being matched and the variable's value, built from the same rules:

* a variable stands for its key's value when the key has exactly one value, else for its
  default (``${aws:username, 'anonymous'}``), else the pattern matches nothing;
* ``${*}``, ``${?}`` and ``${$}`` are the literal characters;
* the value is literal text: its ``*`` is no wildcard.

The formula needs no quantifier, so it may sit under a negation (a Deny, ``StringNotLike``):
the exact pieces before the first wildcard are a prefix of the string, those after the
last wildcard a suffix, and the middle is a regular expression when it holds no
variable. A variable *between* two stars makes the middle a list of pieces that must
occur in order, each found with ``IndexOf`` after the previous one (the leftmost
occurrence, as the concrete matcher takes it). Still reported as unsupported: a ``?``
between two stars beside a variable, and a variable before the fifth colon of an ARN
pattern with wildcards, or after a wildcard in its first five fields (its value's colons
would move the segment boundaries).

>>> import z3
>>> present, name = z3.Bool("present"), z3.String("name")
>>> resource = z3.String("resource")
>>> formula = pattern_matches(resource, "arn:aws:s3:::home/${aws:username}/*", "arn",
...                           lambda key: (present, name))
>>> solver = z3.Solver()
>>> solver.add(formula, name == z3.StringVal("alice"), z3.Length(resource) == 25)
>>> solver.check() == z3.sat
True
>>> solver.model().eval(resource).as_string().startswith("arn:aws:s3:::home/alice/")
True
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import z3

from fmlab.core.errors import UnsupportedError
from fmlab.iam._patterns import QMARK, STAR, glob
from fmlab.iam._z3text import any_char, not_colon, string_val

Semantics = Literal["arn", "like", "eq"]
"""How the pattern matches: ARN segment rules, ``StringLike`` wildcards, or exact text."""

ValueOf = Callable[[str], tuple[z3.BoolRef, z3.SeqRef]]
"""For a lower-cased key: (the key has exactly one value, that value)."""

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


class VariableSupportError(UnsupportedError):
    """A pattern with variables the encoding does not cover."""


@dataclass(frozen=True)
class Variable:
    key: str
    """Lower-cased, as request contexts store keys."""
    default: str | None


Token = str | tuple[str] | Variable
"""``STAR``, ``QMARK``, a literal ``("text",)``, or a variable."""


def tokens(text: str) -> tuple[Token, ...]:
    """The pattern's tokens with variables kept as placeholders (escapes made literal)."""
    out: list[Token] = []
    position = 0
    for found in _VARIABLE.finditer(text):
        out.extend(glob(text[position : found.start()]).tokens)
        inner = found.group(1).strip()
        if inner in _ESCAPES:
            out.append((_ESCAPES[inner],))
        else:
            key, _, default = inner.partition(",")
            default = default.strip()
            value = (
                default[1:-1] if len(default) >= 2 and default[0] == default[-1] == "'" else None
            )
            out.append(Variable(key.strip().lower(), value))
        position = found.end()
    out.extend(glob(text[position:]).tokens)
    return tuple(out)


def variable_keys(text: str) -> frozenset[str]:
    """The context keys whose values a pattern reads (escapes read none)."""
    return frozenset(t.key for t in tokens(text) if isinstance(t, Variable))


def reads_request(text: str) -> bool:
    return bool(variable_keys(text))


Fields = tuple[z3.BoolRef, z3.SeqRef, z3.SeqRef]
"""An ARN split at its fifth colon: (it has five colons, the text up to and including the
fifth, the rest). The caller keeps the three tied to the whole string by constraints."""


def needs_fields(text: str) -> bool:
    """Whether ``text``, as an ARN pattern, needs its target split at the fifth colon: a
    wildcard in the first five fields and a variable in the resource part."""
    items = tokens(text)
    if not any(isinstance(t, Variable) for t in items):
        return False
    cut = _cut_at_fifth_colon(items)
    return cut is not None and any(not isinstance(t, tuple) for t in cut[0])


def pattern_matches(
    target: z3.SeqRef,
    text: str,
    semantics: Semantics,
    value_of: ValueOf,
    fields: Fields | None = None,
) -> z3.BoolRef:
    """Whether ``target`` matches the pattern ``text`` once its variables are replaced.

    ``fields`` (for ARNs) is ``target`` split at its fifth colon, needed when the pattern
    has a wildcard in the first five fields and a variable after them."""
    items = tokens(text)
    wildcards = any(not isinstance(t, (tuple, Variable)) for t in items)
    if semantics == "arn" and wildcards and any(isinstance(t, Variable) for t in items):
        cut = _cut_at_fifth_colon(items)
        if cut is None:
            raise VariableSupportError(
                f'"{text}": a policy variable before the resource part of an ARN pattern '
                "with wildcards"
            )
        head, last = cut
        if any(not isinstance(t, tuple) for t in head):
            # Splitting the target at its fifth colon with IndexOf inside the formula made
            # z3 time out on real policies (SageMaker's managed ones). The split given
            # here is made once, by constraints outside the formula.
            if fields is None:
                raise VariableSupportError(
                    f'"{text}": a policy variable after wildcards in the first five ARN fields'
                )
            has_five, first_five, rest = fields
            # Field wildcards stop at colons, so the head's five literal colons are the
            # target's first five; past them a wildcard may span colons ("like").
            return z3.And(
                has_five,
                z3.InRe(first_five, _field_re(head)),
                _match_tokens(rest, last, "like", text, value_of),
            )
    return _match_tokens(target, items, semantics, text, value_of)


def _field_re(items: tuple[Token, ...]) -> z3.ReRef:
    """Variable-free tokens of the first five ARN fields: wildcards match no colon."""
    parts: list[z3.ReRef] = []
    for item in items:
        if isinstance(item, tuple):
            parts.append(z3.Re(string_val(item[0])))
        elif item == STAR:
            parts.append(z3.Star(not_colon()))
        else:
            parts.append(not_colon())
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)


def _cut_at_fifth_colon(
    items: tuple[Token, ...],
) -> tuple[tuple[Token, ...], tuple[Token, ...]] | None:
    """The tokens up to and including the fifth literal colon, and the rest; ``None``
    when a variable comes before it (its value's colons would move the fields)."""
    colons = 0
    head: list[Token] = []
    for index, item in enumerate(items):
        if isinstance(item, Variable):
            return None
        if isinstance(item, tuple):
            text = item[0]
            need = 5 - colons
            if text.count(":") >= need:
                cut = -1
                for _ in range(need):
                    cut = text.index(":", cut + 1)
                head.append((text[: cut + 1],))
                rest: list[Token] = [(text[cut + 1 :],)] if text[cut + 1 :] else []
                return tuple(head), (*rest, *items[index + 1 :])
            colons += text.count(":")
        head.append(item)
    return None


def _match_tokens(
    target: z3.SeqRef,
    items: tuple[Token, ...],
    semantics: Semantics,
    text: str,
    value_of: ValueOf,
) -> z3.BoolRef:
    guards: list[z3.BoolRef] = []
    pieces: list[z3.SeqRef | str | None] = []
    for item in items:
        if isinstance(item, Variable):
            present, value = value_of(item.key)
            if item.default is None:
                guards.append(present)
                pieces.append(value)
            else:
                pieces.append(z3.If(present, value, string_val(item.default)))
        elif isinstance(item, tuple):
            pieces.append(item[0])
        else:
            pieces.append(None)  # a wildcard
    if semantics == "eq":
        # StringEquals compares the substituted text exactly: "*" is a character there.
        whole = [p if p is not None else str(items[i]) for i, p in enumerate(pieces)]
        return z3.And(*guards, target == _concat(whole))
    wild = [i for i, p in enumerate(pieces) if p is None]
    if not wild:
        return z3.And(*guards, target == _concat(pieces))
    first, last = wild[0], wild[-1]
    head = _concat(pieces[:first])
    tail = _concat(pieces[last + 1 :])
    size = z3.Length(target)
    rest = size - z3.Length(head) - z3.Length(tail)
    between = z3.SubString(target, z3.Length(head), rest)
    if any(isinstance(items[i], Variable) for i in range(first, last + 1)):
        middle = _floating_pieces(items, pieces, first, last, text)
        fits = _in_order(between, middle)
    else:
        fits = z3.InRe(between, _middle_re(items, first, last, semantics))
    # Pieces by position rather than PrefixOf/SuffixOf: z3's sequence solver answers
    # these (negated, too) far more reliably.
    return z3.And(
        *guards,
        rest >= 0,
        z3.SubString(target, 0, z3.Length(head)) == head,
        z3.SubString(target, size - z3.Length(tail), z3.Length(tail)) == tail,
        fits,
    )


def _floating_pieces(
    items: tuple[Token, ...],
    pieces: list[z3.SeqRef | str | None],
    first: int,
    last: int,
    text: str,
) -> list[z3.SeqRef]:
    """The text between the first and the last wildcard when a variable sits there: the
    pieces between its stars (literals and variable values), in order. Only stars are
    covered there: a ``?`` next to a variable's value would need its length."""
    if any(items[i] == QMARK for i in range(first, last + 1)):
        raise VariableSupportError(f'"{text}": a policy variable and a "?" between two "*"')
    out: list[z3.SeqRef] = []
    current: list[z3.SeqRef | str | None] = []
    for index in range(first + 1, last + 1):
        if items[index] == STAR:
            if current:
                out.append(_concat(current))
            current = []
        else:
            current.append(pieces[index])
    return out


def _in_order(between: z3.SeqRef, middle: list[z3.SeqRef]) -> z3.BoolRef:
    """Each piece occurs in ``between`` after the previous one, the leftmost occurrence
    taken each time (as the concrete matcher does: a later one never helps). Written
    with ``IndexOf``, a function, so the formula has no quantifier and may be negated
    (a Deny, ``StringNotLike``); the wildcards here may span colons (for ARNs the caller
    has put them in the resource part)."""
    facts: list[z3.BoolRef] = []
    position: z3.ArithRef = z3.IntVal(0)
    for piece in middle:
        found = z3.IndexOf(between, piece, position)
        facts.append(found >= 0)
        position = found + z3.Length(piece)
    return z3.And(*facts)


def _concat(pieces: list[z3.SeqRef | str | None]) -> z3.SeqRef:
    terms = [string_val(p) if isinstance(p, str) else p for p in pieces if p is not None]
    if not terms:
        return string_val("")
    return terms[0] if len(terms) == 1 else z3.Concat(*terms)


def _middle_re(items: tuple[Token, ...], first: int, last: int, semantics: Semantics) -> z3.ReRef:
    """The variable-free stretch from the first to the last wildcard, as a z3 regex.

    For ARNs a wildcard stays inside its segment unless it lies past the fifth colon;
    the colons counted are literal ones, which the caller made sure come before any
    variable."""
    colons = sum(t[0].count(":") for t in items[:first] if isinstance(t, tuple))
    parts: list[z3.ReRef] = []
    for item in items[first : last + 1]:
        if isinstance(item, tuple):
            parts.append(z3.Re(string_val(item[0])))
            colons += item[0].count(":")
            continue
        char = any_char() if semantics == "like" or colons >= 5 else not_colon()
        parts.append(z3.Star(char) if item == STAR else char)
        assert item in (STAR, QMARK)
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)
