"""Run every benchmark suite (``make bench``) and write benchmarks/results/.

    python benchmarks/run.py                 # all suites
    python benchmarks/run.py --suite model-finding --quick --out /tmp/bench
    python benchmarks/run.py --suite preemption --update   # re-measure one suite in place

Writes ``latest.json`` (every sample, the machine, the ratios) and ``latest.md`` (a table);
the book's performance page plots ``latest.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Case, Measurement, comparisons, machine, markdown_table, measure  # noqa: E402


def _load_cases(path: Path) -> list[Case]:
    spec = importlib.util.spec_from_file_location(f"bench_{path.parent.name}_{path.stem}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.cases())


def _carried_over(previous: Path, *, measured: list[Path]) -> list[Measurement]:
    if not previous.is_file():
        return []
    fresh = {path.parent.name for path in measured}
    data = json.loads(previous.read_text(encoding="utf-8"))
    return [
        Measurement.from_json(item) for item in data["measurements"] if item["suite"] not in fresh
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", action="append", help="only this suite (a folder name)")
    parser.add_argument("--quick", action="store_true", help="one run per case (a smoke test)")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument(
        "--update",
        action="store_true",
        help="keep the other suites' figures from OUT/latest.json (with --suite)",
    )
    args = parser.parse_args(argv)

    files = sorted(HERE.glob("*/bench_*.py"))
    if args.suite:
        files = [f for f in files if f.parent.name in args.suite]
    if not files:
        print("no benchmark suites found", file=sys.stderr)
        return 2
    measurements = []
    started = time.perf_counter()
    for path in files:
        for case in _load_cases(path):
            result = measure(case, repeat=1 if args.quick else None)
            measurements.append(result)
            print(
                f"{case.suite:14} {case.name:40} {case.contender:24} "
                f"{result.median_s * 1e3:10.2f} ms  {result.answer}",
                flush=True,
            )
    args.out.mkdir(parents=True, exist_ok=True)
    if args.update:
        # Re-measuring one suite should not throw the others' figures away; the report's
        # ``suites_measured_now`` says which ones this run measured.
        measurements = _carried_over(args.out / "latest.json", measured=files) + measurements
    report = {
        "machine": machine(),
        "wall_s": time.perf_counter() - started,
        "measurements": [m.to_json() for m in measurements],
        "suites_measured_now": sorted({path.parent.name for path in files}),
        "comparisons": comparisons(measurements),
    }
    (args.out / "latest.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    (args.out / "latest.md").write_text(markdown_table(measurements), encoding="utf-8")
    print(f"wrote {args.out / 'latest.json'} and latest.md in {report['wall_s']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
