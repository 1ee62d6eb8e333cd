"""The synthesis's maths on hand-computed cases, planted groups and the labelled paraphrase set."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from consult.synthesis.consensus import Tally, consensus, divisiveness
from consult.synthesis.evaluation import score
from consult.synthesis.groups import (
    in_conversation,
    opinion_groups,
    project,
    prop_test,
    representative,
    two_prop_test,
)
from consult.synthesis.themes import METHOD, METHODS, label, themes

PARAPHRASES = [g["texts"] for g in json.loads(
    (Path(__file__).parent / "data" / "paraphrases.json").read_text())["groups"]]


# -- consensus ---------------------------------------------------------------------------------

def test_consensus_is_the_product_of_smoothed_agreement_over_every_sector():
    by = {"health": Tally(agree=3, disagree=1), "law_enforcement": Tally(agree=1, disagree=2, neutral=1)}
    # health (3+1)/(4+2) = 2/3; law enforcement (1+1)/(4+2) = 1/3; research saw nothing: 1/2.
    assert consensus(by, ["health", "law_enforcement"]) == pytest.approx(2 / 9)
    assert consensus(by, ["health", "law_enforcement", "research"]) == pytest.approx(1 / 9)


def test_one_hostile_sector_sinks_an_item_that_everyone_else_loves():
    loved = {s: Tally(agree=10) for s in ("health", "research", "civil_society")}
    hostile = dict(loved, law_enforcement=Tally(disagree=10))
    sectors = ["health", "research", "civil_society", "law_enforcement"]
    mild = dict(loved, law_enforcement=Tally(agree=6, disagree=4))
    assert consensus(hostile, sectors) < consensus(mild, sectors) < consensus(dict(loved, law_enforcement=Tally(agree=10)),
                                                                             sectors)
    assert consensus(hostile, sectors) == pytest.approx((11 / 12) ** 3 * (1 / 12))


tallies = st.builds(Tally, st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))
sector_tallies = st.dictionaries(st.sampled_from(["health", "law_enforcement", "research", "policymaker"]), tallies,
                                 min_size=1)


@given(sector_tallies)
def test_consensus_lies_between_zero_and_one_and_rises_with_each_agree(by):
    sectors = sorted(by)
    value = consensus(by, sectors)
    assert 0 < value < 1
    first = sectors[0]
    more = dict(by, **{first: by[first] + Tally(agree=1)})
    against = dict(by, **{first: by[first] + Tally(disagree=1)})
    assert consensus(more, sectors) > value > consensus(against, sectors)


# -- divisiveness ------------------------------------------------------------------------------

def test_three_votes_do_not_make_a_split():
    # 2 agree in health, 1 disagrees in police: chi-square = 3 (hand: 1/3 + 2/3 + 2/3 + 4/3), p = 0.083.
    split = divisiveness({"health": Tally(agree=2), "law_enforcement": Tally(disagree=1)})
    assert split.chi2 == pytest.approx(3.0) and split.df == 1
    assert split.p == pytest.approx(0.08326, abs=1e-4)
    assert split.strength == pytest.approx(1.0)
    assert split.agreeing == ("health",) and split.disagreeing == ("law_enforcement",)
    assert not split.significant


def test_ten_against_ten_is_a_significant_split():
    split = divisiveness({"health": Tally(agree=10), "law_enforcement": Tally(disagree=10)})
    assert split.chi2 == pytest.approx(20.0) and split.strength == pytest.approx(1.0)
    assert split.p == pytest.approx(7.744e-6, rel=1e-3) and split.significant


def test_a_hand_computed_three_sector_table():
    # Agree/disagree: health 8/2, police 3/7, research 5/5; totals 16/14 of 30.
    # Expected agree per row: 10*16/30 = 5.333; disagree 4.667.
    by = {"health": Tally(8, 2), "law_enforcement": Tally(3, 7), "research": Tally(5, 5, neutral=9)}
    expected = sum((o - e) ** 2 / e for o, e in [(8, 16 / 3), (2, 14 / 3), (3, 16 / 3), (7, 14 / 3),
                                                 (5, 16 / 3), (5, 14 / 3)])
    split = divisiveness(by)
    assert split.chi2 == pytest.approx(expected) and split.chi2 == pytest.approx(5.0893, abs=1e-4)
    assert split.df == 2 and split.p == pytest.approx(math.exp(-expected / 2))  # chi-square sf with 2 df
    assert split.strength == pytest.approx(math.sqrt(expected / 30))
    assert split.agreeing == ("health",) and split.disagreeing == ("law_enforcement",)  # research is even
    assert split.significant is False  # p = 0.078


def test_sectors_that_agree_at_different_rates_are_not_a_split():
    split = divisiveness({"health": Tally(agree=50, disagree=2), "law_enforcement": Tally(agree=30, disagree=20)})
    assert split.p < 0.001 and split.disagreeing == () and not split.significant


def test_no_split_without_two_sides():
    assert divisiveness({"health": Tally(agree=5), "research": Tally(agree=7)}).strength == 0
    assert divisiveness({"health": Tally(agree=5, disagree=5)}).p == 1.0
    assert divisiveness({}).significant is False


@given(sector_tallies)
def test_the_split_is_between_zero_and_one_and_does_not_depend_on_the_order(by):
    split = divisiveness(by)
    assert 0 <= split.strength <= 1 + 1e-9 and 0 <= split.p <= 1
    assert divisiveness(dict(reversed(list(by.items())))) == split
    doubled = divisiveness({s: Tally(t.agree * 2, t.disagree * 2, t.neutral * 2) for s, t in by.items()})
    assert doubled.strength == pytest.approx(split.strength, abs=1e-9) and doubled.p <= split.p + 1e-12


# -- opinion groups ------------------------------------------------------------------------------

def test_the_proportion_tests_on_hand_computed_cases():
    assert prop_test(0, 0) == pytest.approx(1.0)          # 2 * sqrt(1) * (1/1 - 1/2)
    assert prop_test(9, 10) == pytest.approx(2 * math.sqrt(11) * (10 / 11 - 0.5))
    # (9+1)/(10+1) against (2+1)/(20+1), pooled 13/32.
    pooled = 13 / 32
    z = (10 / 11 - 3 / 21) / math.sqrt(pooled * (1 - pooled) * (1 / 11 + 1 / 21))
    assert two_prop_test(9, 2, 10, 20) == pytest.approx(z)
    assert two_prop_test(4, 4, 4, 4) == 0.0


def planted(groups: int, per_group: int, items: int, noise: float, missing: float, seed: int):
    rng = np.random.default_rng(seed)
    patterns = rng.choice([-1.0, 1.0], size=(groups, items))
    truth = np.repeat(np.arange(groups), per_group)
    votes = patterns[truth].copy()
    flip = rng.random(votes.shape) < noise
    votes[flip] = -votes[flip]
    votes[rng.random(votes.shape) < missing] = np.nan
    return votes, truth, patterns


@pytest.mark.parametrize("groups,seed", [(2, 1), (3, 2), (4, 3)])
def test_planted_groups_are_recovered(groups, seed):
    votes, truth, _ = planted(groups, 40, 30, noise=0.1, missing=0.3, seed=seed)
    found = opinion_groups(votes)
    assert found.k == groups
    assert adjusted_rand_score(truth[found.members], found.labels) > 0.9


def test_people_with_too_few_votes_are_left_off_the_map_unless_the_room_is_small():
    votes, _, _ = planted(2, 20, 20, noise=0.0, missing=0.0, seed=4)
    votes[:5, 3:] = np.nan          # five people voted on only three items
    assert set(in_conversation(votes)) == set(range(5, 40))
    small = votes[:10]              # ten people in all: the most active are taken up to 15
    assert len(in_conversation(small)) == 10


def test_someone_who_saw_few_items_is_not_drawn_to_the_centre():
    votes, _, _ = planted(2, 20, 20, noise=0.0, missing=0.0, seed=5)
    sparse = votes.copy()
    sparse[0, 5:] = np.nan
    full, partial = project(votes), project(sparse)
    assert np.linalg.norm(partial[0]) > 0.6 * np.linalg.norm(full[0])


def test_representative_items_are_those_a_group_answers_unlike_the_rest():
    votes = np.ones((30, 4))
    votes[:10, 2] = -1              # the first ten disagree with item 2, everyone else agrees
    votes[10:, 3] = -1              # the other twenty disagree with item 3
    mask = np.arange(30) < 10
    reps = representative(votes, mask)
    assert {(r.item, r.direction) for r in reps} == {(2, "disagree"), (3, "agree")}
    assert reps[0].direction == "agree"  # agreements first, as in Pol.is


def test_too_few_people_make_no_groups():
    assert opinion_groups(np.array([[1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]])) is None


# -- themes --------------------------------------------------------------------------------------

def test_the_chosen_method_meets_the_figures_in_the_closing_note():
    # bench/themes_eval.py: on the whole set, 4-letter prefixes: precision 0.600, recall 0.629.
    result = score(PARAPHRASES, METHOD)
    assert result.precision >= 0.60 and result.recall >= 0.62
    assert METHOD.name == max(METHODS, key=lambda m: score(PARAPHRASES[1::2], m).f1).name


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(alphabet="abcdefgh ijkl", min_size=0, max_size=40), min_size=0, max_size=12))
def test_every_comment_is_in_exactly_one_theme(texts):
    found = themes(texts)
    members = sorted(i for t in found for i in t.members)
    assert members == list(range(len(texts)))


def test_identical_comments_share_a_theme_and_the_label_uses_their_words():
    texts = ["Local figures per neighbourhood are needed.", "Witness protection is missing.",
             "Local figures per neighbourhood are needed.", "We need neighbourhood figures for local planning."]
    found = themes(texts)
    together = next(t for t in found if 0 in t.members)
    assert 2 in together.members
    assert set(together.label.split(" · ")) <= {"local", "figures", "neighbourhood", "needed", "planning"}
    assert "neighbourhood" in together.label
    assert label(["Eine Frage der Gesundheit", "Gesundheit zuerst"]) == "gesundheit"  # only the words they share
