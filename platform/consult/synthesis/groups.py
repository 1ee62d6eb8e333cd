"""Opinion groups from the participant x item matrix, the Pol.is way. Pure (numpy, scikit-learn).

Implemented from the formulas of compdemocracy/polis (math/src/polismath/math: conversation.clj,
pca.clj, repness.clj, stats.clj); no code is taken from it (AGPL).

- Who counts: participants who voted on at least min(7, items) items; when fewer than 15 do,
  the most active are added up to 15, so a small conference still gets a map.
- The map: the matrix (agree +1, disagree -1, pass/abstain 0, unseen missing) is centred on
  each item's mean; the two principal components come from its SVD with the unseen cells at
  the mean; each person is projected on their own votes only and pushed out by
  sqrt(items / their votes), so that someone who saw one room's items is not drawn to the centre.
- The groups: k-means for k = 2..5, keeping the k with the best silhouette. Pol.is clusters on
  the two drawn components; here on the first five (projected the same way), because four
  groups with unrelated views do not all stay apart in two dimensions (the planted-group test).
- Representative items of a group: its agreement (or disagreement) against the rest of the
  people, with the proportion tests of Pol.is (z > 1.2816, 90 % one-sided) on both."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

MIN_VOTES = 7
GREEDY = 15
CLUSTER_DIMS = 5
K_RANGE = range(2, 6)
Z90 = 1.2816


@dataclass(frozen=True)
class Groups:
    members: np.ndarray       # row indices of the participants on the map
    coords: np.ndarray        # (len(members), 2)
    labels: np.ndarray        # group of each member, 0..k-1, largest group first
    k: int
    silhouette: float


def in_conversation(votes: np.ndarray) -> np.ndarray:
    """Rows (participants) with enough votes; `votes` is participants x items with NaN for unseen."""
    counts = np.sum(~np.isnan(votes), axis=1)
    need = min(MIN_VOTES, votes.shape[1])
    chosen = set(np.flatnonzero(counts >= need).tolist()) if need else set()
    if len(chosen) < GREEDY:
        for row in np.argsort(-counts, kind="stable"):
            if len(chosen) >= GREEDY or counts[row] == 0:
                break
            chosen.add(int(row))
    return np.array(sorted(chosen), dtype=int)


def project(votes: np.ndarray, dims: int = 2) -> np.ndarray:
    """Each row's position on the first `dims` principal components (rows x dims)."""
    seen = ~np.isnan(votes)
    counts = seen.sum(axis=0)
    centre = np.divide(np.nansum(votes, axis=0), counts, out=np.zeros(votes.shape[1]), where=counts > 0)
    centred = np.where(seen, votes - centre, 0.0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    comps = np.zeros((dims, votes.shape[1]))
    comps[:min(dims, len(vt))] = vt[:dims]
    scale = np.sqrt(votes.shape[1] / np.maximum(seen.sum(axis=1), 1))
    return (centred @ comps.T) * scale[:, None]


def opinion_groups(votes: np.ndarray, seed: int = 0) -> Groups | None:
    """None when too few people or items to speak of groups."""
    members = in_conversation(votes)
    if len(members) < 4 or votes.shape[1] < 2:
        return None
    space = project(votes[members], CLUSTER_DIMS)
    coords = space[:, :2]
    distinct = len(np.unique(np.round(space, 9), axis=0))
    best = None
    for k in K_RANGE:
        if k >= min(len(members), distinct):
            break
        labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(space)
        score = float(silhouette_score(space, labels))
        if best is None or score > best[0] + 1e-9:
            best = (score, k, labels)
    if best is None:
        return None
    score, k, labels = best
    order = np.argsort(-np.bincount(labels, minlength=k), kind="stable")
    relabel = np.empty(k, dtype=int)
    relabel[order] = np.arange(k)
    return Groups(members=members, coords=coords, labels=relabel[labels], k=k, silhouette=score)


# -- what each group stands for ------------------------------------------------------------

def prop_test(successes: int, n: int) -> float:
    """z of a proportion against 1/2, with one pseudo-count on each side."""
    successes, n = successes + 1, n + 1
    return 2 * math.sqrt(n) * (successes / n - 0.5)


def two_prop_test(succ_in: int, succ_out: int, n_in: int, n_out: int) -> float:
    """z of the difference between two proportions (pooled), with one pseudo-count on each count."""
    succ_in, succ_out, n_in, n_out = succ_in + 1, succ_out + 1, n_in + 1, n_out + 1
    pooled = (succ_in + succ_out) / (n_in + n_out)
    if pooled >= 1:
        return 0.0
    return (succ_in / n_in - succ_out / n_out) / math.sqrt(pooled * (1 - pooled) * (1 / n_in + 1 / n_out))


@dataclass(frozen=True)
class Representative:
    item: int                 # column index
    direction: str            # "agree" or "disagree"
    share: float              # smoothed share of the group in that direction
    ratio: float              # that share over the rest's
    z_share: float
    z_ratio: float

    @property
    def score(self) -> float:
        return self.ratio * self.z_ratio * self.share * self.z_share


def _stats(column: np.ndarray, value: float) -> tuple[int, int]:
    seen = ~np.isnan(column)
    return int(np.sum(column[seen] == value)), int(np.sum(seen))


def representative(votes: np.ndarray, in_group: np.ndarray, limit: int = 3) -> list[Representative]:
    """The items that set the rows in `in_group` (a boolean mask) apart from the other rows."""
    found, fallback = [], None
    for item in range(votes.shape[1]):
        column = votes[:, item]
        candidates = []
        for direction, value in (("agree", 1.0), ("disagree", -1.0)):
            s_in, n_in = _stats(column[in_group], value)
            s_out, n_out = _stats(column[~in_group], value)
            if n_in == 0:
                continue
            share = (s_in + 1) / (n_in + 2)
            ratio = share / ((s_out + 1) / (n_out + 2))
            candidates.append(Representative(item, direction, share, ratio, prop_test(s_in, n_in),
                                             two_prop_test(s_in, s_out, n_in, n_out)))
        if not candidates:
            continue
        best = max(candidates, key=lambda r: r.z_ratio)
        if best.z_ratio > Z90 and best.z_share > Z90:
            found.append(best)
        elif fallback is None or best.z_ratio > fallback.z_ratio:
            fallback = best
    found.sort(key=lambda r: (r.direction != "agree", -r.score))
    if not found and fallback is not None:
        found = [fallback]  # every group is described by something, as in Pol.is
    return found[:limit]
