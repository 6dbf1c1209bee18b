"""Benchmark: the refinement checker on its corpus (per-function and whole-corpus times).

Run by ``make bench`` (or directly: ``python benchmarks/refinement/bench_refine.py``).
Prints JSON: the median and maximum per-function check time over the corpus (each
function's time from the checker's own clock, the best of ``repeats`` runs; it excludes
the file-level inference of result refinements), the median per-file wall time (which
includes it), and the median wall time of a whole-corpus pass. Machines are noisy: read
medians, not single runs.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from fmlab.refine import check_file
from fmlab.refine._checker import clear_cache

# Run alone or through benchmarks/run.py: either way the harness module is beside us.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import Case, Timed

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "refine" / "corpus"


def _corpus_pass(*, cold: bool) -> Timed:
    programs = sorted(CORPUS.glob("*/*.py"))
    if cold:
        clear_cache()
    else:
        for path in programs:  # fill the cache first; only the re-check is timed
            check_file(path)
    started = time.perf_counter()
    functions = sum(len(check_file(path).functions) for path in programs)
    return Timed(f"{len(programs)} files, {functions} functions", time.perf_counter() - started)


def _median_function_ms() -> Timed:
    # The per-function median from the checker's own clock, reported in seconds so the
    # harness can take the median over repeats like any other case.
    report = main(repeats=1, quiet=True)
    return Timed(f"median of {report['functions']} functions", report["median_function_ms"] / 1000)


def cases() -> list[Case]:
    suite, params = "refinement", {"programs": len(list(CORPUS.glob("*/*.py")))}
    return [
        Case(
            suite,
            "check the whole corpus, cold cache",
            "fmlab refine",
            lambda: _corpus_pass(cold=True),
            params,
            repeat=3,
        ),
        Case(
            suite,
            "re-check the unchanged corpus",
            "fmlab refine",
            lambda: _corpus_pass(cold=False),
            params,
            repeat=3,
        ),
        Case(
            suite,
            "median check time of one function",
            "fmlab refine",
            _median_function_ms,
            params,
            repeat=3,
        ),
    ]


def main(repeats: int = 3, *, quiet: bool = False) -> dict[str, Any]:
    programs = sorted(CORPUS.glob("*/*.py"))
    best: dict[tuple[str, str], float] = {}
    per_file: dict[str, float] = {}
    passes = []
    for _ in range(repeats):
        clear_cache()  # time the checking, not the per-process cache
        started = time.perf_counter()
        for path in programs:
            file_started = time.perf_counter()
            report = check_file(path)
            name = str(path.relative_to(CORPUS))
            per_file[name] = min(
                per_file.get(name, float("inf")), time.perf_counter() - file_started
            )
            for function in report.functions:
                key = (str(path.relative_to(CORPUS)), function.name)
                best[key] = min(best.get(key, float("inf")), function.seconds)
        passes.append(time.perf_counter() - started)
    times = sorted(best.values())
    result = {
        "benchmark": "refinement/corpus",
        "programs": len(programs),
        "functions": len(times),
        "median_function_ms": round(1000 * statistics.median(times), 2),
        "p90_function_ms": round(1000 * times[int(0.9 * (len(times) - 1))], 2),
        "max_function_ms": round(1000 * times[-1], 2),
        "slowest": max(best, key=lambda key: best[key]),
        "median_file_ms": round(1000 * statistics.median(per_file.values()), 2),
        "corpus_pass_s_median": round(statistics.median(passes), 3),
        "repeats": repeats,
    }
    clear_cache()
    cold = time.perf_counter()
    for path in programs:
        check_file(path)
    warm = time.perf_counter()
    for path in programs:
        check_file(path)
    result["corpus_recheck_unchanged_s"] = round(time.perf_counter() - warm, 4)
    result["corpus_cold_s"] = round(warm - cold, 3)
    if not quiet:
        print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
