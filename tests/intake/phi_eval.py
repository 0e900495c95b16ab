"""Measure the PHI screen on a labelled JSONL set ({"text", "phi", "kind"} per line).

    python -m tests.intake.phi_eval [path ...]

prints recall over the `phi: true` rows and the share of `phi: false` rows refused, for the
specification's sample set and this package's held-out-style set by default, with every miss and false refusal.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from intake.phi import phi_find

DATA = Path(__file__).resolve().parents[1] / "data" / "phi"
# The labelled sample set the specification came with, kept in the project as its own test data.
SAMPLES = DATA / "samples.jsonl"
HELDOUT = DATA / "heldout.jsonl"


@dataclass
class Measure:
    identifiers: int = 0
    caught: int = 0
    clean: int = 0
    refused: int = 0
    misses: list[str] = field(default_factory=list)
    false_refusals: list[str] = field(default_factory=list)

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
            if found:
                result.caught += 1
            else:
                result.misses.append(f"{row['kind']}: {row['text']}")
        else:
            result.clean += 1
            if found:
                result.refused += 1
                kinds = ",".join(sorted({f.kind for f in found}))
                result.false_refusals.append(f"{kinds}: {row['text']}")
    return result


def main(paths: list[str]) -> None:
    for path in [Path(p) for p in paths] or [SAMPLES, HELDOUT]:
        result = measure(load(path))
        print(
            f"{path}: recall {result.recall:.1%} ({result.caught}/{result.identifiers}), "
            f"clean refused {result.false_refusal_rate:.1%} ({result.refused}/{result.clean})"
        )
        for line in result.misses:
            print("  missed   ", line)
        for line in result.false_refusals:
            print("  refused  ", line)


if __name__ == "__main__":
    main(sys.argv[1:])
