"""``fmlab mc``: model checking models written as plain Python (and SPIN's Promela).

    fmlab mc check MODEL.py [--max-states N] [--max-depth N] [--timeout S] [--json]
    fmlab mc refines IMPL.py SPEC.py [--max-states N] [--max-depth N] [--timeout S] [--json]
    fmlab mc spin MODEL.pml [-D NAME=VALUE] [--max-depth N] [--timeout S] [--weak-fairness] [--json]

``check`` and ``refines`` **import the model files, which runs their code**. Exit codes:
0 every property holds, 1 a property is violated, 2 bad input (one line naming the file
and the line), 3 unknown (a bound stopped the search; for ``spin``, also SPIN or gcc not
installed), 4 an internal error.
"""

from __future__ import annotations

import argparse
from typing import Any

from fmlab.cli.conventions import (
    ExitCode,
    OneLineParser,
    add_group,
    add_json_flag,
    emit,
    seconds,
    whole_number,
)
from fmlab.core.errors import InputError

_CONVENTION = (
    "A model file defines init() (an iterable of hashable initial states), next(state) "
    "(yielding (action_label, next_state) pairs) and invariants inv_NAME(state) -> bool; "
    "optionally terminal(state) -> bool (ends that are not deadlocks), leadsto_NAME = (p, q) "
    "(liveness), WEAK_FAIRNESS / STRONG_FAIRNESS (action names or exact labels) and "
    "label_map(label) for refines. The file is imported: its code runs."
)


def register(subcommands: argparse._SubParsersAction[OneLineParser]) -> None:
    group = add_group(subcommands, "mc", "model checking: invariants, deadlock, liveness, SPIN")

    check = group.add_parser(
        "check",
        help="check a model file's invariants, deadlock and liveness (runs the file)",
        description=_CONVENTION,
    )
    check.add_argument("model", metavar="MODEL.py", help="the model file (it is imported)")
    _add_bounds(check)
    add_json_flag(check)
    check.set_defaults(handler=_check)

    refines = group.add_parser(
        "refines",
        help="check that every trace of IMPL is a trace of SPEC (runs both files)",
        description=(
            "Trace inclusion: IMPL's labels go through IMPL's label_map(label) or LABEL_MAP "
            "(None: an internal step) and must form a trace of SPEC. Both files are imported."
        ),
    )
    refines.add_argument("implementation", metavar="IMPL.py")
    refines.add_argument("specification", metavar="SPEC.py")
    _add_bounds(refines)
    add_json_flag(refines)
    refines.set_defaults(handler=_refines)

    spin = group.add_parser(
        "spin",
        help="check a Promela model with SPIN (needs spin and gcc)",
        description=(
            "Runs spin -a, gcc -O2 and ./pan in a temporary directory: breadth-first for "
            "deadlock (invalid end states), assertions and every ltl claim named inv_*, "
            "nested depth-first for the other ltl claims (liveness). Same JSON and exit codes "
            "as 'fmlab mc check'."
        ),
    )
    spin.add_argument("model", metavar="MODEL.pml")
    spin.add_argument(
        "-D",
        dest="defines",
        action="append",
        default=[],
        type=_define,
        metavar="NAME=VALUE",
        help="a preprocessor definition for the model, e.g. -D N=3 (repeatable)",
    )
    spin.add_argument(
        "--max-depth",
        type=whole_number(1),
        default=None,
        metavar="N",
        help="pan's search depth limit -m (default 1,000,000; unknown if it is reached)",
    )
    spin.add_argument(
        "--timeout",
        type=seconds(),
        default=None,
        metavar="S",
        help="stop SPIN after S seconds in all, answering unknown (default: no limit)",
    )
    spin.add_argument(
        "--weak-fairness",
        action="store_true",
        help="check liveness claims under SPIN's weak fairness among processes (pan -f)",
    )
    spin.add_argument(
        "--memory-mb",
        type=whole_number(1),
        default=4096,
        metavar="MB",
        help="pan's memory limit (-DMEMLIM, default 4096)",
    )
    add_json_flag(spin)
    spin.set_defaults(handler=_spin)


def _add_bounds(parser: argparse.ArgumentParser) -> None:
    from fmlab.mc import DEFAULT_MAX_STATES

    parser.add_argument(
        "--max-states",
        type=whole_number(1),
        default=DEFAULT_MAX_STATES,
        metavar="N",
        help=f"stop after N distinct states, answering unknown (default {DEFAULT_MAX_STATES:,})",
    )
    parser.add_argument(
        "--max-depth",
        type=whole_number(),
        default=None,
        metavar="N",
        help="explore at most N steps from the initial states (unknown if more exist)",
    )
    parser.add_argument(
        "--timeout",
        type=seconds(),
        default=None,
        metavar="S",
        help="stop after S seconds, answering unknown (default: no limit)",
    )


def _define(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value if equals else "1"


def _bounds(args: argparse.Namespace) -> dict[str, Any]:
    return {"max_states": args.max_states, "max_depth": args.max_depth, "timeout": args.timeout}


def _check(args: argparse.Namespace) -> int:
    from fmlab.mc import check, load_model

    model = load_model(args.model)
    report = check(model, **_bounds(args))
    emit(args, report.to_json(), repr(report))
    return _exit(report.exit_code)


def _refines(args: argparse.Namespace) -> int:
    from fmlab.mc import Model, load_model, refinement_report

    implementation = load_model(args.implementation)
    specification = load_model(args.specification)
    for path, model in ((args.implementation, implementation), (args.specification, specification)):
        if not isinstance(model, Model):
            raise InputError("refines needs models in the plain convention", source=path)
    report = refinement_report(implementation, specification, **_bounds(args))
    emit(args, report.to_json(), repr(report))
    return _exit(report.exit_code)


def _spin(args: argparse.Namespace) -> int:
    from fmlab.mc import run_spin

    report = run_spin(
        args.model,
        defines=dict(args.defines),
        max_depth=args.max_depth,
        timeout=args.timeout,
        weak_fairness=args.weak_fairness,
        memory_mb=args.memory_mb,
    )
    emit(args, report.to_json(), repr(report))
    return _exit(report.exit_code)


def _exit(code: int) -> int:
    return {0: ExitCode.OK, 1: ExitCode.FINDING, 3: ExitCode.UNKNOWN}[code]
