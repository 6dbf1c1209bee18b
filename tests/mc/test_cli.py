"""`fmlab mc check` and `fmlab mc refines`: the JSON shape of the issue, exit codes 0/1/2/3,
one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fmlab.cli.main import main
from tests.mc.conftest import MODELS

BROKEN = MODELS / "broken"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_has_exactly_the_issue_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["mc", "check", str(MODELS / "mutex_naive.py"), "--json"], capsys)
    assert code == 1
    payload = json.loads(out)
    assert list(payload) == ["states", "transitions", "seconds", "properties"]
    assert (payload["states"], payload["transitions"]) == (9, 16)
    names = [p["name"] for p in payload["properties"]]
    assert names == ["inv_mutual_exclusion", "deadlock"]
    for prop in payload["properties"]:
        assert list(prop) == ["name", "kind", "status", "reason", "trace"]
        assert prop["kind"] in {"invariant", "deadlock", "liveness"}
        assert prop["status"] in {"holds", "violated", "unknown"}
    violated = payload["properties"][0]
    assert violated["status"] == "violated"
    assert violated["trace"][0] == {"action": None, "state": "('idle', 'idle', False, False)"}
    assert [step["action"] for step in violated["trace"][1:]] == [
        "test(0)",
        "test(1)",
        "enter(0)",
        "enter(1)",
    ]
    assert payload["properties"][1]["trace"] == []


@pytest.mark.parametrize(
    ("file", "extra", "code"),
    [
        ("locked_update.py", [], 0),
        ("philosophers.py", [], 1),
        ("broken/endless.py", ["--max-states", "100"], 3),
        ("broken/endless.py", ["--max-depth", "7"], 3),
        ("broken/endless.py", ["--timeout", "0.2"], 3),
        ("broken/raises_in_next.py", [], 2),
        ("broken/no_next.py", [], 2),
    ],
)
def test_exit_codes(
    file: str, extra: list[str], code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["mc", "check", str(MODELS / file), *extra], capsys)[0] == code


def test_liveness_lasso_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["mc", "check", str(MODELS / "busy_loop.py"), "--json"], capsys)
    assert code == 1
    live = json.loads(out)["properties"][-1]
    assert (live["name"], live["kind"], live["status"]) == (
        "leadsto_b_finishes",
        "liveness",
        "violated",
    )
    assert "cycle" in live["reason"]
    assert live["trace"][-1]["state"] in [step["state"] for step in live["trace"][:-1]]


def test_bad_input_is_one_line_naming_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    file = BROKEN / "raises_in_next.py"
    code, out, err = _run(["mc", "check", str(file)], capsys)
    assert code == 2
    assert out == ""
    assert err == f"fmlab: error: {file}:7: next() raised ZeroDivisionError: state two\n"


@pytest.mark.parametrize(
    "option", [["--max-states", "0"], ["--timeout", "-1"], ["--max-depth", "x"]]
)
def test_bad_options_exit_two(option: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["mc", "check", str(MODELS / "mutex_naive.py"), *option])
    assert exited.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_text_report_fits_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(["mc", "check", str(MODELS / "busy_loop.py")], capsys)
    assert all(len(line) <= 90 for line in out.splitlines())
    assert "violated  leadsto_b_finishes" in out


def test_refines_prints_a_divergence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.py"
    spec.write_text(
        "def init():\n    return ['closed']\n\n\n"
        "def next(s):\n    if s == 'closed':\n        yield 'open', 'open'\n"
        "    else:\n        yield 'close', 'closed'\n",
        encoding="utf-8",
    )
    impl = tmp_path / "impl.py"
    impl.write_text(
        "def init():\n    return [0]\n\n\n"
        "def next(s):\n    yield 'poll', s\n    if s == 0:\n        yield 'open', 1\n"
        "    else:\n        yield 'open', 1\n\n\n"
        "LABEL_MAP = {'poll': None}\n",
        encoding="utf-8",
    )
    code, out, _ = _run(["mc", "refines", str(impl), str(spec), "--json"], capsys)
    assert code == 1
    (prop,) = json.loads(out)["properties"]
    assert (prop["kind"], prop["status"]) == ("refinement", "violated")
    assert [s["action"] for s in prop["trace"]] == [None, "open", "open"]
    assert "cannot do open" in prop["reason"]


def test_help_says_the_file_is_imported() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fmlab.cli.main", "mc", "check", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "imported" in done.stdout
    assert "code runs" in " ".join(done.stdout.split())


def test_a_vector_model_file_takes_the_fast_path(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GRID_K", "3")
    monkeypatch.setenv("GRID_M", "3")
    grid = Path(__file__).resolve().parents[2] / "benchmarks" / "mc" / "models" / "grid_vector.py"
    code, out, _ = _run(["mc", "check", str(grid), "--json"], capsys)
    assert code == 0
    payload = json.loads(out)
    assert (payload["states"], payload["transitions"]) == (27, 81)
    code, out, _ = _run(["mc", "check", str(grid)], capsys)
    assert out.startswith(f"{grid}: 27 states")


def _model_file(folder: Path, name: str, source: str) -> Path:
    path = folder / name
    path.write_text(source, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("source", "line", "says"),
    [
        ("import sys\n\nsys.exit(3)\n", 3, "while importing the model: SystemExit: 3"),
        (
            "import sys\n\n\ndef init():\n    return [0]\n\n\ndef next(state):\n    sys.exit(0)\n",
            9,
            "next() raised SystemExit: 0",
        ),
    ],
    ids=["on import", "inside next"],
)
def test_a_model_that_exits_is_bad_input_not_a_verdict(
    tmp_path: Path, source: str, line: int, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # sys.exit(0) inside next once ended the checker with exit code 0, read as "holds".
    file = _model_file(tmp_path, "exits.py", source)
    code, out, err = _run(["mc", "check", str(file)], capsys)
    assert (code, out) == (2, "")
    assert err == f"fmlab: error: {file}:{line}: {says}\n"


def test_an_invariant_without_a_return_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Read as False, a forgotten return would be reported as a violation in state 0.
    file = _model_file(
        tmp_path,
        "no_return.py",
        "def init():\n    return [0]\n\n\ndef next(state):\n    yield 'a', (state + 1) % 3\n"
        "\n\ndef inv_small(state):\n    state < 3\n",
    )
    code, out, err = _run(["mc", "check", str(file)], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"fmlab: error: {file}:9: inv_small(state) returned None")
    assert err.count("\n") == 1


def test_a_state_whose_repr_raises_is_still_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _model_file(
        tmp_path,
        "mute.py",
        "from dataclasses import dataclass\n\n\n@dataclass(frozen=True)\nclass S:\n"
        "    n: int\n\n    def __repr__(self):\n        raise RuntimeError('no text')\n\n\n"
        "def init():\n    return [S(0)]\n\n\ndef next(state):\n    yield 'up', S(state.n + 1)\n"
        "\n\ndef inv_below_two(state):\n    return state.n < 2\n",
    )
    code, out, err = _run(["mc", "check", str(file), "--max-states", "5"], capsys)
    assert code == 1, err
    assert "<S: its __repr__ raised RuntimeError: no text>" in out
    code, out, _ = _run(["mc", "check", str(file), "--max-states", "5", "--json"], capsys)
    violated = json.loads(out)["properties"][0]
    assert (violated["status"], len(violated["trace"])) == ("violated", 3)


def test_a_relative_path_keeps_the_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(BROKEN)
    code, _, err = _run(["mc", "check", "raises_on_import.py"], capsys)
    assert code == 2
    assert err.startswith("fmlab: error: raises_on_import.py:5: while importing the model")
