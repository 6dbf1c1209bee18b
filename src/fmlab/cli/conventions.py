"""What every ``fmlab`` subcommand shares: ``--json``, ``--timeout``, and how it prints.

The exit codes are :class:`fmlab.core.ExitCode`, the same for every chapter; it is
importable from here too, for command modules that already take everything else here.
"""

from __future__ import annotations

import argparse
import enum
import json
import math
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TextIO

from fmlab.core.exitcode import ExitCode

__all__ = [
    "ExitCode",
    "Handler",
    "OneLineParser",
    "add_group",
    "add_json_flag",
    "add_timeout_flag",
    "emit",
    "seconds",
    "timeout_ms",
    "whole_number",
]


Handler = Callable[[argparse.Namespace], int]
"""A subcommand: reads its parsed arguments, prints, returns an exit code."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit 2, as every fmlab error is."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            ExitCode.BAD_INPUT,
            f"{self.prog}: error: {message} (see '{self.prog} --help')\n",
        )


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print machine-readable JSON instead of text"
    )


def add_timeout_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout",
        type=seconds(),
        default=None,
        metavar="SECONDS",
        help="solver budget per query (default: $FMLAB_TIMEOUT_MS or 10 s)",
    )


def whole_number(minimum: int = 0, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse ``type=`` for a whole number in ``minimum..maximum`` (``1_000`` allowed).

    One parser for every count option, so a bad count reads the same in every chapter.
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if maximum is not None and not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(f"expected {minimum} to {maximum}, got {value}")
        if value < minimum:
            wanted = "a positive whole number" if minimum == 1 else f"a whole number >= {minimum}"
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
        return value

    return parse


def seconds(*, allow_zero: bool = False) -> Callable[[str], float]:
    """An argparse ``type=`` for a finite duration in seconds, positive unless ``allow_zero``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a number of seconds, got {text!r}"
            ) from None
        # NaN fails both comparisons, so it is refused with the negative numbers.
        in_range = value >= 0 if allow_zero else value > 0
        if not (in_range and math.isfinite(value)):
            wanted = "a non-negative" if allow_zero else "a positive"
            raise argparse.ArgumentTypeError(f"expected {wanted} number of seconds, got {text!r}")
        return value

    return parse


def timeout_ms(args: argparse.Namespace) -> int | None:
    """The ``--timeout`` option in milliseconds, or ``None`` for the default budget."""
    seconds = getattr(args, "timeout", None)
    return None if seconds is None else max(1, int(seconds * 1000))


def emit(
    args: argparse.Namespace,
    payload: Any,
    text: str | Callable[[], str],
    *,
    stream: TextIO | None = None,
) -> None:
    """Print ``payload`` as JSON under ``--json``, else the human ``text``."""
    out = stream or sys.stdout
    if getattr(args, "json", False):
        json.dump(payload, out, indent=2, sort_keys=False, default=_json_default)
        out.write("\n")
    else:
        out.write((text() if callable(text) else text).rstrip("\n") + "\n")


def _json_default(value: Any) -> Any:
    to_json = getattr(value, "to_json", None)
    if callable(to_json):
        return to_json()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def add_group(
    subcommands: argparse._SubParsersAction[OneLineParser], name: str, help_text: str
) -> argparse._SubParsersAction[OneLineParser]:
    """Add a chapter's command group (``fmlab NAME ...``) and return its subcommands.

    Naming the group without a subcommand prints the group's help and exits 2.
    """
    group = subcommands.add_parser(name, help=help_text, description=help_text)
    group.set_defaults(group_parser=group)
    return group.add_subparsers(
        dest=f"{name}_command", metavar="COMMAND", parser_class=OneLineParser
    )
