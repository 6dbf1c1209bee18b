"""SPIN and fmlab.mc agree: verdicts, reachable state counts where both are exhaustive, and
shortest trace lengths for breadth-first checks. The Promela twins are written so that a
SPIN state is a state of the Python model (one process, one guarded ``d_step`` per
action)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from fmlab.cli.main import main
from fmlab.core.errors import UnavailableError
from fmlab.mc import SpinError, Status, check, load_model, run_spin
from tests.mc.conftest import MODELS

GRID_FILE = Path(__file__).resolve().parents[2] / "benchmarks" / "mc" / "models" / "grid.py"


def _grid_module() -> Any:
    spec = importlib.util.spec_from_file_location("grid_for_spin_test", GRID_FILE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _verdicts(report: Any) -> dict[str, str]:
    return {p.name: p.status.value for p in report.properties}


def test_grid_states_and_verdicts_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRID_K", "3")
    monkeypatch.setenv("GRID_M", "4")
    promela = tmp_path / "grid.pml"
    promela.write_text(_grid_module().promela(3, 4), encoding="utf-8")
    spin = run_spin(promela)
    ours = check(load_model(GRID_FILE))
    assert spin.complete
    assert ours.complete
    assert spin.states == ours.states == 64
    assert _verdicts(spin) == _verdicts(ours) == {"deadlock": "holds", "inv_in_range": "holds"}


def test_broken_mutex_agrees_with_the_same_shortest_trace_length() -> None:
    spin = run_spin(MODELS / "mutex_naive.pml")
    ours = check(load_model(MODELS / "mutex_naive.py"))
    assert spin.states == ours.states == 9
    assert _verdicts(spin) == _verdicts(ours)
    spin_trace = spin["inv_mutual_exclusion"].trace
    our_trace = ours["inv_mutual_exclusion"].trace
    assert spin_trace is not None
    assert our_trace is not None
    assert len(spin_trace) == len(our_trace) == 4
    assert "pc0=critical" in repr(spin_trace.states[-1])
    assert "pc1=critical" in repr(spin_trace.states[-1])


def test_philosophers_deadlock_agrees() -> None:
    spin = run_spin(MODELS / "philosophers.pml")
    ours = check(load_model(MODELS / "philosophers.py"))
    assert spin.states == ours.states == 14
    assert spin["deadlock"].status is ours["deadlock"].status is Status.VIOLATED
    assert len(spin["deadlock"].trace or ()) == len(ours["deadlock"].trace or ()) == 3


def test_liveness_needs_fairness_in_both() -> None:
    unfair = run_spin(MODELS / "busy_loop.pml")
    fair = run_spin(MODELS / "busy_loop.pml", weak_fairness=True)
    assert unfair["leadsto_b_finishes"].status is Status.VIOLATED
    lasso = unfair["leadsto_b_finishes"].trace
    assert lasso is not None
    assert lasso.is_lasso
    assert fair["leadsto_b_finishes"].status is Status.HOLDS
    model = load_model(MODELS / "busy_loop.py")
    assert check(model)["leadsto_b_finishes"].status is Status.VIOLATED


def test_cli_prints_the_same_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["mc", "spin", str(MODELS / "philosophers.pml"), "--json"])
    assert code == 1
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {"states", "transitions", "seconds", "properties"}
    (deadlock,) = payload["properties"]
    assert set(deadlock) == {"name", "kind", "status", "reason", "trace"}
    assert (deadlock["kind"], deadlock["status"]) == ("deadlock", "violated")
    assert deadlock["trace"][0]["action"] is None
    assert len(deadlock["trace"]) == 4


def test_a_syntax_error_names_the_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.pml"
    broken.write_text("byte x;\nactive proctype p() {\n  x = = 3\n}\n", encoding="utf-8")
    with pytest.raises(SpinError) as caught:
        run_spin(broken)
    assert caught.value.line == 3
    assert main(["mc", "spin", str(broken)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert f"{broken}:3:" in error


def test_missing_spin_is_one_line_and_exit_three(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A missing program is not the input's fault: UnavailableError, exit 3 (issue 10).
    monkeypatch.setattr("fmlab.mc._spin.shutil.which", lambda program: None)
    with pytest.raises(UnavailableError):
        run_spin(MODELS / "philosophers.pml")
    assert main(["mc", "spin", str(MODELS / "philosophers.pml")]) == 3
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "spin and gcc not installed" in error


def test_the_time_budget_stops_spin(tmp_path: Path) -> None:
    promela = tmp_path / "big.pml"
    promela.write_text(_grid_module().promela(9, 10), encoding="utf-8")  # 10^9 states
    report = run_spin(promela, timeout=2)
    assert report.exit_code == 3
    assert {p.status for p in report.properties} == {Status.UNKNOWN}
    assert report.seconds < 30


def test_defines_and_includes_beside_the_model(tmp_path: Path) -> None:
    (tmp_path / "size.pml").write_text("#define LIMIT (N + 1)\n", encoding="utf-8")
    model = tmp_path / "counter.pml"
    model.write_text(
        '#include "size.pml"\nbyte x;\nactive proctype p() {\n'
        "  do\n  :: x < LIMIT -> x++\n  :: x == LIMIT -> x = 0\n  od\n}\n"
        "ltl small { [] (x <= LIMIT) }\nltl again { [] (x == 1 -> <> (x == 0)) }\n",
        encoding="utf-8",
    )
    report = run_spin(model, defines={"N": 3})
    assert [(p.name, p.kind.value, p.status.value) for p in report.properties] == [
        ("deadlock", "deadlock", "holds"),
        ("small", "invariant", "holds"),
        ("again", "liveness", "holds"),
    ]


def test_a_model_pan_refuses_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # pan refuses an unconditional self-loop before searching; this once read as an
    # unknown "search did not complete" with 0 states.
    promela = tmp_path / "spins.pml"
    promela.write_text("byte x;\n\nactive proctype p() { do :: true od }\n", encoding="utf-8")
    with pytest.raises(SpinError) as caught:
        run_spin(promela)
    assert caught.value.line == 3
    assert main(["mc", "spin", str(promela)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "unconditional self-loop" in error


def test_definitions_cannot_reach_the_shell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # SPIN runs its preprocessor through a shell: a definition must not smuggle a command.
    witness = tmp_path / "touched"
    model = MODELS / "philosophers.pml"
    with pytest.raises(SpinError) as caught:
        run_spin(model, defines={"N": f"3; touch {witness}"})
    assert caught.value.pointer == "defines/N"
    assert main(["mc", "spin", "-D", f"N=3;touch {witness}", str(model)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert not witness.exists()


def test_a_folder_with_spaces_and_shell_characters(tmp_path: Path) -> None:
    folder = tmp_path / "my models; $(echo x)"
    folder.mkdir()
    (folder / "start.pml").write_text("#define START 1\n", encoding="utf-8")
    model = folder / "count.pml"
    model.write_text(
        '#include "start.pml"\nbyte y = START;\nactive proctype p() {\n'
        "  do\n  :: y < 3 -> y++\n  :: y == 3 -> break\n  od\n}\n"
        "ltl inv_not_two { [] (y != 2) }\n",
        encoding="utf-8",
    )
    report = run_spin(model)
    assert report["deadlock"].status is Status.HOLDS
    trace = report["inv_not_two"].trace
    assert trace is not None
    # START came from the file beside the model: y starts at 1, so the guard and the
    # increment (two Promela steps) reach 2.
    assert [repr(state) for state in trace.states] == ["{y=1}", "{y=1}", "{y=2}"]


def test_spins_memory_limit_is_an_honest_unknown(tmp_path: Path) -> None:
    promela = tmp_path / "big.pml"
    promela.write_text(_grid_module().promela(6, 10), encoding="utf-8")  # 10^6 states
    report = run_spin(promela, memory_mb=16)
    assert report.exit_code == 3
    assert {p.status for p in report.properties} == {Status.UNKNOWN}
    assert "memory limit of 16 MB" in report["deadlock"].reason
