"""Reading a result type off the returns of a function written without ``-> T``."""

from __future__ import annotations

import pytest

from fmlab.refine import Status, check_source
from fmlab.refine._specs import parse, read_module

HEAD = "from dataclasses import dataclass\n\n@dataclass(frozen=True)\nclass P:\n    x: int\n\n"


def _result(body: str) -> str:
    text = HEAD + body
    spec = read_module(parse(text, "r.py"), text, "r.py")
    if "f" in spec.broken:
        return "unsupported: " + spec.broken["f"].what
    return str(spec.signatures["f"].result.type)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("def f(n: int):\n    return n + 1\n", "int"),
        ("def f(n: int):\n    return n > 1 and n < 5\n", "bool"),
        ("def f(s: str):\n    return s + '!'\n", "str"),
        ("def f(n: int):\n    if n:\n        return f(n - 1)\n    return 0\n", "int"),
        ("def f(xs: list[int]):\n    ys = xs[1:]\n    return ys\n", "list[int]"),
        ("def f(xs: list[int]):\n    if xs:\n        return [xs[0]]\n    return []\n", "list[int]"),
        ("def f(n: int):\n    return P(n)\n", "P"),
        ("def f(p: P):\n    return p.x\n", "int"),
        ("def f(n: int):\n    return (n, 'a')\n", "tuple[int, str]"),
        ("def f(n: int):\n    assert n == n\n", "None"),
        ("def f(n: int):\n    return g(n)\n\ndef g(m: int):\n    return m * 2\n", "int"),
        ("def f(n: int):\n    for i in range(n):\n        k = i\n    return k\n", "int"),
    ],
)
def test_clear_returns_give_the_result_type(body: str, expected: str) -> None:
    assert _result(body) == expected


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("def f(n: int):\n    return n / 2\n", "not clear"),
        ("def f(n: int):\n    if n:\n        return 1\n    return 'a'\n", "returns int and str"),
        ("def f(n: int):\n    return f(n)\n", "do not show a type"),
        ("def f(n: int):\n    return unknown(n)\n", "not clear"),
        ("def f(n: int):\n    return []\n", "do not show a type"),
    ],
)
def test_unclear_returns_make_only_that_function_unsupported(body: str, words: str) -> None:
    assert words in _result(body)
    report = check_source(HEAD + body + "\ndef other(n: int) -> int:\n    return n\n")
    statuses = {function.name: function.status for function in report.functions}
    assert statuses == {"f": Status.UNSUPPORTED, "other": Status.SAFE}


def test_an_inferred_type_is_checked_and_its_refinement_inferred() -> None:
    body = (
        "def f(n: int):\n    if n > 0:\n        return n\n    return -n\n\n"
        "def g(n: int) -> Annotated[int, '_ >= 0']:\n    return f(n)\n"
    )
    report = check_source("from typing import Annotated\n" + HEAD + body)
    assert report.all_safe
    fall_off = check_source(HEAD + "def f(n: int):\n    if n > 0:\n        return n\n")
    assert fall_off.functions[0].status is Status.UNSAFE
