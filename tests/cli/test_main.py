"""The fmlab command: exit codes and one-line errors, whatever goes wrong."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from fmlab.cli import main as cli_main
from fmlab.cli.conventions import ExitCode, add_group, emit
from fmlab.core.errors import InputError


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

    def build() -> argparse.ArgumentParser:
        parser = real_build()
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


def test_every_present_chapter_module_registers() -> None:
    parser = cli_main.build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert "doctor" in subparsers.choices
