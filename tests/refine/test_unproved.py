"""Which refinements need run-time checks: ``unproved_obligations`` and ``--runtime-checks``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fmlab.cli.main import main
from fmlab.refine._unproved import RETURN, Unproved, unproved_obligations
from tests.refine.corpus_support import CORPUS

EXAMPLE = Path(__file__).parent / "examples" / "enforced.py"


def test_the_example_module_lists_exactly_what_was_not_proved() -> None:
    found = {(u.function, u.target, u.predicate) for u in unproved_obligations(EXAMPLE)}
    assert found == {
        ("square", RETURN, "_ == n * n"),
        ("off_by_one", RETURN, "_ == n * n"),
        ("square", "n", "_ >= 0"),  # the call in caller(k) with any k
        ("pick", RETURN, "_ <= total(xs)"),  # total is a measure: unknown to the solver
    }


def test_a_safe_file_needs_no_run_time_checks() -> None:
    assert unproved_obligations(CORPUS / "pos" / "heartbleed_fixed.py") == ()


def test_calls_inside_an_unsupported_function_are_not_proved(tmp_path: Path) -> None:
    program = tmp_path / "p.py"
    program.write_text(
        "from typing import Annotated\n\n\n"
        'def pos(x: Annotated[int, "_ > 0"]) -> int:\n    return x\n\n\n'
        "def user(y: int) -> int:\n    with open('f') as h:\n        pass\n    return pos(1)\n"
    )
    [unproved] = unproved_obligations(program)
    assert unproved == Unproved(
        "pos", "x", "_ > 0", 11, "the call in user at line 11 is not proved"
    )


def test_cli_runtime_checks_adds_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["refine", "check", str(EXAMPLE), "--runtime-checks", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert list(payload) == ["functions", "runtime_checks"]
    assert {"function": "off_by_one", "target": "return"}.items() <= payload["runtime_checks"][
        1
    ].items()
    assert main(["refine", "check", str(EXAMPLE), "--runtime-checks"]) == 1
    text = capsys.readouterr().out
    assert "not proved, check at run time" in text
    assert "square parameter n: `_ >= 0` (the call in caller at line 53 is not proved)" in text


def test_cli_runtime_checks_on_a_safe_file(capsys: pytest.CaptureFixture[str]) -> None:
    safe = CORPUS / "pos" / "heartbleed_fixed.py"
    assert main(["refine", "check", str(safe), "--runtime-checks"]) == 0
    assert "every refinement is proved" in capsys.readouterr().out
