"""``fmlab``: the command-line entry point.

Each chapter subpackage that has commands provides a ``cli`` module with
``register(subcommands)``; this module finds those that exist, so a chapter adds its
commands without touching this file.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence

from fmlab import __version__
from fmlab.cli.conventions import ExitCode, OneLineParser
from fmlab.core.errors import InputError

# Every chapter's command module, in the order the help lists them. A chapter that does
# not exist yet is simply not listed; one that exists but fails to import is a bug and
# is reported as one.
CHAPTER_COMMANDS = (
    "fmlab.cli.doctor",
    "fmlab.relational.cli",
    "fmlab.iam.cli",
    "fmlab.k8s.cli",
    "fmlab.refine.cli",
    "fmlab.timetravel.cli",
)


def _present(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # the parent package is absent
        return False


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="fmlab",
        description="Formal methods you can run: the tools behind the fmlab course.",
        epilog="Exit codes: 0 ok, 1 finding, 2 bad input, 3 solver unknown, 4 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"fmlab {__version__}")
    subcommands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=OneLineParser
    )
    for module_name in CHAPTER_COMMANDS:
        if _present(module_name):
            importlib.import_module(module_name).register(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``fmlab`` with ``argv`` and return the exit code (also used by the tests)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        # A group named without a subcommand: show what it offers.
        group_parser = getattr(args, "group_parser", parser)
        group_parser.print_help(sys.stderr)
        return ExitCode.BAD_INPUT
    try:
        return int(handler(args))
    except InputError as error:
        print(f"fmlab: error: {error}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    except KeyboardInterrupt:
        print("fmlab: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `fmlab ... | head` closing the pipe early is not an error worth a traceback.
        return ExitCode.OK
    except Exception as error:
        if os.environ.get("FMLAB_DEBUG"):
            raise
        print(
            f"fmlab: internal error: {type(error).__name__}: {error} "
            "(a bug in fmlab; rerun with FMLAB_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return ExitCode.INTERNAL


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
