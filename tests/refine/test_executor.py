"""Walking function bodies: unsupported constructs are named and located, never skipped."""

from __future__ import annotations

import pytest

from fmlab.refine import Status, check_source

HEADER = "from typing import Annotated\n\n\ndef f(x: int, xs: list[int]) -> int:\n"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("    try:\n        pass\n    finally:\n        pass\n    return 0", "try statement"),
        ("    with open('f') as h:\n        pass\n    return 0", "with statement"),
        ("    g = lambda: 1\n    return 0", "lambda"),
        ("    ys = [y for y in xs]\n    return 0", "list comprehension"),
        ("    xs[0] = 1\n    return 0", "mutation"),
        ("    return xs.count(1)", "method calls"),
        ("    return print(x)", "call to print"),
        ("    global y\n    return 0", "global statement"),
        ("    return y", "name 'y'"),
        ("    for i in xs:\n        break\n    else:\n        pass\n    return 0", "for ... else"),
        ("    break\n    return 0", "break outside a loop"),
    ],
)
def test_unsupported_constructs_are_reported_with_their_line(body: str, words: str) -> None:
    [function] = check_source(HEADER + body + "\n").functions
    assert function.status is Status.UNSUPPORTED
    [error] = function.errors
    assert words in error.message
    assert error.line >= 5


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("    xs += [1]\n    return 0", 5, "`xs += ...` to a list mutates it"),
        ("    xs *= 2\n    return 0", 5, "`xs *= ...` to a list mutates it"),
        ("    if x > 0:\n        xs += [x]\n    return 0", 6, "to a list mutates it"),
        ("    for y in xs:\n        xs += [y]\n    return 0", 6, "to a list mutates it"),
        ("    xs.extend([1])\n    return 0", 5, "method calls"),
        ("    xs.sort()\n    return 0", 5, "method calls"),
        ("    xs.append(1)\n    return 0", 5, "method calls"),
        ("    del xs[0]\n    return 0", 5, "del statement"),
        ("    xs[0:1] = [2, 3]\n    return 0", 5, "mutation"),
    ],
)
def test_in_place_list_mutations_are_unsupported_not_rebindings(
    body: str, line: int, words: str
) -> None:
    # Each of these changes the caller's list too: never read as a fresh local value.
    [function] = check_source(HEADER + body + "\n").functions
    assert function.status is Status.UNSUPPORTED
    [error] = function.errors
    assert (error.line, words in error.message) == (line, True), error.message


def test_augmented_assignment_on_ints_and_strings_is_a_rebinding() -> None:
    body = '    s = "a"\n    s += "bc"\n    y = x\n    y += 1\n    y *= 2\n    return y + len(s)\n'
    source = HEADER.replace("-> int", '-> Annotated[int, "_ == 2 * x + 5"]') + body
    [function] = check_source(source).functions
    assert function.status is Status.SAFE, function.explain()


def test_sequential_guards_are_joined_not_forked() -> None:
    # 2**40 paths if each if forked; joined with if-then-else values, one path.
    body = "".join(f"    if x > {k}:\n        x = x + 1\n" for k in range(40)) + "    return x\n"
    [function] = check_source(
        HEADER.replace("-> int", '-> Annotated[int, "_ >= x"]') + body
    ).functions
    assert function.status is Status.SAFE


def test_path_explosion_is_unknown_not_safe() -> None:
    # Guards that return cannot be joined: 2**13 paths, more than the checker explores.
    body = (
        "".join(
            f"    if x > {k}:\n        if xs:\n            return 1\n        x = x - 1\n"
            for k in range(13)
        )
        + "    return x\n"
    )
    [function] = check_source(HEADER + body).functions
    assert function.status is Status.UNKNOWN
    assert "too many paths" in function.errors[0].message or "gave up" in function.errors[0].message


def test_a_reachable_raise_is_an_error_with_a_counterexample() -> None:
    [function] = check_source(
        HEADER + "    if x > 3:\n        raise ValueError\n    return 0\n"
    ).functions
    assert function.status is Status.UNSAFE
    assert function.errors[0].counterexample["x"] > 3


def test_facts_from_a_failed_obligation_are_assumed_afterwards() -> None:
    # One bug, one report: after xs[0], the list is known to be non-empty.
    body = "    a = xs[0]\n    b = xs[0]\n    return a + b\n"
    [function] = check_source(HEADER + body).functions
    assert [error.line for error in function.errors] == [5]
