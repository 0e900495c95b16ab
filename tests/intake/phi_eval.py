"""Measure the PHI screen on labelled JSONL sets ({"text", "phi", "kind"} per line).

    python -m tests.intake.phi_eval [--quiet] [path ...]
    python -m tests.intake.phi_eval --timing

prints, per set, recall over the `phi: true` rows and the share of `phi: false` rows refused, then
recall per kind of identifier, then every miss and false refusal (unless --quiet). Without paths it
measures every set in tests/data/phi/ (see the README there). --timing measures the screen's own
CPU time instead: loading the name lists once, a 5,000-character statement, and each labelled text.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from intake.phi import phi_find

DATA = Path(__file__).resolve().parents[1] / "data" / "phi"
# The labelled sample set the specification came with, kept in the project as its own test data.
SAMPLES = DATA / "samples.jsonl"
# Ours: the first held-out-style set, the attack run's variant families (issue 11), and a blind set
# written after the screen was tuned and measured once as it stood.
HELDOUT = DATA / "heldout.jsonl"
VARIANTS = DATA / "variants.jsonl"
BLIND = DATA / "blind.jsonl"
SETS = [SAMPLES, HELDOUT, VARIANTS, BLIND]


@dataclass
class Measure:
    identifiers: int = 0
    caught: int = 0
    clean: int = 0
    refused: int = 0
    misses: list[str] = field(default_factory=list)
    false_refusals: list[str] = field(default_factory=list)
    per_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    @property
    def recall(self) -> float:
        return self.caught / self.identifiers

    @property
    def false_refusal_rate(self) -> float:
        return self.refused / self.clean


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def measure(rows: list[dict]) -> Measure:
    result = Measure()
    for row in rows:
        found = phi_find(row["text"])
        if row["phi"]:
            result.identifiers += 1
            result.per_kind[row["kind"]][1] += 1
            if found:
                result.caught += 1
                result.per_kind[row["kind"]][0] += 1
            else:
                result.misses.append(f"{row['kind']}: {row['text']!r}")
        else:
            result.clean += 1
            if found:
                result.refused += 1
                kinds = ",".join(sorted({f.kind for f in found}))
                result.false_refusals.append(f"{kinds}: {row['text']!r}")
    return result


def _cpu_ms(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append((time.process_time() - start) * 1000)
    return times


def timing() -> None:
    start = time.process_time()
    phi_find("pt Maria Lopez")  # imports done above; this builds the name lists, once per process
    print(f"first screen in a process (name lists built): {(time.process_time() - start) * 1000:.0f} ms CPU")
    rows = [row for path in SETS for row in load(path)]
    clean = "\n".join(row["text"] for row in rows if not row["phi"])
    statement = clean[:5000]
    for label, text in (
        ("5,000-char statement of clean texts", statement),
        ("the same, with a phone number", statement[:4960] + " call 212-555-0199"),
    ):
        runs = [sum(_cpu_ms(lambda t=text: phi_find(t), 20)) / 20 for _ in range(7)]
        print(f"{label}: median {statistics.median(runs):.2f} ms CPU per screen (7 runs of 20)")
    texts = [row["text"] for row in rows]
    runs = [sum(_cpu_ms(lambda: [phi_find(t) for t in texts], 1)) / len(texts) for _ in range(5)]
    mean_length = statistics.mean(map(len, texts))
    print(
        f"each labelled text ({len(texts)} texts, {mean_length:.0f} characters on average): "
        f"median {statistics.median(runs):.3f} ms CPU per screen (5 runs)"
    )


def main(arguments: list[str]) -> None:
    if "--timing" in arguments:
        timing()
        return
    quiet = "--quiet" in arguments
    paths = [Path(argument) for argument in arguments if argument != "--quiet"] or SETS
    for path in paths:
        result = measure(load(path))
        print(
            f"{path.name}: recall {result.recall:.1%} ({result.caught}/{result.identifiers}), "
            f"clean refused {result.false_refusal_rate:.1%} ({result.refused}/{result.clean})"
        )
        print("  " + ", ".join(f"{kind} {caught}/{total}" for kind, (caught, total) in sorted(result.per_kind.items())))
        if not quiet:
            for line in result.misses:
                print("  missed   ", line)
            for line in result.false_refusals:
                print("  refused  ", line)


if __name__ == "__main__":
    main(sys.argv[1:])
