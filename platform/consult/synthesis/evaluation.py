"""How well a way of grouping comments finds paraphrases: precision and recall over pairs.

A labelled set is groups of comments that say the same thing; two comments of one group are a
paraphrase pair, two of different groups are not. A method is scored by grouping all the
comments at once: precision is the share of pairs it put together that are paraphrases,
recall the share of paraphrase pairs it put together."""
from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations
from typing import Sequence

import numpy as np

from consult.synthesis.themes import Method, cluster


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    pairs: int            # paraphrase pairs in the set
    predicted: int        # pairs the method put together

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score(groups: Sequence[Sequence[str]], method: Method, threshold: float | None = None) -> Score:
    texts = [t for g in groups for t in g]
    truth = np.array([i for i, g in enumerate(groups) for _ in g])
    found = cluster(method.vectorise(texts), method.threshold if threshold is None else threshold)
    same_truth = same_found = both = 0
    for a, b in combinations(range(len(texts)), 2):
        t, f = truth[a] == truth[b], found[a] == found[b]
        same_truth += t
        same_found += f
        both += t and f
    return Score(both / same_found if same_found else 1.0, both / same_truth if same_truth else 1.0,
                 int(same_truth), int(same_found))


def tune(groups: Sequence[Sequence[str]], method: Method, thresholds: Sequence[float]) -> Method:
    """The method cut where it scores the best F1 on `groups` (ties: the stricter cut)."""
    best = max(thresholds, key=lambda t: (round(score(groups, method, t).f1, 6), -t))
    return replace(method, threshold=float(best))
