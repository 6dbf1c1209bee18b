"""``fmlab mvu``: apps in the Elm architecture, checked and rendered.

    fmlab mvu check APP.py [--max-states N] [--timeout S] [--json]
    fmlab mvu render APP.py [--messages FILE.json] [--timeout S] [--json]

Both **import the app file, which runs its code**. An app file defines ``init()``,
``update(model, msg)`` and ``view(model)`` (nodes built with ``fmlab.mvu.h``) and any
number of invariants ``inv_NAME(model) -> bool``. Exit codes: 0 every property holds
(``render``: printed), 1 a property is violated, 2 bad input (one line naming the file
and the line: no ``view``, a view that returns no node, an exception in ``update``...),
3 unknown (the exploration stopped at a bound and no proof covered the rest), 4 an
internal error.

Neither command hangs on an app that loops forever. ``check`` explores for at most
``--timeout`` seconds (default 300) and then answers unknown; if the app's code still does
not return (an invariant or a view that never ends), a watchdog ends the command after
twice the budget plus five seconds with one line and exit code 3. ``render`` gives the
app ``--timeout`` seconds (default 60) and otherwise exits 2 naming the file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
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
    "An app file defines init() -> model, update(model, msg) -> model or (model, effects), "
    "view(model) -> node (built with fmlab.mvu.h(tag, attrs, children); on_EVENT attributes "
    "carry messages) and invariants inv_NAME(model) -> bool; optionally valid(msg) or "
    "valid(model, msg) and INPUT_SAMPLES. The file is imported: its code runs."
)


CHECK_TIMEOUT_S = 300.0
RENDER_TIMEOUT_S = 60.0
MAX_MESSAGES_BYTES = 16 * 1024 * 1024
"""A messages file is read whole, so its size is bounded."""


def register(subcommands: argparse._SubParsersAction[OneLineParser]) -> None:
    group = add_group(subcommands, "mvu", "the Elm architecture: check and render apps")

    check = group.add_parser(
        "check",
        help="explore an app's reachable models and check it (imports and runs the file)",
        description=_CONVENTION
        + " Checked: every inv_NAME (with an inductive z3 proof for int/bool models), "
        "that the view is a function of the model (clock, zone, locale, random seed "
        "moved) and that hydration never falls back.",
    )
    check.add_argument("app", metavar="APP.py", help="the app file (it is imported)")
    from fmlab.mvu import DEFAULT_MAX_STATES

    check.add_argument(
        "--max-states",
        type=whole_number(1),
        default=DEFAULT_MAX_STATES,
        metavar="N",
        help=f"explore at most N models (default {DEFAULT_MAX_STATES:,})",
    )
    check.add_argument(
        "--timeout",
        type=seconds(),
        default=CHECK_TIMEOUT_S,
        metavar="S",
        help=f"stop exploring after S seconds and answer unknown (default {CHECK_TIMEOUT_S:g})",
    )
    add_json_flag(check)
    check.set_defaults(handler=_check)

    render = group.add_parser(
        "render",
        help="print the server HTML of an app after some messages (imports and runs the file)",
        description=_CONVENTION
        + ' Messages are JSON: a list such as [{"type": "Toggle", "id": 3}, {"type": "Add"}], '
        "class names looked up in the app file (the shape check --json prints).",
    )
    render.add_argument("app", metavar="APP.py", help="the app file (it is imported)")
    render.add_argument(
        "--messages",
        metavar="FILE.json",
        default=None,
        help="a JSON list of messages to send from init() first",
    )
    render.add_argument(
        "--timeout",
        type=seconds(),
        default=RENDER_TIMEOUT_S,
        metavar="S",
        help=f"give the app S seconds to answer (default {RENDER_TIMEOUT_S:g}), else exit 2",
    )
    add_json_flag(render)
    render.set_defaults(handler=_render)


def _check(args: argparse.Namespace) -> int:
    from fmlab.mvu import check, load_app

    limit = 2 * args.timeout + 5
    line = (
        f"fmlab: unknown: {args.app}: the app's code did not return within {limit:g} s "
        "(an invariant or a view that never ends?)"
    )
    with _watchdog(limit, line, ExitCode.UNKNOWN):
        app = load_app(args.app)
        report = check(app, max_states=args.max_states, timeout=args.timeout)
    emit(args, report.to_json(), repr(report))
    return {0: ExitCode.OK, 1: ExitCode.FINDING, 3: ExitCode.UNKNOWN}[report.exit_code]


def _render(args: argparse.Namespace) -> int:
    from fmlab.mvu import decode_messages, encode_message, load_app, render_html

    line = (
        f"fmlab: error: {args.app}: no answer within {args.timeout:g} s "
        "(does init, update or view loop forever?)"
    )
    with _watchdog(args.timeout, line, ExitCode.BAD_INPUT):
        app = load_app(args.app)
        messages: list[Any] = []
        if args.messages is not None:
            source = _read_json(args.messages)
            messages = decode_messages(source, app.namespace, source=args.messages)
        models = app.run(messages)
        html = render_html(app.render(models[-1]))
    payload = {
        "messages": [encode_message(message) for message in messages],
        "model": repr(models[-1]),
        "html": html,
    }
    emit(args, payload, html)
    return ExitCode.OK


@contextmanager
def _watchdog(seconds: float, line: str, code: ExitCode) -> Iterator[None]:
    """End the process with ``line`` and ``code`` if the block runs longer than ``seconds``.

    A thread, not an alarm signal: the app's code may catch exceptions, and the
    exploration below uses the process's one interval timer for its own budget.
    """

    def fire() -> None:
        sys.stdout.flush()
        print(line, file=sys.stderr, flush=True)
        os._exit(int(code))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _read_json(path: str) -> Any:
    file = Path(path)
    if not file.is_file():
        raise InputError("no such file", source=path)
    size = file.stat().st_size
    if size > MAX_MESSAGES_BYTES:
        raise InputError(
            f"{size:,} bytes, more than the {MAX_MESSAGES_BYTES:,} a messages file may have",
            source=path,
        )
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text: {error.reason}", source=path) from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"invalid JSON: {error.msg}", source=path, line=error.lineno, column=error.colno
        ) from None
