"""How the signals become one `similarity` in [0, 1], and the threshold the panel calls "likely the same".

Pure arithmetic, no database. Tuned on tests/data/similar/eval.jsonl (the tuning part only; the
held-back part was written afterwards and is reported apart), see docs/similar.md.

- lexical: the share of what the query asks about (concepts and words, each weighted by how rare
  it is among stored problems) that a problem holds, a word in its title counting fully and one
  only in its statement for STATEMENT_WEIGHT (index.py);
- semantic: the cosine of the two sentence vectors, mapped from [SEMANTIC_FLOOR, SEMANTIC_CEILING]
  onto [0, 1] (below the floor, two unrelated problems; above the ceiling, the same sentence).

- title coverage: the share of the problem's own title (rarity-weighted) that the query holds, so
  that a title saying just what was typed comes before a longer one that also contains it.

lexical' = QUERY_SHARE × lexical + (1 − QUERY_SHARE) × title coverage;
similarity = SEMANTIC_SHARE × semantic + (1 − SEMANTIC_SHARE) × lexical'; a problem without a
vector yet (or every problem, when the model is off) is scored by lexical' alone. Candidates are
chosen by the same formula without the title coverage (one numpy pass), then scored in full.
"""

from __future__ import annotations

import numpy as np

SEMANTIC_FLOOR = 0.20
SEMANTIC_CEILING = 0.80
SEMANTIC_SHARE = 0.55
QUERY_SHARE = 0.85

# The panel's wording: at or above this a result is "likely the same problem", below it "may be related".
# A query about a problem that does not exist reaches it for at most 10 % of queries (docs/similar.md).
LIKELY_SAME = 0.50


def semantic_scaled(cosine):
    return np.clip((cosine - SEMANTIC_FLOOR) / (SEMANTIC_CEILING - SEMANTIC_FLOOR), 0.0, 1.0)


def fuse(lexical: float, title_coverage: float, cosine: float | None) -> float:
    lexical = QUERY_SHARE * lexical + (1 - QUERY_SHARE) * title_coverage
    if cosine is None:
        return float(np.clip(lexical, 0.0, 1.0))
    return float(np.clip(SEMANTIC_SHARE * semantic_scaled(cosine) + (1 - SEMANTIC_SHARE) * lexical, 0.0, 1.0))


def fuse_array(lexical: np.ndarray, cosine: np.ndarray | None, has_vector: np.ndarray) -> np.ndarray:
    """`fuse` over every stored problem at once, without the title coverage (candidates)."""
    lexical = QUERY_SHARE * lexical
    if cosine is None:
        return np.clip(lexical, 0.0, 1.0)
    fused = SEMANTIC_SHARE * semantic_scaled(cosine) + (1 - SEMANTIC_SHARE) * lexical
    return np.clip(np.where(has_vector, fused, lexical), 0.0, 1.0).astype(np.float32)
