"""``fmlab refine check``: exit codes, the JSON shape, --dump-vc, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fmlab.cli.main import main
from tests.refine.corpus_support import CORPUS

SAFE = CORPUS / "pos" / "heartbleed_fixed.py"
UNSAFE = CORPUS / "neg" / "heartbleed.py"


def test_all_safe_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["refine", "check", str(SAFE)]) == 0
    assert "output (line" in capsys.readouterr().out


def test_unsafe_exits_1_with_the_exact_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["refine", "check", str(UNSAFE), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert list(payload) == ["functions"]
    [function] = payload["functions"]
    assert list(function) == ["name", "line", "status", "errors"]
    assert (function["name"], function["status"]) == ("output", "unsafe")
    [error] = function["errors"]
    assert list(error) == ["line", "col", "message", "counterexample"]
    assert error["line"] == 27
    assert "tlen(t) >= n" in error["message"]
    assert error["counterexample"] == {}


def test_a_modular_counterexample_lists_what_it_assumes_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = tmp_path / "p.py"
    program.write_text(
        "from typing import Annotated\n\n\ndef double(n: int) -> int:\n    return n + n\n\n\n"
        'def even(n: int) -> Annotated[int, "_ % 2 == 0"]:\n    return double(n)\n'
    )
    assert main(["refine", "check", str(program), "--json"]) == 1
    [error] = json.loads(capsys.readouterr().out)["functions"][1]["errors"]
    assert list(error) == ["line", "col", "message", "counterexample", "assumes"]
    n = error["counterexample"]["n"]
    [assumed] = error["assumes"]
    assert assumed.startswith(f"double({n}) returned ")
    assert int(assumed.rsplit(" ", 1)[1]) % 2 == 1


def test_counterexample_in_python_terms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    program = tmp_path / "p.py"
    program.write_text(
        'from typing import Annotated\n\n\ndef f(x: int) -> Annotated[int, "_ >= 0"]:\n'
        "    return x\n"
    )
    assert main(["refine", "check", str(program), "--json"]) == 1
    [error] = json.loads(capsys.readouterr().out)["functions"][0]["errors"]
    assert error["counterexample"]["x"] < 0
    assert (error["line"], error["col"]) == (5, 12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("def f(:\n", "p.py:1:7: syntax error"),
        (
            'from typing import Annotated\ndef f(x: Annotated[int, "_ >"]) -> int:\n    return x\n',
            "p.py:2:",
        ),
        ("# @ frobnicate x\n", "p.py:1:5: unknown specification"),
        (
            'from typing import Annotated\ndef f(x: Annotated[int, "y > 0"]) -> int:\n'
            "    return x\n",
            "unknown name 'y'",
        ),
        ("\x00", "null bytes"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    text: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = tmp_path / "p.py"
    program.write_text(text)
    assert main(["refine", "check", str(program)]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert err.count("\n") == 1


def test_missing_file_and_bad_usage_exit_2(tmp_path: Path) -> None:
    assert main(["refine", "check", str(tmp_path / "absent.py")]) == 2
    with pytest.raises(SystemExit) as exited:
        main(["refine", "check"])
    assert exited.value.code == 2


def test_dump_vc_writes_smtlib_that_z3_reads(tmp_path: Path) -> None:
    import z3

    directory = tmp_path / "vcs"
    assert main(["refine", "check", str(UNSAFE), "--dump-vc", str(directory)]) == 1
    dumped = (directory / "output.smt2").read_text()
    assert "(declare-fun tlen (Text) Int)" in dumped
    # The obligation's block is satisfiable: the call can break take_word16's refinement.
    block = dumped.split("(push)")[1].split("(pop)")[0]
    solver = z3.Solver()
    solver.from_string(block)
    assert solver.check() == z3.sat


def test_timeout_flag_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["refine", "check", str(SAFE), "--timeout", "5"]) == 0
