"""Running SPIN on a Promela model and reporting its verdicts like :func:`fmlab.mc.check`.

Which properties a Promela file has:

* ``deadlock``: SPIN's *invalid end states* (a state with no move where some process is
  not at the end of its code or at an ``end`` label);
* ``assertions`` (kind invariant), when the file contains ``assert``;
* one property per ``ltl NAME { ... }`` claim, named as in the file. A claim of the form
  ``[] (p)`` with no temporal operator inside ``p`` is an invariant and is checked
  breadth-first, so its trail is a shortest one; any other claim is a liveness property,
  checked by SPIN's nested depth-first search for acceptance cycles (with
  ``weak_fairness``, SPIN's ``-f``: weak fairness among processes).

``defines`` are passed to SPIN's preprocessor (``-DN=3``), and ``#include`` finds files
beside the model, so a parameterised model is checked at any size without editing it.

The work happens in a fresh temporary directory: ``spin -a`` writes ``pan.c``, ``gcc -O2``
builds the verifier (``-DBFS -DSAFETY`` for the safety runs, ``-DNOCLAIM`` for the run
that counts states and looks for deadlocks), ``./pan`` searches, and a trail file, if
any, is replayed with ``spin -t -p -g`` to show the counterexample. Every program runs
with a time limit; ``memory_mb`` bounds pan's memory (``-DMEMLIM``). A built verifier is
kept in ``$XDG_CACHE_HOME/fmlab/spin`` (else ``~/.cache/fmlab/spin``), named by a hash of
SPIN's generated sources and gcc's flags, so asking the same question again skips gcc.

SPIN's counterexamples are SPIN's: they are not replayed through Python (there is no
Python model to replay them on), so a violation's ``replayed_by`` says "spin -t".
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fmlab.core.errors import InputError, UnavailableError
from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason
from fmlab.mc._report import PropertyKind, PropertyResult, Report
from fmlab.mc._trace import Step, Trace

DEFAULT_MEMORY_MB = 4096
DEFAULT_MAX_DEPTH = 1_000_000
_BUILD_TIMEOUT_S = 300.0
_INCLUDE_LINK = "model-folder"
_DEFINE_VALUE = re.compile(r"[A-Za-z0-9_.+-]+")
_REPLAYED_BY = "spin -t (SPIN's own replay of its trail)"


class SpinError(InputError):
    """The Promela file is rejected by SPIN, gcc or pan (one located line)."""


@dataclass(frozen=True)
class PanResult:
    """What one ``./pan`` run printed, parsed."""

    errors: int
    states: int
    transitions: int
    complete: bool
    error_kind: str | None
    trail: Path | None
    output: str
    timed_out: bool = False
    out_of_memory: bool = False
    """pan stopped at its memory limit (``-DMEMLIM``, ``memory_mb``)."""


@dataclass
class _Budget:
    deadline: float | None

    def remaining(self, cap: float) -> float:
        if self.deadline is None:
            return cap
        return max(0.0, min(cap, self.deadline - time.perf_counter()))

    def expired(self) -> bool:
        return self.deadline is not None and time.perf_counter() >= self.deadline


def missing_programs() -> list[str]:
    """The programs ``fmlab mc spin`` needs that are not on ``PATH``."""
    return [program for program in ("spin", "gcc") if shutil.which(program) is None]


def run_spin(
    path: str | Path,
    *,
    defines: Mapping[str, object] | None = None,
    max_depth: int | None = None,
    timeout: float | None = None,
    weak_fairness: bool = False,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> Report:
    """Check the Promela model at ``path`` with SPIN and report like :func:`check`.

    ``defines`` become preprocessor definitions (``{"N": 3}`` is ``-DN=3``).

    Raises :class:`SpinError` (an ``InputError``, exit 2) when SPIN or its verifier rejects
    the file, and :class:`~fmlab.core.errors.UnavailableError` (exit 3) when ``spin`` or
    ``gcc`` is not installed.
    """
    missing = missing_programs()
    if missing:
        raise UnavailableError(
            f"{' and '.join(missing)} not installed; fmlab mc spin needs SPIN and a C "
            f"compiler (Debian: apt-get install {' '.join(missing)})"
        )
    source = Path(path)
    where = str(path)
    if not source.is_file():
        raise SpinError("no such Promela file", source=where)
    started = time.perf_counter()
    budget = _Budget(None if timeout is None else started + timeout)
    depth = DEFAULT_MAX_DEPTH if max_depth is None else max_depth
    text = source.read_text(encoding="utf-8", errors="replace")
    # SPIN hands its preprocessor command to a shell (system()), so nothing that reaches
    # it may carry shell syntax: definitions are checked, and the model's folder (for
    # #include) is reached through a link with a plain name inside the work folder.
    preprocessor = [f"-E-I{_INCLUDE_LINK}"]
    for name, value in (defines or {}).items():
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise SpinError(f"not a preprocessor name: {name!r}", pointer="defines")
        if not _DEFINE_VALUE.fullmatch(str(value)):
            raise SpinError(
                f"the value of {name} must be a number or a name (letters, digits, _ . + -), "
                f"got {str(value)!r}",
                pointer=f"defines/{name}",
            )
        preprocessor.append(f"-D{name}={value}")
    with tempfile.TemporaryDirectory(prefix="fmlab-spin-") as folder:
        work = Path(folder)
        (work / _INCLUDE_LINK).symlink_to(source.resolve().parent, target_is_directory=True)
        model = work / "model.pml"
        model.write_text(text, encoding="utf-8")
        claims = _generate(work, where, preprocessor)
        session = _Session(work, budget, depth, memory_mb, where, preprocessor)
        properties, states, transitions, complete = session.check_all(
            claims, asserts="assert" in text, weak_fairness=weak_fairness
        )
    return Report(
        model=where,
        states=states,
        transitions=transitions,
        seconds=time.perf_counter() - started,
        complete=complete,
        properties=tuple(properties),
    )


def _generate(work: Path, where: str, preprocessor: list[str]) -> list[tuple[str, bool]]:
    """Run ``spin -a``; return the file's ltl claims in order, each with whether it is an
    invariant (``[] p`` with ``p`` free of temporal operators)."""
    done = _run(["spin", *preprocessor, "-a", "model.pml"], work, _BUILD_TIMEOUT_S)
    output = done.stdout + done.stderr
    if done.returncode != 0 or not (work / "pan.c").is_file():
        match = re.search(r"model\.pml:(\d+), Error: (.*)", output)
        if match:
            raise SpinError(
                f"spin: {match.group(2).strip()}", source=where, line=int(match.group(1))
            )
        first = next((line for line in output.splitlines() if line.strip()), "no output")
        raise SpinError(f"spin -a failed: {first.strip()}", source=where)
    claims = re.findall(r"^ltl (\w+): (.*)$", done.stdout, flags=re.MULTILINE)
    return [(name, is_invariant_formula(formula)) for name, formula in claims]


_TEMPORAL = re.compile(r"<>|\[\]|\b[UVWX]\b")


def is_invariant_formula(formula: str) -> bool:
    """Whether SPIN's rendering of an ltl formula is ``[] p`` with ``p`` temporal-free.

    >>> is_invariant_formula("[] ((x<4))"), is_invariant_formula("[] ((!(a)) || (<> (b)))")
    (True, False)
    >>> is_invariant_formula("<> (done)"), is_invariant_formula("[] ((a) U (b))")
    (False, False)
    """
    text = formula.strip()
    if not text.startswith("[]"):
        return False
    return _TEMPORAL.search(text[2:]) is None


def _run(command: list[str], work: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            command, cwd=work, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise _TimedOutError(" ".join(command)) from error


def _cache_folder() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    folder = Path(base) / "fmlab" / "spin"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def _cached_binary(work: Path, command: list[str]) -> Path | None:
    """Where the verifier built from these ``pan.*`` files with ``command`` is kept.

    Compiling pan.c takes seconds; the same model, definitions and flags give the same
    files, so a verifier built once is reused (tests and notebooks ask again and again).
    """
    folder = _cache_folder()
    if folder is None:
        return None
    digest = hashlib.sha256(" ".join(command).encode())
    for generated in sorted(work.glob("pan.*")):
        digest.update(generated.name.encode() + b"\0" + generated.read_bytes())
    return folder / f"pan-{digest.hexdigest()[:32]}"


def _keep(binary: Path, cached: Path | None) -> Path:
    """Copy a fresh verifier into the cache (atomically: parallel runs may race)."""
    if cached is None:
        return binary
    try:
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.partial")
        shutil.copy2(binary, partial)
        os.replace(partial, cached)
    except OSError:
        return binary
    return binary


class _TimedOutError(Exception):
    """A SPIN step ran past the time budget."""


@dataclass
class _Session:
    work: Path
    budget: _Budget
    depth: int
    memory_mb: int
    where: str
    preprocessor: list[str]
    built: dict[str, Path] = field(default_factory=dict)

    def build(self, flavour: str, flags: list[str]) -> Path:
        if flavour not in self.built:
            command = ["gcc", "-O2", f"-DMEMLIM={self.memory_mb}", *flags, "-o"]
            cached = _cached_binary(self.work, command)
            if cached is not None and cached.is_file():
                self.built[flavour] = cached
                return cached
            binary = self.work / f"pan_{flavour}"
            done = _run(
                [*command, binary.name, "pan.c"],
                self.work,
                self.budget.remaining(_BUILD_TIMEOUT_S),
            )
            if done.returncode != 0:
                first = (done.stderr or done.stdout).strip().splitlines()[:1]
                raise SpinError(f"gcc could not build SPIN's verifier: {first}", source=self.where)
            self.built[flavour] = _keep(binary, cached)
        return self.built[flavour]

    def pan(self, flavour: str, flags: list[str], options: list[str]) -> PanResult:
        binary = self.build(flavour, flags)
        for old in self.work.glob("*.trail"):
            old.unlink()
        remaining = self.budget.remaining(7 * 24 * 3600.0)
        if remaining <= 0:
            raise _TimedOutError("./pan")
        done = _run([str(binary.resolve()), f"-m{self.depth}", *options], self.work, remaining)
        output = done.stdout + done.stderr
        if not _STATES.search(output):
            raise self.refused(output)
        return parse_pan(output, self.work / "model.pml.trail")

    def refused(self, output: str) -> SpinError:
        """pan stopped before searching (e.g. "has unconditional self-loop"): bad input."""
        lines = [line.strip() for line in output.splitlines() if line.strip()]
        first = next((line for line in lines if "rror" in line), lines[0] if lines else "")
        message = re.sub(r"^(pan:\s*)?error:\s*", "", first, flags=re.IGNORECASE)
        located = re.search(r"\bline (\d+)\b", message)
        return SpinError(
            f"SPIN's verifier refused the model: {message or 'no output'}",
            source=self.where,
            line=int(located.group(1)) if located else None,
        )

    def check_all(
        self, claims: list[tuple[str, bool]], *, asserts: bool, weak_fairness: bool
    ) -> tuple[list[PropertyResult], int, int, bool]:
        results: list[PropertyResult] = []
        states = transitions = 0
        complete = False
        kinds = {
            name: PropertyKind.INVARIANT if safe else PropertyKind.LIVENESS for name, safe in claims
        }
        kinds["deadlock"] = PropertyKind.DEADLOCK
        kinds["assertions"] = PropertyKind.INVARIANT
        pending = ["deadlock", *(["assertions"] if asserts else []), *(c for c, _ in claims)]
        try:
            # The claim-free breadth-first run: the state count, and deadlocks.
            safety = ["-DBFS", "-DSAFETY"]
            first = self.pan("noclaim", [*safety, "-DNOCLAIM"], ["-A"])
            counted = first
            if first.error_kind == "invalid end state":
                trace = self.replay(first)
                counted = self.pan("noclaim", [*safety, "-DNOCLAIM"], ["-A", "-E"])
                results.append(self.violated("deadlock", PropertyKind.DEADLOCK, first, trace))
            else:
                results.append(self.settled("deadlock", PropertyKind.DEADLOCK, first))
            pending.remove("deadlock")
            states, transitions, complete = counted.states, counted.transitions, counted.complete
            if asserts:
                run = self.pan("noclaim", [*safety, "-DNOCLAIM"], ["-E"])
                results.append(self.outcome("assertions", PropertyKind.INVARIANT, run))
                pending.remove("assertions")
            for claim, invariant in claims:
                if invariant:
                    run = self.pan("claims", safety, ["-N", claim])
                else:
                    options = ["-a", "-N", claim, *(["-f"] if weak_fairness else [])]
                    run = self.pan("liveness", [], options)
                results.append(self.outcome(claim, kinds[claim], run))
                pending.remove(claim)
        except _TimedOutError:
            for name in pending:
                kind = kinds[name]
                claim = f"{name} (SPIN)"
                detail = "time budget used up before SPIN finished"
                results.append(
                    PropertyResult(name, kind, Unknown(claim, UnknownReason.TIMEOUT, detail))
                )
            complete = False
        return results, states, transitions, complete

    def outcome(self, name: str, kind: PropertyKind, run: PanResult) -> PropertyResult:
        if run.errors and run.trail is not None:
            return self.violated(name, kind, run, self.replay(run))
        return self.settled(name, kind, run)

    def settled(self, name: str, kind: PropertyKind, run: PanResult) -> PropertyResult:
        claim = f"{name} (SPIN)"
        counts = f"{run.states:,} states, {run.transitions:,} transitions explored by SPIN"
        if run.errors:
            detail = f"pan reported {run.error_kind or 'an error'} without a trail: {counts}"
            return PropertyResult(name, kind, Unknown(claim, UnknownReason.INCOMPLETE, detail))
        if run.out_of_memory:
            detail = (
                f"SPIN used up its memory limit of {self.memory_mb:,} MB (--memory-mb): {counts}"
            )
            return PropertyResult(name, kind, Unknown(claim, UnknownReason.TIMEOUT, detail))
        if not run.complete:
            detail = f"SPIN's search did not complete (raise --max-depth?): {counts}"
            return PropertyResult(name, kind, Unknown(claim, UnknownReason.INCOMPLETE, detail))
        return PropertyResult(name, kind, Proved(claim, f"{counts}, exhaustive"))

    def violated(
        self, name: str, kind: PropertyKind, run: PanResult, trace: Trace
    ) -> PropertyResult:
        claim = f"{name} (SPIN)"
        return PropertyResult(name, kind, Refuted(claim, trace, _REPLAYED_BY))

    def replay(self, run: PanResult) -> Trace:
        command = ["spin", *self.preprocessor, "-t", "-p", "-g", "model.pml"]
        done = _run(command, self.work, max(5.0, self.budget.remaining(60.0)))
        model_text = _with_includes(self.work / "model.pml", self.work / _INCLUDE_LINK)
        trace = parse_trail_replay(done.stdout, declared_initial_values(model_text))
        if run.error_kind == "acceptance cycle":
            start = _cycle_start(done.stdout)
            if start is not None and start < len(trace.steps):
                return Trace(trace.steps, loop_start=start)
        return trace


_INCLUDE = re.compile(r'^\s*#include\s+"([^"]+)"', re.MULTILINE)


def _with_includes(model: Path, folder: Path) -> str:
    """The model's text followed by the files it includes from its folder (one level), so
    that macros defined there resolve in the trail's initial values."""
    text = model.read_text(encoding="utf-8", errors="replace")
    parts = [text]
    for name in _INCLUDE.findall(text):
        included = folder / name
        if included.is_file():
            parts.append(included.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


_STATES = re.compile(r"^\s*(\d+) states, stored", re.MULTILINE)
_TRANSITIONS = re.compile(r"^\s*(\d+) transitions \(= stored\+matched\)", re.MULTILINE)
_ERRORS = re.compile(r"errors: (\d+)")
_ERROR_KIND = re.compile(r"^pan:\d+: (.*?)(?: \(at depth \d+\))?$", re.MULTILINE)


def parse_pan(output: str, trail: Path) -> PanResult:
    """Read the verdict and counts out of pan's report.

    >>> text = '''pan:1: invalid end state (at depth 4)
    ... State-vector 12 byte, depth reached 4, errors: 1
    ...         5 states, stored
    ...         4 transitions (= stored+matched)'''
    >>> r = parse_pan(text, Path("none"))
    >>> r.errors, r.states, r.transitions, r.error_kind
    (1, 5, 4, 'invalid end state')
    """
    errors = _ERRORS.search(output)
    states = _STATES.search(output)
    transitions = _TRANSITIONS.search(output)
    kind = _ERROR_KIND.search(output)
    error_kind = None
    if kind:
        error_kind = kind.group(1).strip()
        if error_kind.startswith("acceptance cycle"):
            error_kind = "acceptance cycle"
        elif "claim violated" in error_kind:
            error_kind = "claim violated"
    incomplete = "Search not completed" in output or "max search depth too small" in output
    error_count = int(errors.group(1)) if errors else 0
    return PanResult(
        errors=error_count,
        states=int(states.group(1)) if states else 0,
        transitions=int(transitions.group(1)) if transitions else 0,
        # pan says "Search not completed" after stopping at an error; that is not a bound.
        complete=bool(states) and (not incomplete or error_count > 0),
        error_kind=error_kind,
        trail=trail if trail.is_file() else None,
        output=output,
        out_of_memory="reached -DMEMLIM bound" in output,
    )


_STEP = re.compile(
    r"^\s*(\d+):\s+proc\s+(\S+)\s+\(([^)]*)\)\s+\S+:(\d+)\s+\(state \d+\)\s+\[(.*)\]\s*$"
)
_ASSIGN = re.compile(r"^\t\t(\S+) = (.*)$")
_DEFINE = re.compile(r"^\s*#define\s+(\w+)\s+(\S+)", re.MULTILINE)
_DECLARATION = re.compile(
    r"^\s*(?:bit|bool|byte|short|int|unsigned|mtype)\b(?:\s*:\s*\w+)?\s+([^;]*);",
    re.MULTILINE,
)
_ITEM = re.compile(r"^\s*(\w+)\s*(?:\[[^\]]*\])?\s*(?:=\s*(.+?))?\s*$")
_TRUTH = {"true": "1", "false": "0"}


def declared_initial_values(model: str) -> dict[str, str]:
    r"""Initial values from simple declarations (``byte x = 3, y;``, ``bool a[2] = true``),
    macros (``#define FREE 255``) resolved; Promela's default for the others is 0.

    >>> declared_initial_values("#define N 7\nbyte x = 3, y;\nbool done[2] = true;\nint z = N;")
    {'x': '3', 'y': '0', 'done': '1', 'z': '7'}
    """
    macros: dict[str, str] = dict(_DEFINE.findall(model))
    values: dict[str, str] = {}
    for items in _DECLARATION.findall(model):
        for item in items.split(","):
            match = _ITEM.match(item)
            if match is None:
                continue
            name, written = match.group(1), (match.group(2) or "0").strip()
            value = macros.get(written, written)
            values[name] = _TRUTH.get(value, value)
    return values


def parse_trail_replay(output: str, initial: dict[str, str]) -> Trace:
    """The steps of ``spin -t -p -g``: each step (the statements SPIN numbers alike, such
    as a whole ``d_step``) and the global variables after it.

    The first state lists the variables the trail mentions: the final dump's value for
    those never assigned, else the declared initial value (see
    :func:`declared_initial_values`).
    """
    steps: list[tuple[str, str, list[str]]] = []  # (step number, label, statements)
    changes: list[dict[str, str]] = []
    final: dict[str, str] = {}
    assigned: list[str] = []
    in_dump = False
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("#processes"):
            in_dump = True
            continue
        if in_dump:
            match = _ASSIGN.match(line)
            if match:
                final[match.group(1)] = match.group(2).strip()
            continue
        step = _STEP.match(line)
        if step:
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if "transition failed" in following:
                continue
            number, statement = step.group(1), step.group(5)
            if steps and steps[-1][0] == number:
                steps[-1][2].append(statement)
            else:
                label = f"{step.group(3)} line {step.group(4)}"
                steps.append((number, label, [statement]))
                changes.append({})
            continue
        match = _ASSIGN.match(line)
        if match and steps:
            name, value = match.group(1), match.group(2).strip()
            if name not in assigned:
                assigned.append(name)
            changes[-1][name] = value
    start = {name: value for name, value in final.items() if name not in assigned}
    for name in assigned:
        base = name.split("[", 1)[0]
        start[name] = initial.get(name, initial.get(base, "0"))
    trace_steps = [Step(None, _frozen(start))]
    state = dict(start)
    for (_, label, statements), changed in zip(steps, changes, strict=True):
        state = {**state, **changed}
        trace_steps.append(Step(f"{label}: {'; '.join(statements)}", _frozen(state)))
    return Trace(tuple(trace_steps))


class SpinState(tuple[tuple[str, str], ...]):
    """Global variables of a SPIN state, shown as ``{x=1, y=0}``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{name}={value}" for name, value in self) + "}"


def _frozen(values: dict[str, str]) -> SpinState:
    return SpinState(sorted(values.items()))


def _cycle_start(output: str) -> int | None:
    """The step at which SPIN's replay announces the accepting cycle."""
    count = 0
    for line in output.splitlines():
        if "<<<<<START OF CYCLE>>>>>" in line:
            return count
        if _STEP.match(line):
            count += 1
    return None
