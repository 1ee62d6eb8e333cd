"""What a paragraph adopts, derived from the texts alone: properties over generated texts."""
from __future__ import annotations

from consult.consolidation.merge import merge_texts
from consult.consolidation.provenance import adoption, change_authors
from consult.textdiff import DELETE, INSERT
from hypothesis import assume, given, settings
from hypothesis import strategies as st

WORDS = st.lists(st.sampled_from(["the", "rooms", "agree", "data", "police", "health", "must", "should",
                                  "share", "early", "local"]), min_size=3, max_size=12)


def text(words):
    return " ".join(words) + "."


def changed(base_words, draw):
    words = list(base_words)
    i = draw(st.integers(0, len(words) - 1))
    words[i] = draw(st.sampled_from(["deliberate", "wilful", "regional", "annual", "every"]))
    return text(words)


@st.composite
def two_rooms(draw):
    base = draw(WORDS)
    return text(base), changed(base, draw), changed(base, draw)


def room(room_id, t, deleted=False):
    return {"room_id": room_id, "room_name": f"Room {room_id}", "text": None if deleted else t, "deleted": deleted}


@settings(max_examples=150, deadline=None)
@given(two_rooms())
def test_taking_one_rooms_text_adopts_it_and_nothing_the_organisers_wrote(case):
    base, a, b = case
    assume(a != base)
    outcome, organisers = adoption(base, a, [room(1, a), room(2, b)])
    assert outcome[1] == "yes" and not organisers
    if b != a and merge_texts(base, [a, b]) is None:
        assert outcome[2] == "no"                       # it lost: never credited


@settings(max_examples=150, deadline=None)
@given(two_rooms())
def test_a_word_merge_adopts_both_rooms(case):
    base, a, b = case
    merged = merge_texts(base, sorted({a, b}))
    assume(merged is not None and a != base and b != base)
    outcome, organisers = adoption(base, merged, [room(1, a), room(2, b)])
    assert outcome == {1: "yes", 2: "yes"} and not organisers


@settings(max_examples=100, deadline=None)
@given(two_rooms())
def test_the_base_text_adopts_no_room_and_a_new_wording_is_the_organisers(case):
    base, a, b = case
    assume(a != base and b != base)
    assert adoption(base, base, [room(1, a), room(2, b)]) == ({1: "no", 2: "no"}, False)
    outcome, organisers = adoption(base, "An entirely different compromise.", [room(1, a), room(2, b)])
    assert organisers and set(outcome.values()) == {"no"}


@settings(max_examples=100, deadline=None)
@given(two_rooms())
def test_every_change_is_attributed_to_a_room_that_made_it_or_to_the_organisers(case):
    base, a, _ = case
    assume(a != base)
    runs = change_authors(base, a, [room(1, a)])
    assert "".join(t for op, t, _ in runs if op != INSERT) == base
    assert "".join(t for op, t, _ in runs if op != DELETE) == a
    assert {who for op, _, who in runs if op != 0} == {"Room 1"}


@settings(max_examples=100, deadline=None)
@given(two_rooms(), st.booleans())
def test_a_kept_paragraph_credits_no_change_to_a_room_that_wanted_it_deleted(case, reworded):
    """Room 2 proposed deleting the paragraph, which stayed: in Room 1's text, or reworded by the
    organisers (the end of it dropped). None of the changes is Room 2's."""
    base, a, _ = case
    final = " ".join(a.split()[:2]) + " agreed." if reworded else a
    assume(final != base)
    runs = change_authors(base, final, [room(1, a), room(2, "", deleted=True)])
    authors = {who for op, _, who in runs if op != 0}
    assert authors and not any("Room 2" in who for who in authors)
    assert "".join(t for op, t, _ in runs if op != INSERT) == base


def test_a_deletion_is_adopted_only_from_the_rooms_that_deleted():
    assert adoption("Some text.", None, [room(1, "", deleted=True), room(2, "Other text.")]) == (
        {1: "yes", 2: "no"}, False)
