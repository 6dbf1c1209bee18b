"""Benchmark: ``fmlab refine check`` in a new process, cold and warm from the disk cache.

Each corpus file is checked by its own ``python -m fmlab.cli.main refine check FILE --json``
subprocess, so every run pays interpreter start-up and imports (z3 included) like a user's
command line does. Three passes over the corpus: ``--no-cache``; a cold cache (an empty
``XDG_CACHE_HOME``, filled as it goes); the same cache, warm. A start-up baseline (checking
an empty file) shows what no cache can remove. In-process passes (``check_file`` with a
cold, then warm, ``cache_dir`` and the in-process cache cleared between) show the checking
time alone. Prints JSON: totals and per-file medians over ``repeats`` rounds.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import Case, Timed

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "refine" / "corpus"


def _run(arguments: list[str], cache: Path) -> float:
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "fmlab.cli.main", *arguments],
        capture_output=True,
        env=environment,
        timeout=300,
        check=False,
    )
    return time.perf_counter() - started


def _pass(cache: Path, *flags: str) -> list[float]:
    programs = sorted(CORPUS.glob("*/*.py"))
    return [_run(["refine", "check", str(path), "--json", *flags], cache) for path in programs]


def _corpus(kind: str) -> Timed:
    with tempfile.TemporaryDirectory() as directory:
        cache = Path(directory)
        if kind == "warm":
            _pass(cache)
        times = _pass(cache, "--no-cache") if kind == "no-cache" else _pass(cache)
    return Timed(f"{len(times)} files, {kind}", sum(times))


def cases() -> list[Case]:
    suite, params = "refinement", {"programs": len(list(CORPUS.glob("*/*.py")))}
    return [
        Case(
            suite,
            f"fmlab refine check per file in a new process, {kind}",
            "fmlab refine (disk cache)",
            lambda kind=kind: _corpus(kind),  # type: ignore[misc]
            params,
            repeat=1,
        )
        for kind in ("cold", "warm")
    ]


def _in_process() -> dict[str, float]:
    from fmlab.refine import check_file
    from fmlab.refine._checker import clear_cache

    programs = sorted(CORPUS.glob("*/*.py"))
    with tempfile.TemporaryDirectory() as directory:
        timings = {}
        for kind in ("in_process_cold_s", "in_process_warm_from_disk_s"):
            clear_cache()
            started = time.perf_counter()
            for path in programs:
                check_file(path, cache_dir=Path(directory))
            timings[kind] = round(time.perf_counter() - started, 3)
    clear_cache()
    return timings


def main(repeats: int = 3) -> dict[str, Any]:
    rounds: dict[str, list[list[float]]] = {"no_cache": [], "cold": [], "warm": []}
    startup = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as directory:
            cache = Path(directory)
            empty = cache / "empty.py"
            empty.write_text("")
            startup.append(_run(["refine", "check", str(empty), "--no-cache"], cache))
            rounds["no_cache"].append(_pass(cache, "--no-cache"))
            rounds["cold"].append(_pass(cache))
            rounds["warm"].append(_pass(cache))
    result: dict[str, Any] = {
        "benchmark": "refinement/disk-cache",
        "programs": len(rounds["cold"][0]),
        "repeats": repeats,
        "startup_s_median": round(statistics.median(startup), 3),
    }
    for kind, passes in rounds.items():
        totals = [sum(times) for times in passes]
        per_file = [statistics.median(column) for column in zip(*passes, strict=True)]
        result[f"{kind}_corpus_s_median"] = round(statistics.median(totals), 3)
        result[f"{kind}_file_s_median"] = round(statistics.median(per_file), 3)
        result[f"{kind}_file_s_max"] = round(max(per_file), 3)
    result.update(_in_process())
    result["cold_over_warm"] = round(
        result["cold_corpus_s_median"] / result["warm_corpus_s_median"], 2
    )
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
