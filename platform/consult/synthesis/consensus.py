"""Agreement by sector on one item: the group-informed consensus and the divisiveness. Pure.

The consensus follows Pol.is (compdemocracy/polis, math/.../conversation.clj,
"group-aware-consensus"): for each group, (agree + 1) / (seen + 2), multiplied over the groups,
so one sector that rejects an item sinks it however many others like it. Here the groups are
the sectors that took part in the event, and a sector that never saw the item counts with its
prior (1/2): an item seen by two sectors does not outrank one that all eight endorsed.

Divisiveness asks whether agreement depends on the sector: the chi-square test of
independence on the sector x (agree, disagree) table of those who took a side, with Cramér's V
as the size of the split (0: every sector agrees at the same rate; 1: the sector decides the
answer). An item is a split only when the test is significant and some sectors mostly agree
while others mostly disagree; with three votes the statistic cannot pass 3 (p = 0.083)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from scipy.stats import chi2 as chi_square

SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class Tally:
    agree: int = 0
    disagree: int = 0
    neutral: int = 0      # pass on a paragraph, abstain on an amendment: seen, no side taken
    discuss: int = 0      # flagged "needs discussion" (paragraphs only); not a vote

    @property
    def seen(self) -> int:
        return self.agree + self.disagree + self.neutral

    @property
    def sided(self) -> int:
        return self.agree + self.disagree

    def share(self) -> float | None:
        """Agreement among those who saw it, as shown in the heat map; None when nobody did."""
        return self.agree / self.seen if self.seen else None

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.agree + other.agree, self.disagree + other.disagree, self.neutral + other.neutral,
                     self.discuss + other.discuss)


def smoothed_agree(t: Tally) -> float:
    return (t.agree + 1) / (t.seen + 2)


def consensus(by_group: Mapping[str, Tally], groups: Iterable[str]) -> float:
    """The product over `groups` of (agree + 1) / (seen + 2)."""
    product = 1.0
    for group in groups:
        product *= smoothed_agree(by_group.get(group, Tally()))
    return product


@dataclass(frozen=True)
class Split:
    strength: float                     # Cramér's V, 0..1
    chi2: float
    df: int
    p: float
    agreeing: tuple[str, ...] = field(default=())     # sectors whose majority agrees
    disagreeing: tuple[str, ...] = field(default=())  # sectors whose majority disagrees

    @property
    def significant(self) -> bool:
        return self.p < SIGNIFICANCE and bool(self.agreeing) and bool(self.disagreeing)


NO_SPLIT = Split(0.0, 0.0, 0, 1.0)


def divisiveness(by_group: Mapping[str, Tally]) -> Split:
    rows = [(g, t.agree, t.disagree) for g, t in sorted(by_group.items()) if t.sided]
    total = sum(a + d for _, a, d in rows)
    agree_total = sum(a for _, a, _ in rows)
    if len(rows) < 2 or agree_total in (0, total):
        return NO_SPLIT  # one sector, or nobody on one of the sides: nothing to split
    statistic = 0.0
    for _, a, d in rows:
        n = a + d
        for observed, column in ((a, agree_total), (d, total - agree_total)):
            expected = n * column / total
            statistic += (observed - expected) ** 2 / expected
    df = len(rows) - 1
    return Split(strength=math.sqrt(statistic / total), chi2=statistic, df=df, p=float(chi_square.sf(statistic, df)),
                 agreeing=tuple(g for g, a, d in rows if a > d), disagreeing=tuple(g for g, a, d in rows if d > a))
