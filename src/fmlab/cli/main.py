"""``fmlab``: the command-line entry point.

Each chapter that has commands has a module here, ``fmlab.cli.<command>``, with
``register(subcommands)``. Only the module of the command being run is imported: the
chapters pull in z3, numpy and their own large modules, and paying for all of them on
every call made ``fmlab refine check`` spend most of its time starting up. The table
below therefore carries each command's help text, so ``fmlab --help`` lists every
chapter without importing one; a test keeps the table and the modules in agreement.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fmlab import __version__
from fmlab.cli.conventions import OneLineParser
from fmlab.core.errors import FmlabError
from fmlab.core.exitcode import ExitCode


@dataclass(frozen=True)
class ChapterCommand:
    """A top-level command (``fmlab NAME``) and the module that registers it."""

    name: str
    module: str
    help: str


# In the order the help lists them. A chapter whose module does not exist yet is
# simply not offered; one that exists but fails to import is a bug and is reported.
CHAPTER_COMMANDS = (
    ChapterCommand("doctor", "fmlab.cli.doctor", "check that this machine can run the course"),
    ChapterCommand("iam", "fmlab.cli.iam", "analyse AWS IAM policies offline"),
    ChapterCommand("k8s", "fmlab.cli.k8s", "Kubernetes pod priority and preemption"),
    ChapterCommand("refine", "fmlab.cli.refine", "refinement types for a subset of Python"),
    ChapterCommand("time", "fmlab.cli.time", "wall-clock times, zones and daylight saving"),
    ChapterCommand("mc", "fmlab.cli.mc", "model checking: invariants, deadlock, liveness, SPIN"),
    ChapterCommand("mvu", "fmlab.cli.mvu", "the Elm architecture: check and render apps"),
)


def _present(module: str) -> bool:
    # ``find_spec`` on the module itself would import it (and with it a chapter, maybe z3)
    # just to answer, so look for the file in the parent package's folders instead.
    package, _, leaf = module.rpartition(".")
    try:
        spec = importlib.util.find_spec(package)
    except ModuleNotFoundError:  # a grandparent package is absent
        return False
    if spec is None or spec.submodule_search_locations is None:
        return False
    return any(
        (Path(folder) / f"{leaf}.py").is_file() or (Path(folder) / leaf).is_dir()
        for folder in spec.submodule_search_locations
    )


def _requested_command(argv: Sequence[str]) -> str | None:
    """The first word that is not an option: the command argparse will dispatch on."""
    for word in argv:
        if not word.startswith("-"):
            return word
    return None


def build_parser(
    argv: Sequence[str] | None = None, *, load_all: bool = False
) -> argparse.ArgumentParser:
    """The ``fmlab`` parser, with the real subcommands of the command in ``argv``.

    Every other command gets a placeholder that only carries its help line; with
    ``load_all`` every chapter module is imported and registered.
    """
    parser = OneLineParser(
        prog="fmlab",
        description="Formal methods you can run: the tools behind the fmlab course.",
        epilog="Exit codes: 0 ok, 1 finding, 2 bad input, 3 solver unknown, 4 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"fmlab {__version__}")
    subcommands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=OneLineParser
    )
    wanted = _requested_command(sys.argv[1:] if argv is None else argv)
    for command in CHAPTER_COMMANDS:
        if not _present(command.module):
            continue
        if load_all or command.name == wanted:
            importlib.import_module(command.module).register(subcommands)
        else:
            subcommands.add_parser(command.name, help=command.help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``fmlab`` with ``argv`` and return the exit code (also used by the tests)."""
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        # A group named without a subcommand: show what it offers.
        group_parser = getattr(args, "group_parser", parser)
        group_parser.print_help(sys.stderr)
        return ExitCode.BAD_INPUT
    try:
        return int(handler(args))
    except FmlabError as error:
        # Bad input exits 2; an engine's give-up 3, a modelled rule's refusal 1 (the
        # family in fmlab.core.errors sets each); either way one line, no traceback.
        print(f"fmlab: error: {error}", file=sys.stderr)
        return error.exit_code
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
