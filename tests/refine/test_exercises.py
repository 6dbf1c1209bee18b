"""An exercise's attempt is answered with the checker's counterexample, or accepted."""

from __future__ import annotations

import pytest

from fmlab.refine import AttemptReply, Status, check_attempt

ABSOLUTE = """\
from typing import Annotated


def absolute(x: int) -> Annotated[int, "_ >= 0 and (_ == x or _ == -x)"]:
    {body}
"""
WRONG = ABSOLUTE.format(body="return x if x > 1 else x")
RIGHT = ABSOLUTE.format(body="return x if x > 0 else -x")


def _run(source: str, name: str, **arguments: int) -> int:
    namespace: dict[str, object] = {}
    exec(compile(source, "attempt.py", "exec"), namespace)  # the test's own program
    function = namespace[name]
    assert callable(function)
    result = function(**arguments)
    assert isinstance(result, int)
    return result


def test_a_wrong_attempt_gets_a_counterexample_that_really_breaks_the_claim() -> None:
    reply = check_attempt(WRONG, "absolute")
    assert not reply.accepted
    assert reply.status is Status.UNSAFE
    witness = reply.counterexample
    assert witness is not None
    assert set(witness) == {"x"}
    # Independent of the checker: Python's own run at the witness breaks the promise.
    assert _run(WRONG, "absolute", x=witness["x"]) < 0
    text = str(reply)
    assert text.startswith("unsafe: absolute does not check yet")
    assert f"counterexample: x = {witness['x']}" in text
    assert "return x if x > 0" not in text  # the reply is a hint, not the solution


def test_a_right_attempt_is_accepted() -> None:
    reply = check_attempt(RIGHT, "absolute")
    assert reply == AttemptReply("absolute", Status.SAFE, ())
    assert reply.accepted
    assert reply.counterexample is None
    assert str(reply) == "accepted: absolute is safe"
    assert all(_run(RIGHT, "absolute", x=x) == abs(x) for x in range(-5, 6))


def test_an_unknown_attempt_has_no_counterexample_and_says_why() -> None:
    square = """\
from typing import Annotated


def square(n: Annotated[int, "_ >= 0"]) -> Annotated[int, "_ == n * n"]:
    total = 0
    i = 0
    while i < n:
        i = i + 1
        total = total + n
    return total
"""
    reply = check_attempt(square, "square")
    assert reply.status is Status.UNKNOWN
    assert reply.counterexample is None
    assert str(reply).startswith("unknown: square does not check yet")


def test_reply_lines_fit_the_page() -> None:
    long_claim = " and ".join(f"_ != {n}" for n in range(30))
    source = f'''\
from typing import Annotated


def f(x: int) -> Annotated[int, "{long_claim}"]:
    return x
'''
    reply = check_attempt(source, "f")
    assert not reply.accepted
    longest_word = max(len(word) for word in reply.explain().split())
    assert all(len(line) <= max(80, longest_word + 8) for line in reply.explain().splitlines())
    assert all(len(line) <= 60 for line in reply.explain(width=60).splitlines())


def test_a_missing_function_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        check_attempt(RIGHT, "absolut")
