"""`make bench`: the quality bars of benchmarks/README.md, each beside its baseline, at 10,000 and 100,000 problems.

    python -m benchmarks.run            # 10k and 100k problems: the full run (about 15–20 minutes)
    python -m benchmarks.run --quick    # 10k problems, shorter runs: a few minutes, for development

Each size runs in its own process against its own database (bridge_bench for 100k,
bridge_bench_10k for 10k; BENCH_DATABASE_URL changes the base), generated once per seed and
size and reused afterwards. Prints one table and writes benchmarks/results.json with the
machine's description. Measure on a quiet machine: other work on the same cores shows up in
every figure (the JSON records how busy the machine was before and after).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from . import machine, processes, report
from .suite import FULL_SIZE, MEASURES, database_url_for

ROOT = Path(__file__).resolve().parent.parent
QUICK_SIZE = 10_000
DEFAULT_SEED = 6
RESULTS = ROOT / "benchmarks" / "results.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10,000 problems and shorter runs")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--sizes", help="comma list of problem counts (default: 10000,100000; --quick: 10000)")
    parser.add_argument("--only", default=",".join(MEASURES), help="comma list of " + ", ".join(MEASURES))
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else [QUICK_SIZE]
        if args.quick
        else [QUICK_SIZE, FULL_SIZE]
    )
    if "backlog" in args.only.split(","):
        processes.wrk_path()  # the backlog measures need wrk: say so now, not after the data is generated
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    busy_before = machine.cpu_busy_percent()
    load_before = machine.loadavg()
    print(f"Bridge benchmarks ({'quick' if args.quick else 'full'}): sizes {', '.join(f'{s:,}' for s in sizes)}")
    print(f"Machine busy before start: {busy_before}% CPU, load {load_before}")

    sizes_out = {}
    profiles_root = ROOT / "benchmarks" / "profiles" if not args.quick else ROOT / "artifacts" / "bench" / "profiles"
    for size in sizes:
        out = ROOT / "artifacts" / "bench" / f"suite-{size}.json"
        out.unlink(missing_ok=True)
        command = [
            sys.executable,
            "-m",
            "benchmarks.suite",
            "--problems",
            str(size),
            "--seed",
            str(args.seed),
            "--only",
            args.only,
            "--out",
            str(out),
            "--profiles",
            str(profiles_root / str(size)),
        ]
        if args.quick:
            command.append("--quick")
        completed = subprocess.run(command, cwd=ROOT, check=False)
        if completed.returncode != 0 or not out.exists():
            sizes_out[str(size)] = {"problems": size, "failed": f"suite exited with {completed.returncode}"}
            continue
        sizes_out[str(size)] = json.loads(out.read_text())

    results = {
        "kind": "quick" if args.quick else "full",
        "note": (
            "QUICK RUN (10,000 problems, shorter measurements): for development only, not the figures of record."
            if args.quick
            else "Full run: 10,000 and 100,000 problems."
        ),
        "started_at": started_at.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "total_seconds": round(time.perf_counter() - started, 1),
        "seed": args.seed,
        "sizes": sizes,
        "machine": {
            **machine.describe(database_url_for(sizes[-1])),
            "cpu_busy_percent_before": busy_before,
            "loadavg_before": load_before,
            "loadavg_after": machine.loadavg(),
        },
        "results": sizes_out,
    }
    results["bars"] = report.bars(results)
    results["growth"] = report.growth(results)
    text = report.table(results)
    print()
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\nWrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
