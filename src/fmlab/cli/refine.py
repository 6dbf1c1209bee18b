"""``fmlab refine check FILE.py``: the refinement checker on the command line.

Exit codes: 0 when every function is safe; 1 when any is unsafe, unknown or unsupported
(the check is a gate, as a type checker is: what it does not prove fails it); 2 for a
syntax error, a bad specification or bad usage.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from fmlab.cli.conventions import (
    OneLineParser,
    add_group,
    add_json_flag,
    add_timeout_flag,
    emit,
    timeout_ms,
)
from fmlab.core import UsageError, exit_code
from fmlab.refine import (
    ModuleReport,
    check_file,
    check_with_runtime_checks,
    default_cache_directory,
)


def _check(args: argparse.Namespace) -> int:
    cache_dir = None if args.no_cache else default_cache_directory()
    if args.runtime_checks:
        report, unproved = check_with_runtime_checks(
            args.file, timeout_ms=timeout_ms(args), cache_dir=cache_dir
        )
    else:
        report = check_file(args.file, timeout_ms=timeout_ms(args), cache_dir=cache_dir)
    if args.dump_vc is not None:
        dump_vcs(report, Path(args.dump_vc))
    if not args.runtime_checks:
        emit(args, report.to_json(), report.explain)
        return exit_code(report.verdict, unknown_fails=True)
    payload = {**report.to_json(), "runtime_checks": [u.to_json() for u in unproved]}

    def explain() -> str:
        lines = [u.explain() for u in unproved] or ["every refinement is proved"]
        heading = "\nnot proved, check at run time with @fmlab.refine.enforce:"
        return "\n".join([report.explain(), heading, *("  " + line for line in lines)])

    emit(args, payload, explain)
    return exit_code(report.verdict, unknown_fails=True)


def dump_vcs(report: ModuleReport, directory: Path) -> list[Path]:
    """Write one SMT-LIB file per function: each obligation's negation, ready for ``z3``."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"cannot create --dump-vc directory: {error.strerror}", source=str(directory)
        ) from None
    written = []
    for function in report.functions:
        if not function.vcs:
            continue
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", function.name)
        parts = [
            f"; {function.name} (line {function.line}): {len(function.vcs)} obligations\n"
            "; each block is sat exactly when the obligation can fail\n"
        ]
        for header, smt2 in function.vcs:
            parts.append(f"\n; --- {header}\n(push)\n{smt2}(pop)\n")
        path = directory / f"{name}.smt2"
        path.write_text("".join(parts), encoding="utf-8")
        written.append(path)
    return written


def register(subcommands: argparse._SubParsersAction[OneLineParser]) -> None:
    group = add_group(subcommands, "refine", "refinement types for a subset of Python")
    check = group.add_parser(
        "check",
        help="check the refinements of FILE.py (the file is parsed, never run)",
        description="Check the Annotated[...] refinements and #@ specifications of a Python "
        "file. Exit 0 when every function is safe, 1 when any is unsafe, unknown or "
        "unsupported, 2 for a syntax error or bad usage.",
    )
    check.add_argument("file", metavar="FILE.py")
    add_json_flag(check)
    add_timeout_flag(check)
    check.add_argument(
        "--dump-vc",
        metavar="DIR",
        default=None,
        help="write each function's verification conditions as SMT-LIB",
    )
    check.add_argument(
        "--runtime-checks",
        action="store_true",
        help="also list the refinements that were not proved, which @enforce should check "
        "while the program runs",
    )
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write verdicts on disk (by default they are kept under "
        "$XDG_CACHE_HOME/fmlab/refine, by default ~/.cache/fmlab/refine)",
    )
    check.set_defaults(handler=_check)
