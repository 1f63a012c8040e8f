"""Retrieval measures for the search-quality evaluation (docs/search-quality.md).

Plain functions over ranked lists of keys and sets of relevant keys, so they can be
tested by hand-computed examples and reused by whatever ranking comes next.

- reciprocal_rank: 1/rank of the first relevant result (0 when none is returned).
- recall_at_k: the share of the relevant items found in the first k results.
- precision_at_k: the share of the first k results *shown* that are relevant. A panel
  that shows 1 result, a right one, scores 1.0 (not 1/k): for a "similar ideas" panel
  the question is whether what it shows is right; what it misses is recall's job. When
  nothing is shown, precision is undefined (None) and left out of the mean; the report
  counts those cases separately.
"""

from collections.abc import Iterable, Sequence


def reciprocal_rank(ranked: Sequence, relevant: Iterable) -> float:
    relevant = set(relevant)
    for rank, item in enumerate(ranked, start=1):
        if item in relevant:
            return 1.0 / rank
    return 0.0


def mrr(runs: Iterable[tuple[Sequence, Iterable]]) -> float:
    """Mean reciprocal rank over (ranked, relevant) pairs; 0.0 for no pairs."""
    return mean(reciprocal_rank(ranked, relevant) for ranked, relevant in runs) or 0.0


def recall_at_k(ranked: Sequence, relevant: Iterable, k: int) -> float:
    relevant = set(relevant)
    if not relevant:
        raise ValueError("recall is undefined without relevant items")
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def precision_at_k(ranked: Sequence, relevant: Iterable, k: int) -> float | None:
    shown = list(dict.fromkeys(ranked[:k]))
    if not shown:
        return None
    relevant = set(relevant)
    return sum(1 for item in shown if item in relevant) / len(shown)


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not None; None when there are none."""
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None
