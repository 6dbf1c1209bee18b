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
    timeout_ms,
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


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan"])
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
