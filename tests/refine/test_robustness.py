"""Any Python file gives a verdict or a one-line input error: never a traceback, never a hang.

Two generators: token soup (mostly not Python at all), and small well-formed functions
assembled from the constructs the checker knows and some it does not, with refinements
that may or may not hold or even make sense.
"""

from __future__ import annotations

import os
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmlab.core.errors import InputError
from fmlab.refine import Status, check_source

BUDGET_S = 20.0
# More examples for a stress run: FMLAB_ROBUSTNESS_EXAMPLES=2000 pytest tests/refine/...
EXAMPLES = int(os.environ.get("FMLAB_ROBUSTNESS_EXAMPLES", "80"))

_TOKENS = [
    "def",
    "f",
    "(",
    ")",
    ":",
    "x",
    "int",
    "->",
    "return",
    "\n",
    "    ",
    "if",
    "else",
    "while",
    "for",
    "in",
    "range",
    "[",
    "]",
    "#@",
    "# @",
    "measure",
    "assume",
    "invariant",
    "qualif",
    "{",
    "}",
    "|",
    "_",
    ">=",
    "<",
    "==",
    "+",
    "-",
    "//",
    "%",
    "0",
    "1",
    "-1",
    "len",
    ",",
    "Annotated",
    '"',
    "'",
    "list",
    "str",
    "assert",
    "raise",
    "=",
    "and",
    "or",
    "not",
    " ",
    "lambda",
    "class",
    "import",
    "from",
    "typing",
    "xs",
    "@",
    "\\",
    "\x00",
    "é",
    "None",
]


def _outcome(text: str) -> str:
    started = time.perf_counter()
    try:
        report = check_source(text, "junk.py", timeout_ms=2000)
    except InputError as error:
        message = str(error)
        outcome = "input-error"
    else:
        assert all(isinstance(f.status, Status) for f in report.functions)
        report.to_json()
        report.explain()
        outcome = "verdict"
        message = ""
    assert "\n" not in message
    assert time.perf_counter() - started < BUDGET_S
    return outcome


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join))
def test_token_soup(text: str) -> None:
    _outcome(text)


_PARAMS = st.sampled_from(
    [
        "x: int",
        'x: Annotated[int, "_ > 0"]',
        "xs: list[int]",
        's: Annotated[str, "len(_) > 1"]',
        "x",
        "x: float",
        "t: tuple[int, int]",
        'x: Annotated[int, "y > 0"]',
        "x: dict[int, int]",
    ]
)
_RETURNS = st.sampled_from(
    [
        "int",
        'Annotated[int, "_ >= 0"]',
        "None",
        "bool",
        'Annotated[int, "_ == x"]',
        "str",
    ]
)
_STATEMENTS = st.sampled_from(
    [
        "y = x + 1",
        "y = x // 2",
        "assert x > 0",
        "if x > 0:\n        return 1",
        "return x",
        "return 0",
        "return xs[0]",
        "return len(xs)",
        "y = xs[1:]",
        "while x > 0:\n        x -= 1",
        "for i in range(x):\n        y = i",
        "return -x",
        "raise ValueError()",
        "pass",
        "print(x)",
        "xs.append(1)",
        "return s[0]",
        "y = [x, x]",
        "return t[0]",
        "a, b = t",
        "return x if x > 0 else -x",
        "return f(x)",
        "return f(x - 1)",
        "try:\n        pass\n    except Exception:\n        pass",
        "# @ invariant x >= 0",
        "y = z",
    ]
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PARAMS, _RETURNS, st.lists(_STATEMENTS, min_size=1, max_size=5))
def test_small_functions(param: str, returns: str, statements: list[str]) -> None:
    body = "\n".join("    " + line for line in statements)
    text = f"from typing import Annotated\n\n\ndef f({param}) -> {returns}:\n{body}\n"
    assert _outcome(text) in ("verdict", "input-error")
