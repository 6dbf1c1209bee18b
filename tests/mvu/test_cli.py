"""fmlab mvu check and render: output, JSON, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fmlab.cli.main import main
from fmlab.mvu.examples import path
from tests.mvu.test_app import DATA


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["mvu", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("name", "code"),
    [("counter", 0), ("form", 0), ("leaky_counter", 1), ("table_rows", 1), ("todo", 3)],
)
def test_check_exit_codes(capsys: pytest.CaptureFixture[str], name: str, code: int) -> None:
    assert run(capsys, "check", str(path(name)), "--max-states", "300")[0] == code


def test_check_json_counterexample_replays_through_render(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "check", str(path("leaky_counter")), "--max-states", "50", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["states"] == 50
    violated = next(p for p in data["properties"] if p["status"] == "violated")
    assert violated["name"] == "inv_not_negative"
    messages = tmp_path / "messages.json"
    messages.write_text(json.dumps(violated["messages"]))
    code, out, _ = run(capsys, "render", str(path("leaky_counter")), "--messages", str(messages))
    assert code == 0
    assert "<span>-1</span>" in out


def test_render_prints_the_server_html(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "render", str(path("counter")))
    assert code == 0
    assert out.startswith('<div class="counter">')
    code, out, _ = run(capsys, "render", str(path("counter")), "--json")
    assert json.loads(out)["model"] == "Model(count=0)"


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        (DATA / "no_view.py", "no_view.py:1: defines no view()"),
        (DATA / "view_returns_int.py", "view_returns_int.py:17: view(model) returned int"),
        (DATA / "update_raises.py", "update_raises.py:16: update(model, msg)"),
        (DATA / "absent.py", "absent.py: no such file"),
    ],
)
def test_bad_apps_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], file: Path, expected: str
) -> None:
    code, out, err = run(capsys, "check", str(file))
    assert code == 2
    assert out == ""
    assert expected in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_bad_messages_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "m.json"
    broken.write_text('[{"type": "Increment"},\n oops]')
    code, _, err = run(capsys, "render", str(path("counter")), "--messages", str(broken))
    assert code == 2
    assert "m.json:2:" in err


def test_help_says_the_file_is_imported() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fmlab.cli.main", "mvu", "check", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "imported" in done.stdout
    assert "runs" in done.stdout


def fmlab(*args: str, limit: float) -> subprocess.CompletedProcess[str]:
    # A subprocess: the watchdog ends the whole process.
    return subprocess.run(
        [sys.executable, "-m", "fmlab.cli.main", "mvu", *args],
        capture_output=True,
        text=True,
        timeout=limit,
        check=False,
    )


def test_an_update_that_loops_forever_is_unknown_within_the_budget() -> None:
    done = fmlab("check", str(DATA / "update_loops.py"), "--timeout", "1", limit=60)
    assert done.returncode == 3
    assert "unknown" in done.stdout
    assert "time budget" in done.stdout


def test_render_of_an_app_that_loops_forever_exits_2_naming_the_file(tmp_path: Path) -> None:
    messages = tmp_path / "m.json"
    messages.write_text('[{"type": "Spin"}]')
    app = str(DATA / "update_loops.py")
    done = fmlab("render", app, "--messages", str(messages), "--timeout", "1", limit=60)
    assert done.returncode == 2
    assert done.stderr == f"fmlab: error: {app}: no answer within 1 s " + (
        "(does init, update or view loop forever?)\n"
    )


def test_an_invariant_that_never_returns_is_stopped_by_the_watchdog() -> None:
    done = fmlab("check", str(DATA / "invariant_loops.py"), "--timeout", "1", limit=60)
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1
    assert "did not return within 7 s" in done.stderr


def test_an_oversized_messages_file_is_refused_before_reading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from fmlab.cli.mvu import MAX_MESSAGES_BYTES

    huge = tmp_path / "huge.json"
    with huge.open("wb") as out:
        out.truncate(MAX_MESSAGES_BYTES + 1)  # sparse: no disk used
    code, _, err = run(capsys, "render", str(path("counter")), "--messages", str(huge))
    assert code == 2
    expected = "16,777,217 bytes, more than the 16,777,216 a messages file may have"
    assert err == f"fmlab: error: {huge}: {expected}\n"
