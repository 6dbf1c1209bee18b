"""Replaying a counterexample: run the function on it, in a subprocess, with a timeout.

The checker's counterexamples are claims about Python: "called with ``x = -1``, this
function breaks its refinement at line 5". :func:`replay` checks the claim the only way
that convinces: it runs the instrumented module (see :mod:`fmlab.refine._runtime`) under
CPython in a separate process and reports where it failed. Only the test corpus's own
programs are run this way; ``fmlab refine check`` never runs the file it checks.
"""

from __future__ import annotations

import dataclasses
import json
import pprint
import random
import signal
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fmlab.refine._assumptions import Assumption

REPLAY_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class ReplayOutcome:
    """What running the function did: the failure's kind and place, or how it ended."""

    outcome: str  # "violation", "returned", "rejected-input", "crashed", "timeout"
    kind: str | None = None
    line: int | None = None
    column: int | None = None
    detail: str = ""

    def confirms(self, kind: str, line: int) -> bool:
        """Whether the run failed with this obligation kind at this line."""
        return self.outcome == "violation" and self.kind == kind and self.line == line

    def __str__(self) -> str:
        """The ``repr``, laid out in lines of at most :data:`WIDTH` characters.

        Fields fill a line and continue under the first one; a string too long for the
        rest of a line is split into adjacent literals, which Python joins again, so the
        text still evaluates to this outcome (``repr`` stays on one line, for logs).
        """
        return "\n".join(_call_lines(type(self).__name__, _fields_of(self), WIDTH))

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        for number, line in enumerate(str(self).splitlines()):
            if number:
                printer.break_()
            printer.text(line)


WIDTH = 76
"""The widest line :meth:`ReplayOutcome.__str__` prints: the site's output boxes hold 77
characters at 1280 px, and a wider line is wrapped again by the browser mid-word."""


def _fields_of(outcome: ReplayOutcome) -> list[tuple[str, Any]]:
    return [(field.name, getattr(outcome, field.name)) for field in dataclasses.fields(outcome)]


def _call_lines(name: str, arguments: list[tuple[str, Any]], width: int) -> list[str]:
    """``name(key=value, ...)`` as lines of at most ``width`` characters where it can be:
    arguments packed onto lines aligned after the parenthesis, a long string split into
    adjacent literals. A literal with no space to split at may still run over."""
    head = f"{name}("
    pad = " " * len(head)
    pieces = [
        _argument_lines(key, value, width - len(pad) - 1)
        + ([","] if number < len(arguments) - 1 else [")"])
        for number, (key, value) in enumerate(arguments)
    ]
    lines: list[str] = []
    current = head
    for piece in pieces:
        *body, last, ending = piece
        text = last + ending
        if not body and current not in (head, pad) and len(current) + 1 + len(text) <= width:
            current += " " + text
            continue
        if current not in (head, pad):
            lines.append(current)
            current = pad
        if body:
            lines.append(current + body[0])
            lines += [pad + line for line in body[1:]]
            current = pad + text
        else:
            current += text
    lines.append(current)
    return lines


def _argument_lines(key: str, value: Any, room: int) -> list[str]:
    """``key=repr(value)``, a string too long for ``room`` as several adjacent literals."""
    one_line = f"{key}={value!r}"
    if len(one_line) <= room or not isinstance(value, str):
        return [one_line]
    # pprint splits a long string at spaces and line ends, into literals that Python
    # concatenates; it wraps them in parentheses, which a call's own make unnecessary.
    literals = pprint.pformat(value, width=max(room - len(key) - 1, 16)).splitlines()
    if literals[0].startswith("("):
        literals[0], literals[-1] = literals[0][1:], literals[-1][:-1]
    indent = " " * (len(key) + 1)
    return [f"{key}={literals[0]}", *(indent + literal.strip() for literal in literals[1:])]


def _to_json(value: Any) -> Any:
    from fmlab.refine._values import RecordValue

    if isinstance(value, RecordValue):
        fields = {name: _to_json(item) for name, item in value.items()}
        return {"record": value.record, "fields": fields}
    if isinstance(value, tuple):
        return {"tuple": [_to_json(item) for item in value]}
    if isinstance(value, list):
        return [_to_json(item) for item in value]
    return value


def _from_json(value: Any, namespace: dict[str, Any]) -> Any:
    if isinstance(value, dict) and "record" in value:
        fields = {name: _from_json(item, namespace) for name, item in value["fields"].items()}
        return namespace[value["record"]](**fields)  # the dataclass of the replayed module
    if isinstance(value, dict):
        return tuple(_from_json(item, namespace) for item in value["tuple"])
    if isinstance(value, list):
        return [_from_json(item, namespace) for item in value]
    return value


def replay(
    path: str | Path,
    function: str,
    arguments: dict[str, Any],
    *,
    timeout_s: float = REPLAY_TIMEOUT_S,
) -> ReplayOutcome:
    """Run ``function`` of the file at ``path`` on ``arguments`` in a fresh interpreter."""
    return replay_many(path, [(function, arguments)], timeout_s=timeout_s)[0]


def replay_many(
    path: str | Path,
    calls: list[tuple[str, dict[str, Any]]],
    *,
    timeout_s: float = REPLAY_TIMEOUT_S,
    assuming: list[Sequence[Assumption]] | None = None,
) -> list[ReplayOutcome]:
    """Run several calls of one file's functions in one subprocess (each on a fresh module).

    ``assuming`` gives, call by call, the callee results and measure values a modular
    counterexample assumes: during that run the named module functions are stubbed to
    return them on those arguments (and run as written on any other arguments).
    """
    stubs = assuming if assuming is not None else [() for _ in calls]
    request = [
        {
            "path": str(path),
            "function": function,
            "arguments": {name: _to_json(value) for name, value in arguments.items()},
            "stubs": [
                [a.name, [_to_json(item) for item in a.arguments], _to_json(a.result)]
                for a in assumed
                if a.concrete
            ],
        }
        for (function, arguments), assumed in zip(calls, stubs, strict=True)
    ]
    return _in_subprocess(request, timeout_s)


def fuzz_many(
    targets: list[tuple[str | Path, str]],
    *,
    tries: int = 200,
    seed: int = 0,
    timeout_s: float = 120.0,
) -> list[ReplayOutcome]:
    """Run each function on up to ``tries`` random inputs that meet its preconditions.

    The first input that makes it fail is reported as a ``violation`` (with the input in
    ``detail``); ``returned`` means no input failed. Inputs that run too long or recurse
    too deep are skipped: the checker promises partial correctness, not termination.
    """
    request = [
        {"path": str(path), "function": function, "fuzz": tries, "seed": seed}
        for path, function in targets
    ]
    return _in_subprocess(request, timeout_s)


def _in_subprocess(request: list[dict[str, Any]], timeout_s: float) -> list[ReplayOutcome]:
    command = [sys.executable, "-c", "from fmlab.refine._replay import main; main()"]
    try:
        finished = subprocess.run(
            command,
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [ReplayOutcome("timeout", detail=f"no result within {timeout_s} s")] * len(request)
    lines = finished.stdout.strip().splitlines()
    if finished.returncode != 0 or not lines:
        crashed = ReplayOutcome("crashed", detail=finished.stderr.strip()[-2000:])
        return [crashed] * len(request)
    return [
        ReplayOutcome(
            answer["outcome"],
            answer.get("kind"),
            answer.get("line"),
            answer.get("column"),
            answer.get("detail", ""),
        )
        for answer in json.loads(lines[-1])
    ]


def _innermost(traceback: Any, filename: str, function: str) -> int | None:
    line = None
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if code.co_filename == filename and code.co_name == function:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


class _TooLong(BaseException):
    """One call ran past its time slice (a BaseException: corpus code cannot catch it).

    Not an :class:`~fmlab.core.errors.FmlabError` for that reason: it is a signal inside
    the replay, never shown to anyone.
    """


def _load(path: str) -> tuple[Any, dict[str, Any]]:
    # Imported here: only the subprocess needs them.
    from fmlab.refine._runtime import HELPER, Runtime, instrument
    from fmlab.refine._specs import parse, read_module

    text = Path(path).read_text(encoding="utf-8")
    tree = parse(text, path)
    spec = read_module(tree, text, path)
    code = compile(instrument(tree, spec), path, "exec")
    # A registered module: dataclasses look their class's module up in sys.modules.
    module = types.ModuleType("__fmlab_replay__")
    sys.modules[module.__name__] = module
    namespace: dict[str, Any] = module.__dict__
    namespace[HELPER] = Runtime(spec, namespace)
    exec(code, namespace)
    return spec, namespace


def _install_stubs(namespace: dict[str, Any], stubs: list[Any]) -> None:
    """Make each stubbed module function return the assumed result on the assumed arguments.

    The function under test keeps running its own code: only the names it looks up at
    run time (its callees, a recursive call, a measure in a checked refinement) see a stub.
    """
    tables: dict[str, list[tuple[list[Any], Any]]] = {}
    for name, arguments, result in stubs:
        table = tables.setdefault(name, [])
        table.append(([_from_json(a, namespace) for a in arguments], _from_json(result, namespace)))
    for name, table in tables.items():
        original = namespace.get(name)
        if not callable(original):
            continue
        namespace[name] = _stub(name, table, original)


def _stub(name: str, table: list[tuple[list[Any], Any]], original: Any) -> Any:
    def stub(*arguments: Any) -> Any:
        for expected, result in table:
            if list(arguments) == expected:
                return result
        return original(*arguments)

    stub.__name__ = name
    return stub


def _call(
    path: str,
    namespace: dict[str, Any],
    function: str,
    arguments: list[Any],
    slice_s: float = 2.0,
) -> dict[str, Any]:
    from fmlab.refine._runtime import PreconditionOfTarget, Violation

    signal.setitimer(signal.ITIMER_REAL, slice_s)
    try:
        value = namespace[function](*arguments)
    except Violation as violation:
        return {
            "outcome": "violation",
            "kind": violation.kind,
            "line": violation.line,
            "column": violation.column,
            "detail": str(violation),
        }
    except PreconditionOfTarget as rejected:
        return {"outcome": "rejected-input", "detail": str(rejected)}
    except (_TooLong, RecursionError):
        return {"outcome": "timeout", "detail": "ran too long or recursed too deep"}
    except Exception as error:  # assert, raise, ZeroDivisionError: failures at a line
        line = _innermost(error.__traceback__, path, function)
        kind = {AssertionError: "assert", ZeroDivisionError: "division"}.get(type(error), "raise")
        return {
            "outcome": "violation",
            "kind": kind,
            "line": line,
            "detail": f"{type(error).__name__}: {error}",
        }
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return {"outcome": "returned", "detail": repr(value)[:200]}


_SLICE_S = 2.0
_FUZZ_SLICE_S = 0.05
_FUZZ_TIMEOUTS = 3


def _run(call: dict[str, Any]) -> dict[str, Any]:
    path = call["path"]
    spec, namespace = _load(path)
    if "fuzz" not in call:
        # By the function's parameter names: a counterexample may also show other things
        # (the solver's choice of an abstract refinement), which are not arguments.
        given = call["arguments"]
        names = [param.name for param in spec.signatures[call["function"]].params]
        arguments = [_from_json(given[name], namespace) for name in names]
        _install_stubs(namespace, call.get("stubs", []))
        return _call(path, namespace, call["function"], arguments)
    generator = random.Random(call["seed"])
    params = spec.signatures[call["function"]].params
    timeouts = 0
    for _ in range(call["fuzz"]):
        arguments = [_random_value(generator, param.type) for param in params]
        if any(argument is _NO_VALUE for argument in arguments):
            return {"outcome": "returned", "detail": "cannot generate an opaque value"}
        arguments = [_build(argument, namespace, spec) for argument in arguments]
        if any(argument is _NO_VALUE for argument in arguments):
            continue  # a dataclass value that breaks its own field refinements
        answer = _call(path, namespace, call["function"], arguments, _FUZZ_SLICE_S)
        if answer["outcome"] == "timeout":
            timeouts += 1
            if timeouts >= _FUZZ_TIMEOUTS:
                return {"outcome": "returned", "detail": "stopped: runs too long"}
        if answer["outcome"] == "violation":
            answer["detail"] = f"{answer['detail']} on {arguments!r}"
            return answer
    return {"outcome": "returned", "detail": f"{call['fuzz']} random inputs passed"}


_NO_VALUE = object()


def _random_value(generator: random.Random, pytype: Any) -> Any:
    kind = pytype.kind.value
    if kind == "int":
        return generator.choice(
            [0, 1, -1, 2, generator.randint(-12, 12), generator.randint(-3, 40)]
        )
    if kind == "bool":
        return generator.random() < 0.5
    if kind == "str":
        return "".join(generator.choice("ab") for _ in range(generator.randint(0, 4)))
    if kind == "list":
        items = [_random_value(generator, pytype.args[0]) for _ in range(generator.randint(0, 5))]
        return _NO_VALUE if any(item is _NO_VALUE for item in items) else items
    if kind == "tuple":
        return tuple(_random_value(generator, arg) for arg in pytype.args)
    if kind == "None":
        return None
    if kind == "record":
        return _Fields(
            pytype.name,
            {
                name: _random_value(generator, arg)
                for name, arg in zip(pytype.fields, pytype.args, strict=True)
            },
        )
    return _NO_VALUE


class _Fields(dict[str, Any]):
    """A dataclass value to build in the replayed module (once its fields are drawn)."""

    def __init__(self, record: str, fields: dict[str, Any]) -> None:
        super().__init__(fields)
        self.record = record


def _build(value: Any, namespace: dict[str, Any], spec: Any) -> Any:
    # Only values that meet their field refinements: the checker assumes those of every
    # dataclass value (they are checked wherever one is built in checked code).
    from fmlab.refine._runtime import holds

    if isinstance(value, list):
        items = [_build(item, namespace, spec) for item in value]
        return _NO_VALUE if any(item is _NO_VALUE for item in items) else items
    if isinstance(value, tuple):
        parts = tuple(_build(item, namespace, spec) for item in value)
        return _NO_VALUE if any(part is _NO_VALUE for part in parts) else parts
    if not isinstance(value, _Fields):
        return value
    fields = {name: _build(item, namespace, spec) for name, item in value.items()}
    if any(item is _NO_VALUE for item in fields.values()) or any(
        item is _NO_VALUE for item in value.values()
    ):
        return _NO_VALUE
    for param in spec.records[value.record].params:
        if param.refinement is not None and not holds(
            param.refinement.text, {**fields, "_": fields[param.name]}, namespace
        ):
            return _NO_VALUE
    return namespace[value.record](**fields)


def main() -> None:
    """The subprocess's entry point: a JSON request on stdin, a JSON answer on stdout."""
    sys.setrecursionlimit(400)

    def too_long(signum: int, frame: object) -> None:
        raise _TooLong

    signal.signal(signal.SIGALRM, too_long)
    answers = [_run(call) for call in json.loads(sys.stdin.read())]
    print(json.dumps(answers))
