"""Shared CLI conventions: the timeout flag, JSON output of library objects, one-line errors."""

from __future__ import annotations

import argparse
import enum
import io
import json

import pytest

from fmlab.cli.conventions import (
    ExitCode,
    OneLineParser,
    add_json_flag,
    add_timeout_flag,
    emit,
    seconds,
    timeout_ms,
    whole_number,
)
from fmlab.core.result import Proved


def _parser() -> OneLineParser:
    parser = OneLineParser(prog="fmlab test")
    add_json_flag(parser)
    add_timeout_flag(parser)
    return parser


def test_timeout_in_milliseconds() -> None:
    assert timeout_ms(_parser().parse_args([])) is None
    assert timeout_ms(_parser().parse_args(["--timeout", "2.5"])) == 2500
    assert timeout_ms(_parser().parse_args(["--timeout", "0.0001"])) == 1


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan", "inf"])
def test_bad_timeouts_exit_2_with_one_line(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        _parser().parse_args(["--timeout", value])
    assert stopped.value.code == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--timeout" in err


def test_emit_serialises_results_enums_and_sets() -> None:
    class Color(enum.Enum):
        RED = "red"

    out = io.StringIO()
    emit(
        argparse.Namespace(json=True),
        {"result": Proved("c"), "color": Color.RED, "tags": frozenset({"b", "a"})},
        "unused",
        stream=out,
    )
    assert json.loads(out.getvalue()) == {
        "result": {"verdict": "proved", "claim": "c", "bound": None},
        "color": "red",
        "tags": ["a", "b"],
    }


def test_emit_refuses_unknown_objects() -> None:
    with pytest.raises(TypeError, match="cannot write object"):
        emit(argparse.Namespace(json=True), {"x": object()}, "", stream=io.StringIO())


@pytest.mark.parametrize(
    ("parse", "text", "expected"),
    [
        (whole_number(), "0", 0),
        (whole_number(), "1_000", 1000),
        (whole_number(1), "7", 7),
        (whole_number(1, 8), "8", 8),
        (seconds(), "0.5", 0.5),
        (seconds(allow_zero=True), "0", 0.0),
    ],
)
def test_numeric_options_accept(parse: object, text: str, expected: float) -> None:
    assert callable(parse)
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (whole_number(), "two", "expected a whole number, got 'two'"),
        (whole_number(), "1.5", "expected a whole number, got '1.5'"),
        (whole_number(), "-1", "expected a whole number >= 0, got '-1'"),
        (whole_number(1), "0", "expected a positive whole number, got '0'"),
        (whole_number(1, 8), "9", "expected 1 to 8, got 9"),
        (whole_number(1, 8), "0", "expected 1 to 8, got 0"),
        (seconds(), "0", "expected a positive number of seconds, got '0'"),
        (seconds(), "soon", "expected a number of seconds, got 'soon'"),
        (seconds(allow_zero=True), "-0.1", "expected a non-negative number of seconds, got '-0.1'"),
        (seconds(allow_zero=True), "nan", "expected a non-negative number of seconds, got 'nan'"),
    ],
)
def test_numeric_options_refuse_with_one_message(parse: object, text: str, message: str) -> None:
    assert callable(parse)
    with pytest.raises(argparse.ArgumentTypeError) as refused:
        parse(text)
    assert str(refused.value) == message
