"""Mutation tests: edits that break a safe corpus program must not be called safe.

Each single-edit mutant of a safe program (flip a comparison, change a constant by one,
drop a guard) is checked, and also run on random inputs that meet its preconditions
(:func:`fmlab.refine._replay.fuzz_many`, in a subprocess). A mutant that fails on some
input is wrong, and a sound checker must not call it safe; when the checker calls it
unsafe, its counterexample must replay. A few hand-picked mutations are also pinned to
an exact verdict, so the suite notices if the operators stop producing wrong programs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fmlab.core.result import Refuted
from fmlab.refine import Status, check_source
from fmlab.refine._replay import fuzz_many, replay_many
from tests.refine.corpus_support import CORPUS, PROGRAMS, program_id
from tests.refine.mutation import mutants

SAFE = [path for path in PROGRAMS if path.parent.name == "pos"]


@pytest.mark.parametrize("path", SAFE, ids=program_id)
def test_wrong_mutants_are_not_called_safe(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two seconds per query, not ten: an answer it cuts short is unknown, and unknown is
    # never safe, so the property keeps its teeth. Some mutants (of quicksort) ask whether
    # a failure is forced in a quantified query z3 may spend any budget on: with ten
    # seconds one file's mutants took minutes on a busy machine.
    monkeypatch.setenv("FMLAB_TIMEOUT_MS", "2000")
    source = path.read_text(encoding="utf-8")
    checked = {f.name for f in check_source(source, str(path)).functions}
    found = [m for m in mutants(source) if m.function in checked]
    files = []
    for number, mutant in enumerate(found):
        file = tmp_path / f"mutant_{number}.py"
        file.write_text(mutant.source, encoding="utf-8")
        files.append(file)
    statuses = []
    for mutant, file in zip(found, files, strict=True):
        report = check_source(mutant.source, str(file))
        statuses.append(report.function(mutant.function))
    oracle = fuzz_many(
        [(file, mutant.function) for mutant, file in zip(found, files, strict=True)], tries=60
    )
    replays = []
    for mutant, file, function in zip(found, files, statuses, strict=True):
        for error in function.errors:
            if isinstance(error.result, Refuted) and error.replayable:
                replays.append((mutant, file, error))
    for mutant, function, outcome in zip(found, statuses, oracle, strict=True):
        if outcome.outcome == "violation":
            assert function.status is not Status.SAFE, (mutant.description, outcome.detail)
    for mutant, file, error in replays:
        [outcome] = replay_many(file, [(mutant.function, dict(error.counterexample or {}))])
        assert outcome.confirms(error.kind, error.line), (mutant.description, error, outcome)


PINNED = [
    ("pos/l2_abs.py", "if x < 0:", "if x > 0:"),
    ("pos/l2_sum.py", "if n == 0:", "if n == 1:"),
    ("pos/l5_head.py", "    if xs:\n", "    if True:\n"),
    ("pos/l3_for_range.py", "range(len(xs))", "range(len(xs) + 1)"),
    ("pos/l3_while_count.py", "while i < n:", "while i <= n:"),
    ("pos/heartbleed_fixed.py", "min(n, len(s))", "max(n, len(s))"),
    ("pos/l1_division.py", "return n // 2", "return n // 2 + 1"),
    ("pos/l5_last.py", "len(xs) - 1]", "len(xs) - 0]"),
    ("pos/l2_clamp.py", "x < low", "x > low"),
    ("pos/l3_binary_search.py", "low = middle + 1", "low = middle + 2"),
    ("pos/l9_sorted.py", "if x <= ys[0]:", "if x >= ys[0]:"),
    ("pos/l9_sorted.py", "if xs[0] <= ys[0]:", "if xs[0] >= ys[0]:"),
    ("pos/l8_reflection.py", "return n + total(n - 1)", "return n + 1 + total(n - 1)"),
    ("pos/l8_reflection.py", "return fib(n - 1) + fib(n - 2)", "return fib(n - 1) + fib(n - 1)"),
    ("pos/l7_lexicographic.py", "return gcd(a - b, b)", "return gcd(a - b + 1, b)"),
    (
        "pos/l4_generic_recursion.py",
        "return [xs[0], *append(xs[1:], ys)]",
        "return append(xs[1:], ys)",
    ),
    (
        "pos/l2_no_return_annotation.py",
        "return 0\n    return n + total",
        "return -1\n    return n + total",
    ),
    ("pos/l6_callable.py", "return twice(inc, x)", "return twice(inc, x - 1)"),
    ("pos/l6_list_max.py", "list_max([0, 200, 4000, 60])", "list_max([1, 201, 4001, 61])"),
    ("pos/l6_dependent_pair.py", "make_pair(x, incr(x))", "make_pair(x, x - 1)"),
    ("pos/l8_ple_adder.py", "return 1 + plus(x - 1, y)", "return 2 + plus(x - 1, y)"),
    ("pos/l9_quicksort.py", "if xs[0] < pivot:", "if xs[0] <= pivot:"),
    # z3's model once defined the pivot by a read out of range, which did not decode.
    ("pos/l9_quicksort.py", "if xs[0] >= pivot:", "if xs[-1] >= pivot:"),
]


@pytest.mark.parametrize(("name", "old", "new"), PINNED, ids=[p[0] for p in PINNED])
def test_pinned_mutations_are_unsafe(name: str, old: str, new: str, tmp_path: Path) -> None:
    source = (CORPUS / name).read_text(encoding="utf-8")
    assert old in source
    mutated = source.replace(old, new, 1)
    file = tmp_path / "mutant.py"
    file.write_text(mutated, encoding="utf-8")
    report = check_source(mutated, str(file))
    unsafe = [f for f in report.functions if f.status is Status.UNSAFE]
    assert unsafe, report.explain()
    calls = [
        (function.name, dict(error.counterexample or {}))
        for function in unsafe
        for error in function.errors
        if isinstance(error.result, Refuted)
    ]
    errors = [e for f in unsafe for e in f.errors if isinstance(e.result, Refuted)]
    for error, outcome in zip(errors, replay_many(file, calls), strict=True):
        assert outcome.confirms(error.kind, error.line), (error, outcome)
