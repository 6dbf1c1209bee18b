"""Strings and wildcard patterns in z3, built from the same tokens as the concrete matcher.

z3 reads ``\\u{...}`` escapes inside string literals, so every literal goes through
:func:`string_val`, and model strings are read back character by character with
:func:`decode_string` rather than through z3's escaped printing.

>>> import z3
>>> s = z3.String("s")
>>> solver = z3.Solver()
>>> solver.add(z3.InRe(s, arn_re(glob("arn:aws:s3:::b/*"))), z3.Length(s) == 16)
>>> solver.check() == z3.sat
True
>>> decode_string(solver.model(), s).startswith("arn:aws:s3:::b/")
True
>>> z3.simplify(z3.Length(string_val("\\\\u{41}"))).as_long()  # six characters, not one
6
"""

from __future__ import annotations

import functools

import z3

from fmlab.iam._patterns import QMARK, STAR, Glob, glob, split_arn_tokens

__all__ = [
    "any_char",
    "arn_re",
    "decode_string",
    "glob",
    "glob_re",
    "ignore_case_re",
    "not_colon",
    "string_val",
]


def _escape(text: str) -> str:
    return "".join(
        char if 32 <= ord(char) < 127 and char != "\\" else f"\\u{{{ord(char):x}}}" for char in text
    )


def string_val(text: str) -> z3.SeqRef:
    """A z3 string literal holding exactly ``text``."""
    return z3.StringVal(_escape(text))


@functools.cache
def any_char() -> z3.ReRef:
    return z3.AllChar(z3.ReSort(z3.StringSort()))


MAX_CHAR = 0x2FFFF
"""The largest character of z3's default (unicode) string encoding."""


@functools.cache
def not_colon() -> z3.ReRef:
    """Any character but ``:``."""
    return z3.Intersect(any_char(), z3.Complement(z3.Re(string_val(":"))))


def _concat(parts: list[z3.ReRef]) -> z3.ReRef:
    if not parts:
        return z3.Re(string_val(""))
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)


def _tokens_re(tokens: tuple[str | tuple[str], ...], char: z3.ReRef) -> z3.ReRef:
    parts = []
    for token in tokens:
        if token == STAR:
            parts.append(z3.Star(char))
        elif token == QMARK:
            parts.append(char)
        else:
            assert isinstance(token, tuple)
            parts.append(z3.Re(string_val(token[0])))
    return _concat(parts)


def glob_re(pattern: Glob) -> z3.ReRef:
    """``*`` and ``?`` over any character: StringLike and action names."""
    return _tokens_re(pattern.tokens, any_char())


def arn_re(pattern: Glob) -> z3.ReRef:
    """Segment-by-segment ARN matching, as :func:`fmlab.iam._patterns.arn_matcher`."""
    segments = split_arn_tokens(pattern)
    parts: list[z3.ReRef] = []
    for index, segment in enumerate(segments):
        if index:
            parts.append(z3.Re(string_val(":")))
        last = index == len(segments) - 1
        parts.append(_tokens_re(segment, any_char() if last else not_colon()))
    return _concat(parts)


def ignore_case_re(text: str) -> z3.ReRef:
    """``text`` with ASCII letters in either case (the case folding both engines use)."""
    parts = []
    for char in text:
        if char.isascii() and char.isalpha():
            parts.append(z3.Union(z3.Re(string_val(char.lower())), z3.Re(string_val(char.upper()))))
        else:
            parts.append(z3.Re(string_val(char)))
    return _concat(parts)


def decode_string(model: z3.ModelRef, term: z3.SeqRef) -> str:
    """The value of a string term in ``model``, character by character."""
    length = model.eval(z3.Length(term), model_completion=True).as_long()
    chars = []
    for index in range(length):
        code = model.eval(z3.StrToCode(z3.SubString(term, index, 1)), model_completion=True)
        chars.append(chr(code.as_long()))
    return "".join(chars)
