"""The fmlab command: exit codes and one-line errors, whatever goes wrong."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from fmlab.cli import main as cli_main
from fmlab.cli.conventions import add_group, emit
from fmlab.core import ExitCode
from fmlab.core.errors import (
    FmlabError,
    InputError,
    UnavailableError,
    UnsupportedError,
    UsageError,
    ViolationError,
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fmlab.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_version() -> None:
    done = _run("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("fmlab ")


def test_python_dash_m_fmlab_is_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fmlab", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, _run("--version").stdout)


def test_unknown_command_is_one_line_and_exit_2() -> None:
    done = _run("no-such-command")
    assert done.returncode == ExitCode.BAD_INPUT
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_no_command_prints_help_and_exit_2() -> None:
    done = _run()
    assert done.returncode == ExitCode.BAD_INPUT
    assert "usage: fmlab" in done.stderr


def _install_fake_group(monkeypatch: pytest.MonkeyPatch, handler: object) -> None:
    def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
        group = add_group(subcommands, "fake", "a test group")  # type: ignore[arg-type]
        command = group.add_parser("go")
        command.set_defaults(handler=handler)

    real_build = cli_main.build_parser

    def build(argv: object = None, **options: bool) -> argparse.ArgumentParser:
        parser = real_build(**options)
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        register(subparsers)
        return parser

    monkeypatch.setattr(cli_main, "build_parser", build)


def test_input_error_becomes_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def handler(_: argparse.Namespace) -> int:
        raise InputError("expected a list", source="p.json", pointer="/Statement")

    _install_fake_group(monkeypatch, handler)
    assert cli_main.main(["fake", "go"]) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert err == "fmlab: error: p.json: /Statement: expected a list\n"


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (UsageError("no such file: x"), ExitCode.BAD_INPUT),
        (UnsupportedError("a while loop", 3, 5), ExitCode.UNKNOWN),
        (ViolationError("the API server refused the pod"), ExitCode.FINDING),
        (UnavailableError("npm is not installed"), ExitCode.UNKNOWN),
    ],
)
def test_each_branch_of_the_error_family_has_its_exit_code(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: FmlabError,
    code: ExitCode,
) -> None:
    def handler(_: argparse.Namespace) -> int:
        raise error

    _install_fake_group(monkeypatch, handler)
    assert cli_main.main(["fake", "go"]) == code
    assert capsys.readouterr().err == f"fmlab: error: {error}\n"


def test_a_bug_is_one_line_exit_4_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FMLAB_DEBUG", raising=False)

    def handler(_: argparse.Namespace) -> int:
        raise RuntimeError("oops")

    _install_fake_group(monkeypatch, handler)
    assert cli_main.main(["fake", "go"]) == ExitCode.INTERNAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "RuntimeError: oops" in err


def test_group_without_subcommand_shows_group_help(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _install_fake_group(monkeypatch, lambda _: 0)
    assert cli_main.main(["fake"]) == ExitCode.BAD_INPUT
    assert "a test group" in capsys.readouterr().err


def test_emit_json_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    emit(argparse.Namespace(json=True), {"a": {1, 2}}, "text")
    assert json.loads(capsys.readouterr().out) == {"a": [1, 2]}
    emit(argparse.Namespace(json=False), {"a": 1}, lambda: "human\n")
    assert capsys.readouterr().out == "human\n"


def _choices(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _help_lines(parser: argparse.ArgumentParser) -> dict[str, str | None]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {choice.dest: choice.help for choice in action._choices_actions}


def test_every_present_chapter_module_registers() -> None:
    assert "doctor" in _choices(cli_main.build_parser(load_all=True))


def test_the_table_agrees_with_what_each_module_registers() -> None:
    # The help is listed without importing the chapters, so the table's name and help
    # line must be what the module itself registers, or `fmlab --help` would drift.
    loaded = _help_lines(cli_main.build_parser(load_all=True))
    listed = _help_lines(cli_main.build_parser([]))
    assert loaded == listed
    assert set(loaded) == {command.name for command in cli_main.CHAPTER_COMMANDS}


def test_only_the_requested_chapter_is_loaded() -> None:
    # A fresh interpreter shows what `fmlab time ...` imports: not the solver-heavy chapters.
    probe = (
        "import sys; from fmlab.cli import main as m; m.build_parser(['time', 'resolve']); "
        "print(','.join(sorted(n for n in ('fmlab.iam', 'fmlab.k8s', 'fmlab.refine', 'z3') "
        "if n in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == ""


def test_help_lists_every_chapter_without_loading_them() -> None:
    done = _run("--help")
    assert done.returncode == 0
    for command in cli_main.CHAPTER_COMMANDS:
        assert command.name in done.stdout
